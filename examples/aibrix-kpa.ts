// Seed 003 "KPA Autoscaler" on the vLLM Deployment: a Knative-style PodAutoscaler that
// scrapes each vLLM pod itself (no Prometheus). The seed's object name is kept. The
// metric is the one AIBrix's v0.7.0 KPA sample uses (AIBrix maps its metric names to
// the engine's; vLLM itself renamed this gauge kv_cache_usage_perc, so check that your
// AIBrix release knows the name your vLLM exposes).
import { App } from 'cdk8s';
import { AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, ScaleTarget } from '../src';
import { vllmDeploymentChart } from './graphs/vllm-deployment';

export function build(app: App): void {
  const { chart, deployment } = vllmDeploymentChart(app, 'aibrix-kpa');
  new AibrixAutoscaler(chart, 'kpa', {
    name: 'podautoscaler-example-mock-llama', // the seed's name; the default would be vllm-deployment-pa
    target: ScaleTarget.fromWorkload(deployment),
    strategy: AibrixScalingStrategy.KPA,
    minReplicas: 1,
    maxReplicas: 8,
    metrics: [AibrixMetricSource.pod({ metric: 'gpu_cache_usage_perc', targetValue: 0.5, port: 8000 })],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
