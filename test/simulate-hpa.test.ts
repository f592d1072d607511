// The Kubernetes HPA replica calculator against the upstream test tables, ported as data
// in test/fixtures/simulate/ (source noted in each file).
import * as fs from 'fs';
import * as path from 'path';
import {
  convertWithBehaviorRate, convertWithRules, generateScaleDownRules, generateScaleUpRules, HpaHistory,
  PartialScalingRules, replicasChangePerPeriod, scaleDownLimit, scaleUpLimit, ScaleEvent, stabilizeLegacy,
  stabilizeWithBehaviors, storeScaleEvent,
} from '../src/simulate/hpa/behavior';
import { ClusterView, HpaController, HpaMetric } from '../src/simulate/hpa/controller';
import {
  getExternalMetricReplicas, getExternalPerPodMetricReplicas, getObjectMetricReplicas,
  getObjectPerPodMetricReplicas, getPlainMetricReplicas, getResourceReplicas, groupPods,
  PodMetric, PodPhase, ConditionStatus, SimPod, ZERO_TIME, CalcOptions, Tolerances,
} from '../src/simulate/hpa/replica-calculator';
import { parseQuantity } from '../src/simulate/quantity';

const FIXTURES = path.join(__dirname, 'fixtures', 'simulate');
function load(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

// The upstream test calculator: 2 min CPU initialization period, 10 s readiness delay.
const NOW = 0;
const OPTS: CalcOptions = { now: NOW, cpuInitializationPeriod: 120, delayOfInitialReadinessStatus: 10 };

interface RcCase {
  name: string;
  kind: 'resource' | 'pods' | 'object' | 'objectPerPod' | 'external' | 'externalPerPod';
  currentReplicas: number;
  tolerances?: [number, number];
  container?: string;
  readiness?: ConditionStatus[];
  startTime?: Array<'hot' | 'cool'>;
  phase?: PodPhase[];
  deleting?: boolean[];
  requests?: number[];
  levels: Array<number | number[]>;
  podNames?: string[];
  target: number;
  expect: { replicas?: number; utilization?: number; raw?: number; usage?: number; error?: string };
}

/** buildFakePod of replica_calculator_test.go. */
function fakePods(tc: RcCase): SimPod[] {
  const count = Math.max(tc.currentReplicas, tc.phase?.length ?? 0);
  const pods: SimPod[] = [];
  for (let i = 0; i < count; i++) {
    const start = tc.startTime?.[i];
    const req: Record<string, number> = tc.requests && i < tc.requests.length ? { cpu: tc.requests[i] } : {};
    pods.push({
      name: `test-pod-${i}`,
      phase: tc.phase?.[i] ?? 'Running',
      ready: { status: tc.readiness?.[i] ?? 'True', lastTransitionTime: ZERO_TIME },
      startTime: start === 'hot' ? NOW : start === 'cool' ? NOW - 180 : ZERO_TIME,
      deleting: tc.deleting?.[i] ?? false,
      containers: [{ name: 'container1', requests: req }, { name: 'container2', requests: req }],
    });
  }
  return pods;
}

/** The fake metrics.k8s.io client plus the metrics client's per-pod or per-container sum. */
function fakeResourceMetrics(tc: RcCase): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  tc.levels.forEach((level, i) => {
    const containers = typeof level === 'number' ? [level, level] : level;
    const name = tc.podNames?.[i] ?? `test-pod-${i}`;
    let value: number | undefined;
    if (tc.container) {
      const idx = Number(tc.container.replace('container', '')) - 1;
      value = containers[idx];
    } else if (containers.length === 2) {
      value = containers[0] + containers[1];
    }
    if (value !== undefined) out.set(name, { value, timestamp: ZERO_TIME, window: 60 });
  });
  return out;
}

function run(tc: RcCase): { replicas: number; utilization?: number; raw?: number; usage?: number } {
  const tol: Tolerances = tc.tolerances ? { scaleDown: tc.tolerances[0], scaleUp: tc.tolerances[1] } : { scaleDown: 0.1, scaleUp: 0.1 };
  const pods = fakePods(tc);
  const levels = tc.levels as number[];
  switch (tc.kind) {
    case 'resource': {
      const r = getResourceReplicas(tc.currentReplicas, tc.target, 'cpu', tol, pods, fakeResourceMetrics(tc), tc.container ?? '', OPTS);
      return { replicas: r.replicas, utilization: r.utilization, raw: r.rawUtilization };
    }
    case 'pods': {
      const m = new Map<string, PodMetric>(levels.map((v, i) => [`test-pod-${i}`, { value: v, timestamp: ZERO_TIME, window: 60 }]));
      return getPlainMetricReplicas(tc.currentReplicas, tc.target, '', tol, pods, m, OPTS);
    }
    case 'object': return getObjectMetricReplicas(tc.currentReplicas, tc.target, levels[0], tol, pods);
    case 'objectPerPod': return getObjectPerPodMetricReplicas(tc.currentReplicas, tc.target, levels[0], tol);
    case 'external': return getExternalMetricReplicas(tc.currentReplicas, tc.target, levels, tol, pods);
    case 'externalPerPod': return getExternalPerPodMetricReplicas(tc.currentReplicas, tc.target, levels, tol);
  }
}

const rc = load('k8s-replica-calculator.json');

describe('HPA replica calculator (kubernetes replica_calculator_test.go)', () => {
  test('the ported table is complete', () => {
    expect(rc.cases).toHaveLength(76);
    expect(rc.groupPods).toHaveLength(14);
  });

  test.each((rc.cases as RcCase[]).map((c) => [c.name, c]))('%s', (_name, tc) => {
    if (tc.expect.error) {
      expect(() => run(tc)).toThrow(tc.expect.error);
      return;
    }
    const got = run(tc);
    expect(got.replicas).toBe(tc.expect.replicas);
    if (tc.expect.utilization !== undefined) expect(got.utilization).toBe(tc.expect.utilization);
    if (tc.expect.raw !== undefined) expect(got.raw).toBe(tc.expect.raw);
    if (tc.expect.usage !== undefined) expect(got.usage).toBe(tc.expect.usage);
  });

  test.each((rc.groupPods as any[]).map((c) => [c.name, c]))('groupPods: %s', (_name, tc) => {
    const pods: SimPod[] = tc.pods.map((p: any) => ({
      name: p.name, phase: p.phase, ready: p.ready, startTime: p.startTime, deleting: p.deleting ?? false, containers: [],
    }));
    const metrics = new Map<string, PodMetric>(Object.entries(tc.metrics).map(([k, v]: [string, any]) =>
      [k, { value: 1, timestamp: v.timestamp ?? ZERO_TIME, window: v.window ?? 0 }]));
    const g = groupPods(pods, metrics, tc.resource, OPTS);
    expect(g.readyPodCount).toBe(tc.expect.ready);
    expect([...g.unready].sort()).toEqual(tc.expect.unready);
    expect([...g.missing].sort()).toEqual(tc.expect.missing);
    expect([...g.ignored].sort()).toEqual(tc.expect.ignored);
  });
});

// ---- horizontal_test.go: behavior, stabilization, policies, events ----

const hz = load('k8s-horizontal.json');

/** generateScalingRules of horizontal_test.go. */
function rules(r?: number[] | null): PartialScalingRules | undefined {
  if (!r) return undefined;
  const [pods, podsPeriod, percent, percentPeriod, window] = r;
  const policies = [];
  if (pods !== 0) policies.push({ type: 'Pods' as const, value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent' as const, value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/** generateEventsUniformDistribution of horizontal_test.go (now = 0). */
function uniformEvents(e?: { raw: number[]; period: number }): ScaleEvent[] {
  if (!e) return [];
  const seg = e.period / e.raw.length;
  return e.raw.map((change, idx) => ({
    replicaChange: change,
    timestamp: -Math.trunc(e.period - seg * (idx + 1) + seg / 2),
    outdated: false,
  }));
}

describe('HPA behavior (kubernetes horizontal_test.go)', () => {
  test('the ported tables are complete', () => {
    expect(hz.scalingWithRules).toHaveLength(42);
    expect(hz.normalizeWithBehavior).toHaveLength(11);
    expect(hz.normalizeLegacy).toHaveLength(5);
    expect(hz.storeScaleEvents).toHaveLength(8);
    expect(hz.convertWithRules).toHaveLength(5);
    expect(hz.limits).toHaveLength(2);
  });

  test.each((hz.scalingWithRules as any[]).map((c) => [c.name, c]))('TestScalingWithRules: %s', (_n, tc) => {
    const h = new HpaHistory();
    h.scaleUpEvents = uniformEvents(tc.upEvents);
    h.scaleDownEvents = uniformEvents(tc.downEvents);
    const got = convertWithBehaviorRate(h, {
      scaleUp: generateScaleUpRules(rules(tc.up)),
      scaleDown: generateScaleDownRules(rules(tc.down)),
      minReplicas: tc.min,
      maxReplicas: tc.max,
      currentReplicas: tc.current,
      desiredReplicas: tc.desired,
    }, 0);
    expect(got.replicas).toBe(tc.expect);
    expect(got.reason).toBe(tc.condition);
  });

  test.each((hz.normalizeWithBehavior as any[]).map((c) => [c.name, c]))('TestNormalizeDesiredReplicasWithBehavior: %s', (_n, tc) => {
    const h = new HpaHistory();
    h.recommendations = tc.recs.map(([r, t]: number[]) => ({ recommendation: r, timestamp: t }));
    const got = stabilizeWithBehaviors(h, {
      scaleUp: { stabilizationWindowSeconds: tc.upWindow ?? 0, selectPolicy: 'Max', policies: [] },
      scaleDown: { stabilizationWindowSeconds: tc.downWindow ?? 0, selectPolicy: 'Max', policies: [] },
      minReplicas: 0,
      maxReplicas: 0,
      currentReplicas: tc.current,
      desiredReplicas: tc.desired,
    }, 0);
    expect(got.replicas).toBe(tc.expect);
    if (tc.expectRecs) expect(h.recommendations.map((r) => r.recommendation)).toEqual(tc.expectRecs);
  });

  test.each((hz.normalizeLegacy as any[]).map((c) => [c.name, c]))('TestNormalizeDesiredReplicas: %s', (_n, tc) => {
    const h = new HpaHistory();
    h.recommendations = tc.recs.map(([r, t]: number[]) => ({ recommendation: r, timestamp: t }));
    expect(stabilizeLegacy(h, tc.desired, 300, 0)).toBe(tc.expect);
    expect(h.recommendations).toHaveLength(tc.logLength);
  });

  test.each((hz.storeScaleEvents as any[]).map((c) => [c.name, c]))('TestStoreScaleEvents: %s', (_n, tc) => {
    for (const direction of ['up', 'down'] as const) {
      const h = new HpaHistory();
      const prev: ScaleEvent[] = tc.prev.map(([c, t]: number[]) => ({ replicaChange: c, timestamp: t, outdated: false }));
      const r = rules(tc.rules);
      const full = r ? { selectPolicy: 'Max' as const, policies: r.policies ?? [], stabilizationWindowSeconds: r.stabilizationWindowSeconds } : undefined;
      // The test's behavior has only the direction under test; the other is never read.
      const behavior = full ? { scaleUp: full, scaleDown: full } : undefined;
      if (direction === 'up') h.scaleUpEvents = prev;
      else h.scaleDownEvents = prev;
      expect(replicasChangePerPeriod(60, prev, 0)).toBe(tc.expectChange);
      storeScaleEvent(h, behavior, 10, direction === 'up' ? 10 + tc.change : 10 - tc.change, 0);
      const got = direction === 'up' ? h.scaleUpEvents : h.scaleDownEvents;
      expect(got.map((e) => [e.replicaChange, e.outdated])).toEqual(tc.next);
    }
  });

  test.each((hz.convertWithRules as any[]).map((c) => [c.name, c]))('TestConvertDesiredReplicasWithRules: %s', (_n, tc) => {
    const got = convertWithRules(tc.current, tc.desired, tc.min, tc.max, 8);
    expect(got.replicas).toBe(tc.expect);
    expect(got.reason).toBe(tc.condition);
  });

  test.each((hz.limits as any[]).map((c) => [c.name, c]))('%s', (_n, tc) => {
    const r = { selectPolicy: tc.selectPolicy, policies: tc.policies, stabilizationWindowSeconds: 300 };
    const got = tc.direction === 'up' ? scaleUpLimit(tc.current, [], [], r, 0) : scaleDownLimit(tc.current, [], [], r, 0);
    expect(got).toBe(tc.expect);
  });
});

// ---- horizontal_test.go: one whole reconcile with the test's fake cluster ----
describe('HPA reconcile (kubernetes horizontal_test.go whole-controller cases)', () => {
  const rec = load('k8s-horizontal-reconcile.json');

  test('the ported table is complete', () => {
    expect(rec.cases).toHaveLength(21);
  });

  test.each((rec.cases as any[]).map((c) => [c.name, c]))('%s', (_n, tc) => {
    const metric: HpaMetric = tc.cpuTarget
      ? { type: 'Resource', name: 'cpu', target: { type: 'Utilization', value: tc.cpuTarget } }
      : { type: tc.metric.type, name: 'qps', target: { type: tc.metric.targetType ?? 'AverageValue', value: parseQuantity(tc.metric.target)! } };
    const count = tc.requests ? tc.requests.length : tc.status;
    const pods: SimPod[] = Array.from({ length: count }, (_, i) => {
      const start = tc.startTime?.[i] === 'hot' ? NOW : tc.startTime?.[i] === 'cool' ? NOW - 180 : ZERO_TIME;
      return {
        name: `test-pod-${i}`,
        phase: tc.phase?.[i] ?? 'Running',
        startTime: start,
        deleting: tc.deleting?.[i] ?? false,
        ready: { status: tc.readiness?.[i] ?? 'True', lastTransitionTime: start },
        containers: [{ name: 'container1', requests: { cpu: (tc.requests?.[i] ?? 1000) / 2 } }, { name: 'container2', requests: { cpu: (tc.requests?.[i] ?? 1000) / 2 } }],
      };
    });
    const view: ClusterView = {
      pods,
      podMetrics: () => new Map((tc.levels as number[]).map((v, i) => [`test-pod-${i}`, { value: v, timestamp: NOW, window: 60 }])),
      objectMetric: () => tc.levels[0],
      externalMetric: () => tc.levels,
    };
    const c = new HpaController({ name: 'test-hpa', minReplicas: tc.min, maxReplicas: tc.max, metrics: [metric] }, {
      tolerance: 0.1, downscaleStabilizationWindow: 300, cpuInitializationPeriod: 120, initialReadinessDelay: 10, configurableTolerance: true,
    });
    if (tc.emptyHistory) c.seedRecommendations([]);
    const r = c.reconcile(NOW, tc.spec, tc.status, view);
    expect(r.desiredReplicas).toBe(tc.expect);
  });
});
