import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import {
  BackendFramework, DynamoExternalMetric, DynamoGraphDeployment, DynamoService, HpaAutoscaler, KedaAutoscaler, KedaTrigger,
  PrometheusAdapterConfig, PrometheusAdapterRule, PromQuery, ServiceRole,
} from '../src';
import { only, seedYamlDocs } from './support';

const PROMETHEUS_URL = 'http://prometheus-kube-prometheus-prometheus.monitoring.svc';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly decode: DynamoService;
  readonly frontend: DynamoService;
}

/** Seed 004's sglang-agg graph in namespace `default`. */
function ctx(): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'default' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'sglang-agg', backendFramework: BackendFramework.SGLANG });
  const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 1 });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1 });
  return { app, chart, dgd, decode, frontend };
}

function synth(c: { app: App; chart: Chart }): any[] {
  c.app.synthYaml();
  return Testing.synth(c.chart);
}

/** Every YAML document in seed 004's ```yaml blocks. */
function seed004Blocks(): any[] {
  return seedYamlDocs('004');
}

/** A rule with its PromQL whitespace removed (the seed spreads queries over lines). */
function squashRule(rule: any): any {
  return { ...rule, seriesQuery: rule.seriesQuery.replace(/\s+/g, ''), metricsQuery: rule.metricsQuery.replace(/\s+/g, '') };
}

const TTFT_RULE = {
  seriesQuery: 'dynamo_frontend_time_to_first_token_seconds_bucket{namespace!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' } } },
  name: { as: 'dynamo_ttft_p95_seconds' },
  metricsQuery: 'histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{<<.LabelMatchers>>}[5m])) by (le, namespace, dynamo_namespace))',
};
const QUEUE_RULE = {
  seriesQuery: 'dynamo_frontend_queued_requests{namespace!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' } } },
  name: { as: 'dynamo_queued_requests' },
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (namespace, dynamo_namespace)',
};

describe('DynamoExternalMetric + PrometheusAdapterConfig: seed 004 steps 1 and 4', () => {
  test('Helm values: TTFT p95 and queue rules, as in the seed (whitespace aside)', () => {
    const c = ctx();
    const ttft = DynamoExternalMetric.ttftQuantile({
      deployment: c.dgd, quantile: 0.95, window: Duration.minutes(5), target: plus.MetricTarget.value(0.5),
    });
    const queue = DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(10) });
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL, prometheusPort: 9090 });
    adapter.addMetric(ttft);
    adapter.addMetric(queue);
    const values = YAML.parse(adapter.helmValues());
    expect(values).toEqual({ prometheus: { url: PROMETHEUS_URL, port: 9090 }, rules: { external: [TTFT_RULE, QUEUE_RULE] } });

    const blocks = seed004Blocks();
    const seedValues = blocks.find((b) => b && b.prometheus && b.rules);
    expect(seedValues.prometheus).toEqual(values.prometheus);
    expect(values.rules.external[0]).toEqual({ ...squashRule(seedValues.rules.external[0]), metricsQuery: TTFT_RULE.metricsQuery });
    expect(squashRule(values.rules.external[0])).toEqual(squashRule(seedValues.rules.external[0]));
    const seedQueue = blocks.find((b) => Array.isArray(b) && b[0]?.name?.as === 'dynamo_queued_requests')[0];
    expect(squashRule(values.rules.external[1])).toEqual(squashRule(seedQueue));
  });

  test('the adapter ConfigMap carries the same rules under externalRules in config.yaml', () => {
    const c = ctx();
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    adapter.addMetric(DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, target: plus.MetricTarget.value(0.5) }));
    adapter.addMetric(DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(10) }));
    const cm = only(synth(c), 'ConfigMap');
    expect(adapter.configMapName).toBe('prometheus-adapter');
    expect(cm.apiVersion).toBe('v1');
    expect(cm.metadata).toEqual({ name: 'prometheus-adapter', namespace: 'monitoring' });
    expect(Object.keys(cm.data)).toEqual(['config.yaml']);
    expect(typeof cm.data['config.yaml']).toBe('string');
    expect(YAML.parse(cm.data['config.yaml'])).toEqual({ externalRules: [TTFT_RULE, QUEUE_RULE] });
    // The Helm values default the port.
    expect(YAML.parse(adapter.helmValues()).prometheus).toEqual({ url: PROMETHEUS_URL, port: 9090 });
  });

  test('ConfigMap name and namespace can be set', () => {
    const c = ctx();
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: 'https://prom.example.com/prometheus', configMapName: 'adapter-config', namespace: 'observability' });
    adapter.addRule(PrometheusAdapterRule.external(
      { seriesQuery: 'up{namespace!=""}', metricName: 'up_count', metricsQuery: 'count(<<.Series>>{<<.LabelMatchers>>})' }));
    const cm = only(synth(c), 'ConfigMap');
    expect(cm.metadata).toEqual({ name: 'adapter-config', namespace: 'observability' });
    expect(YAML.parse(adapter.helmValues()).prometheus).toEqual({ url: 'https://prom.example.com/prometheus', port: 9090 });
  });

  test('one object gives the HPA metric and the rule: the HPA metric name equals the rule name.as', () => {
    const c = ctx();
    const ttft = DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, target: plus.MetricTarget.value(0.5) });
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    adapter.addMetric(ttft);
    new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, minReplicas: 1, maxReplicas: 10, metrics: [ttft.metric] });
    const manifests = synth(c);
    const hpa = only(manifests, 'HorizontalPodAutoscaler', 'sglang-agg-decode-hpa');
    const rules = YAML.parse(only(manifests, 'ConfigMap').data['config.yaml']).externalRules;
    expect(ttft.metricName).toBe('dynamo_ttft_p95_seconds');
    expect(ttft.rule.metricName).toBe(ttft.metricName);
    expect(hpa.spec.metrics).toEqual([{
      type: 'External',
      external: {
        metric: { name: 'dynamo_ttft_p95_seconds', selector: { matchLabels: { dynamo_namespace: 'default-sglang-agg' } } },
        target: { type: 'Value', value: '500m' }, // as in the seed
      },
    }]);
    expect(rules.map((r: any) => r.name.as)).toEqual([hpa.spec.metrics[0].external.metric.name]);
  });

  test('a custom metric name is used on both sides', () => {
    const c = ctx();
    const m = DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.averageValue(5), metricName: 'sglang_agg_queue' });
    expect(m.metricName).toBe('sglang_agg_queue');
    expect(m.rule.metricName).toBe('sglang_agg_queue');
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    adapter.addMetric(m);
    new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 4, metrics: [m.metric] });
    const manifests = synth(c);
    const hpa = only(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[0].external.metric.name).toBe('sglang_agg_queue');
    expect(hpa.spec.metrics[0].external.target).toEqual({ type: 'AverageValue', averageValue: '5' });
    expect(YAML.parse(only(manifests, 'ConfigMap').data['config.yaml']).externalRules[0].name.as).toBe('sglang_agg_queue');
  });

  test.each([
    [0.95, 'dynamo_ttft_p95_seconds', 'dynamo_itl_p95_seconds'],
    [0.5, 'dynamo_ttft_p50_seconds', 'dynamo_itl_p50_seconds'],
    [0.99, 'dynamo_ttft_p99_seconds', 'dynamo_itl_p99_seconds'],
    [0.999, 'dynamo_ttft_p99_9_seconds', 'dynamo_itl_p99_9_seconds'],
    [0.9999, 'dynamo_ttft_p99_99_seconds', 'dynamo_itl_p99_99_seconds'],
    [0.29, 'dynamo_ttft_p29_seconds', 'dynamo_itl_p29_seconds'],
  ])('quantile %s is named %s / %s', (q, ttftName, itlName) => {
    const target = plus.MetricTarget.value(1);
    expect(DynamoExternalMetric.ttftQuantile({ dynamoNamespace: 'default-x', quantile: q, target }).metricName).toBe(ttftName);
    expect(DynamoExternalMetric.itlQuantile({ dynamoNamespace: 'default-x', quantile: q, target }).metricName).toBe(itlName);
  });

  test('ITL rule over a custom window, explicit dynamo_namespace', () => {
    const c = ctx();
    const itl = DynamoExternalMetric.itlQuantile({ dynamoNamespace: 'prod-llama', quantile: 0.9, window: Duration.minutes(2), target: plus.MetricTarget.value(0.05) });
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    adapter.addMetric(itl);
    expect(YAML.parse(adapter.helmValues()).rules.external).toEqual([{
      seriesQuery: 'dynamo_frontend_inter_token_latency_seconds_bucket{namespace!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      name: { as: 'dynamo_itl_p90_seconds' },
      metricsQuery: 'histogram_quantile(0.9, sum(rate(dynamo_frontend_inter_token_latency_seconds_bucket{<<.LabelMatchers>>}[2m])) by (le, namespace, dynamo_namespace))',
    }]);
    new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 4, metrics: [itl.metric] });
    const hpa = only(synth(c), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[0].external.metric.selector).toEqual({ matchLabels: { dynamo_namespace: 'prod-llama' } });
  });

  test('per-pod rules go to `rules` (Helm `rules.custom`), mapping namespace and pod', () => {
    const c = ctx();
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    const podRule = PrometheusAdapterRule.pods({
      seriesQuery: 'vllm:num_requests_waiting{namespace!="",pod!=""}',
      metricName: 'vllm_num_requests_waiting',
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    });
    expect(podRule.isExternal).toBe(false);
    adapter.addRule(podRule);
    adapter.addMetric(DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(10) }));
    const custom = {
      seriesQuery: 'vllm:num_requests_waiting{namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { as: 'vllm_num_requests_waiting' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    };
    expect(YAML.parse(adapter.helmValues()).rules).toEqual({ custom: [custom], external: [QUEUE_RULE] });
    expect(YAML.parse(only(synth(c), 'ConfigMap').data['config.yaml'])).toEqual({ rules: [custom], externalRules: [QUEUE_RULE] });
  });

  test.each([
    ['hpa-ttft-prometheus-adapter', 'sglang-agg-decode-hpa', TTFT_RULE],
    ['hpa-queue-prometheus-adapter', 'sglang-agg-decode-queue-hpa', QUEUE_RULE],
  ])('example %s: HPA %s as in the seed, and its rule in the ConfigMap and the written Helm values', (example, hpaName, rule) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(__dirname, '..', 'examples', example));
    const app = Testing.app();
    mod.build(app);
    app.synthYaml();
    const manifests = app.charts.flatMap((ch) => Testing.synth(ch));
    const hpa = only(manifests, 'HorizontalPodAutoscaler', hpaName);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'sglang-agg-decode' });
    expect(hpa.spec.metrics[0].external.metric).toEqual({ name: rule.name.as, selector: { matchLabels: { dynamo_namespace: 'default-sglang-agg' } } });
    expect(YAML.parse(only(manifests, 'ConfigMap').data['config.yaml'])).toEqual({ externalRules: [rule] });
    const seedHpa = only(seed004Blocks().filter((d) => d && typeof d.kind === 'string'), 'HorizontalPodAutoscaler', hpaName);
    expect(hpa.spec).toEqual(seedHpa.spec);
    expect(hpa.metadata).toEqual({ name: hpaName, namespace: 'default' });
    const values = YAML.parse(fs.readFileSync(path.join(app.outdir, 'prometheus-adapter-values.yaml'), 'utf8'));
    expect(values).toEqual({ prometheus: { url: PROMETHEUS_URL, port: 9090 }, rules: { external: [rule] } });
  });
});

describe('KEDA + Prometheus Adapter: one warning per app at synth', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
  });

  const keda = (c: Ctx) => new KedaAutoscaler(c.chart, 'keda', {
    target: c.frontend.adapter,
    triggers: [KedaTrigger.prometheus({ serverAddress: `${PROMETHEUS_URL}:9090`, query: PromQuery.raw('up'), threshold: 1 })],
  });
  const adapter = (scope: Chart, c: Ctx) => {
    const a = new PrometheusAdapterConfig(scope, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    a.addMetric(DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(10) }));
    return a;
  };

  test('both in one app: warned once, naming both, however often the app is synthesized', () => {
    const c = ctx();
    keda(c);
    adapter(c.chart, c);
    expect(warn).not.toHaveBeenCalled(); // not at construction
    c.app.synthYaml();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(
      '[cdk8s-dynamo] warning: KEDA and Prometheus Adapter both serve the external metrics API (v1beta1.external.metrics.k8s.io); '
      + 'a cluster runs only one of them, but this app uses both: KEDA (c/keda), Prometheus Adapter (c/adapter)');
    c.app.synthYaml();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('across charts of one app, adapter first', () => {
    const c = ctx();
    const monitoring = new Chart(c.app, 'monitoring', { namespace: 'monitoring' });
    adapter(monitoring, c);
    keda(c);
    c.app.synthYaml();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/this app uses both: Prometheus Adapter \(monitoring\/adapter\), KEDA \(c\/keda\)$/);
  });

  test('each app warns for itself', () => {
    const a = ctx();
    keda(a);
    adapter(a.chart, a);
    const b = ctx();
    keda(b);
    adapter(b.chart, b);
    a.app.synthYaml();
    b.app.synthYaml();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  test('only KEDA, or only Prometheus Adapter: no warning', () => {
    const a = ctx();
    keda(a);
    a.app.synthYaml();
    const b = ctx();
    adapter(b.chart, b);
    b.app.synthYaml();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('errors', () => {
  const target = plus.MetricTarget.value(1);
  const rule = (extra: any = {}) => ({ seriesQuery: 'm{namespace!=""}', metricName: 'm_total', metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>})', ...extra });

  test.each<[string, () => unknown, RegExp]>([
    ['rule metric name with a dash', () => PrometheusAdapterRule.external(rule({ metricName: 'dynamo-ttft' })),
      /\[PrometheusAdapterRule.external\] 'metricName' \("dynamo-ttft"\): must be a Prometheus metric name \(\[a-zA-Z_:\]\[a-zA-Z0-9_:\]\*\)/],
    ['rule metric name starting with a digit', () => PrometheusAdapterRule.pods(rule({ metricName: '9lives' })),
      /\[PrometheusAdapterRule.pods\] 'metricName' \("9lives"\): must be a Prometheus metric name/],
    ['rule seriesQuery empty', () => PrometheusAdapterRule.external(rule({ seriesQuery: ' ' })),
      /\[PrometheusAdapterRule.external\] 'seriesQuery' \(" "\): must be a non-empty query/],
    ['rule metricsQuery missing', () => PrometheusAdapterRule.external(rule({ metricsQuery: undefined })),
      /\[PrometheusAdapterRule.external\] 'metricsQuery' \(undefined\): must be a non-empty query/],
    ['rule metricsQuery without LabelMatchers', () => PrometheusAdapterRule.external(rule({ metricsQuery: 'sum(<<.Series>>)' })),
      /\[PrometheusAdapterRule.external\] 'metricsQuery' \("sum\(<<.Series>>\)"\): must use <<.LabelMatchers>>, or the HPA's selector and namespace are ignored/],
    ['quantile 1', () => DynamoExternalMetric.ttftQuantile({ dynamoNamespace: 'a', quantile: 1, target }),
      /\[DynamoExternalMetric\] 'quantile' \(1\): must be a number strictly between 0 and 1, e.g. 0.95/],
    ['quantile 0', () => DynamoExternalMetric.itlQuantile({ dynamoNamespace: 'a', quantile: 0, target }),
      /\[DynamoExternalMetric\] 'quantile' \(0\): must be a number strictly between 0 and 1/],
    ['window of part seconds', () => DynamoExternalMetric.ttftQuantile({ dynamoNamespace: 'a', window: Duration.millis(1500), target }),
      /\[promDuration\] 'window' \("1500ms"\): must be a whole number of seconds/],
    ['custom metric name invalid', () => DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'a', metricName: 'queue depth', target }),
      /\[PrometheusAdapterRule.external\] 'metricName' \("queue depth"\): must be a Prometheus metric name/],
    ['target not a MetricTarget', () => DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'a', target: 10 as any }),
      /\[DynamoExternalMetric\] 'target' \(10\): must be a cdk8s-plus-28 MetricTarget.value\(...\) or .averageValue\(...\)/],
    ['Utilization target', () => DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'a', target: plus.MetricTarget.averageUtilization(50) }),
      /\[DynamoExternalMetric\] 'target' \("Utilization"\): must be a cdk8s-plus-28 MetricTarget.value\(...\) or .averageValue\(...\) \(External metrics take no Utilization target\)/],
    ['model filter', () => DynamoExternalMetric.ttftQuantile({ dynamoNamespace: 'a', model: 'Qwen/Qwen3-0.6B', target }),
      /\[DynamoExternalMetric\] 'model' \("Qwen\/Qwen3-0.6B"\): is not supported for HPA External metrics \(selected by dynamo_namespace only\)/],
    ['dynamo_namespace not a label value', () => DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'a"b', target }),
      /\[DynamoExternalMetric\] 'dynamoNamespace' \("a\\"b"\): must be a valid Kubernetes label value/],
    ['dynamo_namespace over 63', () => DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'n'.repeat(64), target }),
      /\[DynamoExternalMetric\] 'dynamoNamespace' \("n{64}"\): must be a valid Kubernetes label value \(at most 63/],
    ['both deployment and dynamoNamespace', () => {
      const c = ctx();
      return DynamoExternalMetric.queuedRequests({ deployment: c.dgd, dynamoNamespace: 'x', target });
    }, /\[DynamoMetrics\] 'dynamoNamespace' \("x"\): give either 'deployment' or 'dynamoNamespace', not both/],
    ['neither deployment nor dynamoNamespace', () => DynamoExternalMetric.queuedRequests({ target }),
      /\[DynamoMetrics\] 'deployment' \(undefined\): give the DGD/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('a DGD whose label exceeds 63 characters cannot be selected by an HPA', () => {
    const c = ctx();
    const long = new DynamoGraphDeployment(c.chart, 'long', { name: 'l'.repeat(60), backendFramework: BackendFramework.VLLM });
    expect(() => DynamoExternalMetric.queuedRequests({ deployment: long, target }))
      .toThrow(/\[DynamoExternalMetric\] 'dynamoNamespace' \("default-l{60}"\): must be a valid Kubernetes label value/);
  });

  test.each<[string, any, RegExp]>([
    ['URL with a port', { prometheusUrl: `${PROMETHEUS_URL}:9090` },
      /\[c\/adapter\] 'prometheusUrl' \(".*svc:9090"\): must be an http\(s\) URL without a port \(the port goes in 'prometheusPort'\)/],
    ['URL without scheme', { prometheusUrl: 'prometheus.monitoring.svc' }, /\[c\/adapter\] 'prometheusUrl' \("prometheus.monitoring.svc"\): must be an http\(s\) URL/],
    ['port 0', { prometheusUrl: PROMETHEUS_URL, prometheusPort: 0 }, /\[c\/adapter\] 'prometheusPort' \(0\): must be an integer from 1 to 65535/],
    ['port 70000', { prometheusUrl: PROMETHEUS_URL, prometheusPort: 70000 }, /\[c\/adapter\] 'prometheusPort' \(70000\): must be an integer from 1 to 65535/],
    ['ConfigMap name invalid', { prometheusUrl: PROMETHEUS_URL, configMapName: 'Adapter Config' }, /\[c\/adapter\] 'configMapName' \("Adapter Config"\): must be a DNS subdomain/],
  ])('PrometheusAdapterConfig: %s', (_name, props, message) => {
    const c = ctx();
    expect(() => new PrometheusAdapterConfig(c.chart, 'adapter', props)).toThrow(message);
  });

  test('PrometheusAdapterConfig: two rules serving one metric name', () => {
    const c = ctx();
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    adapter.addMetric(DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, target }));
    expect(() => adapter.addMetric(DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, window: Duration.minutes(1), target })))
      .toThrow(/\[c\/adapter\] 'rules' \("dynamo_ttft_p95_seconds"\): another rule already serves this metric name/);
  });

  test('PrometheusAdapterConfig: a rule that is not a PrometheusAdapterRule', () => {
    const c = ctx();
    const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    expect(() => adapter.addRule({ seriesQuery: 'x' } as any))
      .toThrow(/\[c\/adapter\] 'rules' \(\{"seriesQuery":"x"\}\): must be a PrometheusAdapterRule \(PrometheusAdapterRule.external or .pods\)/);
  });

  test('PrometheusAdapterConfig: no rules fails at synth', () => {
    const c = ctx();
    new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: PROMETHEUS_URL });
    expect(() => c.app.synthYaml()).toThrow(/\[c\/adapter\] 'rules' \(\[\]\): add at least one rule \(addMetric or addRule\)/);
  });
});

describe('an HPA External metric without a PrometheusAdapterConfig', () => {
  test('still counts as Prometheus Adapter next to KEDA: one warning at synth', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'ns' });
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm' });
      const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND });
      const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      const queue = DynamoExternalMetric.queuedRequests({ deployment: dgd, target: plus.MetricTarget.value(10) });
      new HpaAutoscaler(chart, 'hpa', { target: frontend.adapter, maxReplicas: 3, metrics: [queue.metric] });
      new KedaAutoscaler(chart, 'keda', {
        target: decode.adapter,
        triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      });
      expect(warn).not.toHaveBeenCalled();
      app.synthYaml();
      const ours = warn.mock.calls.filter((c) => String(c[0]).includes('external metrics API'));
      expect(ours).toHaveLength(1);
      expect(String(ours[0][0])).toMatch(/KEDA \(c\/keda\).*Prometheus Adapter \(c\/hpa\)|Prometheus Adapter \(c\/hpa\).*KEDA \(c\/keda\)/);
    } finally {
      warn.mockRestore();
    }
  });
});
