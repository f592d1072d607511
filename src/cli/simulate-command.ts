/**
 * `cdk8s-dynamo simulate`: replay a load trace through one or more autoscaling policies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseAllDocuments } from 'yaml';
import { CliIo, Subcommand } from './io';
import { simulate, SimulationError, SimulationResult } from '../simulate/engine';
import { generateScaleDownRules, generateScaleUpRules } from '../simulate/hpa/behavior';
import { DEFAULT_MODEL, SIGNAL_KINDS, SignalKind, TargetModel } from '../simulate/model';
import { Policy, PolicyError, policiesFromManifests, kedaGeneratedHpa } from '../simulate/policy';
import { chartSvg, htmlReport, seriesCsv, seriesJson, summaryTable } from '../simulate/report';
import { loadFromRecorded, parseTrace, Trace, TraceError } from '../simulate/trace';

class UsageError extends Error {}

function number(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number >= ${min} (got ${JSON.stringify(v)})`);
    return n;
  };
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

interface Opts {
  policy: string[];
  trace: string;
  replicasTrace?: string;
  recorded?: string;
  capacity: number;
  startup: number;
  scaleDownDelay: number;
  baseLatency: number;
  initialReplicas?: number;
  syncPeriod: number;
  metricWindow?: number;
  tolerance: number;
  downscaleStabilization: number;
  signal: string[];
  compare?: boolean;
  compareWindows?: string;
  allowGaps?: boolean;
  out?: string;
  format: string;
}

function readFile(io: CliIo, file: string): Promise<string> | string {
  if (file === '-') return io.readStdin();
  const p = path.resolve(io.cwd, file);
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

async function loadPolicies(io: CliIo, files: string[]): Promise<Policy[]> {
  const out: Policy[] = [];
  for (const f of files) {
    const text = await readFile(io, f);
    const docs = parseAllDocuments(text);
    const values: unknown[] = [];
    for (const d of docs) {
      if (d.errors.length > 0) throw new UsageError(`${f}: not valid YAML: ${d.errors[0].message}`);
      values.push(d.toJS());
    }
    out.push(...policiesFromManifests(values, f));
  }
  return out;
}

/** Variants of each policy with another scale-down stabilization window. */
function withScaleDownWindow(p: Policy, window: number): Policy {
  if (p.kind === 'aibrix') {
    return { ...p, name: `${p.name}@scaleDownCooldown=${window}s`, aibrix: { ...p.aibrix, scaleDownCooldown: window } };
  }
  const b = p.kind === 'keda' ? p.keda.behavior : p.hpa.behavior;
  const behavior = {
    scaleUp: b?.scaleUp ?? generateScaleUpRules(),
    scaleDown: { ...(b?.scaleDown ?? generateScaleDownRules()), stabilizationWindowSeconds: window },
  };
  const name = `${p.name}@scaleDown=${window}s`;
  if (p.kind === 'keda') {
    const keda = { ...p.keda, behavior };
    return { kind: 'keda', name, keda, hpa: kedaGeneratedHpa(keda) };
  }
  return { kind: 'hpa', name, hpa: { ...p.hpa, behavior } };
}

function progressStream(io: CliIo): NodeJS.WritableStream {
  // cli-progress writes escape sequences to a stream; the subcommand only has io.stderr.
  return { write: (s: string) => (io.stderr(s), true), isTTY: true } as unknown as NodeJS.WritableStream;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let helpText = '';
  const program = new Command('cdk8s-dynamo simulate')
    .description('Replay a load trace through autoscaling policies (HPA, KEDA ScaledObject, AIBrix PodAutoscaler) as the real controllers would.')
    .requiredOption('-p, --policy <file>', 'manifest(s) with an HPA, ScaledObject or PodAutoscaler (YAML; repeatable; - for stdin)', collect, [])
    .requiredOption('-t, --trace <file>', 'load trace: CSV (t,rps), JSON [{t,rps}], or a Prometheus query_range response')
    .requiredOption('-c, --capacity <rps>', 'requests/s one ready replica serves', number('--capacity', 0))
    .option('--startup <seconds>', 'pod start-up time until Ready', number('--startup', 0), DEFAULT_MODEL.startupSeconds)
    .option('--scale-down-delay <seconds>', 'seconds a removed replica keeps serving', number('--scale-down-delay', 0), DEFAULT_MODEL.scaleDownDelaySeconds)
    .option('--base-latency <seconds>', 'request latency on an idle replica (latency signals)', number('--base-latency', 0), DEFAULT_MODEL.baseLatencySeconds)
    .option('--initial-replicas <n>', 'replicas at the start (default: the policy\'s minimum, at least 1)', number('--initial-replicas', 0))
    .option('--replicas-trace <file>', 'recorded replica count (Prometheus query_range): turns --trace into load with --recorded')
    .option('--recorded <kind>', 'what --trace records with --replicas-trace: perReplicaRps or utilization')
    .option('--signal <metric=kind>', `what a metric measures: ${SIGNAL_KINDS.join('|')} (repeatable)`, collect, [])
    .option('--metric-window <seconds>', 'average metrics over this trailing window (default: a KEDA prometheus query\'s range selector, else 0)', number('--metric-window', 0))
    .option('--sync-period <seconds>', 'HPA controller sync period', number('--sync-period', 1), 15)
    .option('--tolerance <ratio>', 'cluster-wide HPA tolerance', number('--tolerance', 0), 0.1)
    .option('--downscale-stabilization <seconds>', 'controller default scale-down window', number('--downscale-stabilization', 0), 300)
    .option('--compare', 'run every policy on the same trace, side by side')
    .option('--compare-windows <list>', 'compare variants with these scale-down stabilization windows (e.g. 120,300)')
    .option('--allow-gaps', 'hold the previous value across missing samples (reported as an approximation)')
    .option('-o, --out <dir>', 'write report.html, chart.svg, series.csv and series.json here')
    .option('--format <format>', 'stdout: table or json', 'table')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => { helpText += s; } });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && (e.code === 'commander.helpDisplayed' || e.code === 'commander.help')) return 0;
    throw new UsageError(helpText.trim() || (e as Error).message);
  }
  const o = program.opts<Opts>();
  if (o.policy.length === 0) throw new UsageError("error: required option '-p, --policy <file>' not specified");
  if (o.format !== 'table' && o.format !== 'json') throw new UsageError(`--format must be table or json (got ${JSON.stringify(o.format)})`);

  const signals: Record<string, SignalKind> = {};
  for (const s of o.signal) {
    const [k, v] = s.split('=');
    if (!k || !SIGNAL_KINDS.includes(v as SignalKind)) throw new UsageError(`--signal ${JSON.stringify(s)}: expected <metric>=<${SIGNAL_KINDS.join('|')}>`);
    signals[k] = v as SignalKind;
  }

  let policies = await loadPolicies(io, o.policy);
  if (o.compareWindows !== undefined) {
    const windows = o.compareWindows.split(',').map((w) => number('--compare-windows', 0)(w));
    if (windows.some((w) => w > 3600)) throw new UsageError('--compare-windows: stabilization windows must be 0..3600 s');
    policies = policies.flatMap((p) => windows.map((w) => withScaleDownWindow(p, w)));
  } else if (policies.length > 1 && !o.compare) {
    throw new UsageError(`${policies.length} policies found (${policies.map((p) => p.name).join(', ')}); pass --compare to run them side by side`);
  }

  const notes: string[] = [];
  let trace: Trace = parseTrace(await readFile(io, o.trace), o.trace, o.allowGaps ?? false, notes);
  if (o.replicasTrace !== undefined) {
    if (o.recorded !== 'perReplicaRps' && o.recorded !== 'utilization') throw new UsageError('--replicas-trace needs --recorded perReplicaRps or --recorded utilization');
    const replicas = parseTrace(await readFile(io, o.replicasTrace), o.replicasTrace, o.allowGaps ?? false, notes);
    trace = loadFromRecorded(trace, replicas, o.recorded, o.capacity, o.trace);
    notes.push(`Load reconstructed from ${o.trace} (${o.recorded}) x ${o.replicasTrace} (replicas).`);
  }

  const results: SimulationResult[] = [];
  const models: TargetModel[] = [];
  const useBar = io.isTTY && trace.t.length >= 2000;
  for (const p of policies) {
    const min = p.kind === 'aibrix' ? p.aibrix.minReplicas : p.kind === 'keda' ? p.keda.minReplicaCount : p.hpa.minReplicas;
    const model: TargetModel = {
      capacityPerReplica: o.capacity,
      startupSeconds: o.startup,
      scaleDownDelaySeconds: o.scaleDownDelay,
      baseLatencySeconds: o.baseLatency,
      initialReplicas: o.initialReplicas ?? Math.max(min, 1),
    };
    models.push(model);
    const bar = useBar ? new SingleBar({ stream: progressStream(io), format: `${p.name} [{bar}] {percentage}%`, hideCursor: false, clearOnComplete: true }) : undefined;
    bar?.start(100, 0);
    results.push(simulate(p, trace, model, {
      syncPeriod: o.syncPeriod,
      signals,
      metricWindow: o.metricWindow,
      controller: { tolerance: o.tolerance, downscaleStabilizationWindow: o.downscaleStabilization },
      onProgress: bar ? (d, t) => bar.update(Math.floor((d / t) * 100)) : undefined,
    }));
    bar?.stop();
  }

  // Report the model the first policy ran with (initial replicas default to each policy's minimum).
  const model = models[0];
  const traceName = path.basename(o.trace);
  const ctx = { traceName, model, notes };
  if (o.format === 'json') {
    io.stdout(JSON.stringify({ trace: traceName, notes, summary: results.map((r) => ({ policy: r.policy, kind: r.kind, metric: r.metric, ...r.summary })) }, null, 1) + '\n');
  } else {
    io.stdout(summaryTable(results));
    for (const n of notes) io.stdout(`note: ${n}\n`);
    io.stdout('Model: load-to-metric assumptions are listed in the report (and series.json); the controllers follow upstream sources.\n');
  }
  if (o.out !== undefined) {
    const dir = path.resolve(io.cwd, o.out);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'report.html'), htmlReport(results, ctx));
    fs.writeFileSync(path.join(dir, 'chart.svg'), chartSvg(results, `${traceName}: ${results.map((r) => r.policy).join(' vs ')}`));
    fs.writeFileSync(path.join(dir, 'series.csv'), seriesCsv(results));
    fs.writeFileSync(path.join(dir, 'series.json'), seriesJson(results, ctx));
    if (o.format === 'table') io.stdout(`wrote report.html, chart.svg, series.csv, series.json to ${o.out}\n`);
  }
  return 0;
}

/** The `simulate` subcommand: exit 0 on success, 2 on usage errors and bad input. */
export const runSimulate: Subcommand = async (argv, io) => {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PolicyError || e instanceof TraceError || e instanceof SimulationError) {
      io.stderr(`cdk8s-dynamo simulate: ${e.message}\n`);
      return 2;
    }
    io.stderr(`cdk8s-dynamo simulate: ${(e as Error).message ?? String(e)}\n`);
    return 2;
  }
};
