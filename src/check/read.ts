import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, Node as YamlNode } from 'yaml';
import { ManifestInput } from '../rules/types';

/**
 * Reading manifests for `cdk8s-dynamo lint`: files, directories and standard input, one
 * multi-document YAML (or JSON) stream each, every object with the file, line and column
 * where it starts. Everything that makes input unreadable is an `InputError` whose
 * message names the file; the command turns it into exit code 2.
 */

/** Unreadable input: a missing path, a binary file, invalid YAML, an empty stream. */
export class InputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The file extensions a directory is searched for. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Folders never searched: version control and dependencies are not manifests. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** One stream to read: a file, or standard input (`-`). */
export interface InputFile {
  /** The name reports use: the path as given or found (relative to cwd), or `-`. */
  readonly name: string;
  /** Absolute path; undefined for standard input. */
  readonly absPath?: string;
}

/** What was read from all inputs. */
export interface ReadResult {
  /** Every Kubernetes object, in input order, `List` items expanded. */
  readonly inputs: ManifestInput[];
  /** The streams read, in order. */
  readonly files: InputFile[];
  /**
   * Documents that are not mappings (a scalar or a sequence at the top): skipped, and
   * named in a note, since a repository folder holds other YAML too.
   */
  readonly skipped: SkippedDocument[];
  /** The raw text of standard input, when it was read (the post-renderer writes it back). */
  readonly stdinText?: string;
}

/** A document that is not a Kubernetes object. */
export interface SkippedDocument {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/**
 * Expands the paths given on the command line into the streams to read, in order:
 * files as given, directories searched recursively (sorted, so output is stable), `-`
 * for standard input (at most once).
 */
export function expandPaths(paths: string[], cwd: string): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  let stdin = false;
  for (const given of paths) {
    if (given === '-') {
      if (stdin) throw new InputError("'-' (standard input) is given more than once");
      stdin = true;
      out.push({ name: '-' });
      continue;
    }
    const abs = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e: any) {
      throw new InputError(`${given}: ${e?.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${e?.code ?? e?.message})`}`);
    }
    if (stat.isDirectory()) {
      const found = findManifestFiles(abs);
      if (found.length === 0) {
        throw new InputError(`${given}: directory holds no ${MANIFEST_EXTENSIONS.map((x) => `*${x}`).join(', ')} files`);
      }
      for (const file of found) add(file);
    } else {
      add(abs, given);
    }
  }
  return out;

  function add(abs: string, name?: string) {
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ name: name ?? displayPath(abs, cwd), absPath: abs });
  }
}

function findManifestFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
        found.push(p);
      }
    }
  };
  walk(dir);
  return found;
}

/** A path as reports show it: relative to cwd when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * Text from bytes: refuses binary content (a NUL byte, or bytes that are not UTF-8) with a
 * message naming the stream, and drops a UTF-8 byte-order mark.
 */
export function decodeText(name: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new InputError(`${label(name)}: is a binary file, not YAML or JSON text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${label(name)}: is not UTF-8 text (a binary file?), not YAML or JSON`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** How a stream is named in messages. */
export function label(name: string): string {
  return name === '-' ? 'standard input' : name;
}

/** What parsing a stream (or a part of it) found. */
interface Parsed {
  readonly inputs: ManifestInput[];
  readonly skipped: SkippedDocument[];
  /** Documents that held something (empty ones not counted). */
  readonly documents: number;
}

/**
 * Parses one stream (multi-document YAML, or JSON, which is YAML) into Kubernetes
 * objects with their positions. `List` kinds (`kind: List`, `DeploymentList`, ...) are
 * expanded into their items, each with its own position.
 *
 * Two parsers, one result. The stream is cut into documents at the `---` lines (a line
 * that starts with `---` is a document marker wherever it appears: YAML forbids it as
 * content), and each document is read with js-yaml (core schema, unique keys), about six
 * times faster than the `yaml` package's document model; its position is its first
 * content line. Documents that need more (a parse error, to report it exactly; anchors
 * and aliases, to bound their expansion; `List` kinds, for each item's position) and
 * streams with `%` directives go through `yaml` with its LineCounter, as before.
 */
export function parseStream(name: string, text: string): { inputs: ManifestInput[]; skipped: SkippedDocument[] } {
  if (text.trim() === '') throw new InputError(`${label(name)}: is empty: no Kubernetes objects to check`);
  if (name.toLowerCase().endsWith('.json')) {
    // kubectl reads a .json file with a strict JSON decoder; YAML would accept `{"a": }`.
    try {
      JSON.parse(text);
    } catch (e: any) {
      throw new InputError(`${label(name)}: invalid JSON: ${e?.message ?? e}`);
    }
  }
  let result: Parsed;
  if (/^%/m.test(text)) {
    result = parseExact(name, text, 0, 0);
  } else {
    const inputs: ManifestInput[] = [];
    const skipped: SkippedDocument[] = [];
    let documents = 0;
    let index = 0; // document index in the stream, empty documents included
    for (const chunk of splitDocuments(text)) {
      const fast = parseFast(name, chunk, index);
      const part = fast ?? parseExact(name, chunk.text, chunk.line - 1, index);
      inputs.push(...part.inputs);
      skipped.push(...part.skipped);
      documents += part.documents;
      index += fast ? fast.indexes : Math.max(1, part.documents);
    }
    result = { inputs, skipped, documents };
  }
  if (result.documents === 0) throw new InputError(`${label(name)}: holds no YAML documents: no Kubernetes objects to check`);
  return { inputs: result.inputs, skipped: result.skipped };
}

/** One document's text and the line (1-based) it starts on. */
interface Chunk {
  readonly text: string;
  readonly line: number;
}

/** Cuts a stream at its `---` document markers (and after `...` document ends). */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 1;
  let pos = 0;
  let line = 1;
  const isMarker = (at: number, m: string) => text.startsWith(m, at) && (at + 3 === text.length || ' \t\r\n'.includes(text[at + 3]));
  while (pos < text.length) {
    if (pos > start && isMarker(pos, '---')) {
      chunks.push({ text: text.slice(start, pos), line: startLine });
      start = pos;
      startLine = line;
    }
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length : nl + 1;
    if (isMarker(pos, '...')) {
      chunks.push({ text: text.slice(start, next), line: startLine });
      start = next;
      startLine = line + 1;
    }
    pos = next;
    line++;
  }
  if (start < text.length) chunks.push({ text: text.slice(start), line: startLine });
  return chunks;
}

/** An anchor (`&a`) or alias (`*a`) token: such documents take the exact path. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s[\]{},]+/m;

/**
 * A document read with js-yaml, or undefined when it needs the exact path. `indexes` is
 * how many document indexes it used (0 for a chunk of comments only).
 */
function parseFast(name: string, chunk: Chunk, index: number): (Parsed & { indexes: number }) | undefined {
  if (ANCHOR_OR_ALIAS.test(chunk.text)) return undefined;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(chunk.text, undefined, { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined; // the exact parser reports the error with its position
  }
  if (values.length === 0) return { inputs: [], skipped: [], documents: 0, indexes: 0 };
  if (values.length > 1) return undefined;
  const value: any = values[0];
  if (value === null || value === undefined) return { inputs: [], skipped: [], documents: 0, indexes: 1 };
  const at = firstContent(chunk);
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { inputs: [], skipped: [{ file: name, line: at.line, reason: 'not a mapping: not a Kubernetes object' }], documents: 1, indexes: 1 };
  }
  if (isListKind(value)) return undefined;
  const source = { file: name, document: index, line: at.line, column: at.col };
  return { inputs: [{ manifest: value, source }], skipped: [], documents: 1, indexes: 1 };
}

/** Where a document's content starts: after blank lines, comments and its `---` marker. */
function firstContent(chunk: Chunk): { line: number; col: number } {
  const lines = chunk.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    let offset = 0;
    if (/^---(?:[ \t]|\r?$)/.test(l)) {
      const rest = l.slice(3);
      offset = 3 + (rest.length - rest.trimStart().length);
      l = rest.trimStart();
      // a tag alone on the marker line (`--- !!map`): the content starts on the next line
      if (/^!\S*\s*(?:#.*)?$/.test(l)) continue;
    }
    const trimmed = l.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '\r') continue;
    return { line: chunk.line + i, col: offset + (l.length - trimmed.length) + 1 };
  }
  return { line: chunk.line, col: 1 };
}

/** The `yaml` package's document model, with exact positions (shifted by `lineOffset`). */
function parseExact(name: string, text: string, lineOffset: number, indexOffset: number): Parsed {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const inputs: ManifestInput[] = [];
  const skipped: SkippedDocument[] = [];
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, col: p.col };
  };
  let documents = 0;
  docs.forEach((doc, i) => {
    const index = indexOffset + i;
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const at = err.linePos?.[0];
      const where = at ? `${at.line + lineOffset}:${at.col}` : `document ${index + 1}`;
      // prettyErrors appends a code excerpt after the first line: keep the message short.
      throw new InputError(`${label(name)}:${where}: invalid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const node = doc.contents as YamlNode | null;
    // an empty document (`---` with nothing but comments after it)
    if (node === null || node === undefined || (isScalar(node) && node.value === null && node.source === '')) return;
    documents++;
    const start = node.range ? pos(node.range[0]) : { line: 1 + lineOffset, col: 1 };
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      throw new InputError(`${label(name)}:${start.line}:${start.col}: invalid YAML: ${e?.message ?? e}`);
    }
    if (!isMap(node) || value === null || typeof value !== 'object') {
      skipped.push({ file: name, line: start.line, reason: 'not a mapping: not a Kubernetes object' });
      return;
    }
    // A mapping without apiVersion/kind still goes to the engine: some are documents
    // the rules read (Prometheus Adapter Helm values); the rest are counted as unknown.
    const source = (line: number, column: number) => ({ file: name, document: index, line, column });
    const items = isListKind(value) ? node.get('items', true) : undefined;
    if (isListKind(value) && isSeq(items)) {
      items.items.forEach((itemNode, j) => {
        const item = value.items[j];
        const at = (itemNode as YamlNode)?.range ? pos((itemNode as YamlNode).range![0]) : start;
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          skipped.push({ file: name, line: at.line, reason: `item ${j} of a ${value.kind} is not a Kubernetes object` });
          return;
        }
        inputs.push({ manifest: item, source: source(at.line, at.col) });
      });
      return;
    }
    inputs.push({ manifest: value, source: source(start.line, start.col) });
  });
  return { inputs, skipped, documents };
}

/** The `yaml` package's reading of a whole stream: what the fast path must agree with (tests). */
export function parseStreamExact(name: string, text: string): { inputs: ManifestInput[]; skipped: SkippedDocument[] } {
  const { inputs, skipped } = parseExact(name, text, 0, 0);
  return { inputs, skipped };
}

/** `kind: List` and the typed lists (`DeploymentList`), as kubectl expands them. */
function isListKind(v: any): boolean {
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

/** Reads and parses every stream, in order. */
export async function readInputs(files: InputFile[], readStdin: () => Promise<string>): Promise<ReadResult> {
  const inputs: ManifestInput[] = [];
  const skipped: SkippedDocument[] = [];
  let stdinText: string | undefined;
  for (const file of files) {
    let text: string;
    if (file.absPath === undefined) {
      try {
        text = await readStdin();
      } catch (e: any) {
        throw new InputError(`standard input: ${e?.message ?? e}`);
      }
      if (text.includes('\u0000')) throw new InputError('standard input: is binary data, not YAML or JSON text');
      stdinText = text;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    } else {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file.absPath);
      } catch (e: any) {
        throw new InputError(`${file.name}: cannot read (${e?.code ?? e?.message})`);
      }
      text = decodeText(file.name, bytes);
    }
    const parsed = parseStream(file.name, text);
    inputs.push(...parsed.inputs);
    skipped.push(...parsed.skipped);
  }
  return { inputs, files, skipped, stdinText };
}
