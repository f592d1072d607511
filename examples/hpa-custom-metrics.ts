// Seed 000 "HPA with Custom Metrics": the decode HPA of my-llm-deployment on a Pods
// metric (vLLM KV-cache usage) and an External metric (requests waiting), both served
// by a metrics adapter the cluster provides. The seed's names are kept (`decode-hpa`);
// the library's default would be `my-llm-deployment-decode-hpa`. Differs from the seed
// where REFERENCE.md says it is out of date: the seed has the operator create an adapter
// for every service, but adapters are opt-in since 0.8, so binding the HPA enables the
// decode adapter (`scalingAdapter: {enabled: true}`) and leaves decode's `replicas` out.
// The target 70 assumes the cluster's adapter rule serves KV-cache usage in percent:
// vLLM itself reports it as a fraction (0-1), against which 70 would never be reached.
import { App } from 'cdk8s';
import { LabelSelector, Metric, MetricTarget } from 'cdk8s-plus-28';
import { HpaAutoscaler } from '../src';
import { myLlmChart } from './graphs/my-llm-deployment';

export function build(app: App): void {
  const { chart, dgd } = myLlmChart(app, 'hpa-custom-metrics');
  new HpaAutoscaler(chart, 'decode-hpa', {
    name: 'decode-hpa',
    target: dgd.service('decode').adapter,
    minReplicas: 2,
    maxReplicas: 20,
    metrics: [
      Metric.pods({ name: 'vllm_gpu_cache_usage_perc', target: MetricTarget.averageValue(70) }),
      Metric.external({
        name: 'vllm_num_requests_waiting',
        labelSelector: LabelSelector.of({ labels: { service: 'decode' } }),
        target: MetricTarget.averageValue(5),
      }),
    ],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
