import * as fs from 'fs';
import type * as YamlModule from 'yaml';
import { DynamoValidationError } from '../base/errors';

/** The `yaml` package, loaded on first use: importing the library does not parse YAML. */
function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** One YAML document of a stream: the parsed object and where it starts. @internal */
export interface YamlDocument {
  /** The parsed object (plain JSON), or null for an empty document. */
  readonly manifest: any;
  /** Zero-based index in the stream. */
  readonly index: number;
  /** One-based line of the document's first content. */
  readonly line: number;
  /** `<file>, document <n> (line <l>)`: how messages name the document. */
  readonly where: string;
}

/**
 * Every document of a YAML stream, parsed; a syntax error names the file, the document
 * and the line. Empty documents (a trailing `---`) are left out.
 * @internal
 */
export function parseYamlStream(text: string, file: string): YamlDocument[] {
  const lines = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(text, { lineCounter: lines });
  // parseAllDocuments returns an EmptyStream (not an array) for input without documents.
  const list = Array.isArray(docs) ? docs : [];
  const out: YamlDocument[] = [];
  list.forEach((doc, index) => {
    const start = doc.contents?.range?.[0] ?? 0;
    const line = lines.linePos(start).line;
    const where = `${file}, document ${index + 1} (line ${line})`;
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      throw new DynamoValidationError(`[${file}${pos ? `:${pos.line}:${pos.col}` : ''}] invalid YAML in document ${index + 1}: ${error.message.split('\n')[0]}`);
    }
    const manifest = doc.toJS({ maxAliasCount: 100 });
    if (manifest === null || manifest === undefined) return;
    out.push({ manifest, index, line, where });
  });
  return out;
}

/**
 * The documents with every List (what `kubectl get -o yaml` prints for several objects)
 * replaced by its items, each named `<document>, items[<i>]`.
 * @internal
 */
export function expandLists(docs: YamlDocument[]): { docs: YamlDocument[]; expanded: YamlDocument[] } {
  const out: YamlDocument[] = [];
  const expanded: YamlDocument[] = [];
  for (const d of docs) {
    const m = d.manifest;
    if (m !== null && typeof m === 'object' && typeof m.kind === 'string' && m.kind.endsWith('List') && Array.isArray(m.items)) {
      expanded.push(d);
      m.items.forEach((item: any, i: number) => {
        if (item !== null && item !== undefined) out.push({ manifest: item, index: d.index, line: d.line, where: `${d.where}, items[${i}]` });
      });
    } else {
      out.push(d);
    }
  }
  return { docs: out, expanded };
}

/** The text of `file`, with a readable error when it cannot be read. @internal */
export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new DynamoValidationError(`[${file}] cannot be read: ${e?.code ?? e?.message ?? e}`);
  }
}

/**
 * YAML text of manifests, in the layout `kubectl` and cdk8s write: documents separated
 * by `---`, keys in their given order, long strings not folded.
 * @internal
 */
export function stringifyYamlStream(manifests: any[]): string {
  return manifests.map((m) => yaml().stringify(m, { lineWidth: 0 })).join('---\n');
}
