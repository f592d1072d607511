import { BUILTIN_TYPES, FormulaError, Ty } from './grammar';
import { FormulaNode } from './parser';

/*
 * The type checker: it walks the parse tree and infers types where they are known,
 * refusing only what expr's compiler would refuse. Where a type is not known statically
 * it is `any`, as in expr, and nothing is refused.
 */

const isNumber = (t: Ty) => t === 'int' || t === 'float';
const isIndexable = (t: Ty) => t === 'any' || t === 'array' || t === 'map' || t === 'string';
const GO_TYPES: { readonly [t in Ty]: string } = {
  int: 'int', float: 'float64', bool: 'bool', string: 'string', nil: 'nil', array: '[]interface {}', map: 'map[string]interface {}', any: 'interface {}',
};
/** The Go type expr names in its messages. */
export const goType = (t: Ty): string => GO_TYPES[t];

interface Scope {
  readonly vars: ReadonlyMap<string, Ty>;
  readonly parent?: Scope;
}

/**
 * The type of a parsed formula where `env` holds the names it may use and their types;
 * throws FormulaError (at expr's position) for what expr's checker refuses.
 */
export function checkFormula(tree: FormulaNode, env: ReadonlyMap<string, Ty>): Ty {
  return typeOf(tree, { vars: env });
}

function lookup(scope: Scope, name: string): Ty | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const t = s.vars.get(name);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Children are typed left to right before their parent, so the first error is the one expr's checker meets first. */
function typeOf(n: FormulaNode, scope: Scope): Ty {
  switch (n.kind) {
    case 'int': return 'int';
    case 'float': return 'float';
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'nil': return 'nil';
    case 'env': return 'map';
    case 'pointer': return 'any';
    case 'name': {
      const t = lookup(scope, n.name);
      if (t === undefined) throw new FormulaError(`unknown name ${n.name}`, n.pos);
      return t;
    }
    case 'unary': {
      const t = typeOf(n.operand, scope);
      if (n.op === 'not' || n.op === '!') {
        if (t === 'bool' || t === 'any') return 'bool';
      } else if (isNumber(t) || t === 'any') {
        return t;
      }
      throw new FormulaError(`invalid operation: ${n.op} (mismatched type ${goType(t)})`, n.end);
    }
    case 'binary': {
      const l = typeOf(n.left, scope);
      return binaryType(n.op, l, typeOf(n.right, scope), n.end);
    }
    case 'conditional': {
      const cond = typeOf(n.cond, scope);
      if (cond !== 'bool' && cond !== 'any') throw new FormulaError(`non-bool expression (type ${goType(cond)}) used as condition`, n.branchPos);
      const a = typeOf(n.then, scope);
      return a === typeOf(n.else, scope) ? a : 'any';
    }
    case 'let': {
      const value = typeOf(n.value, scope);
      return typeOf(n.body, { vars: new Map([[n.name, value]]), parent: scope });
    }
    case 'array':
      for (const item of n.items) typeOf(item, scope);
      return 'array';
    case 'map':
      for (const [k, v] of n.entries) { typeOf(k, scope); typeOf(v, scope); }
      return 'map';
    case 'member': {
      const t = typeOf(n.object, scope);
      if (n.byName) {
        if (t !== 'any' && t !== 'map') throw new FormulaError(`type ${goType(t)} has no field ${(n.property as { value: string }).value}`, n.end);
        return 'any';
      }
      typeOf(n.property, scope);
      if (!isIndexable(t)) throw new FormulaError(`type ${goType(t)} does not support indexing`, n.end);
      return t === 'string' ? 'string' : 'any';
    }
    case 'slice': {
      const t = typeOf(n.object, scope);
      if (n.from) typeOf(n.from, scope);
      if (n.to) typeOf(n.to, scope);
      if (!isIndexable(t)) throw new FormulaError(`type ${goType(t)} does not support indexing`, n.end);
      return t === 'string' ? 'string' : 'any';
    }
    case 'method':
      typeOf(n.object, scope);
      for (const a of n.args) typeOf(a, scope);
      return 'any';
    case 'predicate':
      typeOf(n.body, scope);
      return 'any';
    case 'call': return callType(n, scope);
  }
}

function binaryType(op: string, l: Ty, r: Ty, pos: number): Ty {
  const mismatch = () => new FormulaError(`invalid operation: ${op} (mismatched types ${goType(l)} and ${goType(r)})`, pos);
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

/** A builtin call's type; predicates type as `any` (their element is not known). */
function callType(n: Extract<FormulaNode, { kind: 'call' }>, scope: Scope): Ty {
  const args = n.args.map((a) => typeOf(a, scope));
  const name = n.name;
  if (name === 'float' || name === 'int') {
    if (args.length !== 1) throw new FormulaError(`invalid number of arguments (expected 1, got ${args.length})`, n.pos);
    if (!['int', 'float', 'string', 'any'].includes(args[0])) throw new FormulaError(`invalid argument for ${name} (type ${goType(args[0])})`, n.pos);
  }
  if (name === 'abs' || name === 'ceil' || name === 'floor' || name === 'round') {
    if (args.length !== 1) throw new FormulaError(`invalid number of arguments (expected 1, got ${args.length})`, n.pos);
    if (!isNumber(args[0]) && args[0] !== 'any') throw new FormulaError(`invalid argument for ${name} (type ${goType(args[0])})`, n.pos);
  }
  const ret = BUILTIN_TYPES[name];
  return ret === 'arg' ? (args[0] ?? 'any') : ret;
}
