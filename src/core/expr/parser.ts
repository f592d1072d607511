import { BINARY, BUILTIN_TYPES, FormulaError, INT64_MAX, KEYWORDS, PREDICATE_BUILTINS, UNARY_PREC } from './grammar';
import { Token, tokenize } from './lexer';

/**
 * A node of a parsed formula. `pos` is where the node's operator, name or literal is;
 * `end` is the offset of the token that follows the node (where expr-lang's checker
 * reports a type error found after reading the node).
 */
export type FormulaNode =
  | { readonly kind: 'int'; readonly value: bigint; readonly pos: number; readonly end: number }
  | { readonly kind: 'float'; readonly value: number; readonly pos: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number; readonly end: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: number; readonly end: number }
  | { readonly kind: 'nil'; readonly pos: number; readonly end: number }
  | { readonly kind: 'name'; readonly name: string; readonly pos: number; readonly end: number }
  | { readonly kind: 'env'; readonly pos: number; readonly end: number }
  /** `#` (the predicate's element), `#index`, `#acc`. */
  | { readonly kind: 'pointer'; readonly name: string; readonly pos: number; readonly end: number }
  /** `op` as written: `not`, `!`, `-` or `+`. */
  | { readonly kind: 'unary'; readonly op: string; readonly operand: FormulaNode; readonly pos: number; readonly end: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: FormulaNode; readonly right: FormulaNode; readonly pos: number; readonly end: number }
  /**
   * `cond ? then : else` or `if cond { then } else { else }`; `branchPos` is where the
   * branches begin (the token after `?`, or the `{` after the `if` condition).
   */
  | { readonly kind: 'conditional'; readonly cond: FormulaNode; readonly then: FormulaNode; readonly else: FormulaNode; readonly branchPos: number; readonly pos: number; readonly end: number }
  | { readonly kind: 'let'; readonly name: string; readonly value: FormulaNode; readonly body: FormulaNode; readonly pos: number; readonly end: number }
  | { readonly kind: 'array'; readonly items: readonly FormulaNode[]; readonly pos: number; readonly end: number }
  | { readonly kind: 'map'; readonly entries: ReadonlyArray<readonly [FormulaNode, FormulaNode]>; readonly pos: number; readonly end: number }
  /** `object.name`, `object?.name` (`byName`, the property a string node) or `object[property]`. */
  | { readonly kind: 'member'; readonly object: FormulaNode; readonly property: FormulaNode; readonly optional: boolean; readonly byName: boolean; readonly pos: number; readonly end: number }
  | { readonly kind: 'slice'; readonly object: FormulaNode; readonly from?: FormulaNode; readonly to?: FormulaNode; readonly pos: number; readonly end: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly FormulaNode[]; readonly pos: number; readonly end: number }
  | { readonly kind: 'method'; readonly object: FormulaNode; readonly name: string; readonly args: readonly FormulaNode[]; readonly pos: number; readonly end: number }
  /** A predicate argument (`{ # > 1 }` or `# > 1`) of a builtin such as count. */
  | { readonly kind: 'predicate'; readonly body: FormulaNode; readonly pos: number; readonly end: number };

function unquote(text: string, pos: number): string {
  const quote = text[0];
  const body = text.slice(1, -1);
  if (quote === '`' || !body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\\': case '"': case "'": return e;
      case 'u': case 'U': case 'x': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
        throw new FormulaError(`invalid escape '\\${e}' in string`, pos);
    }
  });
}

/**
 * The one parser of formulas: recursive descent over expr's grammar with the precedences
 * of BINARY and UNARY_PREC. The checker (check.ts) and the evaluator (eval.ts) both walk
 * the tree it builds; syntax errors are found here, before either runs.
 */
class Parser {
  private readonly tokens: Token[];
  private at = 0;
  private predicateDepth = 0;

  public constructor(src: string) { this.tokens = tokenize(src); }

  public parse(): FormulaNode {
    const n = this.expression();
    if (this.peek().kind !== 'eof') throw this.error(`unexpected token '${this.peek().text}'`);
    return n;
  }

  private peek(offset = 0): Token { return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]; }
  private next(): Token { return this.tokens[this.at++]; }
  /** Where the parser stands: the `end` of the node it has just read. */
  private here(): number { return this.peek().pos; }
  private is(text: string): boolean { const t = this.peek(); return (t.kind === 'op' || t.kind === 'id') && t.text === text; }
  private expect(text: string): void {
    if (!this.is(text)) throw this.error(`expected '${text}' but found '${this.peek().text || 'end of formula'}'`);
    this.next();
  }
  private error(message: string): FormulaError { return new FormulaError(message, this.peek().pos); }

  private expression(): FormulaNode {
    if (this.is('let')) {
      const pos = this.next().pos;
      const name = this.next();
      if (name.kind !== 'id' || KEYWORDS.has(name.text)) throw this.error('expected a variable name after \'let\'');
      this.expect('=');
      const value = this.expression();
      this.expect(';');
      const body = this.expression();
      return { kind: 'let', name: name.text, value, body, pos, end: this.here() };
    }
    return this.ternary();
  }

  private ternary(): FormulaNode {
    const cond = this.binary(0);
    if (this.is('?')) {
      const pos = this.next().pos;
      const branchPos = this.here();
      const a = this.ternary();
      this.expect(':');
      const b = this.ternary();
      return { kind: 'conditional', cond, then: a, else: b, branchPos, pos, end: this.here() };
    }
    return cond;
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if ((t.kind === 'op' || t.kind === 'id') && BINARY[t.text]) return t.text;
    if (t.kind === 'id' && t.text === 'not' && this.peek(1).kind === 'id' && this.peek(1).text === 'in') return 'not in';
    return undefined;
  }

  private binary(minPrec: number): FormulaNode {
    let left = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (op === undefined) break;
      const info = BINARY[op === 'not in' ? 'in' : op];
      if (info.prec < minPrec) break;
      const pos = this.next().pos;
      if (op === 'not in') this.next();
      const right = this.binary(info.right ? info.prec : info.prec + 1);
      left = { kind: 'binary', op, left, right, pos, end: this.here() };
    }
    // expr's pipe (precedence 0): `a | f(...)` calls f with a as its first argument.
    while (minPrec === 0 && this.is('|')) {
      this.next();
      left = this.call(this.next(), left);
    }
    return left;
  }

  private unary(): FormulaNode {
    const t = this.peek();
    if ((t.kind === 'id' && t.text === 'not') || (t.kind === 'op' && (t.text === '!' || t.text === '-' || t.text === '+'))) {
      this.next();
      const operand = this.binary(UNARY_PREC[t.text]);
      return { kind: 'unary', op: t.text, operand, pos: t.pos, end: this.here() };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: FormulaNode): FormulaNode {
    let n = base;
    for (;;) {
      if (this.is('.') || this.is('?.')) {
        const op = this.next();
        const name = this.next();
        if (name.kind !== 'id') throw this.error('expected a field name');
        if (this.is('(')) {
          const args = this.args();
          n = { kind: 'method', object: n, name: name.text, args, pos: name.pos, end: this.here() };
          continue;
        }
        const property: FormulaNode = { kind: 'string', value: name.text, pos: name.pos, end: this.here() };
        n = { kind: 'member', object: n, property, optional: op.text === '?.', byName: true, pos: op.pos, end: this.here() };
      } else if (this.is('[')) {
        const pos = this.next().pos;
        const from = this.is(':') ? undefined : this.expression();
        if (this.is(':')) {
          this.next();
          const to = this.is(']') ? undefined : this.expression();
          this.expect(']');
          n = { kind: 'slice', object: n, from, to, pos, end: this.here() };
          continue;
        }
        this.expect(']');
        n = { kind: 'member', object: n, property: from!, optional: false, byName: false, pos, end: this.here() };
      } else {
        return n;
      }
    }
  }

  private primary(): FormulaNode {
    const t = this.next();
    switch (t.kind) {
      case 'num': {
        const text = t.text.includes('_') ? t.text.replace(/_/g, '') : t.text;
        if (t.float) return { kind: 'float', value: Number(text), pos: t.pos, end: this.here() };
        const value = BigInt(text[0] === '0' && (text[1] === 'o' || text[1] === 'O') ? `0o${text.slice(2)}` : text);
        if (value > INT64_MAX) throw new FormulaError(`integer literal ${t.text} overflows int`, t.pos);
        return { kind: 'int', value, pos: t.pos, end: this.here() };
      }
      case 'str': return { kind: 'string', value: unquote(t.text, t.pos), pos: t.pos, end: this.here() };
      case 'eof': throw new FormulaError('unexpected end of formula', t.pos);
      case 'op':
        if (t.text === '(') { const inner = this.expression(); this.expect(')'); return inner; }
        if (t.text === '[') { const items = this.list(']'); return { kind: 'array', items, pos: t.pos, end: this.here() }; }
        if (t.text === '{') return this.mapLiteral(t.pos);
        if (t.text === '#') {
          if (this.predicateDepth === 0) throw new FormulaError("'#' is only allowed in a predicate", t.pos);
          let name = '';
          if (this.peek().kind === 'id' && this.peek().pos === t.pos + 1) name = this.next().text; // #index, #acc
          return { kind: 'pointer', name, pos: t.pos, end: this.here() };
        }
        if (t.text === '.' && this.predicateDepth > 0 && this.peek().kind === 'id') { // `.field` of the element
          const field = this.next();
          const object: FormulaNode = { kind: 'pointer', name: '', pos: t.pos, end: field.pos };
          const property: FormulaNode = { kind: 'string', value: field.text, pos: field.pos, end: this.here() };
          return { kind: 'member', object, property, optional: false, byName: true, pos: t.pos, end: this.here() };
        }
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
      case 'id':
        return this.identifier(t);
      default:
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    }
  }

  private identifier(t: Token): FormulaNode {
    if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', pos: t.pos, end: this.here() };
    if (t.text === 'nil') return { kind: 'nil', pos: t.pos, end: this.here() };
    if (t.text === 'if') {
      const cond = this.expression();
      const branchPos = this.here();
      this.expect('{');
      const a = this.expression();
      this.expect('}');
      this.expect('else');
      let b: FormulaNode;
      if (this.is('if')) { b = this.identifier(this.next()); } else { this.expect('{'); b = this.expression(); this.expect('}'); }
      return { kind: 'conditional', cond, then: a, else: b, branchPos, pos: t.pos, end: this.here() };
    }
    if (KEYWORDS.has(t.text)) throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    if (this.is('(')) return this.call(t);
    if (t.text === '$env') return { kind: 'env', pos: t.pos, end: this.here() };
    return { kind: 'name', name: t.text, pos: t.pos, end: this.here() };
  }

  /** A call of a builtin; `piped` is the value piped into it (its first argument), if any. */
  private call(name: Token, piped?: FormulaNode): FormulaNode {
    if (name.kind !== 'id') throw new FormulaError('expected a function name', name.pos);
    if (BUILTIN_TYPES[name.text] === undefined) throw new FormulaError(`unknown name ${name.text}`, name.pos);
    this.expect('(');
    const args: FormulaNode[] = piped === undefined ? [] : [piped];
    // A predicate builtin's arguments after the first are predicates (reduce's initial value too).
    const predicate = PREDICATE_BUILTINS.has(name.text);
    while (!this.is(')')) {
      if (predicate && args.length >= 1) {
        this.predicateDepth++;
        const pos = this.here();
        try {
          let body: FormulaNode;
          if (this.is('{')) { this.next(); body = this.expression(); this.expect('}'); } else { body = this.expression(); }
          args.push({ kind: 'predicate', body, pos, end: this.here() });
        } finally { this.predicateDepth--; }
      } else {
        args.push(this.expression());
      }
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    return { kind: 'call', name: name.text, args, pos: name.pos, end: this.here() };
  }

  private args(): FormulaNode[] {
    this.expect('(');
    return this.list(')');
  }

  private list(close: string): FormulaNode[] {
    const out: FormulaNode[] = [];
    while (!this.is(close)) { out.push(this.expression()); if (!this.is(close)) this.expect(','); }
    this.expect(close);
    return out;
  }

  private mapLiteral(pos: number): FormulaNode {
    const entries: Array<readonly [FormulaNode, FormulaNode]> = [];
    while (!this.is('}')) {
      const key = this.peek();
      let k: FormulaNode;
      if (key.kind === 'id') {
        this.next();
        k = { kind: 'string', value: key.text, pos: key.pos, end: this.here() };
      } else if (key.kind === 'str' || key.kind === 'num') {
        k = this.primary();
      } else if (this.is('(')) {
        this.next();
        k = this.expression();
        this.expect(')');
      } else {
        throw this.error('expected a map key');
      }
      this.expect(':');
      entries.push([k, this.expression()]);
      if (!this.is('}')) this.expect(',');
    }
    this.expect('}');
    return { kind: 'map', entries, pos, end: this.here() };
  }
}

/** The parse tree of a formula; throws FormulaError where it does not parse. */
export function parseFormula(formula: string): FormulaNode {
  return new Parser(formula).parse();
}

/** A node's children, in source order. */
export function children(n: FormulaNode): FormulaNode[] {
  switch (n.kind) {
    case 'unary': return [n.operand];
    case 'binary': return [n.left, n.right];
    case 'conditional': return [n.cond, n.then, n.else];
    case 'let': return [n.value, n.body];
    case 'array': return [...n.items];
    case 'map': return n.entries.flatMap(([k, v]) => [k, v]);
    case 'member': return [n.object, n.property];
    case 'slice': return [n.object, ...(n.from ? [n.from] : []), ...(n.to ? [n.to] : [])];
    case 'call': return [...n.args];
    case 'method': return [n.object, ...n.args];
    case 'predicate': return [n.body];
    default: return [];
  }
}
