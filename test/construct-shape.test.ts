import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, AutoscalerAlerts, AutoscalerBinding, AutoscalerSource, BackendFramework,
  DynamoExternalMetric, DynamoGraphDeployment, DynamoNames, DynamoGraphDeploymentRequest, HpaAutoscaler, HpaMetric, HpaMetricTarget, IScaleTarget,
  KedaAutoscaler, KedaMetricType, KedaTrigger, KedaTriggerAuthentication, PrometheusAdapterConfig, ScaleTarget, ServiceRole,
} from '../src';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
}

function ctx(): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'my-llm', backendFramework: BackendFramework.VLLM });
  dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 1 });
  dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1, resources: { limits: { gpu: 1 } } });
  return { app, chart, dgd };
}

const decode = (c: Ctx) => c.dgd.services.find((s) => s.serviceName === 'decode')!.adapter;
const cpu = () => KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 70 });

/** The manifest in the chart's output with this kind and name. */
function rendered(c: Ctx, kind: string, name: string): any {
  const found = Testing.synth(c.chart).filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('every construct that renders one object exposes it the cdk8s way: ApiObject.of(x)', () => {
  test.each<[string, (c: Ctx) => Construct, string, string]>([
    ['DynamoGraphDeployment', (c) => c.dgd, 'DynamoGraphDeployment', 'my-llm'],
    ['DynamoGraphDeploymentRequest', (c) => new DynamoGraphDeploymentRequest(c.chart, 'dgdr', { name: 'sla', model: 'Qwen/Qwen3-0.6B' }), 'DynamoGraphDeploymentRequest', 'sla'],
    ['HpaAutoscaler', (c) => new HpaAutoscaler(c.chart, 'hpa', {
      target: decode(c), maxReplicas: 4, metrics: [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))],
    }), 'HorizontalPodAutoscaler', 'my-llm-decode-hpa'],
    ['KedaAutoscaler', (c) => new KedaAutoscaler(c.chart, 'so', { target: decode(c), triggers: [cpu()] }), 'ScaledObject', 'my-llm-decode-scaler'],
    ['KedaTriggerAuthentication', (c) => new KedaTriggerAuthentication(c.chart, 'auth', { name: 'prom-auth', secretName: 's', parameters: { bearerToken: 't' } }),
      'TriggerAuthentication', 'prom-auth'],
    ['AibrixAutoscaler', (c) => new AibrixAutoscaler(c.chart, 'pa', {
      target: decode(c),
      strategy: AibrixScalingStrategy.KPA,
      maxReplicas: 4,
      metrics: [AibrixMetricSource.pod({ metric: 'gpu_cache_usage_perc', targetValue: 0.5, port: 8000 })],
    }), 'PodAutoscaler', 'my-llm-decode-pa'],
    ['PrometheusAdapterConfig', (c) => {
      const adapter = new PrometheusAdapterConfig(c.chart, 'adapter', { prometheusUrl: 'http://prometheus.monitoring.svc' });
      adapter.addMetric(DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(10) }));
      return adapter;
    }, 'ConfigMap', undefined as any],
    ['AutoscalerAlerts', (c) => new AutoscalerAlerts(c.chart, 'alerts', { hpaName: 'my-llm-decode-hpa' }), 'PrometheusRule', 'my-llm-decode-hpa-alerts'],
  ])('%s', (_label, make, kind, name) => {
    const c = ctx();
    const construct = make(c);
    const api = ApiObject.of(construct);
    expect(api).toBeInstanceOf(ApiObject);
    expect(api.kind).toBe(kind);
    // The object ApiObject.of returns is the one the chart renders.
    const manifest = rendered(c, kind, name ?? api.name);
    expect(api.toJson()).toEqual(manifest);
    expect((construct as any).apiObject).toBe(api);
  });
});

describe('bindings are told apart by their typed source', () => {
  test('a binding only counts as the Planner by its source: a custom autoscaler called "Planner" is an ordinary one', () => {
    const c = ctx();
    const target = decode(c);
    target.bindAutoscaler({ kind: 'Planner', name: 'planner', path: 'c/custom' });
    new KedaAutoscaler(c.chart, 'so', { target, triggers: [cpu()] });
    expect(() => c.app.synth()).toThrow(/\[c\/so\] DYN603 ScaledObject .*: Planner \S+\/planner already scales .*\(the other is at c\/custom; at most one autoscaler per target\)/);
  });

  test('the Planner source gives the Planner message whatever the kind', () => {
    const c = ctx();
    const target = decode(c);
    target.bindAutoscaler({ kind: 'Whatever', name: 'p', path: 'c/the-planner', source: AutoscalerSource.PLANNER });
    new KedaAutoscaler(c.chart, 'so', { target, triggers: [cpu()] });
    expect(() => c.app.synth()).toThrow(/\[c\/so\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/the-planner;/);
  });

  test('each library autoscaler binds with its own source', () => {
    const c = ctx();
    const seen: AutoscalerBinding[] = [];
    const target: IScaleTarget = {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'llm' },
      scope: c.chart,
      bindAutoscaler: (b) => seen.push(b),
    };
    new HpaAutoscaler(c.chart, 'hpa', { target, maxReplicas: 2, metrics: [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))] });
    new KedaAutoscaler(c.chart, 'so', { target, triggers: [cpu()] });
    new AibrixAutoscaler(c.chart, 'pa', {
      target,
      strategy: AibrixScalingStrategy.KPA,
      maxReplicas: 2,
      metrics: [AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 8000 })],
    });
    expect(seen.map((b) => [b.source, b.kind, b.name])).toEqual([
      [AutoscalerSource.HPA, 'HorizontalPodAutoscaler', 'web-hpa'],
      [AutoscalerSource.KEDA, 'ScaledObject', 'web-scaler'],
      [AutoscalerSource.AIBRIX, 'PodAutoscaler', 'web-pa'],
    ]);
  });

  test('a cdk8s-plus HPA on an adapter is named by the HPA found in the tree, whatever the service is called', () => {
    const c = ctx();
    // A service name that ends like the old path marker did not confuse the typed check.
    const s = c.dgd.addService('w', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1 });
    new plus.HorizontalPodAutoscaler(c.chart, 'plus-hpa', {
      target: s.adapter as any, maxReplicas: 3, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(50))],
    });
    new KedaAutoscaler(c.chart, 'so', { target: s.adapter, triggers: [cpu()] });
    expect(() => c.app.synth()).toThrow(/\[c\/so\] DYN603 ScaledObject .*: HorizontalPodAutoscaler \S+ already scales .*\(the other is at c\/plus-hpa;/);
  });

  test('a hand-made ScaledObject ApiObject is read as a manifest: the HPA KEDA creates from it still counts for identity', () => {
    const c = ctx();
    new ApiObject(c.chart, 'raw-so', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'raw' },
      spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] },
    });
    new ApiObject(c.chart, 'clash', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'keda-hpa-raw' } });
    expect(() => c.app.synth()).toThrow(/\[c\/clash\] 'name' .*2 objects would be HorizontalPodAutoscaler 'llm\/keda-hpa-raw': the HPA KEDA creates for ScaledObject 'raw' \(c\/raw-so\); c\/clash/);
  });

  test('a DGD included as a plain ApiObject is read as a manifest too: the adapters the operator creates from it count for identity', () => {
    const c = ctx();
    new ApiObject(c.chart, 'raw-dgd', {
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'other' },
      spec: { components: [{ name: 'Worker', type: 'worker', scalingAdapter: {} }] },
    });
    new ApiObject(c.chart, 'clash', { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', metadata: { name: 'other-worker' } });
    expect(() => c.app.synth()).toThrow(
      /2 objects would be DynamoGraphDeploymentScalingAdapter 'llm\/other-worker': the scaling adapter the Dynamo operator creates for service 'Worker' of DGD 'other' \(c\/raw-dgd\); c\/clash/);
  });

  test('the adapters of a library DGD are declared by the DGD itself (not read back from its rendered object)', () => {
    const c = ctx();
    const s = c.dgd.addService('w', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1 });
    s.enableScalingAdapter();
    new ApiObject(c.chart, 'clash', { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', metadata: { name: 'my-llm-w' } });
    expect(() => c.app.synth()).toThrow(/2 objects would be DynamoGraphDeploymentScalingAdapter 'llm\/my-llm-w': the scaling adapter the Dynamo operator creates for service 'w' of DGD 'my-llm' \(c\/dgd\/w\); c\/clash/);
  });

  test('a ScaleTarget.fromReference target is not a Dynamo adapter: no dynamo_namespace rule, names from the reference', () => {
    const c = ctx();
    const target = ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(Object.keys(target)).not.toContain('isDynamoAdapter');
    const so = new KedaAutoscaler(c.chart, 'so', { target, triggers: [cpu()] });
    expect(so.name).toBe('web-scaler');
  });
});

describe('default names: one rule for every target (the adapter\'s name is <dgd>-<service lowercased>)', () => {
  test.each([[undefined], ['queue']])('qualifier %s: the names DynamoNames gives for the DGD and service', (qualifier) => {
    const c = ctx();
    const adapter = c.dgd.addService('VllmDecodeWorker', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1 }).adapter;
    const hpa = new HpaAutoscaler(c.chart, 'hpa', { target: adapter, qualifier, maxReplicas: 2, metrics: [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))] });
    const so = new KedaAutoscaler(new Chart(c.app, 'c2', { namespace: 'llm' }), 'so', { target: adapter, qualifier, triggers: [cpu()] });
    const pa = new AibrixAutoscaler(new Chart(c.app, 'c3', { namespace: 'llm' }), 'pa', {
      target: adapter,
      qualifier,
      strategy: AibrixScalingStrategy.KPA,
      maxReplicas: 2,
      metrics: [AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 8000 })],
    });
    expect(hpa.name).toBe(DynamoNames.hpaName('my-llm', 'VllmDecodeWorker', qualifier));
    expect(so.name).toBe(DynamoNames.scaledObjectName('my-llm', 'VllmDecodeWorker', qualifier));
    expect(pa.name).toBe(DynamoNames.podAutoscalerName('my-llm', 'VllmDecodeWorker', qualifier));
    expect(hpa.name).toBe(qualifier ? 'my-llm-vllmdecodeworker-queue-hpa' : 'my-llm-vllmdecodeworker-hpa');
  });
});
