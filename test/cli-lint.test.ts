/**
 * `cdk8s-dynamo lint` with the real rule engine: the broken-manifest folder
 * (test/fixtures/lint, one file per rule) reports exactly the expected rule ids in all
 * four formats, and every example app, synthesized as `npm run synth` does, lints clean
 * but for the findings recorded below.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { lintCommand } from '../src/cli/lint';
import { listRules } from '../src/rules';
import { CliRun, fakeIo, parseJunit, sarifValidator, tempTree } from './support/cli';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join('test', 'fixtures', 'lint');

async function lint(argv: string[], cwd = ROOT): Promise<CliRun> {
  const { io, out } = fakeIo({ cwd });
  const code = await lintCommand()(argv, io);
  return { code, ...out() };
}

/** The rule ids each fixture file must report: its own, plus DYN003 for DYN202 (see README). */
function expected(): Map<string, string[]> {
  const files = fs.readdirSync(path.join(ROOT, FIXTURES)).filter((f) => f.endsWith('.yaml')).sort();
  return new Map(files.map((f) => {
    const id = f.replace(/\.yaml$/, '');
    return [path.join(FIXTURES, f), id === 'DYN202' ? ['DYN003', 'DYN202'] : [id]];
  }));
}

/** file -> sorted distinct rule ids, from a list of (file, ruleId) pairs. */
function byFile(pairs: Array<[string, string]>): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const [file, id] of pairs) {
    if (!m.has(file)) m.set(file, new Set());
    m.get(file)!.add(id);
  }
  return new Map([...m].map(([f, s]) => [f, [...s].sort()]));
}

describe('the broken-manifest folder: one file per rule', () => {
  test('every rule has its file, and every file is named after a rule', () => {
    const ids = [...expected().keys()].map((f) => path.basename(f, '.yaml'));
    expect(ids).toEqual(listRules().map((r) => r.id).sort());
  });

  test('each file alone reports exactly its rule id (exit 1 for errors, 0 for warnings)', async () => {
    const rules = new Map(listRules().map((r) => [r.id, r]));
    for (const [file, ids] of expected()) {
      const run = await lint([file, '--format', 'json']);
      const found = [...new Set(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId))].sort();
      expect({ file, found }).toEqual({ file, found: ids });
      const id = path.basename(file, '.yaml');
      expect({ file, code: run.code }).toEqual({ file, code: rules.get(id)!.severity === 'error' ? 1 : 0 });
    }
  });

  /** Runs each file alone in `format` and collects (file, rule id) pairs with `extract`. */
  async function perFile(format: string, extract: (run: CliRun, file: string) => Array<[string, string]>) {
    const pairs: Array<[string, string]> = [];
    for (const file of expected().keys()) pairs.push(...extract(await lint([file, '--format', format, '--fail-on', 'warning']), file));
    return byFile(pairs);
  }

  test('json', async () => {
    const found = await perFile('json', (run) => JSON.parse(run.stdout).findings.map((f: any) => [f.source.file, f.ruleId]));
    expect(found).toEqual(expected());
  });

  test('sarif: valid SARIF 2.1.0, the same ids file by file, with lines and columns', async () => {
    const validate = sarifValidator();
    const found = await perFile('sarif', (run) => {
      const log = JSON.parse(run.stdout);
      expect(validate(log) ? [] : validate.errors).toEqual([]);
      return log.runs[0].results.map((r: any) => {
        expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1); // after the header comment
        expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
        return [decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri).split('/').join(path.sep), r.ruleId];
      });
    });
    expect(found).toEqual(expected());
  });

  test('junit: well-formed, one failure per finding (--fail-on warning), the same ids file by file', async () => {
    const found = await perFile('junit', (run) => {
      const pairs: Array<[string, string]> = [];
      for (const suite of parseJunit(run.stdout).testsuites.testsuite) {
        for (const tc of suite.testcase) for (const f of tc.failure ?? []) pairs.push([suite['@_name'], f['@_type']]);
      }
      return pairs;
    });
    expect(found).toEqual(expected());
  });

  test('text: each finding line names file:line:col, severity and rule id; the same ids file by file', async () => {
    const found = await perFile('text', (run) => [...run.stdout.matchAll(/^(\S+\.yaml):\d+:\d+ (?:error|warning) (DYN\d+) /gm)].map((m) => [m[1], m[2]] as [string, string]));
    expect(found).toEqual(expected());
  });

  /**
   * Linted as one folder, the files are one cluster: each file has its own namespace and
   * names, but two rules are about the whole cluster's Prometheus Adapter, so they also
   * fire across files: DYN605 (KEDA, in the DYN2xx files, and Prometheus Adapter external
   * rules both serve external metrics) on every adapter config, and DYN604 (an HPA
   * External metric no adapter rule serves) on DYN301's HPA once adapter rules exist.
   */
  const CLUSTER_WIDE: Record<string, string[]> = {
    DYN301: ['DYN604'], DYN501: ['DYN605'], DYN502: ['DYN605'], DYN503: ['DYN605'], DYN504: ['DYN605'], DYN604: ['DYN605'],
  };

  test.each(['json', 'sarif', 'junit', 'text'])('the folder as one input (%s): each file reports its rule, plus only the cluster-wide ones', async (format) => {
    const run = await lint([FIXTURES, '--format', format, '--fail-on', 'warning']);
    expect(run.code).toBe(1);
    let pairs: Array<[string, string]>;
    if (format === 'json') pairs = JSON.parse(run.stdout).findings.map((f: any) => [f.source.file, f.ruleId]);
    else if (format === 'sarif') pairs = JSON.parse(run.stdout).runs[0].results.map((r: any) => [decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri).split('/').join(path.sep), r.ruleId]);
    else if (format === 'junit') pairs = parseJunit(run.stdout).testsuites.testsuite.flatMap((s: any) => s.testcase.flatMap((tc: any) => (tc.failure ?? []).map((f: any) => [s['@_name'], f['@_type']])));
    else pairs = [...run.stdout.matchAll(/^(\S+\.yaml):\d+:\d+ (?:error|warning) (DYN\d+) /gm)].map((m) => [m[1], m[2]] as [string, string]);
    const want = new Map([...expected()].map(([file, ids]) => [file, [...ids, ...(CLUSTER_WIDE[path.basename(file, '.yaml')] ?? [])].sort()]));
    expect(byFile(pairs)).toEqual(want);
  });
});

describe('the examples, synthesized as `npm run synth` does, one directory each', () => {
  const EXAMPLES = path.join(ROOT, 'examples');
  const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.replace(/\.ts$/, '')).sort();

  /**
   * What the examples break today (test/rules-engine.test.ts keeps the same list): nothing. (mixed-my-llm's
   * Planner runs mode decode, so the ScaledObject on prefill is no second autoscaler.)
   */
  const KNOWN: Record<string, string[]> = {};

  test.each(names)('lint dist/examples/%s: clean but for the known findings', async (name) => {
    const outdir = tempTree({});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(EXAMPLES, name));
    const app = new App({ outdir });
    mod.build(app);
    app.synth();
    const run = await lint(['.', '--format', 'json'], outdir);
    const out = JSON.parse(run.stdout);
    expect(out.summary.checked).toBeGreaterThan(0);
    expect([...new Set(out.findings.map((f: any) => f.ruleId))].sort()).toEqual(KNOWN[name] ?? []);
    expect(run.code).toBe((KNOWN[name] ?? []).length > 0 ? 1 : 0);
  });
});

describe('as a process: the Helm post-renderer contract', () => {
  // Helm 3 runs the post-renderer as a process, writes the rendered release to its stdin
  // ("---\n# Source: <template>\n<manifest>\n" per template, helm/helm pkg/action) and
  // installs what it prints on stdout; a non-zero exit fails the install with stderr.
  const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
  const postRender = (stream: string, ...args: string[]) => spawnSync(process.execPath,
    ['-r', 'ts-node/register/transpile-only', MAIN, 'lint', '--post-renderer', ...args],
    { cwd: ROOT, input: stream, encoding: 'utf8' });
  const helmStream = (files: string[]) => files.map((f) => `---\n# Source: chart/templates/${path.basename(f)}\n${fs.readFileSync(f, 'utf8')}\n`).join('');

  test('a clean release comes back byte for byte; a broken one is refused with the rule on stderr', () => {
    const outdir = tempTree({});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(ROOT, 'examples', 'keda-queue-depth'));
    const app = new App({ outdir });
    mod.build(app);
    app.synth();
    const clean = helmStream(fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(outdir, f)));
    const ok = postRender(clean);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(clean);

    const broken = helmStream([path.join(ROOT, FIXTURES, 'DYN602.yaml')]);
    const refused = postRender(broken);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('error DYN602 HorizontalPodAutoscaler');
  });
});
