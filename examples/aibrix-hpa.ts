// Seed 003 "HPA Autoscaler" on the vLLM Deployment: AIBrix creates a native HPA
// (`podautoscaler-example-hpa`, as in the seed's `kubectl get hpa` output) that scales
// on CPU at 10% of the pods' requests, the seed's target. Differs from the seed: the
// target is the vLLM Deployment rather than the nginx demo.
import { App, Duration } from 'cdk8s';
import { AibrixAutoscaler, AibrixMetricSource, AibrixResource, AibrixScalingStrategy, ScaleTarget } from '../src';
import { vllmDeploymentChart } from './graphs/vllm-deployment';

/** The HPA AIBrix creates for `podautoscaler-example` (also `AibrixAutoscaler.hpaName`). */
export const AIBRIX_HPA_NAME = 'podautoscaler-example-hpa';

export function build(app: App): void {
  const { chart, deployment } = vllmDeploymentChart(app, 'aibrix-hpa');
  new AibrixAutoscaler(chart, 'hpa', {
    name: 'podautoscaler-example', // the seed's name
    target: ScaleTarget.fromWorkload(deployment),
    strategy: AibrixScalingStrategy.HPA,
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [AibrixMetricSource.resource({ resource: AibrixResource.CPU, targetValue: 10 })],
    scaleDownCooldownWindow: Duration.minutes(5),
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
