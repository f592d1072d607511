// Seed 003 "APA Autoscaler": AIBrix's LLM-oriented autoscaler with fluctuation
// tolerances, twice: on the vLLM Deployment (as in AIBrix's APA sample), and on the
// decode worker of a Dynamo disaggregated graph through its scaling adapter (the adapter
// is enabled and the decode worker's `replicas` left out of the DGD). The decode metric
// is read from each worker's Dynamo system port (9090), which serves the engine's own
// metrics next to Dynamo's.
import { App, Chart, Duration } from 'cdk8s';
import { AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, DynamoApiVersion, ScaleTarget } from '../src';
import { vllmDeploymentChart } from './graphs/vllm-deployment';
import { vllmDisagg } from './vllm-disagg';

export function build(app: App): void {
  const { chart, deployment } = vllmDeploymentChart(app, 'aibrix-apa');
  new AibrixAutoscaler(chart, 'apa', {
    target: ScaleTarget.fromWorkload(deployment),
    strategy: AibrixScalingStrategy.APA,
    minReplicas: 1,
    maxReplicas: 8,
    metrics: [AibrixMetricSource.pod({ metric: 'gpu_cache_usage_perc', targetValue: 0.5, port: 8000 })],
    scaleUpTolerance: 0.1,
    scaleDownTolerance: 0.2,
    scaleDownCooldownWindow: Duration.minutes(2),
  });

  const dynamo = new Chart(app, 'aibrix-apa-dynamo-decode', { namespace: 'llm-serving' });
  const dgd = vllmDisagg(dynamo, DynamoApiVersion.V1ALPHA1);
  new AibrixAutoscaler(dynamo, 'decode-apa', {
    target: dgd.service('VllmDecodeWorker').adapter, // name: vllm-disagg-vllmdecodeworker-pa
    strategy: AibrixScalingStrategy.APA,
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [AibrixMetricSource.pod({ metric: 'num_requests_running', targetValue: 32, port: 9090 })],
    scaleUpTolerance: 0.1,
    scaleDownTolerance: 0.3,
    maxScaleUpRate: 2,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
