// Seed 000 "Mixed Autoscaling" on my-llm-deployment: an HPA on CPU for the frontend,
// KEDA on queue depth for prefill, and the Dynamo Planner for decode. The seed's names
// are kept (`frontend-hpa`, `prefill-scaledobject`). Differs from the seed: the seed's
// DGD keeps `replicas` on the autoscaled services, which the operator's webhook rejects
// once an autoscaler has moved them, so they are left out; the adapters are enabled
// (`scalingAdapter: {enabled: true}`), which the seed omits (adapters are opt-in since 0.8);
// and the Planner is told to scale decode alone: `manages: [decode]` renders `"mode":
// "decode"` in its --config. The seed's Planner has no mode, so it runs its default,
// disagg, and scales prefill too, fighting the ScaledObject over prefill's replicas.
import { App } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import { DynamoPlanner, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PromQuery } from '../src';
import { myLlmChart, PROMETHEUS_SERVER } from './graphs/my-llm-deployment';

export function build(app: App): void {
  const { chart, dgd } = myLlmChart(app, 'mixed-my-llm');
  new HpaAutoscaler(chart, 'frontend-hpa', {
    name: 'frontend-hpa',
    target: dgd.service('frontend').adapter,
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
  });
  new KedaAutoscaler(chart, 'prefill-scaledobject', {
    name: 'prefill-scaledobject',
    target: dgd.service('prefill').adapter,
    minReplicas: 1,
    maxReplicas: 12,
    triggers: [KedaTrigger.prometheus({
      serverAddress: PROMETHEUS_SERVER,
      query: PromQuery.raw('sum(vllm_num_requests_waiting{service="prefill"})'),
      threshold: 10,
    })],
  });
  new DynamoPlanner(dgd, 'planner', {
    // Decode only (mode decode): prefill is KEDA's.
    manages: [dgd.service('decode')],
    // A custom tag says nothing of the Dynamo runtime inside: Dynamo 1.5 then needs the
    // version stated.
    image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag',
    runtimeVersionOverride: '1.5.1',
    prometheusEndpoint: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
