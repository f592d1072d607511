/**
 * What a `cdk8s-dynamo` subcommand gets from the process. Subcommands take their
 * arguments and this, and return the exit code: 0 clean, 1 findings/failure the command
 * is meant to report, 2 usage or unreadable input. They never call process.exit and
 * never let a stack trace out: errors become a message on stderr and exit code 2.
 */
export interface CliIo {
  /** Write to standard output. */
  readonly stdout: (text: string) => void;
  /** Write to standard error. */
  readonly stderr: (text: string) => void;
  /** All of standard input (read lazily: only when a command asks for `-`). */
  readonly readStdin: () => Promise<string>;
  /** Whether stdout is a terminal (colour, progress bars). */
  readonly isTTY: boolean;
  /** Working directory for relative paths. */
  readonly cwd: string;
}

/** A subcommand: arguments (after the subcommand name) in, exit code out. */
export type Subcommand = (argv: string[], io: CliIo) => Promise<number>;
