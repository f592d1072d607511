// Seed 002 "Example 1: Basic HPA with Custom Metrics" on the vLLM Deployment. Differs
// from the seed, which is not valid Kubernetes: a Resource metric named
// `gpu-utilization` does not exist (Resource metrics are cpu and memory), so GPU
// utilization comes from DCGM as a Pods metric, served by the adapter rule below.
import { App, Duration } from 'cdk8s';
import { Metric, MetricTarget, Replicas } from 'cdk8s-plus-28';
import { DcgmMetrics, HpaAutoscaler, PrometheusAdapterConfig, ScaleTarget } from '../src';
import { vllmDeploymentChart } from './graphs/vllm-deployment';
import { writeArtifact } from './graphs/write-file';

export function build(app: App): void {
  const { chart, deployment } = vllmDeploymentChart(app, 'vllm-deployment-hpa');
  const adapter = new PrometheusAdapterConfig(chart, 'prometheus-adapter', { prometheusUrl: 'http://prometheus.monitoring.svc' });
  adapter.addRule(DcgmMetrics.gpuUtilizationRule());
  new HpaAutoscaler(chart, 'vllm-hpa', {
    name: 'vllm-hpa', // the seed's name; the default would be vllm-deployment-hpa
    target: ScaleTarget.fromWorkload(deployment),
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      DcgmMetrics.podsGpuUtilization(70),
      Metric.pods({ name: 'vllm_request_queue_depth', target: MetricTarget.averageValue(10) }),
    ],
    scaleDown: {
      stabilizationWindow: Duration.seconds(300),
      policies: [{ replicas: Replicas.percent(50), duration: Duration.seconds(60) }],
    },
    scaleUp: {
      stabilizationWindow: Duration.seconds(60),
      policies: [{ replicas: Replicas.percent(100), duration: Duration.seconds(30) }],
    },
  });
  writeArtifact(app, 'prometheus-adapter-values.yaml', adapter.helmValues());
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
