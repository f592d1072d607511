/**
 * A checker for KEDA `scalingModifiers.formula`, written from the expr-lang grammar and
 * type rules (github.com/expr-lang/expr v1.17, the version KEDA 2.20 builds with). KEDA's
 * webhook (`validateScalingModifiersFormula`) compiles the formula with an environment
 * of one float64 per named trigger that is not cpu/memory, after wrapping it in
 * `float(...)` (`castToFloatIfNecessary`): so a formula must parse, may name only those
 * triggers (and expr's builtins), and must give a number.
 *
 * This is a checker, not an evaluator: it parses the whole language (literals, operators
 * with expr's precedences, ternaries, `??`, `let`, `if/else`, arrays, maps, member and
 * index access, builtin calls with predicates `{ # > 1 }`) and infers types where they
 * are known, reporting only what expr's compiler would refuse. Where a type is not known
 * statically it is `any`, as in expr, and nothing is refused.
 */

/** The static types the checker tracks. */
type Ty = 'int' | 'float' | 'bool' | 'string' | 'nil' | 'array' | 'map' | 'any';

interface Token {
  readonly kind: 'num' | 'str' | 'id' | 'op' | 'eof';
  readonly text: string;
  readonly pos: number;
  readonly numType?: Ty;
}

/** A formula expr's compiler refuses: why, and where. */
export class FormulaError extends Error {
  public constructor(message: string, public readonly position: number) {
    super(message);
  }
}

const OPERATORS = [
  '??', '?.', '..', '**', '==', '!=', '<=', '>=', '&&', '||',
  '?', ':', '.', '*', '/', '%', '^', '+', '-', '<', '>', '!', '|', '(', ')', '[', ']', '{', '}', ',', ';', '=', '#',
];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError('unterminated comment', i);
      i = end + 2;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?|\.[0-9][0-9_]*([eE][+-]?[0-9]+)?)/.exec(src.slice(i));
    if (num && !(num[0].startsWith('.') && out.length > 0 && isOperand(out[out.length - 1]))) {
      const text = num[0];
      if (/_$|__/.test(text)) throw new FormulaError(`invalid number '${text}'`, i);
      const isFloat = /^[0-9._]*[.eE]/.test(text) && !/^0[xXoObB]/.test(text);
      out.push({ kind: 'num', text, pos: i, numType: isFloat ? 'float' : 'int' });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += (src[j] === '\\' && c !== '`') ? 2 : 1;
      if (j >= src.length) throw new FormulaError('unterminated string', i);
      out.push({ kind: 'str', text: src.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'id', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new FormulaError(`unexpected character '${c}'`, i);
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

function isOperand(t: Token): boolean {
  return t.kind === 'num' || t.kind === 'str' || t.kind === 'id' || (t.kind === 'op' && [')', ']', '}'].includes(t.text));
}

/** expr's binary operators and their precedence (parser/operator/operator.go). */
const BINARY: { readonly [op: string]: { readonly prec: number; readonly right?: boolean } } = {
  'or': { prec: 10 },
  '||': { prec: 10 },
  'and': { prec: 15 },
  '&&': { prec: 15 },
  '==': { prec: 20 },
  '!=': { prec: 20 },
  '<': { prec: 20 },
  '>': { prec: 20 },
  '>=': { prec: 20 },
  '<=': { prec: 20 },
  'in': { prec: 20 },
  'matches': { prec: 20 },
  'contains': { prec: 20 },
  'startsWith': { prec: 20 },
  'endsWith': { prec: 20 },
  '..': { prec: 25 },
  '+': { prec: 30 },
  '-': { prec: 30 },
  '*': { prec: 60 },
  '/': { prec: 60 },
  '%': { prec: 60 },
  '**': { prec: 100, right: true },
  '^': { prec: 100, right: true },
  '??': { prec: 500 },
};
const UNARY_PREC = { 'not': 50, '!': 50, '-': 90, '+': 90 } as const;
const KEYWORDS = new Set(['true', 'false', 'nil', 'not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

/** Builtins taking a predicate as their second argument. */
const PREDICATE_BUILTINS = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex', 'count', 'sum', 'groupBy', 'sortBy', 'reduce',
]);
/** Return types of expr's builtins ('arg' = the first argument's type); the rest give `any`. */
const BUILTIN_TYPES: { readonly [name: string]: Ty | 'arg' } = {
  all: 'bool',
  none: 'bool',
  any: 'bool',
  one: 'bool',
  filter: 'array',
  map: 'array',
  count: 'int',
  findIndex: 'int',
  findLastIndex: 'int',
  find: 'any',
  findLast: 'any',
  sum: 'any',
  groupBy: 'map',
  sortBy: 'array',
  reduce: 'any',
  len: 'int',
  abs: 'arg',
  ceil: 'float',
  floor: 'float',
  round: 'float',
  int: 'int',
  float: 'float',
  string: 'string',
  max: 'any',
  min: 'any',
  mean: 'float',
  median: 'float',
  type: 'string',
  trim: 'string',
  trimPrefix: 'string',
  trimSuffix: 'string',
  upper: 'string',
  lower: 'string',
  split: 'array',
  splitAfter: 'array',
  replace: 'string',
  repeat: 'string',
  join: 'string',
  indexOf: 'int',
  lastIndexOf: 'int',
  hasPrefix: 'bool',
  hasSuffix: 'bool',
  toJSON: 'string',
  fromJSON: 'any',
  toBase64: 'string',
  fromBase64: 'string',
  now: 'any',
  duration: 'any',
  date: 'any',
  timezone: 'any',
  first: 'any',
  last: 'any',
  get: 'any',
  keys: 'array',
  values: 'array',
  toPairs: 'array',
  fromPairs: 'map',
  sort: 'array',
  concat: 'array',
  flatten: 'array',
  uniq: 'array',
  bitand: 'int',
  bitor: 'int',
  bitxor: 'int',
  bitnand: 'int',
  bitnot: 'int',
  bitshl: 'int',
  bitshr: 'int',
  bitushr: 'int',
};

const isNumber = (t: Ty) => t === 'int' || t === 'float';
const goType = (t: Ty) => ({ int: 'int', float: 'float64', bool: 'bool', string: 'string', nil: 'nil', array: '[]interface {}', map: 'map[string]interface {}', any: 'interface {}' })[t];

class Checker {
  private readonly tokens: Token[];
  private at = 0;
  private readonly scopes: Array<Map<string, Ty>> = [];
  private predicateDepth = 0;

  public constructor(src: string, env: Map<string, Ty>) {
    this.tokens = tokenize(src);
    this.scopes.push(env);
  }

  public check(): Ty {
    const t = this.expression();
    if (this.peek().kind !== 'eof') throw this.error(`unexpected token '${this.peek().text}'`);
    return t;
  }

  private peek(offset = 0): Token { return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]; }
  private next(): Token { return this.tokens[this.at++]; }
  private is(text: string): boolean { const t = this.peek(); return (t.kind === 'op' || t.kind === 'id') && t.text === text; }
  private expect(text: string): void {
    if (!this.is(text)) throw this.error(`expected '${text}' but found '${this.peek().text || 'end of formula'}'`);
    this.next();
  }
  private error(message: string): FormulaError { return new FormulaError(message, this.peek().pos); }

  private lookup(name: string): Ty | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].has(name)) return this.scopes[i].get(name);
    return undefined;
  }

  private expression(): Ty {
    if (this.is('let')) {
      this.next();
      const name = this.next();
      if (name.kind !== 'id' || KEYWORDS.has(name.text)) throw this.error('expected a variable name after \'let\'');
      this.expect('=');
      const value = this.expression();
      this.expect(';');
      this.scopes.push(new Map([[name.text, value]]));
      try { return this.expression(); } finally { this.scopes.pop(); }
    }
    return this.ternary();
  }

  private ternary(): Ty {
    const cond = this.binary(0);
    if (this.is('?')) {
      this.next();
      if (cond !== 'bool' && cond !== 'any') throw this.error(`non-bool expression (type ${goType(cond)}) used as condition`);
      const a = this.ternary();
      this.expect(':');
      const b = this.ternary();
      return a === b ? a : 'any';
    }
    return cond;
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && BINARY[t.text]) return t.text;
    if (t.kind === 'id' && BINARY[t.text]) return t.text;
    if (t.kind === 'id' && t.text === 'not' && this.peek(1).kind === 'id' && this.peek(1).text === 'in') return 'not in';
    return undefined;
  }

  private binary(minPrec: number): Ty {
    let left = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (op === undefined) break;
      const info = BINARY[op === 'not in' ? 'in' : op];
      if (info.prec < minPrec) break;
      this.next();
      if (op === 'not in') this.next();
      const right = this.binary(info.right ? info.prec : info.prec + 1);
      left = this.binaryType(op, left, right);
    }
    // expr's pipe: `a | f(...)` calls f with a as its first argument.
    while (minPrec === 0 && this.is('|')) {
      this.next();
      left = this.call(this.next(), left);
    }
    return left;
  }

  private binaryType(op: string, l: Ty, r: Ty): Ty {
    const mismatch = () => this.error(`invalid operation: ${op} (mismatched types ${goType(l)} and ${goType(r)})`);
    const anyInvolved = l === 'any' || r === 'any';
    switch (op) {
      case 'or': case '||': case 'and': case '&&':
        if ((l === 'bool' || l === 'any') && (r === 'bool' || r === 'any')) return 'bool';
        throw mismatch();
      case '==': case '!=': return 'bool';
      case '<': case '>': case '<=': case '>=':
        if (anyInvolved || (isNumber(l) && isNumber(r)) || (l === 'string' && r === 'string')) return 'bool';
        throw mismatch();
      case 'in': case 'not in':
        if (r === 'array' || r === 'map' || r === 'any') return 'bool';
        throw mismatch();
      case 'matches': case 'contains': case 'startsWith': case 'endsWith':
        if ((l === 'string' || l === 'any') && (r === 'string' || r === 'any')) return 'bool';
        throw mismatch();
      case '..':
        if ((l === 'int' || l === 'any') && (r === 'int' || r === 'any')) return 'array';
        throw mismatch();
      case '+': case '-': case '*':
        if (op === '+' && l === 'string' && r === 'string') return 'string';
        if (op === '+' && l === 'array' && r === 'array') return 'array';
        if (isNumber(l) && isNumber(r)) return l === 'int' && r === 'int' ? 'int' : 'float';
        if (anyInvolved && (isNumber(l) || isNumber(r) || (l === 'any' && r === 'any'))) return 'any';
        throw mismatch();
      case '/': case '**': case '^':
        if ((isNumber(l) || l === 'any') && (isNumber(r) || r === 'any')) return 'float';
        throw mismatch();
      case '%':
        if ((l === 'int' || l === 'any') && (r === 'int' || r === 'any')) return 'int';
        throw mismatch();
      case '??':
        return l === 'nil' ? r : (l === r ? l : 'any');
      default:
        throw mismatch();
    }
  }

  private unary(): Ty {
    const t = this.peek();
    if ((t.kind === 'id' && t.text === 'not') || (t.kind === 'op' && (t.text === '!' || t.text === '-' || t.text === '+'))) {
      this.next();
      const operand = this.binary(UNARY_PREC[t.text as keyof typeof UNARY_PREC]);
      if (t.text === 'not' || t.text === '!') {
        if (operand === 'bool' || operand === 'any') return 'bool';
        throw this.error(`invalid operation: ${t.text} (mismatched type ${goType(operand)})`);
      }
      if (isNumber(operand) || operand === 'any') return operand;
      throw this.error(`invalid operation: ${t.text} (mismatched type ${goType(operand)})`);
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Ty): Ty {
    let t = base;
    for (;;) {
      if (this.is('.') || this.is('?.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'id') throw this.error('expected a field name');
        if (this.is('(')) { this.args(); t = 'any'; continue; }
        if (t !== 'any' && t !== 'map') throw this.error(`type ${goType(t)} has no field ${name.text}`);
        t = 'any';
      } else if (this.is('[')) {
        this.next();
        if (this.is(':')) { this.next(); if (!this.is(']')) this.expression(); this.expect(']'); t = t === 'string' ? 'string' : 'any'; continue; }
        this.expression();
        if (this.is(':')) { this.next(); if (!this.is(']')) this.expression(); }
        this.expect(']');
        if (!['any', 'array', 'map', 'string'].includes(t)) throw this.error(`type ${goType(t)} does not support indexing`);
        t = t === 'string' ? 'string' : 'any';
      } else {
        return t;
      }
    }
  }

  private primary(): Ty {
    const t = this.next();
    switch (t.kind) {
      case 'num': return t.numType!;
      case 'str': return 'string';
      case 'eof': throw new FormulaError('unexpected end of formula', t.pos);
      case 'op':
        if (t.text === '(') { const inner = this.expression(); this.expect(')'); return inner; }
        if (t.text === '[') { this.list(']'); return 'array'; }
        if (t.text === '{') { this.mapLiteral(); return 'map'; }
        if (t.text === '#') {
          if (this.predicateDepth === 0) throw new FormulaError("'#' is only allowed in a predicate", t.pos);
          if (this.peek().kind === 'id' && this.peek().pos === t.pos + 1) this.next(); // #index, #acc
          return 'any';
        }
        if (t.text === '.' && this.predicateDepth > 0 && this.peek().kind === 'id') { this.next(); return 'any'; } // `.field` of the element
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
      case 'id':
        return this.identifier(t);
      default:
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    }
  }

  private identifier(t: Token): Ty {
    if (t.text === 'true' || t.text === 'false') return 'bool';
    if (t.text === 'nil') return 'nil';
    if (t.text === 'if') {
      const cond = this.expression();
      if (cond !== 'bool' && cond !== 'any') throw this.error(`non-bool expression (type ${goType(cond)}) used as condition`);
      this.expect('{');
      const a = this.expression();
      this.expect('}');
      this.expect('else');
      let b: Ty;
      if (this.is('if')) { b = this.identifier(this.next()); } else { this.expect('{'); b = this.expression(); this.expect('}'); }
      return a === b ? a : 'any';
    }
    if (KEYWORDS.has(t.text)) throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    if (this.is('(')) return this.call(t);
    if (t.text === '$env') return 'map';
    const v = this.lookup(t.text);
    if (v === undefined) throw new FormulaError(`unknown name ${t.text}`, t.pos);
    return v;
  }

  /** A call of a builtin; `piped` is the type of the value piped into it, if any. */
  private call(name: Token, piped?: Ty): Ty {
    if (name.kind !== 'id') throw new FormulaError('expected a function name', name.pos);
    const ret = BUILTIN_TYPES[name.text];
    if (ret === undefined) throw new FormulaError(`unknown name ${name.text}`, name.pos);
    this.expect('(');
    const args: Ty[] = piped === undefined ? [] : [piped];
    const predicate = PREDICATE_BUILTINS.has(name.text);
    while (!this.is(')')) {
      if (predicate && args.length >= 1) {
        this.predicateDepth++;
        try {
          if (this.is('{')) { this.next(); this.expression(); this.expect('}'); } else { this.expression(); }
        } finally { this.predicateDepth--; }
        args.push('any');
      } else {
        args.push(this.expression());
      }
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    if (name.text === 'float' || name.text === 'int') {
      if (args.length !== 1) throw new FormulaError(`invalid number of arguments (expected 1, got ${args.length})`, name.pos);
      if (!['int', 'float', 'string', 'any'].includes(args[0])) {
        throw new FormulaError(`invalid argument for ${name.text} (type ${goType(args[0])})`, name.pos);
      }
    }
    if (['abs', 'ceil', 'floor', 'round'].includes(name.text)) {
      if (args.length !== 1) throw new FormulaError(`invalid number of arguments (expected 1, got ${args.length})`, name.pos);
      if (!isNumber(args[0]) && args[0] !== 'any') throw new FormulaError(`invalid argument for ${name.text} (type ${goType(args[0])})`, name.pos);
    }
    return ret === 'arg' ? (args[0] ?? 'any') : ret;
  }

  private args(): void {
    this.expect('(');
    while (!this.is(')')) { this.expression(); if (!this.is(')')) this.expect(','); }
    this.expect(')');
  }

  private list(close: string): void {
    while (!this.is(close)) { this.expression(); if (!this.is(close)) this.expect(','); }
    this.expect(close);
  }

  private mapLiteral(): void {
    while (!this.is('}')) {
      const key = this.peek();
      if (key.kind === 'id' || key.kind === 'str' || key.kind === 'num') {this.next();} else if (this.is('(')) { this.next(); this.expression(); this.expect(')'); } else {throw this.error('expected a map key');}
      this.expect(':');
      this.expression();
      if (!this.is('}')) this.expect(',');
    }
    this.expect('}');
  }
}

/**
 * Checks a KEDA scalingModifiers formula as KEDA's webhook compiles it, and that it
 * gives a number. Returns the problem, or undefined.
 * @param triggerNames the names of the ScaledObject's triggers that are not cpu/memory
 */
export function formulaProblem(formula: unknown, triggerNames: readonly string[]): string | undefined {
  if (typeof formula !== 'string' || formula.trim() === '') return 'is required with scalingModifiers (KEDA: ScalingModifiers.Formula is mandatory)';
  const env = new Map<string, Ty>(triggerNames.map((n) => [n, 'float']));
  let result: Ty;
  try {
    result = new Checker(formula, env).check();
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    const known = triggerNames.length ? `the named non-cpu/memory triggers are ${triggerNames.join(', ')}` : 'no trigger other than cpu/memory has a name';
    const hint = /^unknown name/.test(e.message) ? ` (${known}; a formula refers to triggers by name)` : '';
    return `does not compile as KEDA compiles it (expr-lang): ${e.message} at position ${e.position}${hint}`;
  }
  // KEDA wraps the formula in float(...) (or, with '??', converts a non-nil result).
  if (!['int', 'float', 'any', 'nil'].includes(result)) {
    return `gives a ${goType(result)}, but KEDA needs a number (it compiles float(<formula>))`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Parse tree and evaluator. The checker above answers "does KEDA's webhook accept this
// formula"; the parser below builds the tree of the same grammar (same tokens, operators,
// precedences) so the what-if simulator can compute a formula's value as expr-lang's VM
// does (github.com/expr-lang/expr v1.17 vm/runtime: `/` and `**` give float64, `+ - *` of
// two ints give int, `%` takes ints only, ints are 64-bit and wrap).

/** A node of a parsed formula. */
export type FormulaNode =
  | { readonly kind: 'int'; readonly value: bigint; readonly pos: number }
  | { readonly kind: 'float'; readonly value: number; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'nil'; readonly pos: number }
  | { readonly kind: 'name'; readonly name: string; readonly pos: number }
  | { readonly kind: 'env'; readonly pos: number }
  /** `#` (the predicate's element), `#index`, `#acc`. */
  | { readonly kind: 'pointer'; readonly name: string; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: FormulaNode; readonly pos: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: FormulaNode; readonly right: FormulaNode; readonly pos: number }
  | { readonly kind: 'conditional'; readonly cond: FormulaNode; readonly then: FormulaNode; readonly else: FormulaNode; readonly pos: number }
  | { readonly kind: 'let'; readonly name: string; readonly value: FormulaNode; readonly body: FormulaNode; readonly pos: number }
  | { readonly kind: 'array'; readonly items: readonly FormulaNode[]; readonly pos: number }
  | { readonly kind: 'map'; readonly entries: ReadonlyArray<readonly [FormulaNode, FormulaNode]>; readonly pos: number }
  | { readonly kind: 'member'; readonly object: FormulaNode; readonly property: FormulaNode; readonly optional: boolean; readonly pos: number }
  | { readonly kind: 'slice'; readonly object: FormulaNode; readonly from?: FormulaNode; readonly to?: FormulaNode; readonly pos: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly FormulaNode[]; readonly pos: number }
  | { readonly kind: 'method'; readonly object: FormulaNode; readonly name: string; readonly args: readonly FormulaNode[]; readonly pos: number }
  /** A predicate argument (`{ # > 1 }` or `# > 1`) of a builtin such as count. */
  | { readonly kind: 'predicate'; readonly body: FormulaNode; readonly pos: number };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function unquote(text: string, pos: number): string {
  const quote = text[0];
  const body = text.slice(1, -1);
  if (quote === '`') return body;
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

/** Builds the parse tree of the grammar the checker reads (kept method for method in step with it). */
class TreeParser {
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
      return { kind: 'let', name: name.text, value, body: this.expression(), pos };
    }
    return this.ternary();
  }

  private ternary(): FormulaNode {
    const cond = this.binary(0);
    if (this.is('?')) {
      const pos = this.next().pos;
      const a = this.ternary();
      this.expect(':');
      const b = this.ternary();
      return { kind: 'conditional', cond, then: a, else: b, pos };
    }
    return cond;
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && BINARY[t.text]) return t.text;
    if (t.kind === 'id' && BINARY[t.text]) return t.text;
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
      left = { kind: 'binary', op, left, right, pos };
    }
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
      const operand = this.binary(UNARY_PREC[t.text as keyof typeof UNARY_PREC]);
      return { kind: 'unary', op: t.text === 'not' ? '!' : t.text, operand, pos: t.pos };
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
        if (this.is('(')) { n = { kind: 'method', object: n, name: name.text, args: this.args(), pos: name.pos }; continue; }
        n = { kind: 'member', object: n, property: { kind: 'string', value: name.text, pos: name.pos }, optional: op.text === '?.', pos: op.pos };
      } else if (this.is('[')) {
        const pos = this.next().pos;
        if (this.is(':')) {
          this.next();
          const to = this.is(']') ? undefined : this.expression();
          this.expect(']');
          n = { kind: 'slice', object: n, to, pos };
          continue;
        }
        const index = this.expression();
        if (this.is(':')) {
          this.next();
          const to = this.is(']') ? undefined : this.expression();
          this.expect(']');
          n = { kind: 'slice', object: n, from: index, to, pos };
          continue;
        }
        this.expect(']');
        n = { kind: 'member', object: n, property: index, optional: false, pos };
      } else {
        return n;
      }
    }
  }

  private primary(): FormulaNode {
    const t = this.next();
    switch (t.kind) {
      case 'num': {
        const text = t.text.replace(/_/g, '');
        if (t.numType === 'float') return { kind: 'float', value: Number(text), pos: t.pos };
        const value = BigInt(/^0[oO]/.test(text) ? `0o${text.slice(2)}` : text);
        if (value > INT64_MAX) throw new FormulaError(`integer literal ${t.text} overflows int`, t.pos);
        return { kind: 'int', value, pos: t.pos };
      }
      case 'str': return { kind: 'string', value: unquote(t.text, t.pos), pos: t.pos };
      case 'eof': throw new FormulaError('unexpected end of formula', t.pos);
      case 'op':
        if (t.text === '(') { const inner = this.expression(); this.expect(')'); return inner; }
        if (t.text === '[') return { kind: 'array', items: this.list(']'), pos: t.pos };
        if (t.text === '{') return this.mapLiteral(t.pos);
        if (t.text === '#') {
          if (this.predicateDepth === 0) throw new FormulaError("'#' is only allowed in a predicate", t.pos);
          let name = '';
          if (this.peek().kind === 'id' && this.peek().pos === t.pos + 1) name = this.next().text;
          return { kind: 'pointer', name, pos: t.pos };
        }
        if (t.text === '.' && this.predicateDepth > 0 && this.peek().kind === 'id') {
          const field = this.next();
          return { kind: 'member', object: { kind: 'pointer', name: '', pos: t.pos }, property: { kind: 'string', value: field.text, pos: field.pos }, optional: false, pos: t.pos };
        }
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
      case 'id':
        return this.identifier(t);
      default:
        throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    }
  }

  private identifier(t: Token): FormulaNode {
    if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', pos: t.pos };
    if (t.text === 'nil') return { kind: 'nil', pos: t.pos };
    if (t.text === 'if') {
      const cond = this.expression();
      this.expect('{');
      const a = this.expression();
      this.expect('}');
      this.expect('else');
      let b: FormulaNode;
      if (this.is('if')) { b = this.identifier(this.next()); } else { this.expect('{'); b = this.expression(); this.expect('}'); }
      return { kind: 'conditional', cond, then: a, else: b, pos: t.pos };
    }
    if (KEYWORDS.has(t.text)) throw new FormulaError(`unexpected token '${t.text}'`, t.pos);
    if (this.is('(')) return this.call(t);
    if (t.text === '$env') return { kind: 'env', pos: t.pos };
    return { kind: 'name', name: t.text, pos: t.pos };
  }

  private call(name: Token, piped?: FormulaNode): FormulaNode {
    if (name.kind !== 'id') throw new FormulaError('expected a function name', name.pos);
    if (BUILTIN_TYPES[name.text] === undefined) throw new FormulaError(`unknown name ${name.text}`, name.pos);
    this.expect('(');
    const args: FormulaNode[] = piped === undefined ? [] : [piped];
    const predicate = PREDICATE_BUILTINS.has(name.text);
    while (!this.is(')')) {
      if (predicate && args.length >= 1) {
        this.predicateDepth++;
        const pos = this.peek().pos;
        try {
          let body: FormulaNode;
          if (this.is('{')) { this.next(); body = this.expression(); this.expect('}'); } else { body = this.expression(); }
          args.push({ kind: 'predicate', body, pos });
        } finally { this.predicateDepth--; }
      } else {
        args.push(this.expression());
      }
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    return { kind: 'call', name: name.text, args, pos: name.pos };
  }

  private args(): FormulaNode[] {
    this.expect('(');
    const out: FormulaNode[] = [];
    while (!this.is(')')) { out.push(this.expression()); if (!this.is(')')) this.expect(','); }
    this.expect(')');
    return out;
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
      if (key.kind === 'id') { this.next(); k = { kind: 'string', value: key.text, pos: key.pos }; } else if (key.kind === 'str' || key.kind === 'num') { k = this.primary(); } else if (this.is('(')) { this.next(); k = this.expression(); this.expect(')'); } else { throw this.error('expected a map key'); }
      this.expect(':');
      entries.push([k, this.expression()]);
      if (!this.is('}')) this.expect(',');
    }
    this.expect('}');
    return { kind: 'map', entries, pos };
  }
}

/** The parse tree of a formula; throws FormulaError where it does not parse. */
export function parseFormula(formula: string): FormulaNode {
  return new TreeParser(formula).parse();
}

/**
 * A value of expr's VM: int is a 64-bit bigint, float a number (float64), nil is null;
 * arrays and maps (string keys) hold values.
 */
export type FormulaValue = bigint | number | string | boolean | null | readonly FormulaValue[] | ReadonlyMap<string, FormulaValue>;

/**
 * The builtins the evaluator computes. The checker knows more (strings, dates, JSON,
 * base64, groupBy, ...); a formula that calls one of those is refused when it is
 * compiled, never evaluated to a guessed number.
 */
const EVALUATED_BUILTINS = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'count', 'sum', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce',
  'len', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'max', 'min', 'mean', 'median',
  'first', 'last', 'concat', 'flatten', 'keys', 'values', 'type',
  'bitand', 'bitor', 'bitxor', 'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr',
]);
/** Binary operators the evaluator computes (`matches` needs Go's RE2 and is refused). */
const EVALUATED_OPERATORS = new Set([
  'or', '||', 'and', '&&', '==', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'contains', 'startsWith', 'endsWith', '..',
  '+', '-', '*', '/', '%', '**', '^', '??',
]);

const wrap = (v: bigint) => BigInt.asIntN(64, v);
const isInt = (v: FormulaValue): v is bigint => typeof v === 'bigint';
const isFloat = (v: FormulaValue): v is number => typeof v === 'number';
const isNum = (v: FormulaValue): v is bigint | number => isInt(v) || isFloat(v);
const isArray = (v: FormulaValue): v is readonly FormulaValue[] => Array.isArray(v);
const isMap = (v: FormulaValue): v is ReadonlyMap<string, FormulaValue> => v instanceof Map;
const toFloat = (v: bigint | number) => (isInt(v) ? Number(v) : v);

/** The Go type expr reports for a value, for messages and `type()`. */
function typeName(v: FormulaValue): string {
  if (v === null) return 'nil';
  if (isInt(v)) return 'int';
  if (isFloat(v)) return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** `type()`'s names (builtin/builtin.go). */
function exprTypeName(v: FormulaValue): string {
  if (v === null) return 'nil';
  if (isInt(v)) return 'int';
  if (isFloat(v)) return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return isArray(v) ? 'array' : 'map';
}

function show(v: FormulaValue): string {
  if (isInt(v)) return v.toString();
  if (v === null) return 'nil';
  if (isArray(v)) return `[${v.map(show).join(' ')}]`;
  if (isMap(v)) return `map[${[...v].map(([k, x]) => `${k}:${show(x)}`).join(' ')}]`;
  return String(v);
}

/** runtime.Equal: numbers compare across int and float; arrays and maps deeply. */
function equal(a: FormulaValue, b: FormulaValue): boolean {
  if (isNum(a) && isNum(b)) return isInt(a) && isInt(b) ? a === b : toFloat(a) === toFloat(b);
  if (isArray(a) && isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) return a.size === b.size && [...a].every(([k, x]) => b.has(k) && equal(x, b.get(k)!));
  return a === b;
}

interface Scope {
  readonly vars: ReadonlyMap<string, FormulaValue>;
  readonly parent?: Scope;
  /** The predicate's element, index and accumulator. */
  readonly pointer?: { readonly element: FormulaValue; readonly index: number; readonly acc?: FormulaValue };
}

/**
 * A compiled scalingModifiers formula, evaluated as expr-lang's VM evaluates it. Build it
 * with {@link compileFormula}; `evaluate` throws FormulaError for a run-time error
 * (e.g. `%` of a float, an integer divided by zero with `%`, a non-bool condition).
 */
export class CompiledFormula {
  /** @internal */
  public constructor(public readonly formula: string, public readonly tree: FormulaNode, private readonly names: readonly string[]) {}

  /** The formula's value (any expr value) for the given trigger values. */
  public evaluateValue(values: Readonly<Record<string, number>>): FormulaValue {
    const vars = new Map<string, FormulaValue>();
    for (const n of this.names) vars.set(n, values[n] ?? 0);
    return evaluate(this.tree, { vars });
  }

  /** The formula's value as KEDA uses it: `float(<formula>)`, a finite float64. */
  public evaluate(values: Readonly<Record<string, number>>): number {
    const v = this.evaluateValue(values);
    if (!isNum(v)) throw new FormulaError(`the formula gives ${show(v)} (${typeName(v)}), but KEDA needs a number (it evaluates float(<formula>))`, 0);
    const n = toFloat(v);
    if (!Number.isFinite(n)) throw new FormulaError(`the formula gives ${n}, which is not a finite number`, 0);
    return n;
  }
}

/**
 * Compiles a scalingModifiers formula for evaluation: it must compile as KEDA compiles it
 * ({@link formulaProblem}), and use only operators and builtins the evaluator computes.
 * Throws FormulaError (with a message that says which) otherwise.
 */
export function compileFormula(formula: string, triggerNames: readonly string[]): CompiledFormula {
  const problem = formulaProblem(formula, triggerNames);
  if (problem !== undefined) throw new FormulaError(problem, 0);
  return compileExpression(formula, triggerNames);
}

/**
 * Parses any expr-lang expression for evaluation (no KEDA rule that it gives a number, no
 * type check): throws FormulaError where it does not parse or uses what the evaluator
 * does not compute. Names other than `names` are a run-time error, as in expr's VM.
 */
export function compileExpression(formula: string, names: readonly string[]): CompiledFormula {
  const tree = parseFormula(formula);
  const unsupported = (n: FormulaNode): string | undefined => {
    switch (n.kind) {
      case 'call': if (!EVALUATED_BUILTINS.has(n.name)) return `the builtin ${n.name}() at position ${n.pos}`; break;
      case 'method': return `the method call .${n.name}() at position ${n.pos}`;
      case 'binary': if (!EVALUATED_OPERATORS.has(n.op)) return `the operator '${n.op}' at position ${n.pos}`; break;
      case 'env': return `$env at position ${n.pos}`;
      default: break;
    }
    for (const child of children(n)) { const u = unsupported(child); if (u) return u; }
    return undefined;
  };
  const u = unsupported(tree);
  if (u) throw new FormulaError(`KEDA accepts this formula, but the simulator cannot evaluate ${u} (it computes numbers, arithmetic, comparisons, logic, ternaries, ??, let, arrays and the numeric and array builtins)`, 0);
  return new CompiledFormula(formula, tree, names);
}

function children(n: FormulaNode): FormulaNode[] {
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

function fail(n: { readonly pos: number }, message: string): never {
  throw new FormulaError(message, n.pos);
}

function lookup(scope: Scope, name: string): FormulaValue | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
  return undefined;
}

function pointerOf(scope: Scope): NonNullable<Scope['pointer']> | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.pointer) return s.pointer;
  return undefined;
}

function asBool(n: FormulaNode, v: FormulaValue, what: string): boolean {
  if (typeof v !== 'boolean') fail(n, `non-bool ${show(v)} (type ${typeName(v)}) used as ${what}`);
  return v;
}

function evaluate(n: FormulaNode, scope: Scope): FormulaValue {
  switch (n.kind) {
    case 'int': case 'float': case 'string': case 'bool': return n.value;
    case 'nil': return null;
    case 'name': {
      const v = lookup(scope, n.name);
      if (v === undefined) fail(n, `unknown name ${n.name}`);
      return v;
    }
    case 'pointer': {
      const p = pointerOf(scope);
      if (!p) fail(n, "'#' outside a predicate");
      if (n.name === '') return p.element;
      if (n.name === 'index') return BigInt(p.index);
      if (n.name === 'acc' && p.acc !== undefined) return p.acc;
      return fail(n, `unknown name #${n.name}`);
    }
    case 'unary': {
      const v = evaluate(n.operand, scope);
      if (n.op === '!') return !asBool(n, v, 'operand of !');
      if (!isNum(v)) fail(n, `invalid operation: ${n.op} (mismatched type ${typeName(v)})`);
      if (n.op === '+') return v;
      return isInt(v) ? wrap(-v) : -v;
    }
    case 'binary': return binary(n, scope);
    case 'conditional': return evaluate(asBool(n, evaluate(n.cond, scope), 'condition') ? n.then : n.else, scope);
    case 'let': return evaluate(n.body, { vars: new Map([[n.name, evaluate(n.value, scope)]]), parent: scope });
    case 'array': return n.items.map((i) => evaluate(i, scope));
    case 'map': {
      const m = new Map<string, FormulaValue>();
      for (const [k, v] of n.entries) {
        const key = evaluate(k, scope);
        if (typeof key !== 'string') fail(k, `the simulator supports only string map keys (got ${typeName(key)})`);
        m.set(key, evaluate(v, scope));
      }
      return m;
    }
    case 'member': {
      const object = evaluate(n.object, scope);
      if (object === null && n.optional) return null;
      const key = evaluate(n.property, scope);
      if (isMap(object)) {
        if (typeof key !== 'string') fail(n, `cannot use ${typeName(key)} as a map key`);
        return object.get(key) ?? null;
      }
      if (isArray(object) || typeof object === 'string') {
        if (!isInt(key)) fail(n, `array index must be an int (got ${typeName(key)})`);
        const items = isArray(object) ? object : [...object];
        const i = Number(key < 0n ? key + BigInt(items.length) : key);
        if (i < 0 || i >= items.length) fail(n, `index out of range: ${key} (array length is ${items.length})`);
        return items[i];
      }
      return fail(n, `cannot fetch ${show(key)} from ${typeName(object)}`);
    }
    case 'slice': {
      const object = evaluate(n.object, scope);
      if (!isArray(object) && typeof object !== 'string') fail(n, `cannot slice ${typeName(object)}`);
      const items = isArray(object) ? object : [...object];
      const bound = (b: FormulaNode | undefined, dflt: number) => {
        if (!b) return dflt;
        const v = evaluate(b, scope);
        if (!isInt(v)) fail(b, `slice bound must be an int (got ${typeName(v)})`);
        const i = Number(v < 0n ? v + BigInt(items.length) : v);
        return Math.min(Math.max(i, 0), items.length);
      };
      const from = bound(n.from, 0);
      const to = Math.max(bound(n.to, items.length), from);
      return isArray(object) ? items.slice(from, to) : (items as string[]).slice(from, to).join('');
    }
    case 'call': return call(n, scope);
    default: return fail(n, `the simulator cannot evaluate a ${n.kind} node`);
  }
}

function compare(n: FormulaNode, op: string, a: FormulaValue, b: FormulaValue): boolean {
  let c: number;
  if (isNum(a) && isNum(b)) {
    const x = isInt(a) && isInt(b) ? a : toFloat(a);
    const y = isInt(a) && isInt(b) ? b : toFloat(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false; // Go: every comparison with NaN is false
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (typeof a === 'string' && typeof b === 'string') {
    c = a < b ? -1 : a > b ? 1 : 0;
  } else {
    return fail(n, `invalid operation: ${op} (mismatched types ${typeName(a)} and ${typeName(b)})`);
  }
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

function binary(n: Extract<FormulaNode, { kind: 'binary' }>, scope: Scope): FormulaValue {
  const { op } = n;
  const left = evaluate(n.left, scope);
  // Short-circuits, as expr's compiler emits jumps for them.
  if (op === '||' || op === 'or') return asBool(n, left, `operand of ${op}`) || asBool(n, evaluate(n.right, scope), `operand of ${op}`);
  if (op === '&&' || op === 'and') return asBool(n, left, `operand of ${op}`) && asBool(n, evaluate(n.right, scope), `operand of ${op}`);
  if (op === '??') return left !== null ? left : evaluate(n.right, scope);
  const right = evaluate(n.right, scope);
  const mismatch = () => fail(n, `invalid operation: ${op} (mismatched types ${typeName(left)} and ${typeName(right)})`);
  switch (op) {
    case '==': return equal(left, right);
    case '!=': return !equal(left, right);
    case '<': case '>': case '<=': case '>=': return compare(n, op, left, right);
    case 'in': case 'not in': {
      let found: boolean;
      if (isArray(right)) found = right.some((x) => equal(left, x));
      else if (isMap(right)) found = typeof left === 'string' && right.has(left);
      else return mismatch();
      return op === 'in' ? found : !found;
    }
    case 'contains': case 'startsWith': case 'endsWith':
      if (typeof left !== 'string' || typeof right !== 'string') return mismatch();
      return op === 'contains' ? left.includes(right) : op === 'startsWith' ? left.startsWith(right) : left.endsWith(right);
    case '..': {
      if (!isInt(left) || !isInt(right)) return mismatch();
      if (right - left > 1_000_000n) fail(n, `the range ${left}..${right} is too large to evaluate`);
      const out: bigint[] = [];
      for (let i = left; i <= right; i++) out.push(i);
      return out;
    }
    case '+': case '-': case '*':
      if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
      if (op === '+' && isArray(left) && isArray(right)) return [...left, ...right];
      if (!isNum(left) || !isNum(right)) return mismatch();
      if (isInt(left) && isInt(right)) return wrap(op === '+' ? left + right : op === '-' ? left - right : left * right);
      { const x = toFloat(left); const y = toFloat(right); return op === '+' ? x + y : op === '-' ? x - y : x * y; }
    case '/':
      if (!isNum(left) || !isNum(right)) return mismatch();
      return toFloat(left) / toFloat(right);
    case '**': case '^':
      if (!isNum(left) || !isNum(right)) return mismatch();
      return goPow(toFloat(left), toFloat(right));
    case '%':
      if (!isInt(left) || !isInt(right)) return mismatch();
      if (right === 0n) fail(n, 'integer divide by zero');
      return left % right; // Go's % truncates toward zero, as BigInt's does
    default:
      return fail(n, `the simulator cannot evaluate the operator '${op}'`);
  }
}

/** Go's math.Pow where it differs from JS's `**` (1 to any power, -1 to ±Inf). */
function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return Number.isFinite(x) ? Math.sign(x) * Math.round(Math.abs(x)) : x;
}

function call(n: Extract<FormulaNode, { kind: 'call' }>, scope: Scope): FormulaValue {
  const name = n.name;
  const argc = (lo: number, hi = lo) => {
    if (n.args.length < lo || n.args.length > hi) fail(n, `invalid number of arguments for ${name} (expected ${lo === hi ? lo : `${lo} to ${hi}`}, got ${n.args.length})`);
  };
  // A builtin's arguments after the first parse as predicates; reduce's initial value is one.
  const arg = (i: number) => { const a = n.args[i]; return evaluate(a.kind === 'predicate' ? a.body : a, scope); };
  const arrayArg = (i: number): readonly FormulaValue[] => {
    const v = arg(i);
    if (!isArray(v)) fail(n.args[i], `${name}: cannot iterate over ${typeName(v)}`);
    return v;
  };
  const numArg = (i: number): bigint | number => {
    const v = arg(i);
    if (!isNum(v)) fail(n.args[i], `invalid argument for ${name} (type ${typeName(v)})`);
    return v;
  };
  const predicateOf = (i: number) => {
    const p = n.args[i];
    const body = p.kind === 'predicate' ? p.body : p;
    return (element: FormulaValue, index: number, acc?: FormulaValue) =>
      evaluate(body, { vars: new Map(), parent: scope, pointer: { element, index, acc } });
  };
  const boolPredicate = (i: number) => {
    const f = predicateOf(i);
    return (element: FormulaValue, index: number) => asBool(n.args[i], f(element, index), `the predicate of ${name}`);
  };
  const numbers = (values: readonly FormulaValue[]): Array<bigint | number> => {
    const out: Array<bigint | number> = [];
    const visit = (v: FormulaValue) => {
      if (isArray(v)) v.forEach(visit);
      else if (isNum(v)) out.push(v);
      else fail(n, `invalid argument for ${name} (type ${typeName(v)})`);
    };
    values.forEach(visit);
    return out;
  };
  const add = (a: bigint | number, b: bigint | number) => (isInt(a) && isInt(b) ? wrap(a + b) : toFloat(a) + toFloat(b));
  switch (name) {
    case 'all': case 'none': case 'any': case 'one': case 'filter': case 'map': case 'find': case 'findIndex': case 'findLast': case 'findLastIndex': {
      argc(2);
      const items = arrayArg(0);
      if (name === 'map') { const f = predicateOf(1); return items.map((x, i) => f(x, i)); }
      const p = boolPredicate(1);
      switch (name) {
        case 'all': return items.every((x, i) => p(x, i));
        case 'none': return !items.some((x, i) => p(x, i));
        case 'any': return items.some((x, i) => p(x, i));
        case 'one': return items.filter((x, i) => p(x, i)).length === 1;
        case 'filter': return items.filter((x, i) => p(x, i));
        case 'find': { const i = items.findIndex((x, j) => p(x, j)); return i < 0 ? null : items[i]; }
        case 'findIndex': return BigInt(items.findIndex((x, i) => p(x, i)));
        case 'findLast': { for (let i = items.length - 1; i >= 0; i--) if (p(items[i], i)) return items[i]; return null; }
        default: { for (let i = items.length - 1; i >= 0; i--) if (p(items[i], i)) return BigInt(i); return -1n; }
      }
    }
    case 'count': {
      argc(1, 2);
      const items = arrayArg(0);
      if (n.args.length === 1) return BigInt(items.filter((x) => asBool(n, x, 'an element counted by count')).length);
      const p = boolPredicate(1);
      return BigInt(items.filter((x, i) => p(x, i)).length);
    }
    case 'sum': {
      argc(1, 2);
      const items = arrayArg(0);
      const f = n.args.length === 2 ? predicateOf(1) : (x: FormulaValue) => x;
      let total: bigint | number = 0n;
      items.forEach((x, i) => {
        const v = f(x, i);
        if (!isNum(v)) fail(n, `invalid operation: + (mismatched types ${typeName(total)} and ${typeName(v)})`);
        total = add(total, v);
      });
      return total;
    }
    case 'reduce': {
      argc(2, 3);
      const items = arrayArg(0);
      const f = predicateOf(1);
      let acc: FormulaValue;
      let start = 0;
      if (n.args.length === 3) { acc = arg(2); } else {
        if (items.length === 0) fail(n, 'reduce of an empty array with no initial value');
        acc = items[0];
        start = 1;
      }
      for (let i = start; i < items.length; i++) acc = f(items[i], i, acc);
      return acc;
    }
    case 'len': {
      argc(1);
      const v = arg(0);
      if (isArray(v)) return BigInt(v.length);
      if (isMap(v)) return BigInt(v.size);
      if (typeof v === 'string') return BigInt([...v].length); // expr's len counts code points
      return fail(n, `invalid argument for len (type ${typeName(v)})`);
    }
    case 'abs': { argc(1); const v = numArg(0); return isInt(v) ? (v < 0n ? wrap(-v) : v) : Math.abs(v); }
    case 'ceil': argc(1); return Math.ceil(toFloat(numArg(0)));
    case 'floor': argc(1); return Math.floor(toFloat(numArg(0)));
    case 'round': argc(1); return goRound(toFloat(numArg(0)));
    case 'int': case 'float': {
      argc(1);
      const v = arg(0);
      let x: bigint | number;
      if (isNum(v)) {
        x = v;
      } else if (typeof v === 'string') {
        const s = v.trim() === v ? v : '';
        if (name === 'int' ? !/^[+-]?[0-9]+$/.test(s) : !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) {
          fail(n, `${name}: cannot parse ${JSON.stringify(v)}`);
        }
        x = name === 'int' ? BigInt(s) : Number(s);
        if (isInt(x) && (x < INT64_MIN || x > INT64_MAX)) fail(n, `int: ${JSON.stringify(v)} is out of range`);
      } else {
        return fail(n, `invalid argument for ${name} (type ${typeName(v)})`);
      }
      if (name === 'float') return toFloat(x);
      if (isInt(x)) return x;
      if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 63) fail(n, `int: ${x} does not fit in an int`);
      return BigInt(Math.trunc(x)); // Go's int(float64) truncates toward zero
    }
    case 'max': case 'min': {
      const values = numbers(n.args.map((_, i) => arg(i)));
      if (values.length === 0) fail(n, `not enough arguments to call ${name}`);
      let best = values[0];
      for (const v of values.slice(1)) if (name === 'max' ? compare(n, '>', v, best) : compare(n, '<', v, best)) best = v;
      return best;
    }
    case 'mean': case 'median': {
      const values = numbers(n.args.map((_, i) => arg(i))).map(toFloat);
      if (values.length === 0) return 0;
      if (name === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
      const sorted = [...values].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
    case 'first': case 'last': {
      argc(1);
      const v = arg(0);
      if (!isArray(v)) return fail(n, `cannot get ${name} from ${typeName(v)}`);
      return v.length === 0 ? null : v[name === 'first' ? 0 : v.length - 1];
    }
    case 'concat': return n.args.flatMap((_, i) => arrayArg(i));
    case 'flatten': {
      argc(1);
      const flat = (v: readonly FormulaValue[]): FormulaValue[] => v.flatMap((x) => (isArray(x) ? flat(x) : [x]));
      return flat(arrayArg(0));
    }
    case 'keys': case 'values': {
      argc(1);
      const v = arg(0);
      if (!isMap(v)) return fail(n, `cannot get ${name} from ${typeName(v)}`);
      return name === 'keys' ? [...v.keys()] : [...v.values()];
    }
    case 'type': argc(1); return exprTypeName(arg(0));
    // expr's bit builtins are Go's bitwise operators on int64.
    /* eslint-disable no-bitwise */
    case 'bitnot': { argc(1); const v = arg(0); if (!isInt(v)) fail(n, `invalid argument for bitnot (type ${typeName(v)})`); return wrap(~v); }
    default: {
      if (!name.startsWith('bit')) return fail(n, `the simulator cannot evaluate ${name}()`);
      argc(2);
      const a = arg(0);
      const b = arg(1);
      if (!isInt(a) || !isInt(b)) return fail(n, `invalid argument for ${name} (types ${typeName(a)} and ${typeName(b)})`);
      if ((name === 'bitshl' || name === 'bitshr' || name === 'bitushr') && b < 0n) fail(n, `invalid operation: negative shift count ${b}`);
      switch (name) {
        case 'bitand': return a & b;
        case 'bitor': return a | b;
        case 'bitxor': return a ^ b;
        case 'bitnand': return a & ~b;
        case 'bitshl': return b >= 64n ? 0n : wrap(a << b);
        case 'bitshr': return b >= 64n ? (a < 0n ? -1n : 0n) : a >> b;
        default: return b >= 64n ? 0n : wrap(BigInt.asUintN(64, a) >> b);
      }
    }
    /* eslint-enable no-bitwise */
  }
}
