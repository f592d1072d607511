// Seed 004 "Mixed Autoscaling": an HPA on CPU for the frontend and KEDA on TTFT for
// the decode worker of sglang-agg. Differs from the seed: the query is on one line.
import { App, Duration } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import { DynamoMetrics, HpaAutoscaler, KedaAutoscaler, KedaTrigger } from '../src';
import { PROMETHEUS, sglangAggChart } from './graphs/sglang-agg';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'mixed-sglang');
  new HpaAutoscaler(chart, 'frontend-hpa', {
    target: dgd.service('Frontend').adapter,
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
  });
  new KedaAutoscaler(chart, 'decode-scaler', {
    target: dgd.service('decode').adapter,
    minReplicas: 1,
    maxReplicas: 10,
    triggers: [KedaTrigger.prometheus({
      serverAddress: PROMETHEUS,
      query: DynamoMetrics.ttftQuantile({ deployment: dgd, quantile: 0.95, window: Duration.minutes(5) }),
      threshold: 0.5,
    })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
