// Seed 000 "KEDA with Prometheus": my-llm-deployment's prefill worker scaled by KEDA on
// vLLM's waiting requests. The seed's name (`prefill-scaledobject`) is kept; the
// library's default would be `my-llm-deployment-prefill-scaler`. Differs from the seed:
// no `metricName` (current KEDA ignores it), the query on one line, and the DGD enables
// the prefill adapter and leaves its `replicas` out.
import { App, Duration } from 'cdk8s';
import { KedaAutoscaler, KedaTrigger, PromQuery } from '../src';
import { myLlmChart, PROMETHEUS_SERVER } from './graphs/my-llm-deployment';

export function build(app: App): void {
  const { chart, dgd } = myLlmChart(app, 'keda-prefill-queue');
  new KedaAutoscaler(chart, 'prefill-scaledobject', {
    name: 'prefill-scaledobject',
    target: dgd.service('prefill').adapter,
    minReplicas: 1,
    maxReplicas: 15,
    pollingInterval: Duration.seconds(15),
    cooldownPeriod: Duration.seconds(120),
    triggers: [KedaTrigger.prometheus({
      serverAddress: PROMETHEUS_SERVER,
      query: PromQuery.raw('sum(vllm_num_requests_waiting{namespace="llm-serving",dynamo_graph_deployment="my-llm-deployment",service="prefill"})'),
      threshold: 10,
    })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
