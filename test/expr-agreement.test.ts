// The checker and the evaluator of scalingModifiers formulas (src/core/expr) walk one parse
// tree: these tests pin that they agree. The checker (formulaProblem, what KEDA's webhook
// accepts) accepts a formula exactly when the evaluator (the simulator) computes a number
// from it, and a syntax error is reported at the same position by both.
import * as fc from 'fast-check';
import { compileExpression, compileFormula, formulaProblem, FormulaError, parseFormula } from '../src/core/expr';

const NAMES = ['a', 'b'];
const VALUES = { a: 3, b: 0.5 };

/** Whether the evaluator computes a (finite) number from the formula, as KEDA's float(<formula>). */
function evaluates(formula: string): boolean {
  try {
    compileExpression(formula, NAMES).evaluate(VALUES);
    return true;
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    return false;
  }
}

/** The position in a formulaProblem message. */
function checkerPosition(formula: string): number | undefined {
  const m = /at position (\d+)/.exec(formulaProblem(formula, NAMES) ?? '');
  return m ? Number(m[1]) : undefined;
}

function evaluatorError(formula: string): FormulaError {
  try {
    compileExpression(formula, NAMES).evaluate(VALUES);
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`the evaluator computed ${formula}`);
}

/** Accepted by the checker, and the value the evaluator computes (a = 3, b = 0.5). */
const ACCEPTED: ReadonlyArray<readonly [string, number]> = [
  ['a + b', 3.5],
  ['(a + b) / 2', 1.75],
  ['a * 2 - 1', 5],
  ['-a + +b', -2.5],
  ['a ** 2', 9],
  ['4 ^ b', 2],
  ['7 % 2', 1],
  ['int(a) % 2', 1],
  ['a > 1 ? a : b', 3],
  ['if a > 5 { a } else if b < 1 { 2 } else { b }', 2],
  ['let x = a; x * 2', 6],
  ['nil ?? a', 3],
  ['max(a, b)', 3],
  ['min([a, b])', 0.5],
  ['abs(b - a)', 2.5],
  ['ceil(b) + floor(a) + round(b)', 5],
  ['float("1.5") + a', 4.5],
  ['int("2") * a', 6],
  ['count([a, b], # > 1)', 1],
  ['sum([a, b], # * 2)', 7],
  ['len([a, b]) + a', 5],
  ['[a, b][-1]', 0.5],
  ['{k: a}.k', 3],
  ['a in [1, 3] ? 1 : 0', 1],
  ['"x" + "y" == "xy" ? a : b', 3],
  ['not (a < b) and b > 0 ? 1 : 0', 1],
  ['1_000 + 0x10 + 1e1', 1026],
  ['[a, b] | map(# + 1) | sum()', 5.5],
];

/** Refused by the checker (the message), and by the evaluator. */
const REFUSED: ReadonlyArray<readonly [string, RegExp]> = [
  ['a > 1', /gives a bool, but KEDA needs a number/],
  ['"s"', /gives a string, but KEDA needs a number/],
  ['a + "x"', /invalid operation: \+ \(mismatched types float64 and string\) at position 7/],
  ['a % 2', /invalid operation: % \(mismatched types float64 and int\) at position 5/],
  ['!a', /invalid operation: ! \(mismatched type float64\) at position 2/],
  ['not a', /invalid operation: not \(mismatched type float64\) at position 5/],
  ['-"s"', /invalid operation: - \(mismatched type string\) at position 4/],
  ['a ? 1 : 2', /non-bool expression \(type float64\) used as condition at position 4/],
  ['if a { 1 } else { 2 }', /non-bool expression \(type float64\) used as condition at position 5/],
  ['a.b', /type float64 has no field b at position 3/],
  ['a[0]', /type float64 does not support indexing at position 4/],
  ['a[0:1]', /type float64 does not support indexing at position 6/],
  ['len(a[:1])', /type float64 does not support indexing at position 9/],
  ['c + 1', /unknown name c at position 0/],
  ['let x = 1; y', /unknown name y at position 11/],
  ['abs("s")', /invalid argument for abs \(type string\) at position 0/],
  ['float(true)', /invalid argument for float \(type bool\) at position 0/],
  ['int(a, b)', /invalid number of arguments \(expected 1, got 2\) at position 0/],
  ['true && 1 ? 1 : 0', /invalid operation: && \(mismatched types bool and int\) at position 10/],
  ['a < "s" ? 1 : 0', /invalid operation: < \(mismatched types float64 and string\) at position 8/],
  ['len(1..a)', /invalid operation: \.\. \(mismatched types int and float64\) at position 8/],
  ['a < 1 ? 1 : 2 ? 3 : 4', /non-bool expression \(type int\) used as condition at position 16/],
];

/** Syntax errors: the message and the position both report. */
const SYNTAX: ReadonlyArray<readonly [string, RegExp, number]> = [
  ['a +', /unexpected end of formula/, 3],
  ['(a', /expected '\)' but found 'end of formula'/, 2],
  ['a b', /unexpected token 'b'/, 2],
  ['a @ b', /unexpected character '@'/, 2],
  ['"unterminated', /unterminated string/, 0],
  ['a + /* x', /unterminated comment/, 4],
  ['# + 1', /'#' is only allowed in a predicate/, 0],
  ['max(a,', /unexpected end of formula/, 6],
  ['a ? 1', /expected ':' but found 'end of formula'/, 5],
  ['let = 1; a', /expected a variable name after 'let'/, 6],
  ['1__0', /invalid number '1__0'/, 0],
  ['a[1', /expected '\]' but found 'end of formula'/, 3],
  ['{x 1}.x', /expected ':' but found '1'/, 3],
  ['if a > 1 { a }', /expected 'else' but found 'end of formula'/, 14],
  ['a | 1', /expected a function name/, 4],
  ['foo(a)', /unknown name foo/, 0],
  ['a + 9223372036854775808', /integer literal 9223372036854775808 overflows int/, 4],
  ['len("\\q") + a', /invalid escape '\\q' in string/, 4],
  // a syntax error is found before a type error earlier in the formula, as expr parses first
  ['c + (a', /expected '\)' but found 'end of formula'/, 6],
  ['a + "x" +', /unexpected end of formula/, 9],
];

describe('the checker accepts exactly the formulas the evaluator computes', () => {
  test.each(ACCEPTED)('%s = %p', (formula, value) => {
    expect(formulaProblem(formula, NAMES)).toBeUndefined();
    expect(compileExpression(formula, NAMES).evaluate(VALUES)).toBeCloseTo(value, 12);
  });

  test.each(REFUSED)('%s is refused', (formula, message) => {
    expect(formulaProblem(formula, NAMES)).toMatch(message);
    expect(evaluates(formula)).toBe(false);
  });

  test.each(SYNTAX)('%s: %p at position %p, from both', (formula, message, position) => {
    expect(formulaProblem(formula, NAMES)).toMatch(message);
    expect(checkerPosition(formula)).toBe(position);
    const e = evaluatorError(formula);
    expect(e.message).toMatch(message);
    expect(e.position).toBe(position);
  });

  test('the tables hold both verdicts', () => {
    const all = [...ACCEPTED.map(([f]) => f), ...REFUSED.map(([f]) => f), ...SYNTAX.map(([f]) => f)];
    const disagreements = all.filter((f) => (formulaProblem(f, NAMES) === undefined) !== evaluates(f));
    expect(disagreements).toEqual([]);
    expect(all.filter(evaluates)).toHaveLength(ACCEPTED.length);
  });

  test('compileFormula evaluates the tree the checker accepted (one parse)', () => {
    for (const [formula] of ACCEPTED) expect(compileFormula(formula, NAMES).tree).toEqual(parseFormula(formula));
  });

  // Where they may differ, by design: the checker is static (KEDA compiles once), the
  // evaluator sees values and evaluates only the branch taken. Pinned so that the limits
  // stay known.
  test.each<[string, RegExp | undefined, RegExp | undefined]>([
    ['a / (b - 0.5)', undefined, /gives Infinity, which is not a finite number/], // a value, not a type
    ['a == 0 ? 1 : "x"', undefined, /gives x \(string\)/], // branches of different types give `any`
    ['a == 3 ? 1 : "x"', undefined, undefined],
    ['first([]) ?? first([])', undefined, /gives nil/], // builtins whose type depends on the values
    ['len(upper("ab")) + a', undefined, /cannot evaluate the builtin upper\(\)/], // outside what the simulator computes
    ['a > 1 ? 1 : 2 ? 3 : 4', /non-bool expression \(type int\) used as condition at position 16/, undefined], // a branch not taken
    ['a > 1 || a + "x" > 1 ? 1 : 0', /mismatched types float64 and string/, undefined], // short-circuit
  ])('%s: checker %p, evaluator %p', (formula, checker, evaluator) => {
    if (checker) expect(formulaProblem(formula, NAMES)).toMatch(checker);
    else expect(formulaProblem(formula, NAMES)).toBeUndefined();
    if (evaluator) expect(evaluatorError(formula).message).toMatch(evaluator);
    else expect(evaluates(formula)).toBe(true);
  });
});

/**
 * Random formulas over a fragment in which every sub-expression is evaluated (no ternary,
 * `??`, builtins or collections, whose static types can be `any`): there the checker's
 * verdict must be the evaluator's, for formulas with type errors and unknown names too.
 */
describe('properties', () => {
  const leaf = fc.constantFrom('a', 'b', 'c', '0', '2', '7', '1.5', '"s"', 'true', 'false');
  const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom('-', '+', '!', 'not '), tie('e')).map(([op, x]) => `${op}${x}`),
      fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '**', '^', '<', '>=', '==', '!=', '&&', '||', 'and', 'or'), tie('e'))
        .map(([l, op, r]) => `${l} ${op} ${r}`),
      tie('e').map((x) => `(${x})`)),
  })).e;

  test('the checker accepts a formula exactly when the evaluator computes a number from it', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(fc.property(formula, (f) => {
      let evaluated: boolean;
      try {
        const v = compileExpression(f, NAMES).evaluateValue(VALUES);
        evaluated = typeof v === 'number' || typeof v === 'bigint';
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        fc.pre(!/integer divide by zero/.test(e.message)); // a value (x % 0), which no type shows
        evaluated = false;
      }
      const checked = formulaProblem(f, NAMES) === undefined;
      expect({ f, checked }).toEqual({ f, checked: evaluated });
      if (checked) accepted++; else refused++;
    }), { numRuns: 2000, seed: 20261205 });
    // Not vacuous: both verdicts occur.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  test('a formula cut short or with a token dropped: both report the same syntax error, at the same position', () => {
    let syntaxErrors = 0;
    fc.assert(fc.property(formula, fc.nat(), fc.boolean(), (f, at, cut) => {
      const i = at % (f.length + 1);
      const broken = cut ? f.slice(0, i) : f.slice(0, i) + f.slice(i + 1);
      let parseError: FormulaError | undefined;
      try { parseFormula(broken); } catch (e) { if (!(e instanceof FormulaError)) throw e; parseError = e; }
      fc.pre(parseError !== undefined && broken.trim() !== '');
      syntaxErrors++;
      expect(formulaProblem(broken, NAMES)).toContain(`${parseError!.message} at position ${parseError!.position}`);
      const e = evaluatorError(broken);
      expect([e.message, e.position]).toEqual([parseError!.message, parseError!.position]);
    }), { numRuns: 1000, seed: 20261205 });
    expect(syntaxErrors).toBeGreaterThan(100);
  });
});
