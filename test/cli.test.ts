/**
 * `cdk8s-dynamo` as a command: reading (files, directories, stdin, multi-document YAML,
 * positions, List expansion), options, exit codes, bad input, help and version, the
 * Helm post-renderer mode. The rule engine is a fake here (test/support/cli.ts), so
 * these tests are about the command, not the rules (test/cli-lint.test.ts runs the
 * real rules).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliRun, fakeEngine, fakeIo, hpa, tempTree } from './support/cli';
import { parseStream, parseStreamExact } from '../src/check/read';
import { lintCommand } from '../src/cli/lint';
import { main, SubcommandEntry } from '../src/cli/main';
import { rulesCommand } from '../src/cli/rules-command';

type Engine = ReturnType<typeof fakeEngine>;

type LintOptions = { stdin?: string; cwd?: string; isTTY?: boolean; engine?: Engine };

async function lint(argv: string[], opts: LintOptions = {}): Promise<CliRun & { engine: Engine }> {
  const engine = opts.engine ?? fakeEngine();
  const { io, out } = fakeIo(opts);
  const code = await lintCommand(() => engine)(argv, io);
  return { code, ...out(), engine };
}

async function cli(argv: string[], opts: { stdin?: string; cwd?: string } = {}): Promise<CliRun> {
  const engine = fakeEngine();
  const commands: SubcommandEntry[] = [
    { name: 'lint', summary: 'check manifests', run: lintCommand(() => engine) },
    { name: 'rules', summary: 'list the rules', run: rulesCommand(() => engine) },
  ];
  const { io, out } = fakeIo(opts);
  const code = await main(argv, io, commands);
  return { code, ...out() };
}

function json(run: CliRun): any {
  return JSON.parse(run.stdout);
}

/** No stack trace ever reaches the user. */
function expectNoStack(run: CliRun) {
  expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(run.stdout).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('reading manifests', () => {
  test('multi-document YAML: every object with its file, document, line and column', async () => {
    const dir = tempTree({
      'app.yaml': `# leading comment\n${hpa('a', 'FAKE001')}---\n${hpa('b')}---\n\n---\n  # indented comment\n${hpa('c', 'FAKE001')}`,
    });
    const run = await lint(['app.yaml', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const inputs = run.engine.calls[0].inputs;
    expect(inputs.map((i) => i.manifest.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(inputs.map((i) => i.source)).toEqual([
      { file: 'app.yaml', document: 0, line: 2, column: 1 },
      { file: 'app.yaml', document: 1, line: 12, column: 1 },
      // document 2 is empty; the third object is document 3, after its comment
      { file: 'app.yaml', document: 3, line: 23, column: 1 },
    ]);
    expect(json(run).findings.map((f: any) => `${f.object.name}@${f.source.line}`)).toEqual(['a@2', 'c@23']);
  });

  test('List kinds are expanded, each item with its own position', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', annotations: { 'test.invalid/finding': 'FAKE001' } } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
      ],
    };
    const dir = tempTree({ 'list.json': JSON.stringify(list, null, 2), 'typed.yaml': `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscalerList\nitems:\n- ${hpa('y').trimEnd().split('\n').join('\n  ')}\n` });
    const run = await lint(['list.json', 'typed.yaml', '-f', 'json'], { cwd: dir });
    const inputs = run.engine.calls[0].inputs;
    expect(inputs.map((i) => `${i.manifest.kind}/${i.manifest.metadata.name}@${i.source?.file}:${i.source?.line}:${i.source?.column}`)).toEqual([
      'HorizontalPodAutoscaler/x@list.json:5:5',
      'ConfigMap/cm@list.json:15:5',
      'HorizontalPodAutoscaler/y@typed.yaml:4:3',
    ]);
    expect(json(run).summary).toMatchObject({ objects: 3, checked: 2, unknown: 1, errors: 1 });
  });

  test('directories are searched recursively for *.yaml, *.yml and *.json, in sorted order; other files, .git and node_modules are not', async () => {
    const dir = tempTree({
      'manifests/b.yaml': hpa('b'),
      'manifests/a.yml': hpa('a'),
      'manifests/sub/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      'manifests/sub/README.md': '# not a manifest',
      'manifests/notes.txt': 'apiVersion: v1',
      'manifests/node_modules/x.yaml': hpa('dependency'),
      'manifests/.git/y.yaml': hpa('git'),
    });
    const run = await lint(['manifests', '-f', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.engine.calls[0].inputs.map((i) => `${i.source?.file}:${i.manifest.metadata.name}`)).toEqual([
      path.join('manifests', 'a.yml') + ':a',
      path.join('manifests', 'b.yaml') + ':b',
      path.join('manifests', 'sub', 'c.json') + ':c',
    ]);
    expect(json(run).summary).toMatchObject({ files: 3, objects: 3, checked: 2, unknown: 1 });
  });

  test("'-' reads standard input, alone or beside files; a path given twice is read once", async () => {
    const dir = tempTree({ 'f.yaml': hpa('from-file') });
    const run = await lint(['f.yaml', '-', 'f.yaml', '-f', 'json'], { cwd: dir, stdin: hpa('from-stdin', 'FAKE001') });
    expect(run.engine.calls[0].inputs.map((i) => `${i.source?.file}:${i.manifest.metadata.name}`)).toEqual(['f.yaml:from-file', '-:from-stdin']);
    expect(run.code).toBe(1);
  });

  test('unknown kinds pass through unchecked and are counted; documents that are not mappings are skipped with a note', async () => {
    const dir = tempTree({
      'mixed.yaml': `${hpa('h')}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n---\nreplicaCount: 3\n---\n- just\n- a list\n`,
    });
    const run = await lint(['mixed.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    // `replicaCount: 3` is a mapping: it goes to the engine (which reads some kind-less
    // documents, e.g. Prometheus Adapter Helm values) and counts as unknown there.
    expect(run.stdout).toContain('3 objects from 1 stream: 1 checked, 2 of kinds not checked (passed through), 1 document skipped');
    expect(run.stdout).toContain('note: mixed.yaml:15: skipped: not a mapping: not a Kubernetes object');
  });
});

describe('options reach the engine', () => {
  test('--namespace, --dynamo-release, --enable, --disable (comma-separated and repeated), --no-schema', async () => {
    const dir = tempTree({ 'a.yaml': hpa('a', 'FAKE001,FAKE002') });
    const run = await lint(['a.yaml', '-n', 'inference', '--dynamo-release', '1.0', '--enable', 'FAKE001,FAKE002', '--disable', 'FAKE002', '--no-schema', '-f', 'json'], { cwd: dir });
    expect(run.engine.calls[0].options).toEqual({ dynamoRelease: '1.0', defaultNamespace: 'inference', enable: ['FAKE001', 'FAKE002'], disable: ['FAKE002'], schema: false });
    expect(json(run).findings.map((f: any) => [f.ruleId, f.object.namespace])).toEqual([['FAKE001', 'inference']]);
  });

  test('defaults: the newest Dynamo release, namespace default, every rule, schema checks on', async () => {
    const dir = tempTree({ 'a.yaml': hpa('a') });
    const run = await lint(['a.yaml'], { cwd: dir });
    expect(run.engine.calls[0].options).toEqual({ dynamoRelease: '1.5', defaultNamespace: 'default', enable: undefined, disable: undefined, schema: true });
  });
});

describe('exit codes', () => {
  const files = { 'clean.yaml': hpa('clean'), 'error.yaml': hpa('e', 'FAKE001'), 'warning.yaml': hpa('w', 'FAKE002') };

  test.each([
    [['clean.yaml'], 0],
    [['error.yaml'], 1],
    [['warning.yaml'], 0],
    [['warning.yaml', '--fail-on', 'warning'], 1],
    [['clean.yaml', '--fail-on', 'warning'], 0],
    [['error.yaml', '--disable', 'FAKE001'], 0],
  ])('lint %j exits %i', async (argv, code) => {
    const run = await lint(argv as string[], { cwd: tempTree(files) });
    expect(run.code).toBe(code);
  });

  test('a warning below --fail-on is still reported, and the verdict says why the run passed', async () => {
    const run = await lint(['warning.yaml'], { cwd: tempTree(files) });
    expect(run.stdout).toContain('warning.yaml:1:1 warning FAKE002 HorizontalPodAutoscaler default/w');
    expect(run.stdout).toContain('0 errors, 1 warning: passed: no findings at or above --fail-on error');
  });

  test.each([
    [[], "give the files or directories to check, or '-' for standard input"],
    [['x.yaml', '--fail-on', 'info'], "option '--fail-on <severity>' argument 'info' is invalid. Allowed choices are error, warning."],
    [['x.yaml', '--format', 'xml'], "argument 'xml' is invalid. Allowed choices are text, json, sarif, junit."],
    [['x.yaml', '--bogus'], "unknown option '--bogus'"],
    [['x.yaml', '--enable', 'FAKE001,NOPE9'], '--enable: unknown rule id NOPE9'],
    [['x.yaml', '--disable', 'X1,X2'], '--disable: unknown rule ids X1, X2'],
    [['x.yaml', '--dynamo-release', '9.9'], '--dynamo-release: Dynamo release "9.9" is not one the library knows: use one of 0.8, 0.9, 1.0'],
    [['x.yaml', '--namespace', 'Not_A_Label'], '--namespace "Not_A_Label": must be a DNS label'],
    [['x.yaml', '--post-renderer'], '--post-renderer reads standard input only: give no paths'],
  ])('usage error %j: exit 2 with %j', async (argv, message) => {
    const run = await lint(argv as string[], { cwd: tempTree({ 'x.yaml': hpa('x') }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expectNoStack(run);
  });
});

describe('unreadable input: exit 2, a message naming the file, no stack trace', () => {
  test.each([
    ['a missing path', ['nope.yaml'], {}, 'nope.yaml: no such file or directory'],
    ['invalid YAML', ['bad.yaml'], { 'bad.yaml': `${hpa('ok')}---\nkind: X\n  metadata: [\n` }, 'bad.yaml:9:7: invalid YAML: Nested mappings are not allowed in compact mappings'],
    ['a duplicate key', ['dup.yaml'], { 'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n' }, 'dup.yaml:3:1: invalid YAML: Map keys must be unique'],
    ['invalid JSON', ['bad.json'], { 'bad.json': '{"apiVersion": "v1", "kind": }' }, 'bad.json: invalid JSON:'],
    ['a binary file', ['image.yaml'], { 'image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]) }, 'image.yaml: is a binary file, not YAML or JSON text'],
    ['bytes that are not UTF-8', ['latin1.yaml'], { 'latin1.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0xff, 0x0a]) }, 'latin1.yaml: is not UTF-8 text'],
    ['an empty file', ['empty.yaml'], { 'empty.yaml': '' }, 'empty.yaml: is empty: no Kubernetes objects to check'],
    ['a file of comments only', ['comments.yaml'], { 'comments.yaml': '# nothing\n---\n# here\n' }, 'comments.yaml: holds no YAML documents'],
    ['an empty directory', ['emptydir'], { 'emptydir/README.md': 'x' }, 'emptydir: directory holds no *.yaml, *.yml, *.json files'],
    ['only non-objects', ['list.yaml'], { 'list.yaml': '- a\n- b\n---\njust a string\n' }, 'no Kubernetes objects in list.yaml'],
  ])('%s', async (_what, argv, files, message) => {
    const run = await lint(argv, { cwd: tempTree(files as Record<string, string | Buffer>) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cdk8s-dynamo lint: ${message}`);
    expect(run.stdout).toBe('');
    expectNoStack(run);
  });

  test('an empty standard input', async () => {
    const run = await lint(['-'], { stdin: '  \n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('cdk8s-dynamo lint: standard input: is empty: no Kubernetes objects to check\n');
  });

  test('standard input that cannot be read (a terminal, binary data) names standard input', async () => {
    const run = await lint(['-']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cdk8s-dynamo lint: standard input: is a terminal');
    const bin = await lint(['-'], { stdin: 'kind: X\u0000' });
    expect(bin.stderr).toContain('standard input: is binary data');
  });

  test('an error inside the engine is one line and exit 2, not a stack trace', async () => {
    const engine = fakeEngine();
    engine.checkManifests = () => { throw new TypeError("Cannot read properties of undefined (reading 'spec')"); };
    const { io, out } = fakeIo({ cwd: tempTree({ 'a.yaml': hpa('a') }) });
    const code = await main(['lint', 'a.yaml'], io, [{ name: 'lint', summary: '', run: lintCommand(() => engine) }]);
    expect(code).toBe(2);
    expect(out().stderr).toBe("cdk8s-dynamo lint: internal error: Cannot read properties of undefined (reading 'spec')\n");
  });
});

describe('text output', () => {
  test('each finding: file:line:col, severity, rule id, object, field path and message, fix', async () => {
    const run = await lint(['a.yaml'], { cwd: tempTree({ 'a.yaml': `${hpa('ok')}---\n${hpa('bad', 'FAKE001', 'inference')}` }) });
    expect(run.stdout).toBe([
      'a.yaml:9:1 error FAKE001 HorizontalPodAutoscaler inference/bad',
      "  metadata.annotations: HorizontalPodAutoscaler bad: annotation 'test.invalid/finding' (\"FAKE001\") marks it",
      '  fix: Remove the annotation.',
      '',
      '2 objects from 1 stream: 2 checked, 0 of kinds not checked (passed through)',
      '1 error, 0 warnings: failed: findings at or above --fail-on error',
      '',
    ].join('\n'));
  });

  test('colour only on a terminal, and never with --no-color or NO_COLOR', async () => {
    const files = { 'a.yaml': hpa('bad', 'FAKE001') };
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    try {
      expect((await lint(['a.yaml'], { cwd: tempTree(files), isTTY: true })).stdout).toMatch(ansi);
      expect((await lint(['a.yaml'], { cwd: tempTree(files), isTTY: false })).stdout).not.toMatch(ansi);
      expect((await lint(['a.yaml', '--no-color'], { cwd: tempTree(files), isTTY: true })).stdout).not.toMatch(ansi);
      process.env.NO_COLOR = '1';
      expect((await lint(['a.yaml'], { cwd: tempTree(files), isTTY: true })).stdout).not.toMatch(ansi);
      // the machine formats never carry colour
      delete process.env.NO_COLOR;
      expect((await lint(['a.yaml', '-f', 'json'], { cwd: tempTree(files), isTTY: true })).stdout).not.toMatch(ansi);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});

describe('Helm post-renderer mode', () => {
  // The stream as Helm 3 hands it to a post-renderer: each rendered template as
  // "---\n# Source: <chart>/templates/<file>\n<content>\n" (helm/helm pkg/action/action.go).
  const helmStream = (templates: Record<string, string>) =>
    Object.entries(templates).map(([name, content]) => `---\n# Source: mychart/templates/${name}\n${content}\n`).join('');

  test('clean: the release is written to stdout byte for byte, stderr stays empty, exit 0', async () => {
    const stream = helmStream({ 'hpa.yaml': hpa('web'), 'configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  key: "  spaces kept  "\n' });
    const run = await lint(['--post-renderer'], { stdin: stream });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(stream);
    expect(run.stderr).toBe('');
  });

  test('broken: nothing on stdout (Helm must not install it), the report on stderr, exit 1', async () => {
    const stream = helmStream({ 'hpa.yaml': hpa('web', 'FAKE001') });
    const run = await lint(['--post-renderer'], { stdin: stream });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('-:3:1 error FAKE001 HorizontalPodAutoscaler default/web');
    expect(run.stderr).toContain('failed: findings at or above --fail-on error');
  });

  test('warnings below --fail-on: the release passes through, the warnings go to stderr', async () => {
    const stream = helmStream({ 'hpa.yaml': hpa('web', 'FAKE002') });
    const run = await lint(['--post-renderer'], { stdin: stream });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(stream);
    expect(run.stderr).toContain('warning FAKE002');
    const strict = await lint(['--post-renderer', '--fail-on', 'warning'], { stdin: stream });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
  });

  test('a byte-order mark and CRLF line ends survive unchanged', async () => {
    const stream = `\ufeff${helmStream({ 'hpa.yaml': hpa('web') }).replace(/\n/g, '\r\n')}`;
    const run = await lint(['--post-renderer'], { stdin: stream });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(stream);
  });

  test('unreadable input fails the install too: exit 2, nothing on stdout', async () => {
    const run = await lint(['--post-renderer'], { stdin: '---\n# Source: mychart/templates/x.yaml\nkind: [\n' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('standard input:4:1: invalid YAML');
  });
});

describe('the cdk8s-dynamo command', () => {
  test('--help lists the subcommands; --version prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: cdk8s-dynamo \[options\] \[command\]/);
    expect(help.stdout).toMatch(/lint\s+check manifests/);
    expect(help.stdout).toMatch(/rules\s+list the rules/);
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });

  test('lint --help documents every option and the exit codes', async () => {
    const help = await cli(['lint', '--help']);
    expect(help.code).toBe(0);
    for (const opt of ['--dynamo-release', '--enable', '--disable', '--namespace', '--fail-on', '--format', '--post-renderer', '--no-schema', '--no-color']) {
      expect(help.stdout).toContain(opt);
    }
    expect(help.stdout).toContain('Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or unreadable input.');
  });

  test('no arguments: the help on stderr and exit 2; an unknown command: exit 2 naming it', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: cdk8s-dynamo');
    const unknown = await cli(['lnt', 'x.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'lnt'");
  });

  test('rules: ids, severities, titles, descriptions and fixes; json; one rule; an unknown id', async () => {
    const text = await cli(['rules']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('FAKE001  error  Marked broken\n    The object carries the test annotation for FAKE001.\n    Fix: Remove the annotation.');
    expect(text.stdout).toContain('2 rules\n');
    const asJson = await cli(['rules', '--format', 'json', 'FAKE002']);
    expect(JSON.parse(asJson.stdout)).toEqual([expect.objectContaining({ id: 'FAKE002', severity: 'warning' })]);
    const unknown = await cli(['rules', 'NOPE']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown rule id NOPE');
  });
});

describe('the fast reader agrees with the exact one', () => {
  // parseStream reads most documents with js-yaml, cut at `---` lines; the `yaml`
  // package's document model is the reference for values and positions.
  const tricky: Record<string, string> = {
    'comments and markers': `# head\n\n---   # a comment on the marker line\n  # indented\n${hpa('a')}...\n---\n---\n${hpa('b', 'FAKE001')}`,
    'content on the marker line': '--- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n--- !!map\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n',
    'CRLF': `${hpa('a')}---\n${hpa('b')}`.replace(/\n/g, '\r\n'),
    'block scalars and quotes': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: |\n    ---\n    not a marker: indented\n  b: "x # not a comment"\n  c: >-\n    folded\n    text\n',
    'anchors and aliases': `apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: d\ndata:\n  copy: *m\n---\n${hpa('e')}`,
    'a List and a scalar document': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: f}\n---\njust text\n',
    'types of the core schema': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g}\ndata: {a: "1", b: 0x1F, c: 0o17, d: .inf, e: ~, f: yes, g: 2024-01-01, h: 1e3, i: "on"}\n',
  };
  const view = (r: { inputs: any[]; skipped: any[] }) => ({
    inputs: r.inputs.map((i) => ({ manifest: i.manifest, line: i.source.line, column: i.source.column })),
    skipped: r.skipped,
  });

  test.each(Object.entries(tricky))('%s', (_name, text) => {
    expect(view(parseStream('x.yaml', text))).toEqual(view(parseStreamExact('x.yaml', text)));
  });

  test('every lint fixture and upstream example', () => {
    const roots = [path.join(__dirname, 'fixtures', 'lint'), path.join(__dirname, 'fixtures', 'upstream')];
    const files: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) && files.push(path.join(d, e.name))));
    roots.forEach(walk);
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, ...view(parseStream(file, text)) }).toEqual({ file, ...view(parseStreamExact(file, text)) });
    }
  });
});
