import * as fs from 'fs';
import * as path from 'path';
import { Option } from 'commander';
import { newCommand, parseCommand } from './commander';
import { CliIo, Subcommand } from './io';
import { describeValue, DynamoValidationError } from '../base/errors';
import { convertYamlStream } from '../convert/stream';
import { DynamoRelease } from '../core/release';
import { DynamoApiVersion } from '../dynamo/types';
import { generateCode } from '../importer/codegen';

/** The text of `input` (a file relative to cwd, or `-` for standard input). */
async function readInput(input: string, io: CliIo): Promise<{ text: string; name: string }> {
  if (input === '-') return { text: await io.readStdin(), name: '<stdin>' };
  const file = path.resolve(io.cwd, input);
  try {
    return { text: fs.readFileSync(file, 'utf8'), name: input };
  } catch (e: any) {
    throw new DynamoValidationError(`[${input}] cannot be read: ${e?.code === 'ENOENT' ? 'no such file' : e?.code ?? e?.message ?? e}`);
  }
}

function writeOutput(text: string, output: string | undefined, io: CliIo): void {
  if (output === undefined || output === '-') io.stdout(text);
  else fs.writeFileSync(path.resolve(io.cwd, output), text);
}

/** Runs `body`; library errors (bad input) become a message and exit code 2. */
async function guarded(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e: any) {
    if (e instanceof DynamoValidationError || e?.name === 'DynamoValidationError') {
      io.stderr(`cdk8s-dynamo ${name}: ${e.message}\n`);
      return 2;
    }
    io.stderr(`cdk8s-dynamo ${name}: internal error: ${e?.message ?? e}\n`);
    return 2;
  }
}

/**
 * `cdk8s-dynamo convert --to v1beta1|v1alpha1 [--allow-loss] [-o file] <file|->`:
 * converts every DynamoGraphDeployment of a YAML stream offline, following the Dynamo
 * operator's conversion rules. Fields with no place in the target version are listed on
 * standard error; then nothing is written and the exit code is 1, unless `--allow-loss`.
 * Exit codes: 0 converted, 1 fields would be lost, 2 usage or unreadable input.
 */
export const runConvert: Subcommand = async (argv, io) => {
  const cmd = newCommand('convert', io)
    .description('Convert DynamoGraphDeployments between nvidia.com/v1alpha1 and nvidia.com/v1beta1 without a cluster, as the Dynamo operator\'s conversion webhook does. Other documents pass through unchanged; autoscalers that target a converted DGD\'s scaling adapters follow its version.')
    .argument('<input>', 'a YAML file, or - for standard input')
    .addOption(new Option('--to <version>', 'the target API version').choices(Object.values(DynamoApiVersion)).makeOptionMandatory())
    .option('--allow-loss', 'write the result even when fields have no place in the target version (they are still listed)')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText('after', [
      '',
      'Exit codes: 0 converted, 1 fields would be lost (nothing written), 2 usage or unreadable input.',
      '',
      'Examples:',
      '  cdk8s-dynamo convert --to v1beta1 disagg.yaml > disagg.v1beta1.yaml',
      '  kubectl get dgd my-graph -o yaml | cdk8s-dynamo convert --to v1beta1 -',
    ].join('\n'));
  let input = '';
  cmd.action((i: string) => { input = i; });
  const parsed = parseCommand(cmd, argv);
  if (parsed !== undefined) return parsed;
  const flags = cmd.opts<{ to: DynamoApiVersion; allowLoss?: boolean; output?: string }>();
  return guarded('convert', io, async () => {
    const { text, name } = await readInput(input, io);
    const result = convertYamlStream(text, name, flags.to);
    for (const l of result.losses) {
      io.stderr(`${flags.allowLoss ? 'dropped' : 'loss'}: [${l.where}] '${l.path}' (${describeValue(l.value)}): ${l.reason}\n`);
    }
    if (result.losses.length && !flags.allowLoss) {
      io.stderr(`cdk8s-dynamo convert: ${result.losses.length} field(s) have no place in ${flags.to}; nothing written. Re-run with --allow-loss to drop them.\n`);
      return 1;
    }
    writeOutput(result.text, flags.output, io);
    io.stderr(`cdk8s-dynamo convert: ${result.converted} DynamoGraphDeployment(s) converted to ${flags.to}, ${result.retargeted} autoscaler target(s) updated${result.losses.length ? `, ${result.losses.length} field(s) dropped` : ''}\n`);
    return 0;
  });
};

/**
 * `cdk8s-dynamo import [-o file] <file|->`: writes a TypeScript cdk8s program that builds
 * the DynamoGraphDeployments of a YAML stream with this library, plus the HPAs, KEDA
 * ScaledObjects and AIBrix PodAutoscalers that target their services, and every other
 * document as an `ApiObject`. Exit codes: 0 written, 2 usage or unreadable input.
 */
export const runImport: Subcommand = async (argv, io) => {
  const cmd = newCommand('import', io)
    .description('Generate a TypeScript cdk8s program that builds the given DynamoGraphDeployments (and the autoscalers targeting them) with cdk8s-dynamo, and synthesizes back to the input.')
    .argument('<input>', 'a YAML file, or - for standard input')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--chart <name>', 'the name of the generated chart class', 'ImportedChart')
    .option('--dynamo-release <MAJOR.MINOR>', `the Dynamo release the DGDs run on, whose rules apply (${DynamoRelease.all().map((r) => r.version).join(', ')}; default ${DynamoRelease.LATEST.version})`)
    .addHelpText('after', [
      '',
      'Exit codes: 0 written, 2 usage or unreadable input.',
      '',
      'Examples:',
      '  cdk8s-dynamo import disagg.yaml -o main.ts',
      '  cdk8s-dynamo import --dynamo-release 1.4 agg.yaml -o main.ts',
      '  helm template my-release ./chart | cdk8s-dynamo import - > main.ts',
    ].join('\n'));
  let input = '';
  cmd.action((i: string) => { input = i; });
  const parsed = parseCommand(cmd, argv);
  if (parsed !== undefined) return parsed;
  const flags = cmd.opts<{ output?: string; chart: string; dynamoRelease?: string }>();
  let release: DynamoRelease | undefined;
  try {
    release = flags.dynamoRelease === undefined ? undefined : DynamoRelease.of(flags.dynamoRelease);
  } catch (e: any) {
    io.stderr(`cdk8s-dynamo import: --dynamo-release: ${e.message}\n`);
    return 2;
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(flags.chart)) {
    io.stderr(`cdk8s-dynamo import: --chart ${JSON.stringify(flags.chart)}: must be a class name (a capital letter, then letters and digits)\n`);
    return 2;
  }
  return guarded('import', io, async () => {
    const { text, name } = await readInput(input, io);
    const result = generateCode(text, name, { chartName: flags.chart, release });
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
    writeOutput(result.code, flags.output, io);
    io.stderr(`cdk8s-dynamo import: ${result.deployments} DynamoGraphDeployment(s), ${result.autoscalers} autoscaler(s) as constructs, ${result.rawObjects} other object(s) as ApiObject\n`);
    return 0;
  });
};
