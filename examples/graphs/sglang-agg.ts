// The sglang-agg graph of the autoscaling guide (v0.9): a frontend and one aggregated
// decode worker, in namespace `default`. Shared by the example apps that scale it.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../../src';

/** Dynamo 1.5 admits only images with a runtime version in the tag (or with 'runtimeVersionOverride'). */
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/sglang-runtime:1.5.1';

export const PROMETHEUS = 'http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090';

export function sglangAggChart(scope: Construct, id: string): { chart: Chart; dgd: DynamoGraphDeployment } {
  const chart = new Chart(scope, id, { namespace: 'default' });
  const dgd = new DynamoGraphDeployment(chart, 'sglang-agg', {
    name: 'sglang-agg',
    backendFramework: BackendFramework.SGLANG,
  });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: IMAGE });
  dgd.addService('decode', { role: ServiceRole.WORKER, image: IMAGE, replicas: 1, resources: { limits: { gpu: 1 } } });
  return { chart, dgd };
}
