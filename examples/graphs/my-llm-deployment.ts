// The my-llm-deployment graph of the autoscaling guide (seed 000), namespace llm-serving.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../../src';

export const PROMETHEUS_SERVER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';

export function myLlmChart(scope: Construct, id: string): { chart: Chart; dgd: DynamoGraphDeployment } {
  const chart = new Chart(scope, id, { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'my-llm-deployment', {
    name: 'my-llm-deployment',
    backendFramework: BackendFramework.VLLM,
  });
  dgd.addService('frontend', { role: ServiceRole.FRONTEND, replicas: 2 });
  dgd.addService('prefill', { role: ServiceRole.PREFILL, replicas: 4 });
  dgd.addService('decode', { role: ServiceRole.DECODE, replicas: 8 });
  return { chart, dgd };
}
