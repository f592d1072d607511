import { FormulaError } from './grammar';

/** A token of a formula; `pos` is its offset in the formula. */
export interface Token {
  readonly kind: 'num' | 'str' | 'id' | 'op' | 'eof';
  readonly text: string;
  readonly pos: number;
  /** For a number: whether it is a float literal (has a `.` or an exponent and is not hex, octal or binary). */
  readonly float?: boolean;
}

const TWO_CHAR_OPERATORS: ReadonlySet<string> = new Set(['??', '?.', '..', '**', '==', '!=', '<=', '>=', '&&', '||']);
const TWO_CHAR_FIRST: ReadonlySet<string> = new Set([...TWO_CHAR_OPERATORS].map((op) => op[0]));
const ONE_CHAR_OPERATORS: ReadonlySet<string> = new Set(['?', ':', '.', '*', '/', '%', '^', '+', '-', '<', '>', '!', '|', '(', ')', '[', ']', '{', '}', ',', ';', '=', '#']);

// Sticky (`y`): matches at lastIndex, so the lexer never copies the rest of the formula.
const NUMBER = /0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?|\.[0-9][0-9_]*([eE][+-]?[0-9]+)?/y;
const WHITESPACE = /\s/;

const isDigit = (c: number) => c >= 48 && c <= 57;
/** `[A-Za-z_$]`: an identifier starts with one, and goes on with these and digits. */
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

function isSpace(c: number, ch: string): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && WHITESPACE.test(ch); // JS's \s: no-break and Unicode spaces too
}

function isOperand(t: Token): boolean {
  return t.kind === 'num' || t.kind === 'str' || t.kind === 'id' || (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}'));
}

/** Splits a formula into tokens, ending with an `eof` token at the formula's length. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    const ch = src[i];
    if (isSpace(c, ch)) { i++; continue; }
    if (ch === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError('unterminated comment', i);
      i = end + 2;
      continue;
    }
    // `.5` is a number, except right after an operand (`a.b`, `x[0].5` are member accesses).
    if (isDigit(c) || (ch === '.' && !(out.length > 0 && isOperand(out[out.length - 1])))) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(src);
      if (num) {
        const text = num[0];
        if (text.includes('_') && /_$|__/.test(text)) throw new FormulaError(`invalid number '${text}'`, i);
        const prefixed = text.length > 1 && text[0] === '0' && /[xXoObB]/.test(text[1]);
        const float = !prefixed && /[.eE]/.test(text);
        out.push({ kind: 'num', text, pos: i, float });
        i += text.length;
        continue;
      }
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== ch) j += (src[j] === '\\' && ch !== '`') ? 2 : 1;
      if (j >= src.length) throw new FormulaError('unterminated string', i);
      out.push({ kind: 'str', text: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < src.length && (isIdentStart(src.charCodeAt(j)) || isDigit(src.charCodeAt(j)))) j++;
      const text = src.slice(i, j);
      out.push({ kind: 'id', text, pos: i });
      i += text.length;
      continue;
    }
    const two = i + 1 < src.length && TWO_CHAR_FIRST.has(ch) ? src.slice(i, i + 2) : '';
    const op = TWO_CHAR_OPERATORS.has(two) ? two : ONE_CHAR_OPERATORS.has(ch) ? ch : undefined;
    if (op === undefined) throw new FormulaError(`unexpected character '${ch}'`, i);
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}
