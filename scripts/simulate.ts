// Runs `simulate` from the source tree until the `cdk8s-dynamo` binary wires it:
//   npx ts-node --transpile-only scripts/simulate.ts --policy hpa.yaml --trace examples/traces/bursty-day.csv --capacity 5
import { runSimulate } from '../src/cli/simulate-command';

void runSimulate(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
