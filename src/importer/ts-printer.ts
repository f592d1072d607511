/**
 * Prints JSON values as TypeScript source in the project's eslint style: single quotes,
 * one property per line, trailing commas on multi-line literals, keys quoted only when
 * one of them must be (consistent-as-needed).
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['__proto__']);
const INLINE_WIDTH = 100;

/** Code printed verbatim (an enum member, a call, a variable). @internal */
export class Code {
  public constructor(public readonly text: string) {}
}

/** `text` as code, not as a string literal. @internal */
export function code(text: string): Code {
  return new Code(text);
}

/** A string literal: single quotes unless the string has one and no double quote. @internal */
export function str(s: string): string {
  const json = JSON.stringify(s);
  if (s.includes("'") && !s.includes('"')) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A property key, quoted or not. */
function key(k: string, quote: boolean): string {
  return quote ? str(k) : k;
}

/**
 * `value` as a TypeScript expression, indented for a line that starts at `indent`
 * spaces. Undefined properties are left out.
 * @internal
 */
export function ts(value: unknown, indent = 0): string {
  if (value instanceof Code) return value.text.split('\n').join(`\n${' '.repeat(indent)}`);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const pad = ' '.repeat(indent + 2);
  const end = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => ts(v, indent + 2));
    const inline = `[${items.join(', ')}]`;
    if (!inline.includes('\n') && inline.length + indent <= INLINE_WIDTH) return inline;
    return `[\n${items.map((i) => `${pad}${i},\n`).join('')}${end}]`;
  }
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const quote = entries.some(([k]) => !IDENTIFIER.test(k) || RESERVED.has(k));
  return `{\n${entries.map(([k, v]) => `${pad}${key(k, quote)}: ${ts(v, indent + 2)},\n`).join('')}${end}}`;
}

/** A camelCase identifier from any name (`vllm-disagg` -> `vllmDisagg`), never a reserved word. @internal */
export function identifier(name: string, fallback = 'x'): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  let out = parts.map((p, i) => (i === 0 ? p[0].toLowerCase() + p.slice(1) : p[0].toUpperCase() + p.slice(1))).join('');
  if (out === '' || /^[0-9]/.test(out)) out = `${fallback}${out.charAt(0).toUpperCase()}${out.slice(1)}`;
  if (RESERVED_WORDS.has(out)) out = `${out}_`;
  return out;
}

const RESERVED_WORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'app', 'chart',
]);
