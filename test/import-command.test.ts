/**
 * The `import` and `convert` subcommands through the CLI contract (src/cli/io.ts):
 * argv after the subcommand name in, exit code out, output on the io's streams, errors
 * as messages with exit code 2, never process.exit.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { crdErrors, FIXTURES } from './support';
import { runConvert, runImport } from '../src/cli/import-command';
import { CliIo } from '../src/cli/io';

interface Captured { io: CliIo; out: () => string; err: () => string }

function capture(stdin = '', cwd = FIXTURES): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: async () => stdin, isTTY: false, cwd },
    out: () => out,
    err: () => err,
  };
}

const PLANNER = 'upstream/dynamo-v1alpha1/vllm/disagg_planner.yaml';

describe('convert', () => {
  test('--to v1beta1 <file>: the converted stream on stdout, a summary on stderr, exit 0', async () => {
    const c = capture();
    expect(await runConvert(['--to', 'v1beta1', PLANNER], c.io)).toBe(0);
    const docs = YAML.parseAllDocuments(c.out()).map((d) => d.toJS());
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['v1 ConfigMap', 'nvidia.com/v1beta1 DynamoGraphDeployment']);
    expect(crdErrors(docs[1])).toEqual([]);
    expect(c.err()).toBe('cdk8s-dynamo convert: 1 DynamoGraphDeployment(s) converted to v1beta1, 0 autoscaler target(s) updated\n');
  });

  test('- reads standard input; -o writes a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convert-'));
    const c = capture(fs.readFileSync(path.join(FIXTURES, 'upstream/dynamo-v1beta1/vllm/agg.yaml'), 'utf8'), dir);
    expect(await runConvert(['--to', 'v1alpha1', '-o', 'out.yaml', '-'], c.io)).toBe(0);
    expect(c.out()).toBe('');
    const doc = YAML.parse(fs.readFileSync(path.join(dir, 'out.yaml'), 'utf8'));
    expect(doc.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(doc.spec.services.VllmDecodeWorker.resources.limits.gpu).toBe('1');
  });

  test('fields with no place in the target: listed, nothing written, exit 1; --allow-loss writes and still lists', async () => {
    const input = 'apiVersion: nvidia.com/v1alpha1\nkind: DynamoGraphDeployment\nmetadata: {name: g}\nspec:\n  pvcs: [{name: cache}]\n  services:\n    F: {componentType: frontend, ingress: {enabled: true}}\n';
    const c = capture(input);
    expect(await runConvert(['--to', 'v1beta1', '-'], c.io)).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toContain("loss: [<stdin>, document 1 (line 1) (DynamoGraphDeployment \"g\")] 'spec.services.F.ingress' ({\"enabled\":true}): v1beta1 removed it");
    expect(c.err()).toContain("'spec.pvcs' ([{\"name\":\"cache\"}])");
    expect(c.err()).toContain('2 field(s) have no place in v1beta1; nothing written. Re-run with --allow-loss');
    const d = capture(input);
    expect(await runConvert(['--to', 'v1beta1', '--allow-loss', '-'], d.io)).toBe(0);
    expect(YAML.parse(d.out()).spec).toEqual({ components: [{ name: 'F', type: 'frontend' }] });
    expect(d.err()).toContain("dropped: [<stdin>, document 1 (line 1) (DynamoGraphDeployment \"g\")] 'spec.services.F.ingress'");
  });

  test('usage and input errors exit 2 with a message', async () => {
    const missingTo = capture();
    expect(await runConvert([PLANNER], missingTo.io)).toBe(2);
    expect(missingTo.err()).toContain("required option '--to <version>' not specified");
    const badTo = capture();
    expect(await runConvert(['--to', 'v2', PLANNER], badTo.io)).toBe(2);
    expect(badTo.err()).toContain('Allowed choices are v1alpha1, v1beta1');
    const missing = capture();
    expect(await runConvert(['--to', 'v1beta1', 'nope.yaml'], missing.io)).toBe(2);
    expect(missing.err()).toBe('cdk8s-dynamo convert: [nope.yaml] cannot be read: no such file\n');
    const bad = capture('kind: [\n');
    expect(await runConvert(['--to', 'v1beta1', '-'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/^cdk8s-dynamo convert: \[<stdin>:\d+:\d+\] invalid YAML in document 1/);
    const help = capture();
    expect(await runConvert(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('Exit codes: 0 converted, 1 fields would be lost');
  });
});

describe('import', () => {
  test('<file>: TypeScript on stdout, a summary and the warnings on stderr', async () => {
    const c = capture();
    expect(await runImport(['import/vllm-disagg-autoscaled.yaml'], c.io)).toBe(0);
    expect(c.out()).toContain("from 'cdk8s-dynamo';");
    expect(c.out()).toContain('export class ImportedChart extends Chart');
    expect(c.out()).toContain('new HpaAutoscaler(this');
    expect(c.err()).toContain('warning: import/vllm-disagg-autoscaled.yaml, document 1 (line 6): Secret hf-token-secret kept as an ApiObject');
    expect(c.err()).toMatch(/cdk8s-dynamo import: 2 DynamoGraphDeployment\(s\), \d autoscaler\(s\) as constructs, \d other object\(s\) as ApiObject\n$/);
  });

  test('--chart names the class; -o writes a file; - reads stdin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
    const c = capture(fs.readFileSync(path.join(FIXTURES, PLANNER), 'utf8'), dir);
    expect(await runImport(['--chart', 'PlannerChart', '--dynamo-release', '1.4', '-o', 'main.ts', '-'], c.io)).toBe(0);
    const code = fs.readFileSync(path.join(dir, 'main.ts'), 'utf8');
    expect(code).toContain('export class PlannerChart extends Chart');
    expect(code).toContain('DynamoGraphDeployment.setDefaultRelease(this, DynamoRelease.V1_4);');
  });

  test('--dynamo-release: upstream placeholder tags are refused for 1.5 (the library\'s message), and a bad release is a usage error', async () => {
    const latest = capture();
    expect(await runImport([PLANNER], latest.io)).toBe(2);
    expect(latest.err()).toMatch(/^cdk8s-dynamo import: upstream\/dynamo-v1alpha1\/vllm\/disagg_planner.yaml, document 2 \(line \d+\): \[imported\/vllm-disagg-planner\/Frontend\] DYN102 DynamoGraphDeployment [^:]+: spec\.services\.Frontend\.extraPodSpec\.mainContainer\.image = "nvcr.io\/nvidia\/ai-dynamo\/vllm-runtime:my-tag": component 'Frontend': image tag "my-tag" must contain a semantic version/);
    const bad = capture();
    expect(await runImport(['--dynamo-release', '9.9', PLANNER], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/^cdk8s-dynamo import: --dynamo-release: /);
  });

  test('bad input exits 2 naming the document and the field', async () => {
    const c = capture('apiVersion: nvidia.com/v1beta1\nkind: DynamoGraphDeployment\nmetadata: {name: g}\nspec:\n  components: [{name: F, type: router}]\n');
    expect(await runImport(['-'], c.io)).toBe(2);
    expect(c.err()).toBe("cdk8s-dynamo import: [<stdin>, document 1 (line 1) (DynamoGraphDeployment \"g\")] 'spec.components[0].type' (\"router\"): must be one of frontend, worker, prefill, decode, planner, epp\n");
    const chart = capture();
    expect(await runImport(['--chart', 'bad-name', PLANNER], chart.io)).toBe(2);
    expect(chart.err()).toContain('--chart "bad-name": must be a class name');
    const none = capture();
    expect(await runImport([], none.io)).toBe(2);
    expect(none.err()).toContain("missing required argument 'input'");
  });
});
