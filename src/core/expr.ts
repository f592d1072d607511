/**
 * KEDA `scalingModifiers.formula`, written from the expr-lang grammar and type rules
 * (github.com/expr-lang/expr v1.17, the version KEDA 2.20 builds with). KEDA's webhook
 * (`validateScalingModifiersFormula`) compiles the formula with an environment of one
 * float64 per named trigger that is not cpu/memory, after wrapping it in `float(...)`
 * (`castToFloatIfNecessary`): so a formula must parse, may name only those triggers (and
 * expr's builtins), and must give a number.
 *
 * One parser (expr/parser.ts, over expr/lexer.ts) builds one tree; the checker
 * (expr/check.ts) walks it to answer "does KEDA's webhook accept this formula", and the
 * evaluator (expr/eval.ts) walks the same tree to compute its value for the simulator.
 * The language covered: literals, operators with expr's precedences (expr/grammar.ts),
 * ternaries, `??`, `let`, `if/else`, arrays, maps, member and index access, slices,
 * builtin calls with predicates `{ # > 1 }` and the pipe.
 */
import { checkFormula, goType } from './expr/check';
import { CompiledFormula, unevaluable } from './expr/eval';
import { FormulaError, Ty } from './expr/grammar';
import { FormulaNode, parseFormula } from './expr/parser';

export { FormulaError } from './expr/grammar';
export { parseFormula } from './expr/parser';
export type { FormulaNode } from './expr/parser';
export { CompiledFormula } from './expr/eval';
export type { FormulaValue } from './expr/eval';

type Checked = { readonly tree: FormulaNode; readonly problem?: undefined } | { readonly problem: string };

/** Parses and checks a formula as KEDA's webhook compiles it: the tree, or the problem. */
function checked(formula: unknown, triggerNames: readonly string[]): Checked {
  if (typeof formula !== 'string' || formula.trim() === '') return { problem: 'is required with scalingModifiers (KEDA: ScalingModifiers.Formula is mandatory)' };
  const env = new Map<string, Ty>();
  for (const n of triggerNames) env.set(n, 'float');
  let tree: FormulaNode;
  let result: Ty;
  try {
    tree = parseFormula(formula);
    result = checkFormula(tree, env);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    const known = triggerNames.length ? `the named non-cpu/memory triggers are ${triggerNames.join(', ')}` : 'no trigger other than cpu/memory has a name';
    const hint = e.message.startsWith('unknown name') ? ` (${known}; a formula refers to triggers by name)` : '';
    return { problem: `does not compile as KEDA compiles it (expr-lang): ${e.message} at position ${e.position}${hint}` };
  }
  // KEDA wraps the formula in float(...) (or, with '??', converts a non-nil result).
  if (result !== 'int' && result !== 'float' && result !== 'any' && result !== 'nil') {
    return { problem: `gives a ${goType(result)}, but KEDA needs a number (it compiles float(<formula>))` };
  }
  return { tree };
}

/**
 * Checks a KEDA scalingModifiers formula as KEDA's webhook compiles it, and that it
 * gives a number. Returns the problem, or undefined.
 * @param triggerNames the names of the ScaledObject's triggers that are not cpu/memory
 */
export function formulaProblem(formula: unknown, triggerNames: readonly string[]): string | undefined {
  return checked(formula, triggerNames).problem;
}

/**
 * Compiles a scalingModifiers formula for evaluation: it must compile as KEDA compiles it
 * ({@link formulaProblem}), and use only operators and builtins the evaluator computes.
 * Throws FormulaError (with a message that says which) otherwise. The formula is parsed
 * once: the tree the checker accepted is the tree evaluated.
 */
export function compileFormula(formula: string, triggerNames: readonly string[]): CompiledFormula {
  const c = checked(formula, triggerNames);
  if (c.problem !== undefined) throw new FormulaError(c.problem, 0);
  return compiled(formula, c.tree, triggerNames);
}

/**
 * Parses any expr-lang expression for evaluation (no KEDA rule that it gives a number, no
 * type check): throws FormulaError where it does not parse or uses what the evaluator
 * does not compute. Names other than `names` are a run-time error, as in expr's VM.
 */
export function compileExpression(formula: string, names: readonly string[]): CompiledFormula {
  return compiled(formula, parseFormula(formula), names);
}

function compiled(formula: string, tree: FormulaNode, names: readonly string[]): CompiledFormula {
  const u = unevaluable(tree);
  if (u) throw new FormulaError(`KEDA accepts this formula, but the simulator cannot evaluate ${u} (it computes numbers, arithmetic, comparisons, logic, ternaries, ??, let, arrays and the numeric and array builtins)`, 0);
  return new CompiledFormula(formula, tree, names);
}
