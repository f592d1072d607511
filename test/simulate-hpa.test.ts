// The Kubernetes HPA replica calculator against the upstream test tables, ported as data
// in test/fixtures/simulate/ (source noted in each file).
import * as fs from 'fs';
import * as path from 'path';
import {
  getExternalMetricReplicas, getExternalPerPodMetricReplicas, getObjectMetricReplicas,
  getObjectPerPodMetricReplicas, getPlainMetricReplicas, getResourceReplicas, groupPods,
  PodMetric, PodPhase, ConditionStatus, SimPod, ZERO_TIME, CalcOptions, Tolerances,
} from '../src/simulate/hpa/replica-calculator';

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
    const req = tc.requests && i < tc.requests.length ? { cpu: tc.requests[i] } : {};
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
