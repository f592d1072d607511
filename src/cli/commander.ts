import { Command, CommanderError } from 'commander';
import { CliIo } from './io';

/**
 * A commander `Command` wired to a `CliIo`: help and errors go to the io's streams, and
 * nothing calls process.exit (commander throws instead; `parseCommand` turns that into
 * an exit code).
 */
export function newCommand(name: string, io: CliIo): Command {
  return new Command(name)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showHelpAfterError(`(run '${name.startsWith('cdk8s-dynamo') ? name : `cdk8s-dynamo ${name}`} --help' for usage)`);
}

/**
 * Parses `argv` (user arguments only). Returns undefined when parsing succeeded and the
 * command should run, or the exit code when commander already handled it: 0 after
 * `--help`/`--version`, 2 after a usage error (commander has printed the message).
 */
export function parseCommand(cmd: Command, argv: string[]): number | undefined {
  try {
    cmd.parse(argv, { from: 'user' });
    return undefined;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
}
