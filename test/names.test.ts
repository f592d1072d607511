/**
 * Names of the autoscaling objects, as Kubernetes, KEDA and AIBrix admit them: DNS
 * subdomains (dots included) everywhere, with KEDA's length limits (63 for the
 * ScaledObject, 63 for the HPA it creates, so 54 with the default `keda-hpa-<name>`) and
 * AIBrix's derived `<name>-hpa`.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, AutoscalerAlerts, DynamoGraphDeployment, DynamoMetrics, DynamoService,
  HpaAutoscaler, KedaAutoscaler, KedaTrigger, KedaTriggerAuthentication, ServiceRole,
} from '../src';
import { crdErrors, only } from './support';
import { scaledObjectProblems } from '../src/core/keda';
import { kedaHpaName, nameProblem, podAutoscalerNameProblems, scaledObjectNameProblems } from '../src/core/names';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.9.0';
const PROMETHEUS = 'http://prometheus.monitoring.svc:9090';

describe('core name rules', () => {
  // [kind, name, expected rule broken or undefined]
  const rows: Array<[string, string, 'format' | 'length' | undefined]> = [
    ['HorizontalPodAutoscaler', 'qwen2.5-chat-decode-hpa', undefined],
    ['HorizontalPodAutoscaler', 'a'.repeat(253), undefined],
    ['HorizontalPodAutoscaler', 'a'.repeat(254), 'length'],
    ['HorizontalPodAutoscaler', 'Upper', 'format'],
    ['HorizontalPodAutoscaler', 'a..b', 'format'],
    ['HorizontalPodAutoscaler', '-a', 'format'],
    ['HorizontalPodAutoscaler', '', 'format'],
    // Kubernetes' subdomain has no per-label limit: a 64-character part is fine.
    ['HorizontalPodAutoscaler', `${'a'.repeat(64)}.b`, undefined],
    ['ScaledObject', 'qwen2.5-chat-decode-scaler', undefined],
    ['ScaledObject', 'a'.repeat(63), undefined],
    ['ScaledObject', 'a'.repeat(64), 'length'],
    ['ScaledObject', 'a_b', 'format'],
    ['KedaHorizontalPodAutoscaler', 'keda-hpa-x', undefined],
    ['KedaHorizontalPodAutoscaler', 'h'.repeat(64), 'length'],
    ['PodAutoscaler', 'qwen2.5-chat-decode-pa', undefined],
    ['PodAutoscaler', 'a'.repeat(254), 'length'],
    ['TriggerAuthentication', 'prom.auth', undefined],
    ['ClusterTriggerAuthentication', 'Prom', 'format'],
    ['PrometheusRule', `${'a'.repeat(247)}-alerts`, 'length'],
    ['ConfigMap', 'adapter-config', undefined],
    ['DynamoGraphDeploymentScalingAdapter', 'qwen2.5-chat-decode', undefined],
  ];
  test.each(rows)('%s %s', (kind, name, broken) => {
    expect(nameProblem(kind, name)?.rule).toBe(broken);
  });

  test('an unknown kind is a programming error', () => {
    expect(() => nameProblem('Pod', 'x')).toThrow(/no name rule for kind Pod/);
  });

  test("KEDA's verifyName: the ScaledObject name, then the HPA name (override or keda-hpa-<name>)", () => {
    expect(scaledObjectNameProblems('a'.repeat(54))).toEqual([]);
    expect(kedaHpaName('a'.repeat(54)).length).toBe(63);
    expect(scaledObjectNameProblems('a'.repeat(55))).toEqual([expect.objectContaining({ rule: 'length', field: 'metadata.name' })]);
    expect(scaledObjectNameProblems('a'.repeat(63), 'short')).toEqual([]);
    expect(scaledObjectNameProblems('a'.repeat(64), 'short')).toEqual([expect.objectContaining({ rule: 'length', field: 'metadata.name' })]);
    expect(scaledObjectNameProblems('x', 'h'.repeat(64)))
      .toEqual([expect.objectContaining({ rule: 'length', field: 'spec.advanced.horizontalPodAutoscalerConfig.name' })]);
    expect(kedaHpaName('x', '')).toBe('keda-hpa-x');
  });

  test("AIBrix: '<name>-hpa' only for the HPA strategy", () => {
    expect(podAutoscalerNameProblems('a'.repeat(250), false)).toEqual([]);
    expect(podAutoscalerNameProblems('a'.repeat(249), true)).toEqual([]);
    expect(podAutoscalerNameProblems('a'.repeat(250), true)).toEqual([expect.objectContaining({ rule: 'length' })]);
    expect(podAutoscalerNameProblems('A', true)).toEqual([expect.objectContaining({ rule: 'format' })]);
  });
});

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly decode: DynamoService;
}

function ctx(dgdName: string, serviceName = 'decode'): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: dgdName });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image: IMAGE });
  const decode = dgd.addService(serviceName, { role: ServiceRole.DECODE, image: IMAGE });
  return { app, chart, dgd, decode };
}

function synth(c: Ctx): any[] {
  c.app.synthYaml();
  return Testing.synth(c.chart);
}

/** Each autoscaler, with its default name, on the decode service. */
const AUTOSCALERS: Array<[string, (c: Ctx) => void]> = [
  ['KEDA', (c) => new KedaAutoscaler(c.chart, 'keda', {
    target: c.decode.adapter,
    triggers: [KedaTrigger.prometheus({ serverAddress: PROMETHEUS, query: DynamoMetrics.queueDepth({ deployment: c.dgd }), threshold: 5 })],
  })],
  ['HPA', (c) => new HpaAutoscaler(c.chart, 'hpa', {
    target: c.decode.adapter,
    maxReplicas: 4,
    metrics: [plus.Metric.external({ name: 'dynamo_queue', target: plus.MetricTarget.averageValue(5) })],
  })],
  ['AIBrix KPA', (c) => new AibrixAutoscaler(c.chart, 'pa', {
    target: c.decode.adapter,
    strategy: AibrixScalingStrategy.KPA,
    maxReplicas: 4,
    metrics: [AibrixMetricSource.pod({ metric: 'vllm:num_requests_waiting', targetValue: 10, port: 8000 })],
  })],
  ['AIBrix HPA', (c) => new AibrixAutoscaler(c.chart, 'pa', {
    target: c.decode.adapter,
    strategy: AibrixScalingStrategy.HPA,
    maxReplicas: 4,
    metrics: [AibrixMetricSource.resource({ resource: 'cpu' as any, targetValue: 70 })],
  })],
];

/** Every name rule the manifests of an app break (own names and the HPAs KEDA/AIBrix derive). */
function nameErrors(manifests: any[]): string[] {
  const errors: string[] = [];
  const check = (kind: string, name: string) => {
    const p = nameProblem(kind, name);
    if (p) errors.push(`${kind} ${name}: ${p.message}`);
  };
  for (const m of manifests) {
    const name = m.metadata?.name;
    switch (m.kind) {
      case 'ScaledObject':
        check('ScaledObject', name);
        check('KedaHorizontalPodAutoscaler', kedaHpaName(name, m.spec.advanced?.horizontalPodAutoscalerConfig?.name));
        break;
      case 'PodAutoscaler':
        check('PodAutoscaler', name);
        if (m.spec.scalingStrategy === 'HPA') check('AibrixHorizontalPodAutoscaler', `${name}-hpa`);
        break;
      case 'HorizontalPodAutoscaler':
      case 'TriggerAuthentication':
      case 'PrometheusRule':
      case 'ConfigMap':
        check(m.kind, name);
        break;
      default:
        break;
    }
  }
  return errors;
}

describe('a DGD with a dot in its name gets every autoscaler (issue 8 §3)', () => {
  test.each(AUTOSCALERS)('%s on qwen2.5-chat', (_kind, attach) => {
    const c = ctx('qwen2.5-chat');
    attach(c);
    const manifests = synth(c);
    const autoscaler = manifests.find((m) => ['ScaledObject', 'HorizontalPodAutoscaler', 'PodAutoscaler'].includes(m.kind));
    expect(autoscaler.metadata.name).toMatch(/^qwen2\.5-chat-decode-(scaler|hpa|pa)$/);
    expect(autoscaler.spec.scaleTargetRef.name).toBe('qwen2.5-chat-decode');
    if (autoscaler.kind !== 'HorizontalPodAutoscaler') expect(crdErrors(autoscaler)).toEqual([]);
    expect(nameErrors(manifests)).toEqual([]);
  });

  test('the alerts, the TriggerAuthentication and an explicit dotted hpaName too', () => {
    const c = ctx('qwen2.5-chat');
    const auth = new KedaTriggerAuthentication(c.chart, 'auth', { name: 'qwen2.5-chat-prom', secretName: 'prom.secret', parameters: { bearerToken: 't' } });
    const keda = new KedaAutoscaler(c.chart, 'keda', {
      target: c.decode.adapter,
      hpaName: 'qwen2.5-chat-decode',
      triggers: [KedaTrigger.prometheus({
        serverAddress: PROMETHEUS, query: DynamoMetrics.queueDepth({ deployment: c.dgd }), threshold: 5, authentication: auth.authentication,
      })],
    });
    new AutoscalerAlerts(c.chart, 'alerts', { hpaName: keda.hpaName, scaledObjectName: keda.name });
    const manifests = synth(c);
    expect(only(manifests, 'ScaledObject').spec.advanced.horizontalPodAutoscalerConfig.name).toBe('qwen2.5-chat-decode');
    expect(only(manifests, 'PrometheusRule').metadata.name).toBe('qwen2.5-chat-decode-alerts');
    for (const m of manifests.filter((x) => ['ScaledObject', 'TriggerAuthentication'].includes(x.kind))) expect(crdErrors(m)).toEqual([]);
    expect(nameErrors(manifests)).toEqual([]);
  });

  test('the default ScaledObject name at the edge: 54 passes, 55 fails with the length rule', () => {
    // <dgd>-decode-scaler: 14 characters after the DGD name.
    const ok = ctx(`a.${'b'.repeat(38)}`);
    AUTOSCALERS[0][1](ok);
    expect(only(synth(ok), 'ScaledObject').metadata.name).toHaveLength(54);
    const long = ctx(`a.${'b'.repeat(39)}`);
    expect(() => AUTOSCALERS[0][1](long)).toThrow(
      /\[c\/keda\] DYN201 ScaledObject [^:]+: metadata\.name = "a\.b{39}-decode-scaler": is 55 characters; KEDA's webhook rejects a ScaledObject whose HPA name 'keda-hpa-<name>' exceeds 63, so at most 54 \(or set 'hpaName'\)/);
  });
});

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED = LOWER + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const label = (chars: string, inner: string, max: number) => fc.tuple(
  fc.constantFrom(...chars),
  fc.array(fc.constantFrom(...inner), { maxLength: Math.max(0, max - 2) }),
  fc.constantFrom(...chars),
).map(([a, mid, z]) => a + mid.join('') + z);
/** DNS subdomains as Kubernetes accepts them for a DGD name: dots, long parts, up to 253. */
const dgdName = fc.oneof(
  label(LOWER, LOWER + '-.', 30),
  fc.array(label(LOWER, LOWER + '-', 63), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
  fc.integer({ min: 35, max: 60 }).map((n) => `q.${'x'.repeat(n - 2)}`),
).map((s) => s.replace(/\.(?=[-.])|-(?=\.)/g, 'a')).filter((s) => s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s));
/** Component names as the DGD accepts them (upper case allowed; the adapter lowercases). */
const serviceName = label(MIXED, MIXED + '-', 63).filter((s) => s.length <= 63);

describe('property: for names the real systems accept, every autoscaler renders valid output or fails with the length rule it breaks', () => {
  test.each(AUTOSCALERS)('%s', (_kind, attach) => {
    let rendered = 0;
    let refused = 0;
    fc.assert(fc.property(dgdName, serviceName, (dgd, service) => {
      let c: Ctx;
      try {
        c = ctx(dgd, service);
      } catch {
        return; // the DGD's own rules (another module's) refused the names
      }
      try {
        attach(c);
        const manifests = synth(c);
        for (const m of manifests) if (['ScaledObject', 'PodAutoscaler', 'TriggerAuthentication'].includes(m.kind)) expect(crdErrors(m)).toEqual([]);
        for (const m of manifests) if (m.kind === 'ScaledObject') expect(scaledObjectProblems(m)).toEqual([]);
        expect(nameErrors(manifests)).toEqual([]);
        rendered++;
      } catch (e: any) {
        const message = String(e?.message ?? e);
        expect(e?.name).toBe('DynamoValidationError');
        // The value in the message is longer than the limit the message states.
        // `'field' ("value")`, or a rule's `field = "value"` (which a long value shows cut, ending in `...`).
        const value = /(?:'\w+' \(|= )"([^"]*?)(?:"|\.\.\.:)/.exec(message)?.[1];
        const limit = Number(/at most (\d+)/.exec(message)?.[1]);
        expect({ message, tooLong: value !== undefined && value.length > limit }).toEqual({ message, tooLong: true });
        refused++;
      }
    }), { numRuns: RUNS });
    expect(rendered + refused).toBeGreaterThan(RUNS / 2);
    expect(rendered).toBeGreaterThan(0);
  });
});
