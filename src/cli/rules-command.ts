import { Option } from 'commander';
import { newCommand, parseCommand } from './commander';
import { defaultEngine, RuleEngine } from './engine';
import { CliIo, Subcommand } from './io';

/** `cdk8s-dynamo rules`: every rule with its id, severity, title, description and fix. */
export function rulesCommand(engineFactory: () => RuleEngine = defaultEngine): Subcommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const cmd = newCommand('rules', io)
      .description('List the rules `lint` checks, with their ids and documentation.')
      .argument('[ids...]', 'only these rule ids')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'));
    let ids: string[] = [];
    cmd.action((given: string[]) => { ids = given; });
    const parsed = parseCommand(cmd, argv);
    if (parsed !== undefined) return parsed;
    const { format } = cmd.opts<{ format: 'text' | 'json' }>();

    const all = engineFactory().listRules();
    const unknown = ids.filter((id) => !all.some((r) => r.id === id));
    if (unknown.length > 0) {
      io.stderr(`cdk8s-dynamo rules: unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${all.map((r) => r.id).join(', ')})\n`);
      return 2;
    }
    const rules = ids.length > 0 ? all.filter((r) => ids.includes(r.id)) : all;
    if (format === 'json') {
      io.stdout(JSON.stringify(rules, null, 2) + '\n');
      return 0;
    }
    const blocks = rules.map((r) => [
      `${r.id}  ${r.severity}  ${r.title}${r.since ? ` (Dynamo ${r.since} and later)` : ''}`,
      indent(r.description),
      indent(`Fix: ${r.fix}`),
    ].join('\n'));
    io.stdout(`${blocks.join('\n\n')}\n\n${rules.length} rule${rules.length === 1 ? '' : 's'}\n`);
    return 0;
  };
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

/** `cdk8s-dynamo rules`, with the library's rule engine. */
export const runRules: Subcommand = rulesCommand();
