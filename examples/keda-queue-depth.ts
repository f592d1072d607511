// Seed 004 "KEDA: Scale Based on Queue Depth": scale sglang-agg's decode worker on the
// frontend's queued requests. Differs from the seed: no `metricName` key.
import { App, Duration } from 'cdk8s';
import { DynamoMetrics, KedaAutoscaler, KedaTrigger, QueueDepthSource } from '../src';
import { PROMETHEUS, sglangAggChart } from './graphs/sglang-agg';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'keda-queue-depth');
  new KedaAutoscaler(chart, 'decode-queue-scaler', {
    target: dgd.service('decode').adapter,
    qualifier: 'queue', // name: sglang-agg-decode-queue-scaler
    minReplicas: 1,
    maxReplicas: 10,
    pollingInterval: Duration.seconds(15),
    cooldownPeriod: Duration.seconds(60),
    triggers: [KedaTrigger.prometheus({
      serverAddress: PROMETHEUS,
      // The legacy gauge, as in the seed; QueueDepthSource.STAGE_REQUESTS selects the newer form.
      query: DynamoMetrics.queueDepth({ deployment: dgd, source: QueueDepthSource.QUEUED_REQUESTS_GAUGE }),
      threshold: 10,
    })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
