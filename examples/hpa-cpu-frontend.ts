// Seed 000 "Basic HPA (CPU-based)" (`frontend-hpa`): the frontend of
// my-llm-deployment on CPU utilization, in namespace llm-serving. The seed 004 variant
// of the same HPA, on sglang-agg, is examples/hpa-cpu.ts. Differs from the seed: the
// DGD enables the frontend's adapter and leaves its `replicas` out (adapters are opt-in
// since 0.8, and the operator's webhook rejects replicas that an autoscaler has moved).
import { App, Duration } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import { HpaAutoscaler } from '../src';
import { myLlmChart } from './graphs/my-llm-deployment';

export function build(app: App): void {
  const { chart, dgd } = myLlmChart(app, 'hpa-cpu-frontend');
  new HpaAutoscaler(chart, 'frontend-hpa', {
    name: 'frontend-hpa', // the seed's name; the default would be my-llm-deployment-frontend-hpa
    target: dgd.service('frontend').adapter,
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
    // The seed spells out the Kubernetes defaults; kept so the intent survives a change of defaults.
    scaleDown: { stabilizationWindow: Duration.seconds(300) },
    scaleUp: { stabilizationWindow: Duration.seconds(0) },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
