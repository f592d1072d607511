import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as lib from '../src';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, AutoscalerAlerts, AutoscalerBinding, AutoscalerSource, BackendFramework,
  DynamoExternalMetric, DynamoGraphDeployment, DynamoLint, DynamoNames, DynamoGraphDeploymentRequest, DynamoResource, DynamoValidation,
  HpaAutoscaler, HpaMetric, HpaMetricTarget, IDynamoResource, IScaleTarget, KedaAutoscaler, KedaMetricType, KedaTrigger, KedaTriggerAuthentication,
  PrometheusAdapterConfig, ScaleTarget, ServiceRole,
} from '../src';

// cdk8s-cli's package exports do not list lib/plugins: load it by path (as test/cli-check.test.ts does).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require(path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation'));

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

/** The message of the validation error the app's synth throws. */
function synthError(c: Ctx): string {
  try {
    c.app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

/** The manifest in the chart's output with this kind and name. */
function rendered(c: Ctx, kind: string, name: string): any {
  const found = Testing.synth(c.chart).filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every construct of the library that renders one object, built in a fresh context. */
const ONE_OBJECT_CONSTRUCTS: Array<[string, (c: Ctx) => IDynamoResource, string, string | undefined]> = [
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
  }, 'ConfigMap', 'prometheus-adapter'],
  ['AutoscalerAlerts', (c) => new AutoscalerAlerts(c.chart, 'alerts', { hpaName: 'my-llm-decode-hpa' }), 'PrometheusRule', 'my-llm-decode-hpa-alerts'],
];

/** The two autoscalers that are their own ApiObject (a wrapper's extra construct costs too much in fleets of charts). */
const OWN_API_OBJECT = ['HpaAutoscaler', 'KedaAutoscaler'];

describe('one set of members: every construct that renders one object exposes it the cdk8s way', () => {
  test.each(ONE_OBJECT_CONSTRUCTS)('%s', (label, make, kind, name) => {
    const c = ctx();
    const construct = make(c);
    expect(construct.apiObject).toBeInstanceOf(ApiObject);
    expect(ApiObject.of(construct)).toBe(construct.apiObject);
    if (OWN_API_OBJECT.includes(label)) {
      expect(construct).not.toBeInstanceOf(DynamoResource);
      expect(construct.apiObject).toBe(construct);
    } else {
      // A DynamoResource: the object is its default child, as in cdk8s-plus.
      expect(construct).toBeInstanceOf(DynamoResource);
      expect(construct).not.toBeInstanceOf(ApiObject);
      expect(construct.node.defaultChild).toBe(construct.apiObject);
      expect(construct.apiObject.node.scope).toBe(construct);
    }
    // The members read what is rendered.
    const manifest = rendered(c, kind, name!);
    expect(construct.apiObject.toJson()).toEqual(manifest);
    expect(construct.kind).toBe(manifest.kind);
    expect(construct.name).toBe(manifest.metadata.name);
    expect(construct.namespace).toBe(manifest.metadata.namespace);
    expect(construct.metadata).toBe(construct.apiObject.metadata);
  });

  test('the list above is every DynamoResource the library exports, and the two autoscalers that are their ApiObject', () => {
    // By prototype: ApiObject's instanceof checks a mark that only instances carry.
    const exported = (base: Function) => Object.entries(lib)
      .filter(([, v]) => typeof v === 'function' && base.prototype.isPrototypeOf(v.prototype))
      .map(([k]) => k)
      .sort();
    expect(exported(DynamoResource)).toEqual(ONE_OBJECT_CONSTRUCTS.map(([label]) => label).filter((l) => !OWN_API_OBJECT.includes(l)).sort());
    expect(exported(ApiObject)).toEqual(OWN_API_OBJECT);
  });

  test('raw edits through apiObject or ApiObject.of reach the output', () => {
    const c = ctx();
    const hpa = new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 4, metrics: [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))] });
    const so = new KedaAutoscaler(c.chart, 'so', { target: c.dgd.services[0].adapter, triggers: [cpu()] });
    hpa.apiObject.addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'a' }));
    ApiObject.of(so).metadata.addLabel('team', 'b');
    so.apiObject.addDependency(hpa);
    expect(rendered(c, 'HorizontalPodAutoscaler', hpa.name).metadata.labels).toEqual({ team: 'a' });
    expect(rendered(c, 'ScaledObject', so.name).metadata.labels).toEqual({ team: 'b' });
    // The dependency on the HPA construct orders its object first.
    const kinds = Testing.synth(c.chart).map((m) => m.kind);
    expect(kinds.indexOf('HorizontalPodAutoscaler')).toBeLessThan(kinds.indexOf('ScaledObject'));
  });
});

describe('the app-wide checks find every construct by its path', () => {
  const cpuMetric = () => [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))];

  test('an HpaAutoscaler (an HPA apiObject and a target, as a cdk8s-plus HPA has) is not mistaken for a cdk8s-plus HPA', () => {
    const c = ctx();
    const hpa = new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 4, metrics: cpuMetric() });
    expect((hpa as any).target.markHasAutoscaler).toBeInstanceOf(Function);
    expect(() => c.app.synth()).not.toThrow();
    expect(decode(c).autoscalers.map((b) => [b.source, b.path])).toEqual([[AutoscalerSource.HPA, 'c/hpa']]);
  });

  test('two library autoscalers on one target: each error names the other by its construct path', () => {
    const c = ctx();
    new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 4, metrics: cpuMetric() });
    new KedaAutoscaler(c.chart, 'so', { target: decode(c), triggers: [cpu()] });
    const message = synthError(c);
    expect(message).toMatch(/\[c\/hpa\] DYN603 HorizontalPodAutoscaler llm\/my-llm-decode-hpa: .*ScaledObject llm\/my-llm-decode-scaler already scales .*\(the other is at c\/so;/);
    expect(message).toMatch(/\[c\/so\] DYN603 ScaledObject llm\/my-llm-decode-scaler: .*HorizontalPodAutoscaler llm\/my-llm-decode-hpa already scales .*\(the other is at c\/hpa;/);
    expect(message).not.toContain('/Resource');
  });

  test('a cdk8s-plus HPA and a library HPA on one target: both found, both named', () => {
    const c = ctx();
    new plus.HorizontalPodAutoscaler(c.chart, 'plus-hpa', {
      target: decode(c) as any, maxReplicas: 3, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(50))],
    });
    new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 4, metrics: cpuMetric() });
    const message = synthError(c);
    expect(message).toMatch(/\[c\/hpa\] DYN603 .*HorizontalPodAutoscaler llm\/c-plus-hpa-[0-9a-f]+ already scales .*\(the other is at c\/plus-hpa;/);
    expect(message).toMatch(/\[c\/plus-hpa\] DYN603 .*HorizontalPodAutoscaler llm\/my-llm-decode-hpa already scales .*\(the other is at c\/hpa;/);
  });

  test('identity: two objects with one name are named by their constructs\' paths', () => {
    const c = ctx();
    new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 4, metrics: cpuMetric() });
    new HpaAutoscaler(c.chart, 'hpa2', { target: c.dgd.services[0].adapter, name: 'my-llm-decode-hpa', maxReplicas: 4, metrics: cpuMetric() });
    new KedaAutoscaler(c.chart, 'so', { target: ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }), triggers: [cpu()], hpaName: 'my-llm-decode-hpa' });
    expect(synthError(c)).toMatch(/3 objects would be HorizontalPodAutoscaler 'llm\/my-llm-decode-hpa': c\/hpa; c\/hpa2; the HPA KEDA creates for ScaledObject 'web-scaler' \(c\/so\)/);
  });

  test('a refused HPA or ScaledObject leaves nothing in the tree', () => {
    const c = ctx();
    const before = c.chart.node.children.length;
    expect(() => new HpaAutoscaler(c.chart, 'hpa', { target: decode(c), maxReplicas: 0, metrics: cpuMetric() })).toThrow(/\[c\/hpa\] 'maxReplicas'/);
    expect(() => new KedaAutoscaler(c.chart, 'so', { target: decode(c), triggers: [] })).toThrow(/\[c\/so\] 'triggers'/);
    expect(c.chart.node.children.length).toBe(before);
  });
});

describe('construct paths in the checker and the cdk8s synth plugin', () => {
  /** A library HPA with a mistake planted through its ApiObject: minReplicas above maxReplicas. */
  function plantedHpa(chart: Chart): HpaAutoscaler {
    const dgd = new DynamoGraphDeployment(chart, 'llm', { name: 'llm', backendFramework: BackendFramework.VLLM });
    const frontend = dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0', replicas: 1 });
    const hpa = new HpaAutoscaler(chart, 'frontend-hpa', { target: frontend.adapter, maxReplicas: 4, metrics: [HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))] });
    hpa.apiObject.addJsonPatch(JsonPatch.replace('/spec/minReplicas', 9));
    return hpa;
  }

  test('DynamoLint.check names the construct of the object', () => {
    const chart = new Chart(Testing.app(), 'inference', { namespace: 'inference' });
    const hpa = plantedHpa(chart);
    const finding = DynamoLint.check(chart).findings.find((f) => f.ruleId === 'DYN004');
    expect(finding).toMatchObject({ object: { kind: 'HorizontalPodAutoscaler', name: 'llm-frontend-hpa' }, constructPath: 'inference/frontend-hpa' });
    expect(finding!.constructPath).toBe(ApiObject.of(hpa).node.path);
  });

  test('DynamoValidation, fed what a real `cdk8s synth` records (construct-metadata.json): the violation carries the construct path', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shape-'));
    try {
      const app = new App({ outdir, recordConstructMetadata: true });
      const hpa = plantedHpa(new Chart(app, 'inference', { namespace: 'inference' }));
      app.synth();
      const metadata = JSON.parse(fs.readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8')).resources;
      expect(metadata['llm-frontend-hpa']).toEqual({ path: 'inference/frontend-hpa' });
      // A DynamoResource's object is recorded under the construct: the DGD's child.
      expect(metadata.llm).toEqual({ path: 'inference/llm/#Resource' });
      const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(outdir, f));
      const context = new ValidationContext(files, 'cdk8s-dynamo', '0.0.0', metadata, false);
      await new DynamoValidation().validate(context as any);
      const violation = context.report.toJson().violations.find((v: any) => v.ruleName.startsWith('DYN004'));
      expect(violation.violatingConstructs[0]).toMatchObject({ resourceName: 'llm-frontend-hpa', constructPath: 'inference/frontend-hpa' });
      expect(violation.violatingConstructs[0].constructPath).toBe(hpa.node.path);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
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
