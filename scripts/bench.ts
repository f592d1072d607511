/**
 * `npm run bench`: how much synthesis costs with this library compared with writing the
 * same manifests by hand.
 *
 * The fleet: N DynamoGraphDeployments of four services: a Frontend scaled by an
 * HpaAutoscaler on CPU, prefill and decode workers scaled by KedaAutoscalers on Dynamo
 * PromQL (TTFT p95 and queue depth), and an epp without an autoscaler. That is 4
 * manifests per DGD (the DGD, 1 HPA, 2 ScaledObjects). Two layouts:
 *   per-dgd       - one chart per DGD (N charts), as the example apps do
 *   per-namespace - one chart per namespace (10 charts)
 * The layout matters because cdk8s re-resolves and re-validates the whole app once per
 * chart it synthesizes, so synthesis is O(charts x constructs) in cdk8s itself.
 *
 * Each size is measured three ways:
 *   lib   - this library (the compiled lib/src/index.js a consumer runs), `app.synthYaml()`
 *   tree  - the plain JSON below in a construct tree of the library's shape, without the
 *           library's code (see buildTreeFleet)
 *   plain - the same manifests written as plain JSON, one cdk8s ApiObject each, in the
 *           same charts, `app.synthYaml()`: the price of cdk8s itself
 *   floor - the same JSON serialized directly with the `yaml` package, as cdk8s does it
 * All of them must produce byte-identical YAML; the script exits non-zero otherwise, since a
 * comparison of different outputs would measure nothing.
 *
 * Times come from one process per layout and size that runs the three variants in turn
 * (so load from other processes hits them alike); memory from a fresh process per
 * variant that synthesizes once.
 *
 * Usage: npm run bench [-- --sizes 10,100,1000] [--layouts per-dgd,per-namespace] [--json out.json]
 * Profile one variant (1 warm-up, 3 timed runs):
 *   node --cpu-prof --expose-gc -r ts-node/register/transpile-only scripts/bench.ts time per-dgd 1000 1 3 lib
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const LIB_ENTRY = path.join(ROOT, 'lib', 'src', 'index.js');
const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';
const OBJECTS_PER_DGD = 4;
const NAMESPACES = 10;
const VARIANTS = ['lib', 'tree', 'plain', 'floor'] as const;
/**
 * `base`: the library compiled from another commit, at `$BENCH_BASE_LIB` (its
 * lib/src/index.js), so that two commits are compared in one process (`time` mode only):
 *   BENCH_BASE_LIB=/tmp/old/lib/src/index.js node -r ts-node/register/transpile-only scripts/bench.ts time per-namespace 1000 1 9 base,lib,plain
 */
type Variant = typeof VARIANTS[number] | 'base';
const LAYOUTS = ['per-dgd', 'per-namespace'] as const;
type Layout = typeof LAYOUTS[number];

/** Repetitions per size: enough for a stable median, few enough to stay within ~3 minutes on 2 cores. */
const PLAN: Record<number, { warmups: number; reps: number }> = {
  10: { warmups: 5, reps: 21 },
  100: { warmups: 2, reps: 9 },
  1000: { warmups: 1, reps: 5 },
};
const COLD_START_RUNS = 9;

const TARGETS = { ratioToPlain: 1.15, growth: 11, coldStart: 1.3 };

// ---------------------------------------------------------------------------------------
// The fleet, three ways. Names and namespaces vary with i so no two objects are equal.

function namespaceOf(i: number): string {
  return `team-${i % NAMESPACES}`;
}

/** The charts of a layout, in creation order, with the DGD indices each holds. */
function chartsOf(layout: Layout, n: number): Array<{ id: string; namespace: string; members: number[] }> {
  if (layout === 'per-dgd') {
    return Array.from({ length: n }, (_, i) => ({ id: `fleet-${i}`, namespace: namespaceOf(i), members: [i] }));
  }
  return Array.from({ length: Math.min(n, NAMESPACES) }, (_, k) => ({
    id: `team-${k}`,
    namespace: `team-${k}`,
    members: Array.from({ length: Math.ceil((n - k) / NAMESPACES) }, (__, j) => k + j * NAMESPACES),
  }));
}

function buildLibFleet(layout: Layout, n: number, entry: string = LIB_ENTRY): any {
  // Loaded lazily: only a process that measures the library pays for loading it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plus: typeof import('cdk8s-plus-28') = require('cdk8s-plus-28');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib: typeof import('../src') = require(entry);
  const { Duration } = cdk8s;
  const app = new cdk8s.App();
  const worker = (mode: string) => ({
    image: IMAGE,
    args: ['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', mode],
    resources: { limits: { gpu: 1 } },
    envFromSecret: 'hf-token-secret',
  });
  const keda = { minReplicas: 1, maxReplicas: 16, pollingInterval: Duration.seconds(15), cooldownPeriod: Duration.seconds(120) };
  for (const c of chartsOf(layout, n)) {
    const chart = new cdk8s.Chart(app, c.id, { namespace: c.namespace });
    for (const i of c.members) {
      const name = `llm-${i}`;
      const dgd = new lib.DynamoGraphDeployment(chart, name, { name, backendFramework: lib.BackendFramework.VLLM });
      const frontend = dgd.addService('Frontend', { role: lib.ServiceRole.FRONTEND, image: IMAGE });
      const prefill = dgd.addService('prefill', { role: lib.ServiceRole.PREFILL, ...worker('prefill') });
      const decode = dgd.addService('decode', { role: lib.ServiceRole.DECODE, ...worker('decode') });
      dgd.addService('epp', { role: lib.ServiceRole.EPP, image: IMAGE });
      new lib.HpaAutoscaler(chart, `${name}-frontend-hpa`, {
        target: frontend.adapter,
        maxReplicas: 8,
        metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))],
        scaleDown: { stabilizationWindow: Duration.seconds(300) },
      });
      new lib.KedaAutoscaler(chart, `${name}-prefill-scaler`, {
        ...keda,
        target: prefill.adapter,
        triggers: [lib.KedaTrigger.prometheus({
          serverAddress: PROMETHEUS,
          query: lib.DynamoMetrics.ttftQuantile({ deployment: dgd, quantile: 0.95, window: Duration.minutes(5) }),
          threshold: 0.5,
          activationThreshold: 0.1,
        })],
      });
      new lib.KedaAutoscaler(chart, `${name}-decode-scaler`, {
        ...keda,
        target: decode.adapter,
        triggers: [lib.KedaTrigger.prometheus({
          serverAddress: PROMETHEUS,
          query: lib.DynamoMetrics.queueDepth({ deployment: dgd }),
          threshold: 10,
        })],
      });
    }
  }
  return app;
}

// The hand-written equivalent. Keys are written in the order cdk8s emits them
// (apiVersion, kind, metadata, then sorted), so the floor's output is identical too.

function dgdJson(i: number): any {
  const worker = (mode: string) => ({
    componentType: 'worker',
    envFromSecret: 'hf-token-secret',
    extraPodSpec: {
      mainContainer: {
        args: ['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', mode],
        image: IMAGE,
      },
    },
    resources: { limits: { gpu: '1' } },
    scalingAdapter: { enabled: true },
    subComponentType: mode,
  });
  return {
    apiVersion: 'nvidia.com/v1alpha1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: `llm-${i}`, namespace: namespaceOf(i) },
    spec: {
      backendFramework: 'vllm',
      services: {
        Frontend: {
          componentType: 'frontend',
          extraPodSpec: { mainContainer: { image: IMAGE } },
          scalingAdapter: { enabled: true },
        },
        decode: worker('decode'),
        epp: {
          componentType: 'epp',
          extraPodSpec: { mainContainer: { image: IMAGE } },
        },
        prefill: worker('prefill'),
      },
    },
  };
}

function adapterRef(i: number, service: string): any {
  return { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: `llm-${i}-${service}` };
}

function hpaJson(i: number): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `llm-${i}-frontend-hpa`, namespace: namespaceOf(i) },
    spec: {
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      maxReplicas: 8,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' }],
      minReplicas: 1,
      scaleTargetRef: adapterRef(i, 'frontend'),
    },
  };
}

function scaledObjectJson(i: number, service: string, trigger: { [key: string]: string }): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: `llm-${i}-${service}-scaler`, namespace: namespaceOf(i) },
    spec: {
      cooldownPeriod: 120,
      maxReplicaCount: 16,
      minReplicaCount: 1,
      pollingInterval: 15,
      scaleTargetRef: adapterRef(i, service),
      triggers: [{ metadata: trigger, type: 'prometheus' }],
    },
  };
}

function plainManifests(i: number): any[] {
  const label = `dynamo_namespace="${namespaceOf(i)}-llm-${i}"`;
  return [
    dgdJson(i),
    hpaJson(i),
    scaledObjectJson(i, 'prefill', {
      activationThreshold: '0.1',
      query: `histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{${label}}[5m])) by (le))`,
      serverAddress: PROMETHEUS,
      threshold: '0.5',
    }),
    scaledObjectJson(i, 'decode', {
      query: `sum(dynamo_frontend_queued_requests{${label}})`,
      serverAddress: PROMETHEUS,
      threshold: '10',
    }),
  ];
}

function buildPlainFleet(layout: Layout, n: number): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const app = new cdk8s.App();
  const ids = ['dgd', 'frontend-hpa', 'prefill-scaler', 'decode-scaler'];
  for (const c of chartsOf(layout, n)) {
    const chart = new cdk8s.Chart(app, c.id, { namespace: c.namespace });
    for (const i of c.members) plainManifests(i).forEach((m, k) => new cdk8s.ApiObject(chart, `llm-${i}-${ids[k]}`, m));
  }
  return app;
}

/**
 * The plain manifests placed in a construct tree of the library's shape (a construct per
 * DGD holding its ApiObject; autoscalers are ApiObjects themselves and services are not
 * constructs), with none of the library's code. It splits the
 * library's cost into what cdk8s charges for the extra constructs (tree / plain) and what
 * the library's own code costs (lib / tree).
 */
function buildTreeFleet(layout: Layout, n: number): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Construct }: typeof import('constructs') = require('constructs');
  const app = new cdk8s.App();
  for (const c of chartsOf(layout, n)) {
    const chart = new cdk8s.Chart(app, c.id, { namespace: c.namespace });
    for (const i of c.members) {
      const [dgd, hpa, prefill, decode] = plainManifests(i);
      const dgdScope = new Construct(chart, `llm-${i}`);
      new cdk8s.ApiObject(dgdScope, '#Resource', dgd);
      new cdk8s.ApiObject(chart, `llm-${i}-frontend-hpa`, hpa);
      new cdk8s.ApiObject(chart, `llm-${i}-prefill-scaler`, prefill);
      new cdk8s.ApiObject(chart, `llm-${i}-decode-scaler`, decode);
    }
  }
  return app;
}

/** The cdk8s serializer's options (cdk8s' Yaml.stringify), so the floor does the same work. */
const YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

function floorYaml(layout: Layout, n: number): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML: typeof import('yaml') = require('yaml');
  const docs: any[] = [];
  for (const c of chartsOf(layout, n)) for (const i of c.members) docs.push(...plainManifests(i));
  return docs.map((d) => YAML.stringify(d, YAML_OPTIONS)).join('---\n');
}

// ---------------------------------------------------------------------------------------
// Children: `time <layout> <n> <warmups> <reps>` and `mem <layout> <variant> <n>`.

const MiB = 1024 * 1024;

interface TimeResult {
  /** Per variant: total ms of each timed repetition (build + synth). */
  times: Record<Variant, number[]>;
  /** Per variant: median ms of the build phase and of the synth phase. */
  buildMs: Record<Variant, number>;
  synthMs: Record<Variant, number>;
  sha256: Record<Variant, string>;
  /**
   * Per variant: CPU ms (user + system) of this process in each timed repetition. Less
   * sensitive than wall time to other processes on a shared machine (not to cache or
   * hyper-thread contention); the verdicts still use wall time.
   */
  cpuMs?: Record<Variant, number[]>;
}

interface MemResult {
  bytes: number;
  sha256: string;
  /** MiB: after loading every module, and the peaks of one synthesis. */
  rssBaseline: number;
  rssPeak: number;
  heapBaseline: number;
  heapPeak: number;
}

function gc(): void {
  const g = (global as any).gc;
  if (typeof g === 'function') g();
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function runOnce(variant: Variant, layout: Layout, n: number, onBuilt?: () => void): { yaml: string; build: number; synth: number } {
  const t0 = now();
  if (variant === 'floor') {
    const yaml = floorYaml(layout, n);
    const t1 = now();
    onBuilt?.();
    return { yaml, build: 0, synth: t1 - t0 };
  }
  const base = (layout_: Layout, n_: number) => buildLibFleet(layout_, n_, process.env.BENCH_BASE_LIB ?? LIB_ENTRY);
  const build = { lib: buildLibFleet, base, tree: buildTreeFleet, plain: buildPlainFleet }[variant];
  const app = build(layout, n);
  const t1 = now();
  onBuilt?.();
  const t2 = now();
  const yaml = app.synthYaml();
  const t3 = now();
  return { yaml, build: t1 - t0, synth: t3 - t2 };
}

function timeChild(layout: Layout, n: number, warmups: number, reps: number, variants: readonly Variant[] = VARIANTS): TimeResult {
  const out: TimeResult = { times: {} as any, buildMs: {} as any, synthMs: {} as any, sha256: {} as any, cpuMs: {} as any };
  const builds: Record<string, number[]> = {};
  const synths: Record<string, number[]> = {};
  for (const v of variants) {
    out.sha256[v] = sha(runOnce(v, layout, n).yaml);
    for (let w = 1; w < warmups; w++) runOnce(v, layout, n);
    out.times[v] = [];
    out.cpuMs![v] = [];
    builds[v] = [];
    synths[v] = [];
  }
  // Round robin, so that load from other processes falls on every variant alike.
  for (let r = 0; r < reps; r++) {
    for (const v of variants) {
      gc();
      const c0 = process.cpuUsage();
      const t0 = now();
      const res = runOnce(v, layout, n);
      out.times[v].push(now() - t0);
      const c1 = process.cpuUsage(c0);
      out.cpuMs![v].push((c1.user + c1.system) / 1000);
      builds[v].push(res.build);
      synths[v].push(res.synth);
    }
  }
  for (const v of variants) {
    out.buildMs[v] = median(builds[v]);
    out.synthMs[v] = median(synths[v]);
  }
  return out;
}

function memChild(layout: Layout, variant: Variant, n: number): MemResult {
  // Load every module (and run a tiny fleet) before the baseline, so the measured run
  // sees work, not loading.
  runOnce(variant, layout, 1);
  gc();
  const rssBaseline = process.memoryUsage().rss / MiB;
  const heapBaseline = process.memoryUsage().heapUsed / MiB;
  // Heap is sampled when the construct tree is complete and again with the YAML in hand,
  // both still reachable; RSS is the process's peak from getrusage.
  let heapPeak = 0;
  const sample = () => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed / MiB); };
  const { yaml } = runOnce(variant, layout, n, sample);
  sample();
  return {
    bytes: Buffer.byteLength(yaml),
    sha256: sha(yaml),
    rssBaseline,
    rssPeak: process.resourceUsage().maxRSS / 1024,
    heapBaseline,
    heapPeak,
  };
}

/** Prints the first line where the library's YAML and the others' differ. */
function diff(layout: Layout, n: number): void {
  const lines = (v: Variant) => runOnce(v, layout, n).yaml.split('\n');
  const a = lines('lib');
  for (const v of ['tree', 'plain', 'floor'] as const) {
    const other = lines(v);
    const at = a.findIndex((line, k) => line !== other[k]);
    if (at < 0 && a.length === other.length) continue;
    const k = at < 0 ? Math.min(a.length, other.length) : at;
    console.log(`lib vs ${v}: first difference at line ${k + 1}`);
    console.log(`  lib:   ${JSON.stringify(a.slice(Math.max(0, k - 3), k + 2))}`);
    console.log(`  ${v}: ${JSON.stringify(other.slice(Math.max(0, k - 3), k + 2))}`);
  }
}

// ---------------------------------------------------------------------------------------
// Cold start: time to require the compiled library vs cdk8s-plus-28 alone, in fresh processes.

interface ColdStart { lib: number[]; plus: number[]; libProcess: number[]; plusProcess: number[] }

function coldStart(): ColdStart {
  const probe = (what: string) =>
    `const t=process.hrtime.bigint();require(${JSON.stringify(what)});` +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const out: ColdStart = { lib: [], plus: [], libProcess: [], plusProcess: [] };
  // One unrecorded run of each first, so both start from a warm file-system cache.
  for (let r = -1; r < COLD_START_RUNS; r++) {
    for (const [key, what] of [['lib', LIB_ENTRY], ['plus', 'cdk8s-plus-28']] as const) {
      const t0 = now();
      const res = spawnSync(process.execPath, ['-e', probe(what)], { cwd: ROOT, encoding: 'utf8' });
      const wall = now() - t0;
      if (res.status !== 0) throw new Error(`require(${what}) failed: ${res.stderr}`);
      if (r < 0) continue;
      out[key].push(Number(res.stdout));
      out[key === 'lib' ? 'libProcess' : 'plusProcess'].push(wall);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Parent.

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function spawnSelf(args: string[]): any {
  const res = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MiB });
  if (res.status !== 0) {
    process.stderr.write(res.stderr);
    throw new Error(`bench ${args.join(' ')} failed with status ${res.status}`);
  }
  return JSON.parse(res.stdout.trim().split('\n').pop()!);
}

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function staleLib(): boolean {
  const libTime = fs.statSync(LIB_ENTRY).mtimeMs;
  const walk = (dir: string): boolean => fs.readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') && fs.statSync(path.join(dir, e.name)).mtimeMs > libTime);
  return walk(path.join(ROOT, 'src'));
}

function machine(): string {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown CPU';
  return `node ${process.version}, ${os.cpus().length} CPUs (${cpu}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function main(args: string[]): void {
  const sizes = (option(args, '--sizes') ?? '10,100,1000').split(',').map(Number);
  const layouts = (option(args, '--layouts') ?? LAYOUTS.join(',')).split(',') as Layout[];
  const jsonOut = option(args, '--json') ?? path.join(ROOT, '.bench', 'results.json');
  for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`unknown layout ${l}; one of ${LAYOUTS.join(', ')}`);

  if (!fs.existsSync(LIB_ENTRY)) {
    console.error(`${path.relative(ROOT, LIB_ENTRY)} is missing: run 'npx projen compile' first (the bench measures the compiled library)`);
    process.exit(2);
  }
  if (staleLib()) console.warn("warning: src/ is newer than lib/: run 'npx projen compile' to measure the current code");

  const started = now();
  console.log(`cdk8s-dynamo bench: ${machine()}`);
  console.log(`fleet: N DGDs x ${OBJECTS_PER_DGD} manifests (DGD, HPA, 2 ScaledObjects); layouts: ${layouts.join(', ')}\n`);

  type Cell = { time: TimeResult; mem: Record<Variant, MemResult> };
  const results: Record<string, Record<number, Cell>> = {};
  const mismatches: string[] = [];
  for (const layout of layouts) {
    results[layout] = {};
    // With 10 or fewer DGDs the per-namespace layout is the per-dgd one.
    for (const n of sizes.filter((x) => layout === 'per-dgd' || x > NAMESPACES)) {
      const plan = PLAN[n] ?? { warmups: 1, reps: 3 };
      const time: TimeResult = spawnSelf(['time', layout, String(n), String(plan.warmups), String(plan.reps)]);
      const mem = {} as Record<Variant, MemResult>;
      for (const v of VARIANTS) mem[v] = spawnSelf(['mem', layout, v, String(n)]);
      results[layout][n] = { time, mem };
      process.stderr.write(`  measured ${layout} N=${n} (${fmt((now() - started) / 1000, 0)} s)\n`);
      const hashes = new Set([...VARIANTS.map((v) => time.sha256[v]), ...VARIANTS.map((v) => mem[v].sha256)]);
      if (hashes.size !== 1) {
        mismatches.push(`${layout} N=${n}`);
        console.error(`${layout} N=${n}: the YAML differs between variants (${VARIANTS.map((v) => `${v} ${mem[v].bytes} bytes ${mem[v].sha256.slice(0, 12)}`).join(', ')})`);
        const d = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'diff', layout, String(n)], { cwd: ROOT, encoding: 'utf8' });
        console.error(d.stdout + d.stderr);
      }
    }
  }

  const med = (layout: string, n: number, v: Variant) => median(results[layout][n].time.times[v]);
  const rows: string[][] = [];
  for (const layout of layouts) {
    for (const [key, cell] of Object.entries(results[layout])) {
      const n = Number(key);
      const objects = n * OBJECTS_PER_DGD;
      const [l, tr, p, f] = VARIANTS.map((v) => med(layout, n, v));
      const t = cell.time;
      rows.push([
        layout, String(n), String(layout === 'per-dgd' ? n : Math.min(n, NAMESPACES)), String(objects), `${(cell.mem.lib.bytes / 1024).toFixed(0)}`,
        fmt(l, 1), fmt(tr, 1), fmt(p, 1), fmt(f, 1),
        fmt((l * 1000) / objects, 0), fmt((p * 1000) / objects, 0), fmt((f * 1000) / objects, 0),
        fmt(l / p), fmt(l / tr), fmt(tr / p), fmt(l / f),
        `${fmt(t.buildMs.lib, 1)} / ${fmt(t.synthMs.lib, 1)}`, `${fmt(t.buildMs.plain, 1)} / ${fmt(t.synthMs.plain, 1)}`,
      ]);
    }
  }
  console.log('Time: median ms per synthesis (build + app.synthYaml()), us per manifest, ratios of the medians');
  console.log(table(
    ['layout', 'N', 'charts', 'manifests', 'KiB', 'lib ms', 'tree ms', 'plain ms', 'floor ms',
      'lib us/obj', 'plain us/obj', 'floor us/obj', 'lib/plain', 'lib/tree', 'tree/plain', 'lib/floor', 'lib build/synth', 'plain build/synth'],
    rows));

  const memRows: string[][] = [];
  for (const layout of layouts) {
    for (const [n, cell] of Object.entries(results[layout])) {
      for (const v of VARIANTS) {
        const r = cell.mem[v];
        memRows.push([layout, n, v, fmt(r.rssBaseline, 0), fmt(r.rssPeak, 0), fmt(r.rssPeak - r.rssBaseline, 0),
          fmt(r.heapPeak, 0), fmt(r.heapPeak - r.heapBaseline, 1)]);
      }
    }
  }
  console.log('\nMemory (MiB): one synthesis in a fresh process; peak RSS from getrusage, heap sampled after build and after synth');
  console.log(table(['layout', 'N', 'variant', 'RSS before', 'RSS peak', 'RSS added', 'heap peak', 'heap added'], memRows));

  const cold = coldStart();
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const verdicts: string[][] = [];
  for (const layout of layouts) {
    const r = results[layout];
    if (r[1000]) {
      const ratio = med(layout, 1000, 'lib') / med(layout, 1000, 'plain');
      verdicts.push([`${layout}: lib / plain ApiObjects at N=1000`, fmt(ratio), `<= ${TARGETS.ratioToPlain}`, verdict(ratio <= TARGETS.ratioToPlain)]);
      verdicts.push([`${layout}:   of which cdk8s's price of the construct tree (tree / plain)`, fmt(med(layout, 1000, 'tree') / med(layout, 1000, 'plain')), '(split)', '']);
      verdicts.push([`${layout}:   of which the library's own code (lib / tree)`, fmt(med(layout, 1000, 'lib') / med(layout, 1000, 'tree')), '(split)', '']);
    }
    if (r[100] && r[1000]) {
      for (const v of VARIANTS) {
        const g = med(layout, 1000, v) / med(layout, 100, v);
        verdicts.push([`${layout}: growth N=100 -> 1000 (${v})`, `${fmt(g)}x`, v === 'lib' ? `<= ${TARGETS.growth}x` : '(reference)', v === 'lib' ? verdict(g <= TARGETS.growth) : '']);
      }
    }
  }
  const [coldLib, coldPlus] = [median(cold.lib), median(cold.plus)];
  verdicts.push([`cold start require(): lib ${fmt(coldLib, 0)} ms vs cdk8s-plus-28 ${fmt(coldPlus, 0)} ms`,
    fmt(coldLib / coldPlus), `<= ${TARGETS.coldStart}`, verdict(coldLib / coldPlus <= TARGETS.coldStart)]);
  verdicts.push([`cold start whole process: lib ${fmt(median(cold.libProcess), 0)} ms vs cdk8s-plus-28 ${fmt(median(cold.plusProcess), 0)} ms`,
    fmt(median(cold.libProcess) / median(cold.plusProcess)), '(reference)', '']);
  verdicts.push(['YAML of lib, tree, plain and floor byte-identical', mismatches.length ? `NO (${mismatches.join(', ')})` : 'yes', 'yes', mismatches.length ? 'FAIL' : 'PASS']);
  console.log(`\nTargets (cold start: median of ${COLD_START_RUNS} fresh processes each)`);
  console.log(table(['measure', 'value', 'target', ''], verdicts));
  console.log(`\nbench took ${fmt((now() - started) / 1000, 0)} s; load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
  fs.writeFileSync(jsonOut, JSON.stringify({ machine: machine(), plan: PLAN, results, coldStart: cold, verdicts }, null, 2));
  if (mismatches.length) process.exit(1);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'time') {
  // An optional fifth argument limits the variants, e.g. to profile one: `time per-dgd 1000 1 3 lib`.
  const only = rest[4] ? rest[4].split(',') as Variant[] : VARIANTS;
  console.log(JSON.stringify(timeChild(rest[0] as Layout, Number(rest[1]), Number(rest[2]), Number(rest[3]), only)));
} else if (mode === 'mem') {
  console.log(JSON.stringify(memChild(rest[0] as Layout, rest[1] as Variant, Number(rest[2]))));
} else if (mode === 'diff') {
  diff(rest[0] as Layout, Number(rest[1]));
} else {
  main(process.argv.slice(2));
}
