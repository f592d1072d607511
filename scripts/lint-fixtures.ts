/**
 * `npx ts-node --transpile-only scripts/lint-fixtures.ts`: writes test/fixtures/lint/<id>.yaml
 * for every rule that has none yet (test/cli-lint.test.ts fails until each rule has one):
 * the first failing set of the rule in test/rules-cases.ts that breaks that rule alone,
 * in a namespace of its own (the id in lower case) and with its own Prometheus Adapter
 * ConfigMap name, so the folder can also be linted as one input. Existing files are
 * left alone (some carry hand edits, see test/fixtures/lint/README.md); delete a file to
 * have it written again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { listRules } from '../src/rules';
import { CASES, run } from '../test/rules-cases';

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'lint');
const idsOf = (manifests: any[]) => [...new Set(run(manifests).findings.map((f) => f.ruleId))];

const have = new Set(fs.readdirSync(OUT).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')));
for (const rule of listRules()) {
  if (have.has(rule.id)) continue;
  const cases = CASES.filter((c) => c.id === rule.id && !c.release);
  if (cases.length === 0) {
    console.error(`${rule.id}: no case without a release option in test/rules-cases.ts; write the file by hand`);
    process.exitCode = 1;
    continue;
  }
  const alone = cases.find((c) => { const ids = idsOf(c.bad()); return ids.length === 1 && ids[0] === rule.id; });
  const chosen = alone ?? cases[0];
  if (!alone) console.error(`${rule.id}: no case breaks it alone (${idsOf(chosen.bad()).join(', ')}): edit the file, or list the extra ids in the test`);
  const ns = rule.id.toLowerCase();
  const text = chosen.bad().map((m: any) => stringify(m, { lineWidth: 0 })).join('---\n')
    .replace(/\bteam\b/g, ns)
    .replace(/name: prometheus-adapter$/mg, `name: prometheus-adapter-${ns}`);
  fs.writeFileSync(path.join(OUT, `${rule.id}.yaml`), `# ${rule.id} (${rule.severity}): ${rule.title}\n${text}`);
  console.log(`wrote test/fixtures/lint/${rule.id}.yaml`);
}
