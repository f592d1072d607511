/**
 * Property tests: random valid compositions always synthesize to manifests the CRDs
 * accept, with valid, deterministic, unique names; random invalid inputs always fail
 * with the library's own error, never with an exception from inside cdk8s.
 */
import { App, Chart, Duration, Testing, Yaml } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  DynamoApiVersion, DynamoGraphDeployment, DynamoMetrics, DynamoNames, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PromQuery,
  ServiceRole,
} from '../src';
import { crdErrors, hasCrd, hpaRuleErrors } from './support';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
const mixed = lower + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const dnsLabel = (max: number) => fc.tuple(
  fc.constantFrom(...lower),
  fc.array(fc.constantFrom(...(lower + '-')), { maxLength: Math.max(0, max - 2) }),
  fc.constantFrom(...lower),
).map(([a, mid, z]) => a + mid.join('') + z);
const serviceName = fc.tuple(
  fc.constantFrom(...mixed),
  fc.array(fc.constantFrom(...(mixed + '-')), { maxLength: 14 }),
  fc.constantFrom(...mixed),
).map(([a, mid, z]) => a + mid.join('') + z);

const roles = [ServiceRole.FRONTEND, ServiceRole.WORKER, ServiceRole.PREFILL, ServiceRole.DECODE, ServiceRole.PLANNER];

const serviceSpec = fc.record({
  // 'Resource' is the id cdk8s constructs conventionally use for their ApiObject.
  name: fc.oneof(serviceName, fc.constant('Resource')),
  role: fc.constantFrom(...roles),
  replicas: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  gpu: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  adapter: fc.boolean(),
  image: fc.constantFrom('img:1.5.1', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1'),
  args: fc.option(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), { nil: undefined }),
  env: fc.option(fc.dictionary(fc.constantFrom('A', 'B_C', 'HF_HOME', 'x.y'), fc.string({ maxLength: 10 })), { nil: undefined }),
});

const composition = fc.record({
  dgdName: dnsLabel(20),
  namespace: dnsLabel(12),
  version: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
  services: fc.uniqueArray(serviceSpec, { minLength: 1, maxLength: 8, selector: (s) => s.name.toLowerCase() }),
});

function build(c: any): { app: App; dgd: DynamoGraphDeployment } {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: c.namespace });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: c.dgdName, apiVersion: c.version });
  for (const s of c.services) {
    dgd.addService(s.name, {
      role: s.role,
      replicas: s.replicas,
      scalingAdapter: s.adapter,
      image: s.image,
      args: s.args,
      env: s.env,
      resources: s.gpu === undefined ? undefined : { limits: { gpu: s.gpu } },
    });
  }
  return { app, dgd };
}

describe('properties', () => {
  test('valid compositions validate against the CRDs, deterministically', () => {
    fc.assert(fc.property(composition, (c) => {
      const { app, dgd } = build(c);
      const manifests = Testing.synth(app.charts[0]);
      for (const m of manifests.filter(hasCrd)) expect(crdErrors(m)).toEqual([]);
      const names = dgd.services.map((s) => s.adapter.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      for (const s of dgd.services) expect(s.adapter.name).toBe(DynamoNames.adapterName(c.dgdName, s.serviceName));
      // Synthesizing twice, or an identical second app, gives byte-identical YAML.
      const again = build(c).app;
      expect(Yaml.stringify(...Testing.synth(again.charts[0]))).toBe(Yaml.stringify(...manifests));
      expect(app.synthYaml()).toBe(app.synthYaml());
    }), { numRuns: RUNS });
  });

  test('invalid names and counts fail with the library error, never a cdk8s crash', () => {
    const badDgdName = fc.oneof(
      fc.string({ maxLength: 10 }).filter((s) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s)),
      fc.constant('a'.repeat(254)),
      fc.constantFrom('UPPER', '-lead', 'trail-', 'has space', 'quote"d', 'new\nline'),
    );
    fc.assert(fc.property(badDgdName, (name) => {
      const chart = Testing.chart();
      expect(() => new DynamoGraphDeployment(chart, 'dgd', { name })).toThrow(/^\[test\/dgd\] 'name' \(.*\): must be a DNS subdomain/s);
    }), { numRuns: RUNS });

    const badService = fc.oneof(
      fc.record({ name: fc.constantFrom('-x', 'x-', 'a b', 'a_b', 'é', ''), replicas: fc.constant(1) }),
      fc.record({ name: fc.constant('ok'), replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true })) }),
    );
    fc.assert(fc.property(badService, ({ name, replicas }) => {
      const chart = Testing.chart();
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'd' });
      let error: any;
      try {
        dgd.addService(name, { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas });
      } catch (e) {
        error = e;
      }
      expect(error?.name).toBe('DynamoValidationError');
      expect(error.message).toMatch(/^\[test\/dgd(\/[^\]]*)?\] '(name|replicas)' \(/);
    }), { numRuns: RUNS });
  });
});

describe('properties of autoscaled compositions', () => {
  const scaler = fc.constantFrom('none', 'hpa', 'keda', 'keda-cron');
  const autoscaled = fc.record({
    dgdName: dnsLabel(16),
    namespace: dnsLabel(12),
    version: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
    services: fc.uniqueArray(fc.record({ name: serviceName, role: fc.constantFrom(...roles), scaler, max: fc.integer({ min: 1, max: 40 }) }),
      { minLength: 1, maxLength: 6, selector: (s) => s.name.toLowerCase() }),
    threshold: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
    quantile: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    window: fc.integer({ min: 1, max: 7200 }),
    model: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
  });

  function buildScaled(c: any): { app: App; names: string[] } {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: c.namespace });
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: c.dgdName, apiVersion: c.version });
    const names: string[] = [];
    for (const s of c.services) {
      const svc = dgd.addService(s.name, { image: 'runtime:1.5.1', role: s.role, replicas: 1 });
      if (s.scaler === 'hpa') {
        names.push(new HpaAutoscaler(chart, `hpa-${s.name}`, {
          target: svc.adapter,
          maxReplicas: s.max,
          metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
        }).name);
      } else if (s.scaler === 'keda' || s.scaler === 'keda-cron') {
        const triggers = [KedaTrigger.prometheus({
          serverAddress: 'http://prometheus.monitoring.svc:9090',
          query: DynamoMetrics.ttftQuantile({ deployment: dgd, quantile: c.quantile, window: Duration.seconds(c.window), model: c.model }),
          threshold: c.threshold,
        })];
        if (s.scaler === 'keda-cron') triggers.push(KedaTrigger.businessHours({ timezone: 'Europe/Berlin', desiredReplicas: 1 }));
        names.push(new KedaAutoscaler(chart, `keda-${s.name}`, { target: svc.adapter, maxReplicas: s.max, triggers, hpaName: undefined }).name);
      }
    }
    return { app, names };
  }

  test('every manifest validates, names are valid and unique, output is deterministic', () => {
    fc.assert(fc.property(autoscaled, (c) => {
      let built: { app: App; names: string[] };
      try {
        built = buildScaled(c);
      } catch (e: any) {
        // Long DGD + service names can exceed KEDA's 54-character limit: that must be
        // the library's own error, naming the limit.
        expect(e.name).toBe('DynamoValidationError');
        expect(e.message).toMatch(/is \d+ characters; KEDA's webhook rejects/);
        return;
      }
      const yaml = built.app.synthYaml();
      const manifests = Testing.synth(built.app.charts[0]);
      for (const m of manifests.filter(hasCrd)) expect(crdErrors(m)).toEqual([]);
      const objectNames = manifests.map((m: any) => `${m.kind}/${m.metadata.name}`);
      expect(new Set(objectNames).size).toBe(objectNames.length);
      for (const n of built.names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      for (const m of manifests.filter((x: any) => x.kind === 'ScaledObject')) {
        expect(m.metadata.name.length).toBeLessThanOrEqual(54);
        expect(JSON.stringify(m)).not.toContain('metricName');
      }
      for (const s of c.services.filter((x: any) => x.scaler !== 'none')) {
        const dgd = manifests.find((m: any) => m.kind === 'DynamoGraphDeployment');
        const rendered = c.version === DynamoApiVersion.V1ALPHA1
          ? dgd.spec.services[s.name]
          : dgd.spec.components.find((x: any) => x.name === s.name);
        expect(rendered.replicas).toBeUndefined();
        expect(rendered.scalingAdapter).toEqual(c.version === DynamoApiVersion.V1ALPHA1 ? { enabled: true } : {});
      }
      expect(buildScaled(c).app.synthYaml()).toBe(yaml);
    }), { numRuns: RUNS });
  });
});

describe('properties of invalid autoscaler inputs', () => {
  /** Runs `make`; passes if it throws the library's error, fails on any other outcome. */
  function expectLibraryError(make: () => unknown): void {
    let error: any;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expect(error.name).toBe('DynamoValidationError');
    expect(error.message).toMatch(/^\[[^\]]+\] ('[^']+' \(|DYN\d{3} \S+ \S+: \S+)/);
  }

  const nastyString = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('"', '\\', '\n', 'a"b', 'line\nbreak', '${x}', '}', '{', '\u0000'),
  );

  test('thresholds, durations, cron strings and time zones', () => {
    const badThreshold = fc.oneof(fc.constantFrom(0, -1, NaN, Infinity, -Infinity), fc.double({ max: -1e-9, noNaN: true }));
    fc.assert(fc.property(badThreshold, (threshold) => {
      expectLibraryError(() => KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold }));
    }), { numRuns: RUNS });

    const badMillis = fc.oneof(fc.double({ min: 0.001, max: 999.999, noNaN: true }).filter((x) => x % 1000 !== 0), fc.constant(1500));
    fc.assert(fc.property(badMillis, (ms) => {
      const chart = Testing.chart();
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'd', namespace: 'ns' });
      const s = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      expectLibraryError(() => new KedaAutoscaler(chart, 'k', {
        target: s.adapter,
        pollingInterval: Duration.millis(ms),
        triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      }));
      expectLibraryError(() => DynamoMetrics.requestRate({ deployment: dgd, window: Duration.millis(ms) }));
    }), { numRuns: RUNS });

    const badCron = fc.oneof(
      nastyString.filter((s) => s.trim().split(/\s+/).length !== 5),
      fc.constantFrom('0 8 * * 1-5 2026', '60 25 * * *x', '* * * *', 'a b c d e f'),
    );
    fc.assert(fc.property(badCron, (start) => {
      expectLibraryError(() => KedaTrigger.cron({ timezone: 'UTC', start, end: '0 18 * * 1-5', desiredReplicas: 1 }));
    }), { numRuns: RUNS });

    const badZone = fc.oneof(fc.constantFrom('Mars/Olympus', 'UTC+25', '', 'Europe/Nowhere', 'New York'), nastyString.filter((s) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: s });
        return s.length === 0;
      } catch {
        return true;
      }
    }));
    fc.assert(fc.property(badZone, (timezone) => {
      expectLibraryError(() => KedaTrigger.cron({ timezone, start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 1 }));
    }), { numRuns: RUNS });
  });

  test('label values with quotes and newlines are escaped into valid PromQL strings, never break out', () => {
    fc.assert(fc.property(nastyString.filter((s) => s.length > 0), (model) => {
      const q = DynamoMetrics.queueDepth({ dynamoNamespace: 'ns-d', model }).expr;
      const m = /model="((?:[^"\\]|\\.)*)"/.exec(q);
      expect(m).not.toBeNull();
      // Unescaping the PromQL string gives back the value exactly.
      expect(JSON.parse(`"${m![1].replace(/\u0000/g, '\\u0000')}"`)).toBe(model);
      expect(q).not.toMatch(/\n/);
    }), { numRuns: RUNS });
  });

  test('HPA bounds and KEDA counts', () => {
    const counts = fc.record({ min: fc.integer({ min: -5, max: 30 }), max: fc.integer({ min: -5, max: 30 }) })
      .filter(({ min, max }) => min < 1 || max < 1 || min > max);
    fc.assert(fc.property(counts, ({ min, max }) => {
      const chart = Testing.chart();
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'd', namespace: 'ns' });
      const s = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      expectLibraryError(() => new HpaAutoscaler(chart, 'h', {
        target: s.adapter, minReplicas: min, maxReplicas: max, metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
      }));
      if (!(min === 0 && max >= 1)) {
        expectLibraryError(() => new KedaAutoscaler(chart, 'k', {
          target: s.adapter,
          minReplicas: min,
          maxReplicas: max,
          allowScaleToZero: true,
          triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1, activationThreshold: 0 })],
        }));
      }
    }), { numRuns: RUNS });
  });
});

/**
 * Issue 13's "done when": random compositions of several namespaces, several DGDs whose
 * names overlap by prefix (`a`, `a-b`, ...), services and qualifiers that can spell one
 * another's names, names at the edges of their limits and counts at the int32 edges.
 * Either every object synthesizes valid (CRDs, the Kubernetes HPA rules) and unique by
 * identity, including the adapters the operator creates and the HPAs KEDA creates, with
 * every autoscaler resolving to an enabled adapter in its own namespace; or the error
 * names the construct and the field.
 */
describe('properties of whole apps: identity, namespaces, int32', () => {
  const INT32_MAX = 2147483647;
  const prefix = fc.constantFrom('a', 'a-b', 'b', 'b-c', 'a-b-c');
  const dgdName = fc.oneof(
    { weight: 6, arbitrary: prefix },
    { weight: 1, arbitrary: fc.integer({ min: 150, max: 189 }).map((n) => 'l'.repeat(n)) },
  );
  const count = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom(INT32_MAX, INT32_MAX + 1, 3e9, 2 ** 40) },
  );
  const app = fc.array(fc.record({
    namespace: fc.constantFrom('team-a', 'team-b', 'team-a'),
    dgd: dgdName,
    services: fc.uniqueArray(fc.record({
      name: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('c', 'b-c', 'x', 'decode', 'decode-x') },
        { weight: 1, arbitrary: fc.integer({ min: 60, max: 63 }).map((n) => 's'.repeat(n)) },
      ),
      adapter: fc.boolean(),
      scaler: fc.constantFrom('none', 'hpa', 'hpa', 'keda'),
      qualifier: fc.option(fc.constantFrom('x', 'q'), { nil: undefined }),
      max: count,
      otherNamespace: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }), { minLength: 1, maxLength: 3, selector: (s) => s.name.toLowerCase() }),
  }), { minLength: 1, maxLength: 4 });

  function buildApp(spec: any[]): App {
    const root = Testing.app();
    spec.forEach((d, i) => {
      const chart = new Chart(root, `c${i}`, { namespace: d.namespace });
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: d.dgd });
      for (const s of d.services) {
        const svc = dgd.addService(s.name, { image: 'runtime:1.5.1', role: ServiceRole.WORKER, scalingAdapter: s.adapter });
        const namespace = s.otherNamespace ? 'elsewhere' : undefined;
        if (s.scaler === 'hpa') {
          new HpaAutoscaler(chart, `hpa-${s.name}`, {
            target: svc.adapter,
            maxReplicas: s.max,
            qualifier: s.qualifier,
            namespace,
            metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
          });
        } else if (s.scaler === 'keda') {
          new KedaAutoscaler(chart, `keda-${s.name}`, {
            target: svc.adapter,
            maxReplicas: s.max,
            qualifier: s.qualifier,
            namespace,
            triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: DynamoMetrics.queueDepth({ deployment: dgd }), threshold: 5 })],
          });
        }
      }
    });
    root.synth();
    return root;
  }

  /** Every object the cluster will hold, by identity, computed from the manifests alone. */
  function identities(manifests: any[]): string[] {
    const id = (apiVersion: string, kind: string, ns: string | undefined, name: string) => `${apiVersion.split('/')[0]}|${kind}|${ns ?? ''}|${name}`;
    const out: string[] = [];
    for (const m of manifests) {
      const ns = m.metadata.namespace;
      out.push(id(m.apiVersion, m.kind, ns, m.metadata.name));
      if (m.kind === 'DynamoGraphDeployment') {
        for (const [name, s] of Object.entries<any>(m.spec.services ?? {})) {
          if (s.scalingAdapter?.enabled) out.push(id('nvidia.com', 'DynamoGraphDeploymentScalingAdapter', ns, DynamoNames.adapterName(m.metadata.name, name)));
        }
      }
      if (m.kind === 'ScaledObject') {
        out.push(id('autoscaling/v2', 'HorizontalPodAutoscaler', ns, m.spec.advanced?.horizontalPodAutoscalerConfig?.name ?? `keda-hpa-${m.metadata.name}`));
      }
    }
    return out;
  }

  test('every synthesized object is valid and unique by identity, or the error names the construct and field', () => {
    let built = 0;
    let refused = 0;
    fc.assert(fc.property(app, (spec) => {
      let root: App;
      try {
        root = buildApp(spec);
      } catch (e: any) {
        refused += 1;
        expect(e.message).not.toMatch(/There is already a Construct|Cannot read prop|is not a function|undefined \(reading/);
        // Construction errors: `[path] 'field' (value): rule` or a rule's `[path] DYNxxx Kind ns/name: field = value: text`;
        // synth errors: cdk8s's report of those.
        expect(e.message).toMatch(/\[[^\]]*\] ('[^']+' \(|DYN\d{3} \S+ \S+: \S+)/);
        return;
      }
      built += 1;
      const manifests = root.charts.flatMap((c) => Testing.synth(c));
      for (const m of manifests.filter(hasCrd)) expect(crdErrors(m)).toEqual([]);
      for (const m of manifests.filter((x) => x.kind === 'HorizontalPodAutoscaler')) expect(hpaRuleErrors(m)).toEqual([]);
      const ids = identities(manifests);
      expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
      for (const m of manifests.filter((x) => x.spec?.scaleTargetRef?.kind === 'DynamoGraphDeploymentScalingAdapter')) {
        const adapter = `nvidia.com|DynamoGraphDeploymentScalingAdapter|${m.metadata.namespace}|${m.spec.scaleTargetRef.name}`;
        expect({ autoscaler: m.metadata.name, resolves: ids.includes(adapter) }).toEqual({ autoscaler: m.metadata.name, resolves: true });
      }
    }), { numRuns: RUNS * 3 });
    // The generator reaches both outcomes.
    expect(built).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
