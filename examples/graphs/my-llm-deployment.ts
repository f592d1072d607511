// The my-llm-deployment graph of the autoscaling guide (seed 000), namespace llm-serving.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../../src';

/** Dynamo 1.5 admits only images with a runtime version in the tag (or with 'runtimeVersionOverride'). */
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';

export const PROMETHEUS_SERVER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';

export function myLlmChart(scope: Construct, id: string): { chart: Chart; dgd: DynamoGraphDeployment } {
  const chart = new Chart(scope, id, { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'my-llm-deployment', {
    name: 'my-llm-deployment',
    backendFramework: BackendFramework.VLLM,
  });
  dgd.addService('frontend', { role: ServiceRole.FRONTEND, image: IMAGE, replicas: 2 });
  dgd.addService('prefill', { role: ServiceRole.PREFILL, image: IMAGE, replicas: 4 });
  dgd.addService('decode', { role: ServiceRole.DECODE, image: IMAGE, replicas: 8 });
  return { chart, dgd };
}
