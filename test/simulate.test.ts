// The what-if simulator end to end: traces, policies, the replay, the command.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { build as buildAibrixKpa } from '../examples/aibrix-kpa';
import { build as buildFrontendHpa } from '../examples/hpa-cpu-frontend';
import { build as buildKedaTtft } from '../examples/keda-ttft';
import { runSimulate } from '../src/cli/simulate-command';
import { promqlWindow, simulate, SimulationError } from '../src/simulate/engine';
import { policiesFromConstruct } from '../src/simulate/index';
import { TargetModel } from '../src/simulate/model';
import { policiesFromManifests, PolicyError } from '../src/simulate/policy';
import { parseCsvTrace, parseJsonTrace, parseTrace, Trace, TraceError } from '../src/simulate/trace';

const TRACE = path.join(__dirname, '..', 'examples', 'traces', 'bursty-day.csv');

function constant(rps: number, seconds: number, step = 15): Trace {
  const t: number[] = [];
  const load: number[] = [];
  for (let s = 0; s < seconds; s += step) {
    t.push(s);
    load.push(rps);
  }
  return { t, load, step };
}

const MODEL: TargetModel = { capacityPerReplica: 10, startupSeconds: 0, scaleDownDelaySeconds: 0, baseLatencySeconds: 0.2, initialReplicas: 1 };

function hpa(spec: Record<string, unknown>) {
  return policiesFromManifests([{ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec }], 'test.yaml')[0];
}

async function cli(args: string[], cwd = process.cwd()) {
  let out = '';
  let err = '';
  const code = await runSimulate(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, readStdin: async () => '', isTTY: false, cwd });
  return { code, out, err };
}

describe('traces', () => {
  test('CSV with a header, comments skipped', () => {
    const t = parseCsvTrace('# c\nt,rps\n0,1\n15,2.5\n30,0\n', 'x.csv');
    expect(t).toEqual({ t: [0, 15, 30], load: [1, 2.5, 0], step: 15, errors: undefined });
  });

  test.each([
    ['unsorted', 't,rps\n0,1\n30,2\n15,3\n', /x.csv:4: time 15 is not after the previous sample \(30\)/],
    ['duplicate time', 't,rps\n0,1\n0,2\n', /not after the previous sample/],
    ['negative', 't,rps\n0,1\n15,-2\n', /x.csv:3: load -2 is negative/],
    ['non-numeric', 't,rps\n0,1\n15,abc\n', /x.csv:3: load "abc" is not a number/],
    ['gap', 't,rps\n0,1\n15,2\n60,3\n', /x.csv:4: gap of 45 s after t=15 \(step 15 s\).*--allow-gaps/],
    ['uneven step', 't,rps\n0,1\n15,2\n25,3\n', /10 s apart here but 15 s apart/],
    ['no load column', 'time,foo\n0,1\n', /needs a time column .* and a load column/],
    ['local time', 't,rps\n2026-01-01T00:00:00,1\n2026-01-01T00:00:15,1\n', /ISO 8601 timestamp with a zone/],
  ])('refuses %s', (_n, text, msg) => {
    expect(() => parseCsvTrace(text, 'x.csv')).toThrow(TraceError);
    expect(() => parseCsvTrace(text, 'x.csv')).toThrow(msg);
  });

  test('--allow-gaps holds the previous value and reports an approximation', () => {
    const notes: string[] = [];
    const t = parseCsvTrace('t,rps\n0,1\n15,2\n60,3\n', 'x.csv', true, notes);
    expect(t.load).toEqual([1, 2, 2, 2, 3]);
    expect(notes).toEqual(['APPROXIMATION: 2 missing samples in x.csv were filled with the previous value (--allow-gaps).']);
  });

  test('Prometheus query_range: one series; several series, NaN or an instant vector are refused', () => {
    const prom = (result: unknown, type = 'matrix') => JSON.stringify({ status: 'success', data: { resultType: type, result } });
    const t = parseTrace(prom([{ metric: {}, values: [[1700000000, '3'], [1700000015, '4.5']] }]), 'p.json');
    expect(t).toMatchObject({ t: [1700000000, 1700000015], load: [3, 4.5], step: 15 });
    expect(() => parseTrace(prom([{ values: [] }, { values: [] }]), 'p.json')).toThrow(/returned 2 series; aggregate it to one/);
    expect(() => parseTrace(prom([{ values: [[1, '1'], [2, 'NaN']] }]), 'p.json')).toThrow(/NaN in the Prometheus data/);
    expect(() => parseTrace(prom([], 'vector'), 'p.json')).toThrow(/export a range query/);
  });

  test('JSON samples with ISO times; "error" marks a failed scrape', () => {
    const t = parseJsonTrace('[{"t":"2026-01-01T00:00:00Z","rps":1},{"t":"2026-01-01T00:00:15Z","rps":"error"}]', 'j.json');
    expect(t.step).toBe(15);
    expect(t.errors).toEqual([false, true]);
  });
});

describe('policies', () => {
  test('refuses what it cannot model, naming the file, field, value and the way out', () => {
    expect(() => policiesFromManifests([{ kind: 'ScaledObject', metadata: { name: 's' }, spec: { triggers: [{ type: 'cron', metadata: {} }] } }], 's.yaml'))
      .toThrow("[s.yaml] 'spec.triggers[0].type' (\"cron\"): cron triggers are not modelled");
    expect(() => policiesFromManifests([{ kind: 'PodAutoscaler', spec: { scalingStrategy: 'HPA' } }], 'pa.yaml'))
      .toThrow(/simulate that HPA manifest instead/);
    expect(() => hpa({ minReplicas: 0, maxReplicas: 3 })).toThrow(/minReplicas 0 \(HPAScaleToZero\) needs at least one Object or External metric/);
    expect(() => hpa({ maxReplicas: 3, behavior: { scaleUp: { policies: [] } } })).toThrow(/explicit empty list fails API validation/);
    expect(() => policiesFromManifests([{ kind: 'Deployment' }], 'd.yaml')).toThrow(PolicyError);
    const memory = hpa({ maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } }] });
    expect(() => simulate(memory, constant(1, 60), MODEL)).toThrow(/memory metrics do not follow load/);
    const unknown = hpa({ maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'foo' }, target: { type: 'AverageValue', averageValue: '1' } } }] });
    expect(() => simulate(unknown, constant(1, 60), MODEL)).toThrow(SimulationError);
    expect(() => simulate(unknown, constant(1, 60), MODEL)).toThrow('pass --signal foo=<rps|queue|latency|concurrency|utilization|fraction>');
  });

  test('from this library\'s constructs: the frontend HPA and seed 004\'s TTFT ScaledObject', () => {
    const app = new App();
    buildFrontendHpa(app);
    buildKedaTtft(app);
    const policies = app.charts.flatMap((c) => policiesFromConstruct(c));
    const frontend = policies.find((p) => p.name === 'frontend-hpa')!;
    expect(frontend.kind).toBe('hpa');
    if (frontend.kind !== 'hpa') throw new Error();
    expect(frontend.hpa.metrics).toEqual([{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', value: 70 } }]);
    expect(frontend.hpa.behavior?.scaleDown.stabilizationWindowSeconds).toBe(300);
    const ttft = policies.find((p) => p.kind === 'keda')!;
    if (ttft.kind !== 'keda') throw new Error();
    expect(ttft.hpa.name).toBe('keda-hpa-sglang-agg-decode-scaler');
    expect(ttft.keda).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 10, pollingInterval: 15, cooldownPeriod: 60 });
    expect(ttft.keda.triggers[0]).toMatchObject({ metricName: 's0-prometheus', metricType: 'AverageValue', threshold: 0.5, activationThreshold: 0.1 });
    expect(promqlWindow(ttft.keda.triggers[0].query)).toBe(300);
  });
});

describe('from an AibrixAutoscaler construct', () => {
  test('seed 003\'s KPA PodAutoscaler replays with its annotations\' defaults', () => {
    const app = new App();
    buildAibrixKpa(app);
    const [p] = app.charts.flatMap((c) => policiesFromConstruct(c));
    expect(p.kind).toBe('aibrix');
    if (p.kind !== 'aibrix') throw new Error();
    expect(p.aibrix).toMatchObject({ strategy: 'KPA', minReplicas: 1, maxReplicas: 8, metric: 'gpu_cache_usage_perc', targetValue: 0.5, scaleDownCooldown: 300 });
    const r = simulate(p, constant(30, 900), MODEL);
    expect(r.metric.signal).toBe('fraction');
    expect(r.summary.maxReplicas).toBeGreaterThan(1);
  });
});

describe('the replay', () => {
  test('a Pods policy of 1 pod per 60 s adds exactly one replica a minute (periodStart from scale events)', () => {
    const p = hpa({
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '5' } } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    });
    const r = simulate(p, constant(40, 600), MODEL);
    expect(r.events.map((e) => [e.t, e.to])).toEqual([[0, 2], [60, 3], [120, 4], [180, 5], [240, 6], [300, 7], [360, 8]]);
    expect(r.events[1].reason).toBe('pods metric requests_per_second above target; ScaleUpLimit');
    // Every sample carries the controller's latest reason (here the sync at 45 s, held by the rate limit).
    expect(r.samples[3]).toMatchObject({ t: 45, desired: 2, reason: 'pods metric requests_per_second above target; ScaleUpLimit' });
    expect(r.summary.scaleEvents).toBe(7);
  });

  test('no behavior: the legacy path doubles at most (max(2x, 4)) and the 300 s scale-down window holds', () => {
    const p = hpa({ minReplicas: 1, maxReplicas: 20, metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1' } } }] });
    const trace: Trace = { t: Array.from({ length: 60 }, (_, i) => i * 15), load: Array.from({ length: 60 }, (_, i) => (i < 4 ? 12 : 1)), step: 15 };
    const r = simulate(p, trace, MODEL);
    expect(r.events.slice(0, 3).map((e) => [e.t, e.to])).toEqual([[0, 4], [15, 8], [30, 12]]);
    // Load drops at 60 s; the highest recommendation of the last 300 s (12) holds until 345 s.
    const down = r.events.find((e) => e.to < e.from)!;
    expect(down.t).toBe(360);
    // 1 rps over 12 pods is 83.3m a pod, read as 84m (MilliValue rounds up): ceil(0.084 x 12) = 2.
    expect(down.to).toBe(2);
  });

  test('KEDA: cooldownPeriod to minReplicaCount 0, activation on load, then the HPA takes over', () => {
    const [p] = policiesFromManifests([{
      kind: 'ScaledObject',
      metadata: { name: 'so' },
      spec: { minReplicaCount: 0, maxReplicaCount: 5, pollingInterval: 15, cooldownPeriod: 60, triggers: [{ type: 'prometheus', metadata: { query: 'sum(rate(requests_total[1m]))', threshold: '10', activationThreshold: '0.5' } }] },
    }], 'so.yaml');
    const load = Array.from({ length: 80 }, (_, i) => (i >= 40 ? 30 : 0));
    const r = simulate(p, { t: load.map((_, i) => i * 15), load, step: 15 }, MODEL, { metricWindow: 0 });
    expect(r.events[0]).toMatchObject({ t: 15, from: 1, to: 0, by: 'keda-operator' });
    expect(r.events[1]).toMatchObject({ t: 600, from: 0, to: 1, by: 'keda-operator' });
    expect(r.events[2]).toMatchObject({ t: 600, from: 1, to: 3, by: 'hpa' });
  });

  test('KEDA fallback: after failureThreshold failed scrapes the HPA is fed fallback.replicas x threshold', () => {
    const [p] = policiesFromManifests([{
      kind: 'ScaledObject',
      metadata: { name: 'fb' },
      spec: {
        minReplicaCount: 1,
        pollingInterval: 15,
        fallback: { failureThreshold: 1, replicas: 4 },
        triggers: [{ type: 'prometheus', metadata: { query: 'sum(rate(requests_total[1m]))', threshold: '10' } }],
      },
    }], 'fb.yaml');
    const load = Array.from({ length: 12 }, () => 10);
    const errors = load.map((_, i) => i >= 4);
    const r = simulate(p, { t: load.map((_, i) => i * 15), load, step: 15, errors }, MODEL, { metricWindow: 0 });
    // t=60: first failure (<= threshold): the metric is invalid, no change. t=75: fallback: 4 x 10 -> 4 replicas.
    expect(r.events.map((e) => [e.t, e.from, e.to, e.by])).toEqual([[75, 1, 4, 'hpa']]);
  });

  test('scalingModifiers: the composite of named triggers drives the HPA and the activation', () => {
    const [p] = policiesFromManifests([{
      kind: 'ScaledObject',
      metadata: { name: 'mod' },
      spec: {
        minReplicaCount: 0,
        maxReplicaCount: 20,
        pollingInterval: 15,
        cooldownPeriod: 30,
        advanced: { scalingModifiers: { formula: 'rate * 2', target: '10', activationTarget: '1', metricType: 'Value' } },
        triggers: [{ type: 'prometheus', name: 'rate', metadata: { query: 'sum(rate(requests_total[1m]))', threshold: '10' } }],
      },
    }], 'mod.yaml');
    const r = simulate(p, constant(20, 120), MODEL, { metricWindow: 0 });
    // composite 40 vs Value target 10 on 1 replica: ratio 4 -> 4 replicas.
    expect(r.events[0]).toMatchObject({ t: 0, from: 1, to: 4, by: 'hpa' });
    expect(r.metric).toMatchObject({ name: 'composite-metric', target: 10, targetType: 'Value' });
  });

  test('AIBrix APA scales on the per-pod average with its rates and the 300 s scale-down cooldown', () => {
    const [p] = policiesFromManifests([{
      kind: 'PodAutoscaler',
      metadata: { name: 'pa' },
      spec: { scalingStrategy: 'APA', minReplicas: 1, maxReplicas: 8, metricsSources: [{ metricSourceType: 'pod', targetMetric: 'num_requests_waiting', targetValue: '5' }] },
    }], 'pa.yaml');
    const r = simulate(p, constant(40, 1200), { ...MODEL, capacityPerReplica: 1 }, { signals: { num_requests_waiting: 'rps' } });
    // 40 rps on 1 pod vs 5 per pod: at most maxScaleUpRate (2x) per 10 s resync.
    expect(r.events.slice(0, 3).map((e) => [e.t, e.to])).toEqual([[0, 2], [10, 4], [20, 8]]);
    expect(r.kind).toBe('aibrix');
  });

  test('a week of 15 s samples with a behavior policy runs well under the budget', () => {
    const p = hpa({
      minReplicas: 1,
      maxReplicas: 50,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
    });
    const day = parseTrace(fs.readFileSync(TRACE, 'utf8'), TRACE);
    const week: Trace = {
      t: Array.from({ length: day.t.length * 7 }, (_, i) => i * 15), load: Array.from({ length: 7 }, () => day.load).flat(), step: 15,
    };
    expect(week.t).toHaveLength(40320);
    const c0 = process.cpuUsage();
    const r = simulate(p, week, MODEL);
    const c1 = process.cpuUsage(c0);
    expect(r.samples).toHaveLength(40320);
    // CPU time, not wall time: the test machine is shared. A loose guard against a
    // regression by an order of magnitude; BENCH.md reports scripts/bench-simulate.ts.
    expect((c1.user + c1.system) / 1000).toBeLessThan(3000);
  });
});

describe('cdk8s-dynamo simulate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-'));
  const policy = path.join(dir, 'hpa.yaml');
  fs.writeFileSync(policy, `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: frontend}
spec:
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
`);

  test('summary, report, chart and series; byte-identical on a second run', async () => {
    const a = await cli(['--policy', policy, '--trace', TRACE, '--capacity', '12', '--startup', '60', '--out', path.join(dir, 'a')]);
    const b = await cli(['--policy', policy, '--trace', TRACE, '--capacity', '12', '--startup', '60', '--out', path.join(dir, 'b')]);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^policy +frontend\n/);
    expect(a.out).toMatch(/replica-hours +\d+\.\d\d\n/);
    expect(a.out.replace(/\/a\n$/, '')).toBe(b.out.replace(/\/b\n$/, ''));
    for (const f of ['report.html', 'chart.svg', 'series.csv', 'series.json']) {
      const x = fs.readFileSync(path.join(dir, 'a', f));
      expect(x.equals(fs.readFileSync(path.join(dir, 'b', f)))).toBe(true);
    }
    const html = fs.readFileSync(path.join(dir, 'a', 'report.html'), 'utf8');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('Model assumptions');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    expect(fs.readFileSync(path.join(dir, 'a', 'series.csv'), 'utf8').split('\n')[0]).toBe('t,load,desired,ready,pods,metric,backlog,latency,reason');
  });

  test('a progress bar on a terminal, on stderr; none when piped', async () => {
    let err = '';
    const code = await runSimulate(['--policy', policy, '--trace', TRACE, '--capacity', '12'], {
      stdout: () => undefined, stderr: (s) => { err += s; }, readStdin: async () => '', isTTY: true, cwd: process.cwd(),
    });
    expect(code).toBe(0);
    expect(err).toMatch(/frontend \[.*\] \d+%/);
    const piped = await cli(['--policy', policy, '--trace', TRACE, '--capacity', '12']);
    expect(piped.err).toBe('');
  });

  test('--replicas-trace turns a recorded per-replica metric back into load', async () => {
    const prom = (vals: number[]) => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: vals.map((v, i) => [1700000000 + 15 * i, String(v)]) }] } });
    fs.writeFileSync(path.join(dir, 'per-pod.json'), prom([5, 5, 6, 6]));
    fs.writeFileSync(path.join(dir, 'replicas.json'), prom([2, 3, 3, 4]));
    const r = await cli(['--policy', policy, '--trace', path.join(dir, 'per-pod.json'), '--replicas-trace', path.join(dir, 'replicas.json'),
      '--recorded', 'perReplicaRps', '--capacity', '12', '--out', path.join(dir, 'rec')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('note: Load reconstructed from');
    const csv = fs.readFileSync(path.join(dir, 'rec', 'series.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(csv).toEqual([10, 15, 18, 24]); // rps per pod x pods
    const bad = await cli(['--policy', policy, '--trace', path.join(dir, 'per-pod.json'), '--replicas-trace', path.join(dir, 'replicas.json'), '--capacity', '12']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--replicas-trace needs --recorded perReplicaRps or --recorded utilization/);
  });

  test('--compare-windows answers "120 s or 300 s?" side by side', async () => {
    const r = await cli(['--policy', policy, '--trace', TRACE, '--capacity', '12', '--compare-windows', '120,300', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.summary.map((s: any) => s.policy)).toEqual(['frontend@scaleDown=120s', 'frontend@scaleDown=300s']);
    expect(j.summary[0].replicaHours).toBeLessThan(j.summary[1].replicaHours);
  });

  test.each([
    [['--trace', TRACE, '--capacity', '1'], /required option '-p, --policy <file>' not specified/],
    [['--policy', policy, '--trace', TRACE, '--capacity', 'x'], /--capacity must be a number >= 0/],
    [['--policy', 'missing.yaml', '--trace', TRACE, '--capacity', '1'], /cannot read missing.yaml: no such file/],
    [['--policy', policy, '--policy', policy, '--trace', TRACE, '--capacity', '1'], /2 policies found .* pass --compare/],
    [['--policy', policy, '--trace', TRACE, '--capacity', '1', '--signal', 'x=weird'], /--signal "x=weird": expected <metric>=<rps\|queue/],
  ])('usage errors exit 2 with a message: %j', async (args, msg) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.out).toBe('');
  });
});
