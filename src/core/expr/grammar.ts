/**
 * The parts of expr-lang (github.com/expr-lang/expr v1.17, the version KEDA 2.20 builds
 * with) that the lexer, parser, checker and evaluator share: the error type, the operator
 * table and the builtins.
 */

/** A formula expr refuses (or, at run time, fails on): why, and where (0-based offset). */
export class FormulaError extends Error {
  public constructor(message: string, public readonly position: number) {
    super(message);
  }
}

/** Go's int (64-bit) bounds. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** The static types the checker tracks. */
export type Ty = 'int' | 'float' | 'bool' | 'string' | 'nil' | 'array' | 'map' | 'any';

/**
 * Binary operators, their precedence and associativity. Ported as data from expr-lang/expr
 * parser/operator/operator.go `Binary` (v1.17.6, commit 87df78319489, unchanged in v1.17.8);
 * its `|` (precedence 0) is the pipe, which the parser reads after the other operators.
 */
export const BINARY: { readonly [op: string]: { readonly prec: number; readonly right?: boolean } } = {
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

/** Unary operators' precedence: operator.go `Unary` (same source and commit as BINARY). */
export const UNARY_PREC: { readonly [op: string]: number } = { 'not': 50, '!': 50, '-': 90, '+': 90 };

/** Words that are not names. */
export const KEYWORDS: ReadonlySet<string> = new Set(['true', 'false', 'nil', 'not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

/** Builtins taking a predicate as their second argument. */
export const PREDICATE_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex', 'count', 'sum', 'groupBy', 'sortBy', 'reduce',
]);

/**
 * The builtins (names from expr-lang/expr builtin/builtin.go) and their result types
 * ('arg' = the first argument's type); `any` where expr's type depends on the arguments.
 * A call of any other name is refused.
 */
export const BUILTIN_TYPES: { readonly [name: string]: Ty | 'arg' } = {
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
