/**
 * The rule engine: for every rule, one manifest set that breaks it and one that does
 * not (the passing set must have no finding at all, so every rule is also shown not to
 * fire on correct input). The cases are in ./rules-cases.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CASES, run } from './rules-cases';
import { FIXTURE_DIR, ruleFixtures } from '../scripts/rules-fixtures';
import { checkManifests, listRules } from '../src/rules';

describe('every rule: a failing and a passing set', () => {
  test('every rule has a case, and every case names a rule', () => {
    const ruleIds = listRules().map((r) => r.id);
    expect([...new Set(CASES.map((c) => c.id))].sort()).toEqual([...ruleIds].sort());
  });

  test.each(CASES.map((c, i) => [c.id, i, c] as const))('%s (case %i)', (id, _, c) => {
    const bad = run(c.bad(), c.release);
    expect(bad.findings.map((f) => f.ruleId)).toContain(id);
    for (const f of bad.findings.filter((x) => x.ruleId === id)) {
      // Each message names the object and the field path.
      expect(f.message).toContain(`${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
      expect(f.message).toContain(f.path);
      expect(f.fix).toBeTruthy();
    }
    expect(run(c.good(), c.release).findings).toEqual([]);
  });
});

describe('the cases as YAML files (test/fixtures/rules/<id>/)', () => {
  const files = ruleFixtures();

  test('the committed files are what scripts/rules-fixtures.ts writes', () => {
    const onDisk = fs.readdirSync(FIXTURE_DIR, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort();
    expect(onDisk).toEqual([...files.keys()].sort());
    for (const [rel, text] of files) expect(fs.readFileSync(path.join(FIXTURE_DIR, rel), 'utf8')).toBe(text);
  });

  test.each([...files.keys()].sort())('%s: read back from YAML, it reports exactly its expected rules', (rel) => {
    const text = fs.readFileSync(path.join(FIXTURE_DIR, rel), 'utf8');
    const expected = /^# expect: (.*)$/m.exec(text)![1];
    const release = /^# release: (.*)$/m.exec(text)?.[1];
    const manifests = YAML.parseAllDocuments(text).map((d) => d.toJS());
    const result = checkManifests(manifests.map((manifest) => ({ manifest })), release ? { dynamoRelease: release } : {});
    const found = [...new Set(result.findings.map((f) => f.ruleId))].sort();
    expect(found.join(' ') || 'none').toBe(expected);
    const id = rel.split(path.sep)[0];
    if (rel.endsWith('-bad.yaml')) expect(found).toContain(id);
    else expect(found).toEqual([]);
  });
});
