#!/usr/bin/env node
import { Command } from 'commander';
import { newCommand, parseCommand } from './commander';
import { runConvert, runImport } from './import-command';
import { CliIo, Subcommand } from './io';
import { runLint } from './lint';
import { processIo } from './process-io';
import { runRules } from './rules-command';
import { runSimulate } from './simulate-command';
import { packageVersion } from './version';

/** One `cdk8s-dynamo` subcommand: its name, one line for the help, and its entry point. */
export interface SubcommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly run: Subcommand;
}

/** Every subcommand. Adding one is one line here. */
export const SUBCOMMANDS: readonly SubcommandEntry[] = [
  { name: 'lint', summary: 'check manifests (files, directories, - for stdin) against the rules and the CRD schemas', run: runLint },
  { name: 'rules', summary: 'list the rules with their ids and documentation', run: runRules },
  { name: 'import', summary: 'write a cdk8s program that builds the DGDs (and their autoscalers) of a YAML file with this library', run: runImport },
  { name: 'convert', summary: 'convert DGDs between nvidia.com/v1alpha1 and v1beta1 offline, reporting any field that would be lost', run: runConvert },
  { name: 'simulate', summary: 'replay a load trace through an HPA, ScaledObject or PodAutoscaler and report replicas, scale events and queueing', run: runSimulate },
];

/**
 * Runs `cdk8s-dynamo <subcommand> [args...]` and returns the exit code. The subcommand
 * gets the arguments after its name; help, version and unknown commands are handled
 * here. No stack trace reaches the user: an unexpected error is one line on stderr and
 * exit code 2 (set CDK8S_DYNAMO_DEBUG=1 for the stack).
 */
export async function main(argv: string[], io: CliIo, subcommands: readonly SubcommandEntry[] = SUBCOMMANDS): Promise<number> {
  const entry = subcommands.find((s) => s.name === argv[0]);
  try {
    if (entry) return await entry.run(argv.slice(1), io);
    return topLevel(argv, io, subcommands);
  } catch (e: any) {
    const what = entry ? `cdk8s-dynamo ${entry.name}` : 'cdk8s-dynamo';
    io.stderr(`${what}: internal error: ${e?.message ?? String(e)}\n`);
    if (process.env.CDK8S_DYNAMO_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return 2;
  }
}

/** No known subcommand: `--help`, `--version`, or a usage error. */
function topLevel(argv: string[], io: CliIo, subcommands: readonly SubcommandEntry[]): number {
  const program: Command = newCommand('cdk8s-dynamo', io)
    .description('Check Kubernetes manifests for NVIDIA Dynamo autoscaling mistakes, and more.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpCommand(false)
    .addHelpText('after', "\nRun 'cdk8s-dynamo <command> --help' for a command's options.");
  for (const s of subcommands) program.command(s.name).description(s.summary);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  const parsed = parseCommand(program, argv);
  if (parsed !== undefined) return parsed;
  // Commander accepted the arguments without a known command (an option-less call).
  io.stderr(`cdk8s-dynamo: unknown command ${JSON.stringify(argv[0])}; commands: ${subcommands.map((s) => s.name).join(', ')}\n`);
  return 2;
}

if (require.main === module) {
  void main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
