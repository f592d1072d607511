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
