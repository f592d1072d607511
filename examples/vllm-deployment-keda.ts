// Seed 002 "Example 2: KEDA ScaledObject" on the vLLM Deployment. Differs from the
// seed: no `metricName` (ignored by current KEDA); scaleTargetRef names apiVersion and
// kind explicitly (the seed relies on KEDA's apps/v1 Deployment default).
import { App } from 'cdk8s';
import { KedaAutoscaler, KedaTrigger, PromQuery, ScaleTarget } from '../src';
import { vllmDeploymentChart } from './graphs/vllm-deployment';

export function build(app: App): void {
  const { chart, deployment } = vllmDeploymentChart(app, 'vllm-deployment-keda');
  new KedaAutoscaler(chart, 'vllm-scaledobject', {
    name: 'vllm-scaledobject', // the seed's name; the default would be vllm-deployment-scaler
    target: ScaleTarget.fromWorkload(deployment),
    minReplicas: 1,
    maxReplicas: 20,
    triggers: [KedaTrigger.prometheus({
      serverAddress: 'http://prometheus:9090',
      query: PromQuery.raw('sum(rate(vllm_request_queue_size[1m]))'),
      threshold: 15,
    })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
