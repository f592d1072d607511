/**
 * HpaAutoscaler: the seed HPAs reproduced field by field, what is (and is not) rendered,
 * names and namespaces, the handshake with targets, conflicts, and every error path.
 * HPAs have no CRD here, so every rendered HPA is also checked against the Kubernetes
 * autoscaling/v2 validation rules (REFERENCE.md) by the library's `hpaRuleErrors` (src/validate/hpa.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  BackendFramework, DynamoApiVersion, DynamoExternalMetric, DynamoGraphDeployment, DynamoService, HpaAutoscaler, HpaAutoscalerProps,
  HpaMetric, HpaMetricTarget, HpaReplicas, HpaScalingStrategy, KedaAutoscaler, KedaTrigger, PromQuery, ScaleTarget, ServiceRole,
} from '../src';
import { crdErrors, hpaRuleErrors, ofKind, only } from './support';

const HPA = 'HorizontalPodAutoscaler';
const DGD = 'DynamoGraphDeployment';
const EXAMPLES = path.resolve(__dirname, '..', 'examples');

/** Every manifest of one example app. */
function example(name: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES, name));
  const app = Testing.app();
  mod.build(app);
  return app.charts.flatMap((c) => Testing.synth(c));
}

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly frontend: DynamoService;
  readonly decode: DynamoService;
}

function ctx(apiVersion = DynamoApiVersion.V1ALPHA1, namespace: string | undefined = 'llm-serving'): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'my-llm', apiVersion, backendFramework: BackendFramework.VLLM });
  const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 2 });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE, replicas: 8 });
  return { app, chart, dgd, frontend, decode };
}

const cpu70 = () => plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70));
const queue = (v = 10) => plus.Metric.external({ name: 'queue', target: plus.MetricTarget.value(v) });
const synth = (c: Ctx) => c.app.charts.flatMap((ch) => Testing.synth(ch));
const hpaOf = (c: Ctx, name?: string) => only(synth(c), HPA, name);
const make = (c: Ctx, extra: Partial<HpaAutoscalerProps> = {}, id = 'hpa') =>
  new HpaAutoscaler(c.chart, id, { target: c.decode.adapter, maxReplicas: 5, metrics: [cpu70()], ...extra });

function vllmDeployment(chart: Chart, resources?: plus.ContainerResources): plus.Deployment {
  return new plus.Deployment(chart, 'vllm', {
    metadata: { name: 'vllm-deployment' },
    replicas: 2,
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', resources, securityContext: { ensureNonRoot: false } }],
  });
}

describe('seed manifests, field by field', () => {
  test('seed 004 "Basic HPA (CPU-based)" on sglang-agg (examples/hpa-cpu)', () => {
    const manifests = example('hpa-cpu');
    expect(only(manifests, HPA, 'sglang-agg-frontend-hpa')).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: HPA,
      metadata: { name: 'sglang-agg-frontend-hpa', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'sglang-agg-frontend' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 }, scaleUp: { stabilizationWindowSeconds: 0 } },
      },
    });
    // The adapter the HPA names is enabled, and the Frontend's replicas are left to it.
    const frontend = only(manifests, DGD).spec.services.Frontend;
    expect(frontend.scalingAdapter).toEqual({ enabled: true });
    expect(frontend).not.toHaveProperty('replicas');
    expect(only(manifests, DGD).spec.services.decode.replicas).toBe(1);
  });

  test('seed 000 "Basic HPA (CPU-based)" frontend-hpa (examples/hpa-cpu-frontend)', () => {
    const manifests = example('hpa-cpu-frontend');
    expect(only(manifests, HPA)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: HPA,
      metadata: { name: 'frontend-hpa', namespace: 'llm-serving' },
      spec: {
        scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-deployment-frontend' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 }, scaleUp: { stabilizationWindowSeconds: 0 } },
      },
    });
    const services = only(manifests, DGD).spec.services;
    expect(services.frontend.scalingAdapter).toEqual({ enabled: true });
    expect(services.frontend).not.toHaveProperty('replicas');
    expect(services.decode.replicas).toBe(8);
  });

  test('seed 000 "HPA with Custom Metrics" decode-hpa (examples/hpa-custom-metrics)', () => {
    const manifests = example('hpa-custom-metrics');
    expect(only(manifests, HPA)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: HPA,
      metadata: { name: 'decode-hpa', namespace: 'llm-serving' },
      spec: {
        scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-deployment-decode' },
        minReplicas: 2,
        maxReplicas: 20,
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'vllm_gpu_cache_usage_perc' }, target: { type: 'AverageValue', averageValue: '70' } } },
          {
            type: 'External',
            external: {
              metric: { name: 'vllm_num_requests_waiting', selector: { matchLabels: { service: 'decode' } } },
              target: { type: 'AverageValue', averageValue: '5' },
            },
          },
        ],
      },
    });
    expect(only(manifests, DGD).spec.services.decode).not.toHaveProperty('replicas');
  });

  test('seed 000 "Mixed Autoscaling" frontend-hpa (examples/mixed-my-llm)', () => {
    expect(only(example('mixed-my-llm'), HPA).spec).toEqual({
      scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-deployment-frontend' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
  });

  test('seed 002 "Basic HPA with Custom Metrics" on the vLLM Deployment (examples/vllm-deployment-hpa)', () => {
    const manifests = example('vllm-deployment-hpa');
    const hpa = only(manifests, HPA, 'vllm-hpa');
    expect(hpa.metadata).toEqual({ name: 'vllm-hpa', namespace: 'llm-serving' });
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(10);
    // The seed's `Resource gpu-utilization` does not exist; GPU utilization is a DCGM Pods metric.
    expect(hpa.spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'DCGM_FI_DEV_GPU_UTIL' }, target: { type: 'AverageValue', averageValue: '70' } } },
      { type: 'Pods', pods: { metric: { name: 'vllm_request_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
    ]);
    expect(hpa.spec.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }] },
    });
    // The Deployment hands its replicas to the HPA.
    expect(only(manifests, 'Deployment', 'vllm-deployment').spec).not.toHaveProperty('replicas');
  });

  test('every HPA of every example app obeys the Kubernetes autoscaling/v2 rules', () => {
    const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    let checked = 0;
    for (const name of names) {
      for (const m of ofKind(example(name), HPA)) {
        expect({ example: name, errors: hpaRuleErrors(m) }).toEqual({ example: name, errors: [] });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});

describe('the rule checker itself (src/validate/hpa.ts)', () => {
  // The checker guards every example: it must be able to fail.
  const good = () => JSON.parse(JSON.stringify(only(example('vllm-deployment-hpa'), HPA)));
  test.each<[string, (m: any) => void, RegExp]>([
    ['maxReplicas 0', (m) => { m.spec.maxReplicas = 0; }, /maxReplicas must be an integer >= 1 \(int32\)/],
    ['maxReplicas beyond int32', (m) => { m.spec.maxReplicas = 3e9; }, /maxReplicas must be an integer >= 1 \(int32\)/],
    ['negative tolerance', (m) => { m.spec.behavior.scaleUp.tolerance = '-50m'; }, /scaleUp.tolerance must be a non-negative quantity string/],
    ['tolerance as a number', (m) => { m.spec.behavior.scaleDown.tolerance = 0.05; }, /scaleDown.tolerance must be a non-negative quantity string/],
    ['min above max', (m) => { m.spec.minReplicas = 11; }, /minReplicas must be <= maxReplicas/],
    ['zero without external', (m) => { m.spec.minReplicas = 0; }, /minReplicas 0 needs an Object or External metric/],
    ['empty policies', (m) => { m.spec.behavior.scaleUp.policies = []; }, /scaleUp.policies must not be empty/],
    ['period 0', (m) => { m.spec.behavior.scaleDown.policies[0].periodSeconds = 0; }, /scaleDown periodSeconds must be 1..1800/],
    ['window 3601', (m) => { m.spec.behavior.scaleDown.stabilizationWindowSeconds = 3601; }, /stabilizationWindowSeconds must be 0..3600/],
    ['Pods with Value', (m) => { m.spec.metrics[0].pods.target = { type: 'Value', value: '1' }; }, /Pods cannot take a Value target/],
    ['number quantity', (m) => { m.spec.metrics[0].pods.target.averageValue = 70; }, /positive quantity string/],
    ['unknown field', (m) => { m.spec.behavior.scaleUp.policies[0].periodSecond = 1; }, /unknown field behavior.scaleUp.policies\[\].periodSecond/],
    ['not autoscaling/v2', (m) => { m.apiVersion = 'autoscaling/v1'; }, /not an autoscaling\/v2 HorizontalPodAutoscaler/],
    ['name not a DNS subdomain', (m) => { m.metadata.name = 'Bad_Name'; }, /metadata.name is not a DNS subdomain/],
    ['target without a name', (m) => { delete m.spec.scaleTargetRef.name; }, /scaleTargetRef needs kind and name/],
    ['unknown metric type', (m) => { m.spec.metrics[0].type = 'Custom'; }, /metrics\[0\].type Custom unknown/],
    ['Utilization 0', (m) => { m.spec.metrics[0] = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }; },
      /metrics\[0\] averageUtilization must be >= 1/],
    ['resource not served', (m) => { m.spec.metrics[0] = { type: 'Resource', resource: { name: 'nvidia.com/gpu', target: { type: 'AverageValue', averageValue: '1' } } }; },
      /resource nvidia.com\/gpu is not served by the resource metrics API/],
    ['ContainerResource without a container', (m) => {
      m.spec.metrics[0] = { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
    }, /metrics\[0\] needs a container/],
    ['Object without describedObject', (m) => { m.spec.metrics[0] = { type: 'Object', object: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } }; },
      /metrics\[0\] needs describedObject/],
    ['metric without a name', (m) => { delete m.spec.metrics[0].pods.metric.name; }, /metrics\[0\] needs metric.name/],
    ['two target values', (m) => { m.spec.metrics[0].pods.target.value = '1'; }, /metrics\[0\] target AverageValue must set exactly averageValue/],
    ['select policy unknown', (m) => { m.spec.behavior.scaleUp.selectPolicy = 'Fastest'; }, /scaleUp.selectPolicy invalid/],
    ['policy type unknown', (m) => { m.spec.behavior.scaleUp.policies[0].type = 'Replicas'; }, /scaleUp policy type Replicas/],
    ['policy value beyond int32', (m) => { m.spec.behavior.scaleUp.policies[0].value = 2 ** 31; }, /scaleUp policy value must be > 0/],
  ])('rejects %s', (_, mutate, message) => {
    const m = good();
    expect(hpaRuleErrors(m)).toEqual([]);
    mutate(m);
    expect(hpaRuleErrors(m).join('\n')).toMatch(message);
  });
});

describe('rendering: only what the user set', () => {
  test('no behavior key without scaleUp/scaleDown; minReplicas defaults to 1 and is rendered', () => {
    const c = ctx();
    make(c);
    const spec = hpaOf(c).spec;
    expect(spec).not.toHaveProperty('behavior');
    expect(spec.minReplicas).toBe(1);
  });

  test('rules without policies render no policies key, and the other direction is left out', () => {
    const c = ctx();
    make(c, { scaleDown: { stabilizationWindow: Duration.minutes(10) } });
    expect(hpaOf(c).spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 600 } });
  });

  test('empty rules mean the Kubernetes defaults and render nothing', () => {
    const c = ctx();
    make(c, { scaleUp: {}, scaleDown: {} });
    expect(hpaOf(c).spec).not.toHaveProperty('behavior');
  });

  test('policies: absolute is Pods, percent is Percent, a missing period is 15 s; strategies carry the wire strings', () => {
    const c = ctx();
    make(c, {
      scaleUp: {
        strategy: plus.ScalingStrategy.MAX_CHANGE,
        policies: [{ replicas: plus.Replicas.absolute(4) }, { replicas: plus.Replicas.percent(100), duration: Duration.minutes(1) }],
      },
      scaleDown: { strategy: plus.ScalingStrategy.DISABLED },
    });
    expect(hpaOf(c).spec.behavior).toEqual({
      scaleUp: {
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 60 }],
      },
      scaleDown: { selectPolicy: 'Disabled' },
    });
  });

  test('the limits of the ranges are accepted: 0 s and 1 h windows, 1 s and 30 min periods', () => {
    const c = ctx();
    make(c, {
      scaleUp: { stabilizationWindow: Duration.seconds(0), policies: [{ replicas: plus.Replicas.absolute(1), duration: Duration.seconds(1) }] },
      scaleDown: {
        stabilizationWindow: Duration.hours(1),
        strategy: plus.ScalingStrategy.MIN_CHANGE,
        policies: [{ replicas: plus.Replicas.percent(10), duration: Duration.minutes(30) }],
      },
    });
    const b = hpaOf(c).spec.behavior;
    expect(b.scaleUp).toEqual({ stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 1 }] });
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 3600, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 1800 }] });
  });

  test('targets are Kubernetes quantity strings: integers as decimals, fractions in milli-units', () => {
    const c = ctx();
    make(c, {
      metrics: [
        plus.Metric.external({ name: 'ttft', target: plus.MetricTarget.value(0.5) }),
        plus.Metric.external({ name: 'rate', target: plus.MetricTarget.averageValue(1.25) }),
        plus.Metric.pods({ name: 'tiny', target: plus.MetricTarget.averageValue(0.0005) }),
        plus.Metric.resourceMemory(plus.MetricTarget.averageValue(2048)),
      ],
    });
    const targets = hpaOf(c).spec.metrics.map((m: any) => (m.external ?? m.pods ?? m.resource).target);
    expect(targets).toEqual([
      { type: 'Value', value: '500m' },
      { type: 'AverageValue', averageValue: '1250m' },
      { type: 'AverageValue', averageValue: '0.0005' },
      { type: 'AverageValue', averageValue: '2048' },
    ]);
  });

  test('label selectors, Object and ContainerResource metrics render through cdk8s-plus', () => {
    const c = ctx();
    const svc = new plus.Service(c.chart, 'gateway', { metadata: { name: 'gateway' }, ports: [{ port: 80 }] });
    make(c, {
      metrics: [
        plus.Metric.object({ object: svc, name: 'requests_per_second', target: plus.MetricTarget.averageValue(50) }),
        plus.Metric.external({
          name: 'dynamo_queued_requests',
          labelSelector: plus.LabelSelector.of({ labels: { dynamo_namespace: 'llm-serving-my-llm' }, expressions: [plus.LabelExpression.in('stage', ['route', 'dispatch'])] }),
          target: plus.MetricTarget.value(10),
        }),
        plus.Metric.containerCpu({ container: new plus.Container({ name: 'main', image: 'x' }), target: plus.MetricTarget.averageUtilization(80) }),
      ],
    });
    const hpa = hpaOf(c);
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'v1', kind: 'Service', name: 'gateway' },
          metric: { name: 'requests_per_second' },
          target: { type: 'AverageValue', averageValue: '50' },
        },
      },
      {
        type: 'External',
        external: {
          metric: {
            name: 'dynamo_queued_requests',
            selector: {
              matchLabels: { dynamo_namespace: 'llm-serving-my-llm' },
              matchExpressions: [{ key: 'stage', operator: 'In', values: ['route', 'dispatch'] }],
            },
          },
          target: { type: 'Value', value: '10' },
        },
      },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'main', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(hpaRuleErrors(hpa)).toEqual([]);
  });

  test('scale to zero with allowScaleToZero and an External metric renders minReplicas 0', () => {
    const c = ctx();
    make(c, { minReplicas: 0, allowScaleToZero: true, metrics: [cpu70(), queue()] });
    const hpa = hpaOf(c);
    expect(hpa.spec.minReplicas).toBe(0);
    expect(hpaRuleErrors(hpa)).toEqual([]);
  });

  test('an Object metric is enough to scale to zero', () => {
    const c = ctx();
    const svc = new plus.Service(c.chart, 'gateway', { ports: [{ port: 80 }] });
    make(c, { minReplicas: 0, allowScaleToZero: true, metrics: [plus.Metric.object({ object: svc, name: 'rps', target: plus.MetricTarget.value(1) })] });
    expect(hpaOf(c).spec.minReplicas).toBe(0);
  });

  test('the public fields hold the resolved values', () => {
    const c = ctx();
    const hpa = make(c, { qualifier: 'cpu' });
    expect({ name: hpa.name, namespace: hpa.namespace, min: hpa.minReplicas, max: hpa.maxReplicas, target: hpa.target }).toEqual({
      name: 'my-llm-decode-cpu-hpa', namespace: 'llm-serving', min: 1, max: 5, target: c.decode.adapter,
    });
    expect(hpa.apiObject.kind).toBe(HPA);
  });
});

describe('names and namespaces', () => {
  test('an adapter target: <dgd>-<service lowercased>[-<qualifier>]-hpa', () => {
    const c = ctx();
    make(c, { target: c.frontend.adapter }, 'a');
    make(c, { target: c.decode.adapter, qualifier: 'queue' }, 'b');
    const hpas = ofKind(synth(c), HPA);
    expect(hpas.map((h) => h.metadata.name).sort()).toEqual(['my-llm-decode-queue-hpa', 'my-llm-frontend-hpa']);
    expect(only(hpas, HPA, 'my-llm-frontend-hpa').spec.scaleTargetRef.name).toBe('my-llm-frontend');
  });

  test('names do not depend on construct ids or paths', () => {
    const c = ctx();
    const deep = new Chart(c.app, 'other-chart', { namespace: 'llm-serving' });
    const hpa = new HpaAutoscaler(deep, 'whatever-id', { target: c.frontend.adapter, maxReplicas: 3, metrics: [cpu70()] });
    expect(hpa.name).toBe('my-llm-frontend-hpa');
  });

  test('`name` overrides the default', () => {
    const c = ctx();
    make(c, { name: 'decode.hpa.v2' });
    expect(hpaOf(c).metadata.name).toBe('decode.hpa.v2');
  });

  test('a name of 253 characters is accepted (HPA names are DNS subdomains; KEDA\'s 63 does not apply)', () => {
    const c = ctx();
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name.length).toBe(253);
    make(c, { name });
    expect(hpaOf(c).metadata.name).toBe(name);
  });

  test('a v1beta1 DGD: the scaleTargetRef uses nvidia.com/v1beta1 and the component gets scalingAdapter {}', () => {
    const c = ctx(DynamoApiVersion.V1BETA1);
    make(c);
    const manifests = synth(c);
    expect(only(manifests, HPA).spec.scaleTargetRef).toEqual({
      apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-decode',
    });
    const decode = only(manifests, DGD).spec.components.find((x: any) => x.name === 'decode');
    expect(decode.scalingAdapter).toEqual({});
    expect(decode).not.toHaveProperty('replicas');
  });

  test('the namespace is the target\'s, even when the HPA lives in a chart with another namespace', () => {
    const c = ctx();
    const elsewhere = new Chart(c.app, 'autoscalers', { namespace: 'autoscaling' });
    const hpa = new HpaAutoscaler(elsewhere, 'hpa', { target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()] });
    expect(hpa.namespace).toBe('llm-serving');
    expect(only(Testing.synth(elsewhere), HPA).metadata.namespace).toBe('llm-serving');
  });

  test('a reference target without a namespace takes the chart\'s; with none anywhere, none is rendered', () => {
    const c = ctx();
    const ref = ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'router' });
    make(c, { target: ref });
    const hpa = hpaOf(c);
    expect(hpa.metadata).toEqual({ name: 'router-hpa', namespace: 'llm-serving' });
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'router' });

    const bare = Testing.chart();
    new HpaAutoscaler(bare, 'hpa', {
      target: ScaleTarget.fromReference(bare, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
      maxReplicas: 2,
      metrics: [cpu70()],
    });
    expect(only(Testing.synth(bare), HPA).metadata).toEqual({ name: 'web-hpa' });
  });

  test('an explicit namespace equal to the target\'s is fine; a different one fails at synth', () => {
    const c = ctx();
    make(c, { namespace: 'llm-serving' });
    expect(hpaOf(c).metadata.namespace).toBe('llm-serving');

    const d = ctx();
    make(d, { namespace: 'other' });
    expect(() => d.app.synth()).toThrow(
      /\[c\/hpa\] 'namespace' \("other"\): must equal the namespace of its target DynamoGraphDeploymentScalingAdapter 'llm-serving\/my-llm-decode'/);
  });
});

describe('binding and conflicts', () => {
  test('construction order does not matter: the adapter is enabled even for a service added to the manifest later', () => {
    const c = ctx();
    make(c);
    c.dgd.addService('prefill', { image: 'runtime:1.5.1', role: ServiceRole.PREFILL, replicas: 3 });
    const services = only(synth(c), DGD).spec.services;
    expect(services.decode).not.toHaveProperty('replicas');
    expect(services.decode.scalingAdapter).toEqual({ enabled: true });
    expect(services.prefill.replicas).toBe(3);
    expect(services.Frontend.replicas).toBe(2);
  });

  test('an HPA on a cdk8s-plus Deployment removes the Deployment\'s replicas; the default name is <deployment>-hpa', () => {
    const chart = Testing.chart();
    const deployment = vllmDeployment(chart, { cpu: { request: plus.Cpu.units(4) } });
    new HpaAutoscaler(chart, 'hpa', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 10, minReplicas: 2, metrics: [cpu70()] });
    const manifests = Testing.synth(chart);
    expect(only(manifests, 'Deployment').spec).not.toHaveProperty('replicas');
    const hpa = only(manifests, HPA);
    expect(hpa.metadata.name).toBe('vllm-deployment-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' });
  });

  test('without an autoscaler the Deployment keeps its replicas (the removal above is the HPA\'s doing)', () => {
    const chart = Testing.chart();
    vllmDeployment(chart);
    expect(only(Testing.synth(chart), 'Deployment').spec.replicas).toBe(2);
  });

  test('two HpaAutoscalers on one adapter fail at synth, naming both', () => {
    const c = ctx();
    make(c, {}, 'first');
    make(c, { qualifier: 'queue', metrics: [queue()] }, 'second');
    expect(() => c.app.synth()).toThrow(
      /\[c\/first\] DYN603 HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa: spec\.scaleTargetRef\.name = "my-llm-decode": HorizontalPodAutoscaler llm-serving\/my-llm-decode-queue-hpa already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; two autoscalers on one target fight over its replicas \(the other is at c\/second;/);
    expect(() => c.app.synth()).toThrow(
      /\[c\/second\] DYN603 .*: HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/first; at most one autoscaler per target\)/);
  });

  test('the conflict is found across charts and across API versions of the adapter reference', () => {
    const c = ctx();
    make(c, {}, 'first');
    const other = new Chart(c.app, 'other', { namespace: 'llm-serving' });
    new HpaAutoscaler(other, 'again', {
      target: ScaleTarget.fromReference(other, {
        apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-decode', namespace: 'llm-serving',
      }),
      maxReplicas: 3,
      metrics: [cpu70()],
    });
    expect(() => c.app.synth()).toThrow(/\[other\/again\] DYN603 .*: HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/first;/);
  });

  test('HPA and KEDA on one adapter fail at synth', () => {
    const c = ctx();
    make(c);
    new KedaAutoscaler(c.chart, 'keda', {
      target: c.decode.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
    expect(() => c.app.synth()).toThrow(/\[c\/hpa\] DYN603 .*: ScaledObject llm-serving\/my-llm-decode-scaler already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/keda;/);
  });

  test('two HpaAutoscalers on one cdk8s-plus Deployment fail at synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w', { namespace: 'llm-serving' });
    const deployment = vllmDeployment(chart, { cpu: { request: plus.Cpu.units(4) } });
    new HpaAutoscaler(chart, 'a', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 3, metrics: [cpu70()] });
    new HpaAutoscaler(chart, 'b', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 3, metrics: [cpu70()], qualifier: 'b' });
    expect(() => app.synth()).toThrow(/\[w\/a\] DYN603 HorizontalPodAutoscaler llm-serving\/vllm-deployment-hpa: spec\.scaleTargetRef\.name = "vllm-deployment": HorizontalPodAutoscaler llm-serving\/vllm-deployment-b-hpa already scales Deployment vllm-deployment; .*\(the other is at w\/b;/);
  });

  test.each(['before', 'after'])('an HPA on a Planner-managed service fails at synth (HPA created %s the Planner mark)', (when) => {
    const c = ctx();
    if (when === 'after') c.decode._markManagedByPlanner('path/to/planner');
    make(c);
    if (when === 'before') c.decode._markManagedByPlanner('path/to/planner');
    expect(() => c.app.synth()).toThrow(
      /\[c\/hpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at path\/to\/planner; a service the Planner scales cannot have another autoscaler/);
  });

  test('HPAs on different services of one DGD do not conflict', () => {
    const c = ctx();
    make(c, { target: c.frontend.adapter }, 'a');
    make(c, { target: c.decode.adapter }, 'b');
    expect(() => c.app.synth()).not.toThrow();
  });
});

describe('resource requests of cdk8s-plus workloads (checked at synth)', () => {
  test('CPU utilization on a container without a CPU request fails, naming the container', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const deployment = vllmDeployment(chart, { memory: { request: Size.gibibytes(16) } });
    new HpaAutoscaler(chart, 'hpa', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 3, metrics: [cpu70()] });
    expect(() => app.synth()).toThrow(
      /\[w\/hpa\] 'metrics\[0\].target' \("cpu Utilization"\): container 'vllm' of Deployment 'vllm-deployment' has no cpu request, so utilization is undefined and the HPA never scales/);
  });

  test('a container added after the HPA is checked too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const deployment = vllmDeployment(chart, { cpu: { request: plus.Cpu.millis(500) } });
    new HpaAutoscaler(chart, 'hpa', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 3, metrics: [cpu70()] });
    deployment.addContainer({ name: 'sidecar', image: 'envoy', resources: {}, securityContext: { ensureNonRoot: false } });
    expect(() => app.synth()).toThrow(/container 'sidecar' of Deployment 'vllm-deployment' has no cpu request/);
  });

  test('a limit alone is enough (Kubernetes defaults the request to it), and so are cdk8s-plus\'s default resources', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const limited = vllmDeployment(chart, { cpu: { limit: plus.Cpu.units(2) } });
    new HpaAutoscaler(chart, 'a', { target: ScaleTarget.fromWorkload(limited), maxReplicas: 3, metrics: [cpu70()] });
    const defaults = new plus.Deployment(chart, 'web', { containers: [{ image: 'nginx', securityContext: { ensureNonRoot: false } }] });
    new HpaAutoscaler(chart, 'b', { target: ScaleTarget.fromWorkload(defaults), maxReplicas: 3, metrics: [plus.Metric.resourceMemory(plus.MetricTarget.averageUtilization(80))] });
    expect(() => app.synth()).not.toThrow();
  });

  test('averageValue targets need no request', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const deployment = vllmDeployment(chart, {});
    new HpaAutoscaler(chart, 'hpa', {
      target: ScaleTarget.fromWorkload(deployment),
      maxReplicas: 3,
      metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageValue(2))],
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('ContainerResource: only the named container counts, and it must exist', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const deployment = vllmDeployment(chart, { cpu: { request: plus.Cpu.units(1) } });
    deployment.addContainer({ name: 'sidecar', image: 'envoy', resources: {}, securityContext: { ensureNonRoot: false } });
    const containerCpu = (name: string) => plus.Metric.containerCpu({ container: new plus.Container({ name, image: 'x' }), target: plus.MetricTarget.averageUtilization(60) });
    new HpaAutoscaler(chart, 'ok', { target: ScaleTarget.fromWorkload(deployment), maxReplicas: 3, metrics: [containerCpu('vllm')] });
    expect(() => app.synth()).not.toThrow();

    const app2 = Testing.app();
    const chart2 = new Chart(app2, 'w');
    const d2 = vllmDeployment(chart2, { cpu: { request: plus.Cpu.units(1) } });
    new HpaAutoscaler(chart2, 'hpa', { target: ScaleTarget.fromWorkload(d2), maxReplicas: 3, metrics: [containerCpu('main')] });
    expect(() => app2.synth()).toThrow(/\[w\/hpa\] 'metrics\[0\].container' \("main"\): Deployment 'vllm-deployment' has no container of that name; it has vllm/);
  });

  test('a reference target scoped to a workload is not mistaken for that workload', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'w');
    const deployment = vllmDeployment(chart, {});
    new HpaAutoscaler(chart, 'hpa', {
      target: ScaleTarget.fromReference(deployment, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'other' }),
      maxReplicas: 3,
      metrics: [cpu70()],
    });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('errors, with construct path, field, value and what is allowed', () => {
  type Row = [string, Partial<HpaAutoscalerProps> | ((c: Ctx) => Partial<HpaAutoscalerProps>), RegExp];
  const ext = (target: plus.MetricTarget) => plus.Metric.external({ name: 'm', target });
  const rows: Row[] = [
    ['maxReplicas missing', { maxReplicas: undefined }, /\[c\/hpa\] 'maxReplicas' \(undefined\): is required: an integer >= 1/],
    ['maxReplicas 0', { maxReplicas: 0 }, /\[c\/hpa\] 'maxReplicas' \(0\): must be an integer >= 1/],
    ['maxReplicas fractional', { maxReplicas: 2.5 }, /'maxReplicas' \(2.5\): must be an integer >= 1/],
    ['minReplicas above maxReplicas', { minReplicas: 6 }, /\[c\/hpa\] 'minReplicas' \(6\): must be less than or equal to 'maxReplicas' \(5\)/],
    ['minReplicas negative', { minReplicas: -1 }, /'minReplicas' \(-1\): must be an integer >= 0/],
    ['minReplicas 0 without allowScaleToZero', { minReplicas: 0, metrics: [queue()] }, /\[c\/hpa\] 'minReplicas' \(0\): must be >= 1; 0 needs 'allowScaleToZero'/],
    ['scale to zero on Resource and Pods metrics only',
      { minReplicas: 0, allowScaleToZero: true, metrics: [cpu70(), plus.Metric.pods({ name: 'q', target: plus.MetricTarget.averageValue(1) })] },
      /'minReplicas' \(0\): scaling to zero needs at least one Object or External metric/],
    ['no metrics', { metrics: [] }, /\[c\/hpa\] 'metrics' \(\[\]\): needs at least one metric .*implicit 80% CPU fallback is not offered/],
    ['metrics missing', { metrics: undefined }, /'metrics' \(\[\]\): needs at least one metric/],
    ['a metric that is not a cdk8s-plus Metric', { metrics: [{ type: 'Resource' } as any] }, /'metrics\[0\]' \(\{"type":"Resource"\}\): must be an HpaMetric \(HpaMetric.resourceCpu, .pods, .external, ...\), a DynamoExternalMetric's metric, or a cdk8s-plus Metric/],
    ['Resource with a Value target', { metrics: [plus.Metric.resourceCpu(plus.MetricTarget.value(1))] },
      /'metrics\[0\].target' \("Value"\): a Resource metric takes Utilization or AverageValue targets \(HpaMetricTarget.averageUtilization \/ HpaMetricTarget.averageValue\)/],
    ['ContainerResource with a Value target',
      { metrics: [plus.Metric.containerMemory({ container: new plus.Container({ image: 'x' }), target: plus.MetricTarget.value(1) })] },
      /'metrics\[0\].target' \("Value"\): a ContainerResource metric takes Utilization or AverageValue/],
    ['Pods with a Utilization target', { metrics: [plus.Metric.pods({ name: 'q', target: plus.MetricTarget.averageUtilization(50) })] },
      /'metrics\[0\].target' \("Utilization"\): a Pods metric takes AverageValue targets/],
    ['Pods with a Value target', { metrics: [plus.Metric.pods({ name: 'q', target: plus.MetricTarget.value(5) })] },
      /'metrics\[0\].target' \("Value"\): a Pods metric takes AverageValue targets \(HpaMetricTarget.averageValue\)/],
    ['External with a Utilization target', { metrics: [cpu70(), ext(plus.MetricTarget.averageUtilization(50))] },
      /'metrics\[1\].target' \("Utilization"\): a External metric takes Value or AverageValue targets/],
    ['Object with a Utilization target', (c) => ({
      metrics: [plus.Metric.object({ object: new plus.Service(c.chart, 's', { ports: [{ port: 1 }] }), name: 'rps', target: plus.MetricTarget.averageUtilization(5) })],
    }), /'metrics\[0\].target' \("Utilization"\): a Object metric takes Value or AverageValue targets/],
    ['averageUtilization 0', { metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(0))] },
      /'metrics\[0\].target.averageUtilization' \(0\): must be an integer >= 1 \(percent\)/],
    ['averageUtilization fractional', { metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70.5))] },
      /'metrics\[0\].target.averageUtilization' \(70.5\): must be an integer >= 1/],
    ['averageValue 0', { metrics: [plus.Metric.pods({ name: 'q', target: plus.MetricTarget.averageValue(0) })] },
      /'metrics\[0\].target.averageValue' \(0\): must be a number > 0/],
    ['value negative', { metrics: [ext(plus.MetricTarget.value(-1))] }, /'metrics\[0\].target.value' \(-1\): must be a number > 0/],
    ['value not finite', { metrics: [ext(plus.MetricTarget.value(Infinity))] }, /'metrics\[0\].target.value' \(Infinity\): must be a number > 0/],
    ['a Resource metric the resource metrics API does not serve', { metrics: [plus.Metric.resourceStorage(plus.MetricTarget.averageValue(1))] },
      /'metrics\[0\]' \("Resource storage"\): the resource metrics API \(metrics-server\) serves only cpu and memory/],
    ['a ContainerResource metric on ephemeral storage',
      { metrics: [plus.Metric.containerEphemeralStorage({ container: new plus.Container({ image: 'x' }), target: plus.MetricTarget.averageValue(1) })] },
      /'metrics\[0\]' \("ContainerResource ephemeral-storage"\): the resource metrics API/],
    ['an empty metric name', { metrics: [plus.Metric.pods({ name: '', target: plus.MetricTarget.averageValue(1) })] },
      /'metrics\[0\].name' \(""\): must be a non-empty metric name/],
    ['stabilization window over 1 hour', { scaleDown: { stabilizationWindow: Duration.seconds(3601) } },
      /\[c\/hpa\] 'scaleDown.stabilizationWindow' \("3601s"\): must be between 0 seconds and 1 hour/],
    ['stabilization window not whole seconds', { scaleUp: { stabilizationWindow: Duration.millis(1500) } },
      /'scaleUp.stabilizationWindow' \("1500ms"\): must be a whole number of seconds/],
    ['stabilization window not a Duration', { scaleUp: { stabilizationWindow: 30 as any } }, /'scaleUp.stabilizationWindow' \(30\): must be a cdk8s Duration/],
    ['unknown strategy', { scaleDown: { strategy: 'Fastest' as any } }, /'scaleDown.strategy' \("Fastest"\): must be one of Max, Min, Disabled/],
    ['empty policies', { scaleUp: { policies: [] } }, /'scaleUp.policies' \(\[\]\): must not be empty \(Kubernetes rejects an empty list\); leave it out for the defaults/],
    ['policy value 0', { scaleUp: { policies: [{ replicas: plus.Replicas.absolute(0) }] } }, /'scaleUp.policies\[0\].replicas' \(0\): must be an integer > 0/],
    ['policy percent fractional', { scaleDown: { policies: [{ replicas: plus.Replicas.percent(12.5) }] } }, /'scaleDown.policies\[0\].replicas' \(12.5\): must be an integer > 0/],
    ['policy period 0', { scaleUp: { policies: [{ replicas: plus.Replicas.absolute(1), duration: Duration.seconds(0) }] } },
      /'scaleUp.policies\[0\].duration' \("0s"\): must be between 1 second and 30 minutes/],
    ['policy period over 30 minutes', { scaleDown: { policies: [{ replicas: plus.Replicas.percent(50), duration: Duration.seconds(1801) }] } },
      /'scaleDown.policies\[0\].duration' \("1801s"\): must be between 1 second and 30 minutes/],
    ['policy period not whole seconds', { scaleDown: { policies: [{ replicas: plus.Replicas.percent(50), duration: Duration.millis(2500) }] } },
      /'scaleDown.policies\[0\].duration' \("2500ms"\): must be a whole number of seconds/],
    ['name not a DNS subdomain', { name: 'Decode_HPA' }, /\[c\/hpa\] 'name' \("Decode_HPA"\): must be a DNS subdomain: at most 253 lower-case letters, digits, '-' and '\.'/],
    ['name over 253 characters', { name: 'a'.repeat(254) }, /'name' \("a{254}"\): must be a DNS subdomain: at most 253/],
    ['qualifier with upper case', { qualifier: 'Queue' }, /\[c\/hpa\] 'qualifier' \("Queue"\): must be a DNS label: lower-case letters, digits and '-'/],
    ['qualifier over 63 characters', { qualifier: 'q'.repeat(64) }, /'qualifier' \("q{64}"\)/],
  ];
  test.each(rows)('%s', (_, extra, message) => {
    const c = ctx();
    const props = typeof extra === 'function' ? extra(c) : extra;
    expect(() => make(c, props)).toThrow(message);
  });

  test('a default name over 253 characters', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    const dgdName = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(45)}`;
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: dgdName });
    const svc = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    expect(() => new HpaAutoscaler(chart, 'hpa', { target: svc.adapter, maxReplicas: 2, metrics: [cpu70()], qualifier: 'queue' }))
      .toThrow(/\[c\/hpa\] 'name' \("a{63}\.b{63}\.c{63}\.d{45}-decode-queue-hpa"\): must be a DNS subdomain: at most 253 lower-case letters/);
  });

  test('a props error leaves no binding behind: the adapter stays disabled', () => {
    const c = ctx();
    expect(() => make(c, { maxReplicas: 0 })).toThrow(/'maxReplicas' \(0\)/);
    const decode = only(synth(c), DGD).spec.services.decode;
    expect(decode.replicas).toBe(8);
    expect(decode.scalingAdapter?.enabled).not.toBe(true);
  });
});

describe('properties', () => {
  const target = fc.constantFrom(
    () => plus.MetricTarget.value(7), () => plus.MetricTarget.averageValue(0.25), () => plus.MetricTarget.averageUtilization(60));
  const metric = fc.tuple(fc.constantFrom('cpu', 'memory', 'pods', 'external'), target).map(([kind, t]) => () => {
    switch (kind) {
      case 'cpu': return plus.Metric.resourceCpu(t());
      case 'memory': return plus.Metric.resourceMemory(t());
      case 'pods': return plus.Metric.pods({ name: 'p', target: t() });
      default: return plus.Metric.external({ name: 'e', target: t() });
    }
  });
  const rules = fc.option(fc.record({
    window: fc.option(fc.integer({ min: -5, max: 4000 }), { nil: undefined }),
    strategy: fc.option(fc.constantFrom(...Object.values(plus.ScalingStrategy)), { nil: undefined }),
    policies: fc.option(fc.array(fc.record({
      percent: fc.boolean(), value: fc.integer({ min: 0, max: 200 }), period: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
    }), { maxLength: 3 }), { nil: undefined }),
  }), { nil: undefined });
  const toRules = (r: any): plus.ScalingRules | undefined => r && ({
    stabilizationWindow: r.window === undefined ? undefined : r.window < 0 ? undefined : Duration.seconds(r.window),
    strategy: r.strategy,
    policies: r.policies?.map((p: any) => ({
      replicas: p.percent ? plus.Replicas.percent(p.value) : plus.Replicas.absolute(p.value),
      duration: p.period === undefined ? undefined : Duration.seconds(p.period),
    })),
  });

  test('whatever the props, the HPA either throws a located error or renders a manifest that obeys the Kubernetes rules', () => {
    fc.assert(fc.property(
      fc.integer({ min: -1, max: 12 }), fc.integer({ min: -1, max: 12 }), fc.array(metric, { maxLength: 3 }), rules, rules, fc.boolean(),
      (min, max, metrics, up, down, zero) => {
        const c = ctx();
        let built = false;
        try {
          make(c, {
            minReplicas: min,
            maxReplicas: max,
            metrics: metrics.map((m) => m()),
            scaleUp: toRules(up),
            scaleDown: toRules(down),
            allowScaleToZero: zero,
          });
          built = true;
        } catch (e: any) {
          expect(e.message).toMatch(/^\[c\/hpa\] ('[^']+' \(.*\)|DYN\d{3} .*): .+/);
        }
        if (built) {
          const hpa = hpaOf(c);
          expect(hpaRuleErrors(hpa)).toEqual([]);
          if (up?.policies === undefined && hpa.spec.behavior?.scaleUp) expect(hpa.spec.behavior.scaleUp).not.toHaveProperty('policies');
        }
      },
    ), { numRuns: 300 });
  });
});

describe('the library\'s own HPA vocabulary, and cdk8s-plus values from any version', () => {
  test.each<[string, () => HpaMetric, () => plus.Metric]>([
    ['resourceCpu', () => HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70)), () => plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))],
    ['resourceMemory', () => HpaMetric.resourceMemory(HpaMetricTarget.averageValue(512)), () => plus.Metric.resourceMemory(plus.MetricTarget.averageValue(512))],
    ['containerCpu', () => HpaMetric.containerCpu({ container: 'main', target: HpaMetricTarget.averageUtilization(50) }),
      () => plus.Metric.containerCpu({ container: { name: 'main' } as plus.Container, target: plus.MetricTarget.averageUtilization(50) })],
    ['pods', () => HpaMetric.pods({ name: 'rps', target: HpaMetricTarget.averageValue(0.5) }), () => plus.Metric.pods({ name: 'rps', target: plus.MetricTarget.averageValue(0.5) })],
    ['external with labels', () => HpaMetric.external({ name: 'q', matchLabels: { a: 'b' }, target: HpaMetricTarget.value(10) }),
      () => plus.Metric.external({ name: 'q', labelSelector: plus.LabelSelector.of({ labels: { a: 'b' } }), target: plus.MetricTarget.value(10) })],
    ['object', () => HpaMetric.object({ name: 'hits', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, target: HpaMetricTarget.value(100) }),
      () => plus.Metric.object({ name: 'hits', object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' } as any, target: plus.MetricTarget.value(100) })],
  ])('HpaMetric.%s renders exactly what the cdk8s-plus metric renders', (_name, ours, theirs) => {
    const a = ctx();
    make(a, { metrics: [ours()] });
    const b = ctx();
    make(b, { metrics: [theirs()] });
    const spec = hpaOf(a).spec.metrics;
    expect(spec).toEqual(hpaOf(b).spec.metrics);
    expect(hpaRuleErrors(hpaOf(a))).toEqual([]);
  });

  test('a metric from another cdk8s-plus copy (a different class, the same shape) is read through its own rendering', () => {
    // What an app on cdk8s-plus-33 passes: not an instance of this project's cdk8s-plus-28 classes.
    class Quantity { public constructor(public readonly value: number) {} }
    const foreign = {
      type: 'External',
      _toKube: () => ({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: new Quantity(0.5) } } }),
    };
    const c = ctx();
    make(c, { metrics: [foreign] });
    expect(hpaOf(c).spec.metrics).toEqual([{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '500m' } } }]);
  });

  test('scaling rules in either vocabulary render alike; tolerance renders as a quantity per direction', () => {
    const a = ctx();
    make(a, {
      scaleUp: {
        strategy: HpaScalingStrategy.MAX_CHANGE, policies: [{ replicas: HpaReplicas.absolute(4), duration: Duration.seconds(30) }], tolerance: 0.05,
      },
      scaleDown: { stabilizationWindow: Duration.minutes(5), policies: [{ replicas: HpaReplicas.percent(50) }], tolerance: 0 },
    });
    const b = ctx();
    make(b, {
      scaleUp: {
        strategy: plus.ScalingStrategy.MAX_CHANGE,
        tolerance: 0.05,
        policies: [{ replicas: plus.Replicas.absolute(4), duration: Duration.seconds(30) }],
      },
      scaleDown: { stabilizationWindow: Duration.minutes(5), policies: [{ replicas: plus.Replicas.percent(50) }], tolerance: 0 },
    });
    const behavior = hpaOf(a).spec.behavior;
    expect(behavior).toEqual({
      scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 30 }], tolerance: '50m' },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }], tolerance: '0' },
    });
    expect(hpaOf(b).spec.behavior).toEqual(behavior);
    expect(hpaRuleErrors(hpaOf(a))).toEqual([]);
  });

  test('tolerance alone is a behavior of its own (the other fields keep their Kubernetes defaults)', () => {
    const c = ctx();
    make(c, { scaleDown: { tolerance: 0.02 } });
    expect(hpaOf(c).spec.behavior).toEqual({ scaleDown: { tolerance: '20m' } });
  });

  test('KEDA renders the same tolerance in advanced.horizontalPodAutoscalerConfig.behavior, valid against its CRD', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'keda', {
      target: c.decode.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      scaleUp: { tolerance: 0.01 },
      scaleDown: { tolerance: 0.05, stabilizationWindow: Duration.minutes(1) },
    });
    const so = only(synth(c), 'ScaledObject');
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleUp: { tolerance: '10m' },
      scaleDown: { tolerance: '50m', stabilizationWindowSeconds: 60 },
    });
    expect(crdErrors(so)).toEqual([]);
  });
});

describe('issue 13: app-wide identity, namespaces, targets, shapes', () => {
  test('a chart with id cdk8s-dynamo does not collide with the library (no construct of its own in the app)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cdk8s-dynamo', { namespace: 'llm' });
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm' });
    const s = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new HpaAutoscaler(chart, 'hpa', { target: s.adapter, maxReplicas: 3, metrics: [cpu70()] });
    const late = new Chart(app, 'later');
    new HpaAutoscaler(late, 'hpa', { target: ScaleTarget.fromReference(late, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }), maxReplicas: 2, metrics: [cpu70()] });
    expect(() => app.synthYaml()).not.toThrow();
    expect(app.node.children.map((ch) => ch.node.id)).toEqual(['cdk8s-dynamo', 'later']);
  });

  test('a cdk8s-plus HPA conflict names the cdk8s-plus HPA, and each message is printed once', () => {
    const c = ctx();
    new plus.HorizontalPodAutoscaler(c.chart, 'plus-hpa', { metadata: { name: 'decode-plus' }, target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()] });
    make(c);
    let message = '';
    try {
      c.app.synth();
    } catch (e: any) {
      message = e.message;
    }
    const lines = message.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('['));
    expect(lines).toEqual([
      expect.stringMatching(/^\[\] \[c\/hpa\] DYN603 HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa: spec\.scaleTargetRef\.name = "my-llm-decode": HorizontalPodAutoscaler llm-serving\/decode-plus already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/plus-hpa;/),
      expect.stringMatching(/^\[\] \[c\/plus-hpa\] DYN603 .*: HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/hpa;/),
    ]);
    expect(message).not.toMatch(/via cdk8s-plus|dgd\/decode\]/);
  });

  test('two DGDs with one name are fine in two namespaces, and one adapter name is fine in two namespaces', () => {
    const app = Testing.app();
    for (const ns of ['team-a', 'team-b']) {
      const chart = new Chart(app, ns, { namespace: ns });
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm' });
      const s = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      new HpaAutoscaler(chart, 'hpa', { target: s.adapter, maxReplicas: 3, metrics: [cpu70()] });
    }
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('adapters of DGDs a-b/c and a/b-c with autoscalers: the identity is named, not "two autoscalers on one target"', () => {
    const c = ctx();
    const ab = new DynamoGraphDeployment(c.chart, 'ab', { name: 'a-b' }).addService('c', { image: 'runtime:1.5.1', role: ServiceRole.WORKER });
    const a = new DynamoGraphDeployment(c.chart, 'a', { name: 'a' }).addService('b-c', { image: 'runtime:1.5.1', role: ServiceRole.WORKER });
    new HpaAutoscaler(c.chart, 'h1', { target: ab.adapter, maxReplicas: 3, metrics: [cpu70()] });
    new HpaAutoscaler(c.chart, 'h2', { target: a.adapter, maxReplicas: 3, metrics: [cpu70()] });
    expect(() => c.app.synth()).toThrow(/2 objects would be DynamoGraphDeploymentScalingAdapter 'llm-serving\/a-b-c'/);
    expect(() => c.app.synth()).not.toThrow(/already scales/);
  });

  test('an HPA on a plain reference and one on the adapter it names conflict, whichever carries the namespace', () => {
    const c = ctx();
    make(c);
    new HpaAutoscaler(c.chart, 'ref', {
      target: ScaleTarget.fromReference(c.chart, { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-decode' }),
      maxReplicas: 3,
      metrics: [cpu70()],
    });
    expect(() => c.app.synth()).toThrow(/\[c\/ref\] DYN603 .*: spec\.scaleTargetRef\.name = "my-llm-decode": HorizontalPodAutoscaler llm-serving\/my-llm-decode-hpa already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; .*\(the other is at c\/hpa;/);
  });

  test('scale to zero with a latency quantile and a queue metric is fine: the queue wakes the service', () => {
    const c = ctx();
    const ttft = DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, target: HpaMetricTarget.value(0.5) });
    const queued = DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: HpaMetricTarget.value(5) });
    make(c, { minReplicas: 0, allowScaleToZero: true, metrics: [ttft.metric, queued.metric] });
    expect(hpaOf(c).spec.minReplicas).toBe(0);
  });

  test('a cdk8s-plus External metric named as a latency quantile cannot be the only way back from zero either', () => {
    const c = ctx();
    const itl = DynamoExternalMetric.itlQuantile({ deployment: c.dgd, target: HpaMetricTarget.value(0.05) });
    expect(() => make(c, {
      minReplicas: 0,
      allowScaleToZero: true,
      metrics: [plus.Metric.external({ name: itl.metricName, target: plus.MetricTarget.value(0.05) })],
    })).toThrow(/\[c\/hpa\] 'metrics' \(\["dynamo_itl_p95_seconds"\]\): with minReplicas 0 the only External metrics are latency quantiles/);
  });

  test('an External metric about the target\'s own DGD passes; another DGD\'s passes only when declared', () => {
    const c = ctx();
    const own = DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: HpaMetricTarget.value(5) });
    make(c, { metrics: [own.metric] });
    const other = DynamoExternalMetric.queuedRequests({ dynamoNamespace: 'llm-serving-other', target: HpaMetricTarget.value(5) });
    expect(() => make(c, { metrics: [other.metric], qualifier: 'x' }, 'x')).toThrow(/'metrics\[0\]' \("dynamo_namespace=llm-serving-other"\)/);
    make(c, { metrics: [other.metric], qualifier: 'y', allowCrossDeploymentMetrics: true }, 'y');
  });

  test('every ScaleTarget factory the docs name exists', () => {
    const src = path.resolve(__dirname, '..', 'src');
    const files = fs.readdirSync(src, { recursive: true } as any).map(String).filter((f) => f.endsWith('.ts'));
    const named = new Set<string>();
    for (const f of files) {
      for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/ScaleTarget\.(\w+)/g)) named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(0);
    for (const factory of named) expect({ factory, exists: typeof (ScaleTarget as any)[factory] === 'function' }).toEqual({ factory, exists: true });
  });
});
