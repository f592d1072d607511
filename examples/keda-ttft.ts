// Seed 004 "KEDA: Scale Decode Based on TTFT": scale sglang-agg's decode worker on
// TTFT p95 from the frontend. Differs from the seed: no `metricName` key (current KEDA
// ignores it) and the query is on one line.
import { App, Duration } from 'cdk8s';
import { DynamoMetrics, KedaAutoscaler, KedaTrigger } from '../src';
import { PROMETHEUS, sglangAggChart } from './graphs/sglang-agg';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'keda-ttft');
  new KedaAutoscaler(chart, 'decode-scaler', {
    target: dgd.service('decode').adapter, // name: sglang-agg-decode-scaler
    minReplicas: 1,
    maxReplicas: 10,
    pollingInterval: Duration.seconds(15),
    cooldownPeriod: Duration.seconds(60),
    triggers: [KedaTrigger.prometheus({
      serverAddress: PROMETHEUS,
      query: DynamoMetrics.ttftQuantile({ deployment: dgd, quantile: 0.95, window: Duration.minutes(5) }),
      threshold: 0.5, // TTFT p95 above 500 ms
      activationThreshold: 0.1,
    })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
