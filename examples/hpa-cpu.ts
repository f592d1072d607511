// Seed 004 "Basic HPA (CPU-based)": scale sglang-agg's Frontend on CPU utilization.
// Binding the HPA enables the Frontend's scaling adapter and drops its `replicas`.
import { App, Duration } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import { HpaAutoscaler } from '../src';
import { sglangAggChart } from './graphs/sglang-agg';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'hpa-cpu');
  new HpaAutoscaler(chart, 'frontend-hpa', {
    target: dgd.service('Frontend').adapter, // name: sglang-agg-frontend-hpa
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
    scaleDown: { stabilizationWindow: Duration.seconds(300) },
    scaleUp: { stabilizationWindow: Duration.seconds(0) },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
