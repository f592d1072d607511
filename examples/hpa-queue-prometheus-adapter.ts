// Seed 004 "HPA with Dynamo Metrics: Scale Based on Queue Depth": the adapter rule for
// the frontend's queued requests and the HPA `sglang-agg-decode-queue-hpa` on it.
// A separate app from the TTFT one: both HPAs target the decode adapter, and one
// target takes one autoscaler.
import { App } from 'cdk8s';
import { MetricTarget } from 'cdk8s-plus-28';
import { DynamoExternalMetric, HpaAutoscaler, PrometheusAdapterConfig } from '../src';
import { sglangAggChart } from './graphs/sglang-agg';
import { writeArtifact } from './graphs/write-file';

export function build(app: App): void {
  const { chart, dgd } = sglangAggChart(app, 'hpa-queue-prometheus-adapter');
  const queue = DynamoExternalMetric.queuedRequests({ deployment: dgd, target: MetricTarget.value(10) });
  const adapter = new PrometheusAdapterConfig(chart, 'prometheus-adapter', {
    prometheusUrl: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc',
  });
  adapter.addMetric(queue);
  new HpaAutoscaler(chart, 'decode-queue-hpa', {
    target: dgd.service('decode').adapter,
    qualifier: 'queue', // name: sglang-agg-decode-queue-hpa
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [queue.metric],
  });
  writeArtifact(app, 'prometheus-adapter-values.yaml', adapter.helmValues());
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
