// Seed 004 "HPA with Dynamo Metrics: Scale Decode Service Based on TTFT" (steps 1 and 4):
// the Prometheus Adapter external rule for TTFT p95 and the HPA that reads it. One
// DynamoExternalMetric yields both, so the HPA's metric name equals the rule's `name.as`.
// Writes prometheus-adapter-values.yaml (Helm values) beside the manifests; the adapter's
// ConfigMap is synthesized too. Differs from the seed: the queries are on one line.
import { App, Duration } from 'cdk8s';
import { MetricTarget, Replicas } from 'cdk8s-plus-28';
import { DynamoExternalMetric, HpaAutoscaler, PrometheusAdapterConfig } from '../src';
import { sglangAggChart } from './graphs/sglang-agg';
import { writeArtifact } from './graphs/write-file';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'hpa-ttft-prometheus-adapter');
  const ttft = DynamoExternalMetric.ttftQuantile({
    deployment: dgd,
    quantile: 0.95,
    window: Duration.minutes(5),
    target: MetricTarget.value(0.5), // scale up when TTFT p95 > 500 ms
  });
  const adapter = new PrometheusAdapterConfig(chart, 'prometheus-adapter', {
    prometheusUrl: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc',
    prometheusPort: 9090,
  });
  adapter.addMetric(ttft);
  new HpaAutoscaler(chart, 'decode-hpa', {
    target: dgd.service('decode').adapter, // name: sglang-agg-decode-hpa
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [ttft.metric],
    scaleDown: {
      stabilizationWindow: Duration.seconds(60),
      policies: [{ replicas: Replicas.absolute(1), duration: Duration.seconds(30) }],
    },
    scaleUp: {
      stabilizationWindow: Duration.seconds(0),
      policies: [{ replicas: Replicas.absolute(2), duration: Duration.seconds(30) }],
    },
  });
  writeArtifact(app, 'prometheus-adapter-values.yaml', adapter.helmValues());
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
