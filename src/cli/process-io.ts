import { CliIo } from './io';

/**
 * The real process as a `CliIo`. Standard input is read only when a command asks for it,
 * as bytes, and refused when it is not UTF-8 text (a binary stream).
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    readStdin: async () => {
      if (process.stdin.isTTY) throw new Error("is a terminal: pipe manifests in (e.g. 'helm template ... | cdk8s-dynamo lint -')");
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      if (bytes.includes(0)) throw new Error('is binary data, not YAML or JSON text');
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        throw new Error('is not UTF-8 text (binary data?), not YAML or JSON');
      }
    },
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}
