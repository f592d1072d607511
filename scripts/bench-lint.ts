/**
 * `npx ts-node --transpile-only scripts/bench-lint.ts`: how fast `cdk8s-dynamo lint` is.
 *
 * Inputs:
 *   examples - every dist/examples/<example>/ directory (run `npm run synth` first), all
 *              at once, as a CI job on a repository of manifests would
 *   10000    - a generated multi-document YAML of 10,000 objects: the examples' objects
 *              copied into namespaces ns-0, ns-1, ... until there are 10,000 (so the
 *              cross-object rules see many namespaces of real DGDs and autoscalers);
 *              written to .bench/lint/
 *
 * Each input is measured two ways:
 *   in-process - read and parse, check (the rule engine with schema validation), and
 *                format (text), timed apart, median of 3 runs after a warm-up
 *   command    - the compiled bin (`node lib/src/cli/main.js lint ...`) as a process,
 *                start-up included, median of 3 runs (skipped when lib/ is not built)
 * and printed as objects per second. Findings are counted, not required to be zero: linted
 * together, the example apps collide (they reuse names), and the copies repeat that; the
 * findings' formatting is part of the cost.
 *
 * Usage: npx ts-node --transpile-only scripts/bench-lint.ts [--objects 10000] [--json out.json]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseAllDocuments, stringify } from 'yaml';
import { expandPaths, readInputs } from '../src/check/read';
import { PLAIN } from '../src/check/report';
import { LintReport } from '../src/cli/format/report';
import { formatText } from '../src/cli/format/text';
import { checkManifests, listRules } from '../src/rules';
import { Severity } from '../src/rules/types';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'dist', 'examples');
const OUT = path.join(ROOT, '.bench', 'lint');
const BIN = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const TARGET = Number(flag('--objects') ?? 10000);
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function inProcess(paths: string[]) {
  const readMs: number[] = [];
  const checkMs: number[] = [];
  const formatMs: number[] = [];
  let objects = 0;
  let findings = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const read = await readInputs(expandPaths(paths, ROOT), async () => '');
    const t1 = performance.now();
    const result = checkManifests(read.inputs, {});
    const t2 = performance.now();
    const report: LintReport = {
      tool: { name: 'cdk8s-dynamo', version: 'bench' },
      files: read.files,
      inputs: read.inputs,
      result,
      rules: listRules(),
      failOn: Severity.ERROR,
      skipped: read.skipped,
      cwd: ROOT,
    };
    formatText(report, PLAIN);
    const t3 = performance.now();
    objects = read.inputs.length;
    findings = result.findings.length;
    if (run === 0) continue; // warm-up
    readMs.push(t1 - t0);
    checkMs.push(t2 - t1);
    formatMs.push(t3 - t2);
  }
  const total = median(readMs.map((r, i) => r + checkMs[i] + formatMs[i]));
  return {
    objects,
    findings,
    readMs: median(readMs),
    checkMs: median(checkMs),
    formatMs: median(formatMs),
    totalMs: total,
    objectsPerSecond: Math.round(objects / (total / 1000)),
  };
}

function command(paths: string[], objects: number) {
  if (!fs.existsSync(BIN)) return undefined;
  const times: number[] = [];
  let code: number | null = null;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'lint', ...paths, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    times.push(performance.now() - t0);
    code = r.status;
  }
  const ms = median(times);
  return { exitCode: code, ms, objectsPerSecond: Math.round(objects / (ms / 1000)) };
}

/** The examples' objects, copied into fresh namespaces until there are `target`. */
function generate(target: number): string {
  const read = fs.readdirSync(EXAMPLES).flatMap((d) => fs.readdirSync(path.join(EXAMPLES, d))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => fs.readFileSync(path.join(EXAMPLES, d, f), 'utf8')));
  // one example app per namespace: its objects share the copy's namespace
  const apps: any[][] = read.map((text: string) => parseAllDocuments(text).map((d: any) => d.toJS()).filter((m: any) => m));
  const docs: string[] = [];
  let n = 0;
  for (let copy = 0; n < target; copy++) {
    for (const app of apps) {
      for (const m of app) {
        if (n >= target) break;
        const o = JSON.parse(JSON.stringify(m));
        o.metadata = { ...(o.metadata ?? {}), namespace: `ns-${copy}` };
        docs.push(stringify(o));
        n++;
      }
    }
  }
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `input-${target}.yaml`);
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

async function main() {
  if (!fs.existsSync(EXAMPLES)) {
    console.error('dist/examples is missing: run `npm run synth` first');
    process.exit(2);
  }
  const exampleDirs = fs.readdirSync(EXAMPLES).map((d) => path.join('dist', 'examples', d));
  const big = path.relative(ROOT, generate(TARGET));
  const rows: any[] = [];
  for (const [name, paths] of [['examples (all dist/examples dirs)', exampleDirs], [`generated ${TARGET} objects`, [big]]] as const) {
    const ip = await inProcess([...paths]);
    const cmd = command([...paths], ip.objects);
    rows.push({ input: name, ...ip, command: cmd });
  }
  console.log(`cdk8s-dynamo lint, node ${process.version}, ${RUNS} runs (median)`);
  console.log('| input | objects | findings | read+parse ms | check ms | format ms | in-process objects/s | command ms | command objects/s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.input} | ${r.objects} | ${r.findings} | ${r.readMs.toFixed(0)} | ${r.checkMs.toFixed(0)} | ${r.formatMs.toFixed(0)} | ${r.objectsPerSecond} | ${r.command ? r.command.ms.toFixed(0) : 'n/a'} | ${r.command ? r.command.objectsPerSecond : 'n/a (no lib/)'} |`);
  }
  const json = flag('--json');
  if (json) fs.writeFileSync(json, JSON.stringify(rows, null, 2));
  if (fs.existsSync(BIN)) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      spawnSync(process.execPath, [BIN, '--version'], { cwd: ROOT });
      times.push(performance.now() - t0);
    }
    console.log(`command start-up (cdk8s-dynamo --version): ${median(times).toFixed(0)} ms; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  }
}

void main();
