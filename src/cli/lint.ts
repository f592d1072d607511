import { Option } from 'commander';
import { newCommand, parseCommand } from './commander';
import { defaultEngine, RuleEngine } from './engine';
import { PLAIN, TextStyle } from '../check/report';
import { DynamoRelease } from '../core/release';
import { CheckOptions, CheckResult, RuleInfo, Severity } from '../rules/types';
import { formatJson } from './format/json';
import { formatJunit } from './format/junit';
import { failed, LintReport } from './format/report';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { CliIo, Subcommand } from './io';
import { textStyle } from './style';
import { packageVersion } from './version';
import { expandPaths, InputError, readInputs } from '../check/read';

/** The output formats of `lint`. */
export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = typeof FORMATS[number];

interface LintFlags {
  readonly dynamoRelease?: string;
  readonly enable: string[];
  readonly disable: string[];
  readonly namespace?: string;
  readonly failOn: 'error' | 'warning';
  readonly format: Format;
  readonly postRenderer?: boolean;
  readonly schema: boolean;
  readonly color?: boolean;
}

const DEFAULT_NAMESPACE = 'default';

/** `--enable a,b --enable c` -> ['a', 'b', 'c']. */
function collectIds(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

/**
 * `cdk8s-dynamo lint [paths...]`: reads manifests from files, directories and standard
 * input, runs the rule engine and the schema checks over them, and reports in one of
 * four formats. Exit code 0 clean, 1 findings at or above --fail-on, 2 usage or
 * unreadable input.
 *
 * With `--post-renderer` it is a Helm post-renderer: it reads the rendered release on
 * standard input, writes it unchanged to standard output when clean, and otherwise
 * writes nothing there, the report to standard error, and exits 1 so Helm refuses it.
 */
export function lintCommand(engineFactory: () => RuleEngine = defaultEngine): Subcommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const cmd = newCommand('lint', io)
      .description('Check Kubernetes manifests (files, directories, or - for standard input) against the Dynamo autoscaling rules and the bundled CRD schemas.')
      .argument('[paths...]', 'files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input')
      .option('--dynamo-release <MAJOR.MINOR>', `the Dynamo release whose rules apply (${DynamoRelease.all().map((r) => r.version).join(', ')})`, DynamoRelease.LATEST.version)
      .option('--enable <ids>', 'run only these rule ids (comma-separated, repeatable)', collectIds, [])
      .option('--disable <ids>', 'do not run these rule ids (comma-separated, repeatable)', collectIds, [])
      .option('-n, --namespace <namespace>', 'namespace of objects that have none', DEFAULT_NAMESPACE)
      .addOption(new Option('--fail-on <severity>', 'exit 1 on findings at or above this severity').choices(['error', 'warning']).default('error'))
      .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
      .option('--post-renderer', 'Helm post-renderer: read standard input, write it unchanged to standard output when clean, else fail with the report on standard error')
      .option('--no-schema', 'skip validation against the bundled CRD schemas and Kubernetes HPA validation')
      .option('--no-color', 'no colour even on a terminal')
      .addHelpText('after', [
        '',
        'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or unreadable input.',
        '',
        'Examples:',
        '  cdk8s-dynamo lint dist/',
        '  helm template my-release ./chart | cdk8s-dynamo lint -',
        '  cdk8s-dynamo lint --format sarif manifests/ > cdk8s-dynamo.sarif',
        '  helm install my-release ./chart --post-renderer ./node_modules/.bin/cdk8s-dynamo \\',
        '    --post-renderer-args lint --post-renderer-args --post-renderer',
      ].join('\n'));
    let paths: string[] = [];
    cmd.action((p: string[]) => { paths = p; });
    const parsed = parseCommand(cmd, argv);
    if (parsed !== undefined) return parsed;
    const flags = cmd.opts<LintFlags>();

    const usage = (message: string) => {
      io.stderr(`cdk8s-dynamo lint: ${message}\n(run 'cdk8s-dynamo lint --help' for usage)\n`);
      return 2;
    };

    if (flags.postRenderer && paths.length > 0) return usage('--post-renderer reads standard input only: give no paths');
    if (!flags.postRenderer && paths.length === 0) return usage("give the files or directories to check, or '-' for standard input");
    if (flags.postRenderer) paths = ['-'];
    try {
      DynamoRelease.of(flags.dynamoRelease ?? DynamoRelease.LATEST.version);
    } catch (e: any) {
      return usage(`--dynamo-release: ${e.message}`);
    }
    if (!flags.namespace || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flags.namespace) || flags.namespace.length > 63) {
      return usage(`--namespace ${JSON.stringify(flags.namespace)}: must be a DNS label (lower-case letters, digits and '-', at most 63 characters)`);
    }

    const engine = engineFactory();
    const allRules = engine.listRules();
    const known = new Set(allRules.map((r) => r.id));
    for (const [flag, ids] of [['--enable', flags.enable], ['--disable', flags.disable]] as const) {
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        return usage(`${flag}: unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see 'cdk8s-dynamo rules'; known: ${[...known].join(', ')})`);
      }
    }

    let read;
    try {
      read = await readInputs(expandPaths(paths, io.cwd), io.readStdin);
    } catch (e) {
      if (e instanceof InputError) {
        io.stderr(`cdk8s-dynamo lint: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    if (read.inputs.length === 0) {
      io.stderr(`cdk8s-dynamo lint: no Kubernetes objects in ${read.files.map((f) => (f.name === '-' ? 'standard input' : f.name)).join(', ')} (documents that are not mappings are skipped)\n`);
      return 2;
    }

    const options: CheckOptions = {
      dynamoRelease: DynamoRelease.of(flags.dynamoRelease ?? DynamoRelease.LATEST.version).version,
      defaultNamespace: flags.namespace,
      enable: flags.enable.length > 0 ? flags.enable : undefined,
      disable: flags.disable.length > 0 ? flags.disable : undefined,
      schema: flags.schema,
    };
    const result: CheckResult = engine.checkManifests(read.inputs, options);
    const rules: RuleInfo[] = allRules.filter((r) => (flags.enable.length === 0 || flags.enable.includes(r.id)) && !flags.disable.includes(r.id));
    const report: LintReport = {
      tool: { name: 'cdk8s-dynamo', version: packageVersion() },
      files: read.files,
      inputs: read.inputs,
      result,
      rules,
      failOn: flags.failOn === 'warning' ? Severity.WARNING : Severity.ERROR,
      skipped: read.skipped,
      cwd: io.cwd,
    };

    const failing = failed(report);
    if (flags.postRenderer) {
      // Helm reads the release from stdout: write it back only when it may be installed.
      // The report (even when clean: warnings) goes to stderr, never into the release.
      if (!failing) io.stdout(read.stdinText ?? '');
      if (failing || result.findings.length > 0 || flags.format !== 'text') {
        io.stderr(render(report, flags.format, flags.namespace ?? DEFAULT_NAMESPACE, PLAIN));
      }
      return failing ? 1 : 0;
    }
    io.stdout(render(report, flags.format, flags.namespace ?? DEFAULT_NAMESPACE, flags.color === false ? PLAIN : textStyle(io.isTTY)));
    return failing ? 1 : 0;
  };
}

function render(report: LintReport, format: Format, defaultNamespace: string, style: TextStyle): string {
  switch (format) {
    case 'json': return formatJson(report);
    case 'sarif': return formatSarif(report);
    case 'junit': return formatJunit(report, defaultNamespace);
    default: return formatText(report, style);
  }
}

/** `cdk8s-dynamo lint`, with the library's rule engine. */
export const runLint: Subcommand = lintCommand();
