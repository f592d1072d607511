/**
 * `cdk8s-dynamo lint --format json|sarif|junit`: each format is checked against what
 * reads it. SARIF against the OASIS SARIF 2.1.0 JSON schema (vendored in
 * test/fixtures/sarif/, see SOURCE.md there) with ajv; JUnit XML for well-formedness
 * with fast-xml-parser's validator and then by structure.
 */
import * as path from 'path';
import { CliRun, fakeEngine, fakeIo, hpa, parseJunit, sarifValidator, tempTree } from './support/cli';
import { lintCommand } from '../src/cli/lint';

async function lint(argv: string[], cwd: string): Promise<CliRun> {
  const engine = fakeEngine();
  const { io, out } = fakeIo({ cwd });
  const code = await lintCommand(() => engine)(argv, io);
  return { code, ...out() };
}

// Messages carry user values: markup, quotes, ampersands and control characters must
// come out escaped (or dropped, where XML 1.0 cannot hold them).
const TRICKY_NAME = 'web';
const files = {
  'apps/a b.yaml': `${hpa('clean')}---\n${hpa(TRICKY_NAME, 'FAKE001', 'inference')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm }\n`,
  'apps/w.yaml': hpa('doubtful', 'FAKE002'),
};

describe('--format sarif', () => {
  test('validates against the SARIF 2.1.0 schema, clean and with findings', async () => {
    const validate = sarifValidator();
    const dirty = await lint(['apps', '-f', 'sarif'], tempTree(files));
    expect(dirty.code).toBe(1);
    const log = JSON.parse(dirty.stdout);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const clean = await lint(['apps/w.yaml', '-f', 'sarif', '--disable', 'FAKE002'], tempTree(files));
    expect(clean.code).toBe(0);
    const cleanLog = JSON.parse(clean.stdout);
    expect(validate(cleanLog) ? [] : validate.errors).toEqual([]);
    expect(cleanLog.runs[0].results).toEqual([]);
  });

  test('the schema check can fail: a result without a message is refused', () => {
    const validate = sarifValidator();
    const broken = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'X' }] }] };
    expect(validate(broken)).toBe(false);
  });

  test('rules with ids, help (the fix) and levels; results with rule index, level, message, file, line, column and the object', async () => {
    const run = await lint(['apps', '-f', 'sarif'], tempTree(files));
    const sarifRun = JSON.parse(run.stdout).runs[0];
    expect(sarifRun.tool.driver.name).toBe('cdk8s-dynamo');
    expect(sarifRun.tool.driver.rules.map((r: any) => [r.id, r.defaultConfiguration.level, r.help.text])).toEqual([
      ['FAKE001', 'error', 'Remove the annotation.'],
      ['FAKE002', 'warning', 'Remove the annotation & <think> about "it".'],
    ]);
    expect(sarifRun.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
    expect(sarifRun.results.map((r: any) => ({
      ruleId: r.ruleId,
      ruleIndex: r.ruleIndex,
      level: r.level,
      uri: r.locations[0].physicalLocation.artifactLocation.uri,
      base: r.locations[0].physicalLocation.artifactLocation.uriBaseId,
      region: r.locations[0].physicalLocation.region,
      object: r.locations[0].logicalLocations[0].fullyQualifiedName,
      fix: r.properties.fix,
    }))).toEqual([
      { ruleId: 'FAKE001', ruleIndex: 0, level: 'error', uri: 'apps/a%20b.yaml', base: '%SRCROOT%', region: { startLine: 9, startColumn: 1 }, object: 'HorizontalPodAutoscaler inference/web', fix: 'Remove the annotation.' },
      { ruleId: 'FAKE002', ruleIndex: 1, level: 'warning', uri: 'apps/w.yaml', base: '%SRCROOT%', region: { startLine: 1, startColumn: 1 }, object: 'HorizontalPodAutoscaler default/doubtful', fix: 'Remove the annotation & <think> about "it".' },
    ]);
    expect(sarifRun.results[0].message.text).toContain('Fix: Remove the annotation.');
  });

  test('standard input: a location without a file URI, still valid', async () => {
    const engine = fakeEngine();
    const { io, out } = fakeIo({ stdin: hpa('piped', 'FAKE001') });
    const code = await lintCommand(() => engine)(['-', '-f', 'sarif'], io);
    expect(code).toBe(1);
    const log = JSON.parse(out().stdout);
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { description: { text: 'standard input' } },
      region: { startLine: 1, startColumn: 1 },
    });
  });
});

describe('--format junit', () => {
  test('well-formed XML: one testsuite per file, one testcase per object, a failure per finding at or above --fail-on', async () => {
    const run = await lint(['apps', '-f', 'junit'], tempTree(files));
    expect(run.code).toBe(1);
    const doc = parseJunit(run.stdout);
    const suites = doc.testsuites.testsuite;
    expect(doc.testsuites['@_tests']).toBe('4');
    expect(doc.testsuites['@_failures']).toBe('1');
    expect(suites.map((s: any) => [s['@_name'], s['@_tests'], s['@_failures']])).toEqual([
      [path.join('apps', 'a b.yaml'), '3', '1'],
      [path.join('apps', 'w.yaml'), '1', '0'],
    ]);
    const cases = suites[0].testcase;
    expect(cases.map((c: any) => [c['@_name'], c['@_line'], (c.failure ?? []).map((f: any) => f['@_type'])])).toEqual([
      ['HorizontalPodAutoscaler clean', '1', []],
      ['HorizontalPodAutoscaler inference/web', '9', ['FAKE001']],
      ['ConfigMap cm', '20', []],
    ]);
    // the warning is below --fail-on error: reported, not a failure
    expect(suites[1].testcase[0].failure).toBeUndefined();
    expect(suites[1].testcase[0]['system-out']).toContain('warning FAKE002');
    // (the parser decodes the entities the writer escaped)
    expect(suites[1].testcase[0]['system-out']).toContain('fix: Remove the annotation & <think> about "it".');
    expect(run.stdout).toContain('fix: Remove the annotation &amp; &lt;think&gt; about "it".');
  });

  test('--fail-on warning turns warnings into failures', async () => {
    const run = await lint(['apps', '-f', 'junit', '--fail-on', 'warning'], tempTree(files));
    const doc = parseJunit(run.stdout);
    expect(doc.testsuites['@_failures']).toBe('2');
    expect(doc.testsuites.testsuite[1].testcase[0].failure[0]['@_type']).toBe('FAKE002');
  });

  test('markup and control characters in values stay well-formed', async () => {
    const engine = fakeEngine();
    const inner = engine.checkManifests;
    engine.checkManifests = (inputs, options) => {
      const r = inner(inputs, options);
      return { ...r, findings: r.findings.map((f) => ({ ...f, message: '<x a="1"> & ]]> \u0001\u001b[31m \ud800 end' })) };
    };
    const { io, out } = fakeIo({ cwd: tempTree(files) });
    await lintCommand(() => engine)(['apps', '-f', 'junit'], io);
    const xml = out().stdout;
    expect(() => parseJunit(xml)).not.toThrow();
    expect(xml).toContain('&lt;x a=&quot;1&quot;&gt; &amp; ]]&gt; [31m  end');
  });
});

describe('--format json', () => {
  test('summary counts, the findings as the engine returned them, skipped documents', async () => {
    const run = await lint(['apps', '-f', 'json'], tempTree({ ...files, 'apps/z.yaml': '- not\n- an object\n' }));
    const out = JSON.parse(run.stdout);
    expect(out.tool.name).toBe('cdk8s-dynamo');
    expect(out.summary).toEqual({ files: 3, objects: 4, checked: 3, unknown: 1, skipped: 1, errors: 1, warnings: 1, failOn: 'error', failed: true });
    expect(out.findings.map((f: any) => [f.ruleId, f.severity, f.object.name, f.source.file, f.source.line])).toEqual([
      ['FAKE001', 'error', 'web', path.join('apps', 'a b.yaml'), 9],
      ['FAKE002', 'warning', 'doubtful', path.join('apps', 'w.yaml'), 1],
    ]);
    expect(out.skipped).toEqual([{ file: path.join('apps', 'z.yaml'), line: 1, reason: 'not a mapping: not a Kubernetes object' }]);
  });
});
