import { FormulaError, INT64_MAX, INT64_MIN } from './grammar';
import { children, FormulaNode } from './parser';

/*
 * The evaluator: it walks the parse tree and computes a formula's value as expr-lang's VM
 * does (github.com/expr-lang/expr v1.17 vm/runtime: `/` and `**` give float64, `+ - *` of
 * two ints give int, `%` takes ints only, ints are 64-bit and wrap).
 */

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
 * with `compileFormula` (src/core/expr.ts); `evaluate` throws FormulaError for a run-time
 * error (e.g. `%` of a float, an integer divided by zero with `%`, a non-bool condition).
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
 * What in a parsed formula the evaluator does not compute (the first such node, in
 * source order), or undefined.
 */
export function unevaluable(n: FormulaNode): string | undefined {
  switch (n.kind) {
    case 'call': if (!EVALUATED_BUILTINS.has(n.name)) return `the builtin ${n.name}() at position ${n.pos}`; break;
    case 'method': return `the method call .${n.name}() at position ${n.pos}`;
    case 'binary': if (!EVALUATED_OPERATORS.has(n.op)) return `the operator '${n.op}' at position ${n.pos}`; break;
    case 'env': return `$env at position ${n.pos}`;
    default: break;
  }
  for (const child of children(n)) { const u = unevaluable(child); if (u) return u; }
  return undefined;
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
      if (n.op === '!' || n.op === 'not') return !asBool(n, v, `operand of ${n.op}`);
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
