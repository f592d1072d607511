// The scalingModifiers formula evaluator (src/core/expr.ts): values computed as
// expr-lang's VM computes them (ints are bigint, floats number), KEDA's documented
// formulas, and refusals that must be errors, never a number.
import * as fc from 'fast-check';
import { compileExpression, compileFormula, formulaProblem, FormulaValue, parseFormula } from '../src/core/expr';
import { ScalingFormula } from '../src/simulate/keda/keda';

const TRIGGERS = ['trig_one', 'trig_two', 'trig_three'];
const VALUES = { trig_one: 3, trig_two: 1, trig_three: 0.5 };

/** KEDA formulas (trigger values above) and the float64 KEDA computes from them. */
const KEDA_FORMULAS: ReadonlyArray<readonly [string, number]> = [
  // keda.sh docs, "Scaling Modifiers" (concepts/scaling-deployments) and
  // kedacore/keda tests/internals/scaling_modifiers (v2.20.1-117-g8b4f083ca).
  ['(trig_one + trig_two)/2', 2],
  ['trig_one > 2 ? trig_one : trig_two', 3],
  ['trig_one < 2 ? trig_one : trig_two', 1],
  ['count([trig_one,trig_two,trig_three],{#>1}) > 1 ? 5 : 0', 0],
  ['count([trig_one,trig_two,trig_three],{#>0.7}) > 1 ? 5 : 0', 5],
  ['trig_one < 2 ? trig_one + trig_two >= 2 ? 5 : 10 : 0', 0],
  ['trig_one + trig_two', 4],
  // integer vs float: `/` is always float64, `+ - *` of ints stay int, `%` takes ints.
  ['7 / 2', 3.5],
  ['7 % 2 + trig_one', 4],
  ['-7 % 3', -1],
  ['2 ** 3', 8],
  ['2 ^ 0.5', Math.SQRT2],
  ['-2 ** 2', -4],
  ['trig_one * 2 - 1', 5],
  ['int(trig_one / 2)', 1],
  ['int(-trig_one / 2)', -1],
  ['float(7) / 2', 3.5],
  // logic, ternaries, ??, let, if/else
  ['trig_one > 2 && trig_two < 2 ? 1 : 0', 1],
  ['trig_one > 2 and not (trig_two < 2) ? 1 : 0', 0],
  ['trig_one > 5 || trig_two == 1 ? 1 : 0', 1],
  ['!(trig_one > 5) ? 1 : 0', 1],
  ['trig_one == 3 ? 1 : 0', 1],
  ['trig_one != 3.0 ? 1 : 0', 0],
  ['nil ?? trig_two', 1],
  ['trig_one ?? 8', 3],
  ['let x = trig_one * 2; x + 1', 7],
  ['if trig_one > 10 { 1 } else if trig_one > 2 { 2 } else { 3 }', 2],
  // builtins
  ['max(trig_one, trig_two, 10)', 10],
  ['min([trig_one, trig_two], trig_three)', 0.5],
  ['abs(trig_two - trig_one)', 2],
  ['ceil(trig_three)', 1],
  ['floor(trig_one / 2)', 1],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(trig_three)', 1],
  ['mean([trig_one, trig_two, trig_three, 0.5])', 1.25],
  ['median(trig_one, trig_two, trig_three)', 1],
  ['median([trig_one, trig_two, trig_three, 2])', 1.5],
  ['sum([trig_one, trig_two, trig_three])', 4.5],
  ['sum([trig_one, trig_two], # * 2)', 8],
  ['len(filter([trig_one, trig_two, trig_three], # >= 1))', 2],
  ['reduce([trig_one, trig_two, trig_three], #acc + #)', 4.5],
  ['reduce([trig_one, trig_two], #acc + # * #index, 10)', 11],
  ['findIndex([trig_one, trig_two], # < 2)', 1],
  ['find([trig_one, trig_two], # > 5) ?? 7', 7],
  ['first([trig_two, trig_one])', 1],
  ['last([trig_two, trig_one])', 3],
  ['[trig_one, trig_two][-1]', 1],
  ['any([trig_one, trig_two], # > 2) ? trig_one : 0', 3],
  ['all([trig_one, trig_two], # > 2) ? trig_one : 0', 0],
  ['one([trig_one, trig_two], # > 2) ? 1 : 0', 1],
  ['none([trig_one, trig_two], # > 5) ? 1 : 0', 1],
  ['[trig_one, trig_two] | map(# + 1) | sum()', 6],
  ['{a: trig_one, b: 2}.a', 3],
  ['trig_one in [1, 2, 3] ? 1 : 0', 1],
  ['1e3 + 0x10 + 0o10 + 0b11 + 1_000', 2027],
];

describe('KEDA scalingModifiers formulas evaluate as KEDA (expr-lang) computes them', () => {
  test.each(KEDA_FORMULAS)('%s = %p', (formula, expected) => {
    expect(formulaProblem(formula, TRIGGERS)).toBeUndefined(); // KEDA's webhook accepts it
    expect(compileFormula(formula, TRIGGERS).evaluate(VALUES)).toBeCloseTo(expected, 12);
    expect(new ScalingFormula(formula, TRIGGERS).evaluate(VALUES)).toBeCloseTo(expected, 12);
  });

  test('trigger values the caller leaves out are 0; the formula is compiled once and evaluated many times', () => {
    const f = compileFormula('(trig_one + trig_two)/2', TRIGGERS);
    expect(f.evaluate({ trig_one: 4 })).toBe(2);
    expect(f.evaluate({ trig_one: 4, trig_two: 6 })).toBe(5);
  });
});

/**
 * Values with their expr types (bigint = int, number = float64). Expressions and results
 * ported as data from expr-lang/expr expr_test.go TestExpr (commit 851b241a301f, v1.17.8+3).
 */
const UPSTREAM: ReadonlyArray<readonly [string, FormulaValue]> = [
  ['1', 1n],
  ['-.5', -0.5],
  ['true && false || false', false],
  ['"a" != "b" || 1 == 2', true],
  ['2 + 2 == 4', true],
  ['8 % 3', 2n],
  ['2 ** 8', 256],
  ['2 ^ 8', 256],
  ['-(2-5)**3-2/(+4-3)+-2', 23],
  ['"hello" + " " + "world"', 'hello world'],
  ['0 in -1..1 and 1 in 1..1', true],
  ['1 in [1.5] || 1 not in [1]', false],
  ['-1 not in [1]', true],
  ['"foobar" contains "bar"', true],
  ['"foobar" startsWith "foo"', true],
  ['"foobar" endsWith "bar"', true],
  ['(0..10)[5]', 5n],
  ['len([1, 2, 3])', 3n],
  ['len("hello, world")', 12n],
  ["len('北京')", 2n],
  ['len({a: 1, b: 2, c: 2})', 3n],
  ['max([1, 2, 3])', 3n],
  ['max(1, 2, 3)', 3n],
  ['min([1, 2, 3])', 1n],
  ['min(1, 2, 3)', 1n],
  ['{foo: 0, bar: 1}', new Map([['foo', 0n], ['bar', 1n]])],
  ['(true ? 0+1 : 2+3) + (false ? -1 : -2)', -1n],
  ['filter(1..9, {# > 7})', [8n, 9n]],
  ['map(1..3, {# * #})', [1n, 4n, 9n]],
  ['all(1..3, {# > 0})', true],
  ['count(1..30, {# % 3 == 0})', 10n],
  ['count([true, true, false])', 2n],
  ['"a" < "b"', true],
  ['4 in 5..1', false],
  ['4..0', []],
  ['0 == nil || "str" == nil || true == nil', false],
  ['1 /* one */ + 2 // two', 3n],
  ['let x = 1; x + 2', 3n],
  ['map(1..3, let x = #; let y = x * x; y * y)', [1n, 16n, 81n]],
  ['map(1..2, let x = #; map(2..3, let y = #; x + y))', [[3n, 4n], [4n, 5n]]],
  ['len(filter(1..99, # % 7 == 0))', 14n],
  ['findLast(1..9, # % 2 == 0)', 8n],
  ['findLastIndex(1..9, # % 2 == 0)', 7n],
  ['filter(1..9, # % 2 == 0)[-1]', 8n],
  ['last(filter(1..9, # % 2 == 0))', 8n],
  ['map(map(filter(1..9, # % 2 == 0), # * 2), # * 2)', [8n, 16n, 24n, 32n]],
  ['first(map(filter(1..9, # % 2 == 0), # * 2))', 4n],
  ['len(filter(map(1..9, # * 2), # % 2 == 0))', 9n],
  ['2^3 == 8', true],
  ['4/2 == 2', true],
  ['.5 in 0..1', false],
  ['bitnot(10)', -11n],
  ['bitxor(15, 32)', 47n],
  ['bitand(90, 34)', 2n],
  ['bitnand(35, 9)', 34n],
  ['bitor(10, 5)', 15n],
  ['bitshr(7, 2)', 1n],
  ['bitshl(7, 2)', 28n],
  ['bitushr(-100, 5)', 576460752303423484n],
  ['"hello"[1:3]', 'el'],
  // Go int is 64-bit and wraps.
  ['9223372036854775807 + 1', -9223372036854775808n],
  ['7 / 2', 3.5],
  ['1 / 0', Infinity],
  ['type(1) + type(1.0) + type(nil)', 'intfloatnil'],
  ['int("42") + int(-2.9)', 40n],
  ['abs(-3)', 3n],
  ['abs(-3.5)', 3.5],
  ['sum(1..4)', 10n],
  ['sum([1, 2.5])', 3.5],
  // slices, optional members, predicates' `.field`, arrays and maps
  ['[1, 2, 3][:2]', [1n, 2n]],
  ['[1, 2, 3][1:]', [2n, 3n]],
  ['[1, 2, 3][-2:]', [2n, 3n]],
  ['"abc"[-1]', 'c'],
  ['map([{a: 1}, {a: 2.5}], .a)', [1n, 2.5]],
  ['{a: 1}?.b ?? 5', 5n],
  ['{a: nil}.a?.b', null],
  ['"a" in {a: 1} && "b" not in {a: 1}', true],
  ['[1, 2] + [3]', [1n, 2n, 3n]],
  ['concat([1], [2, [3]])', [1n, 2n, [3n]]],
  ['flatten([1, [2, [3]]])', [1n, 2n, 3n]],
  ['sum(values({a: 1, b: 2})) + len(keys({a: 1, b: 2}))', 5n],
  ['mean([]) + median([])', 0],
  ['1 == 1.0 && [1, 2] == [1, 2.0] && {a: 1} != {a: 2}', true],
];

describe('expr-lang values and types', () => {
  test.each(UPSTREAM)('%s', (expression, expected) => {
    expect(compileExpression(expression, []).evaluateValue({})).toEqual(expected);
  });
});

describe('a formula the evaluator cannot compute is an error, never a number', () => {
  test.each([
    // refused by KEDA's compiler (the checker), so by the simulator too
    ['trig_one +', /does not parse as KEDA compiles it \(expr-lang\): unexpected end of formula at position 10/],
    ['trig_four * 2', /unknown name trig_four/],
    ['trig_one > 1', /gives a bool, but KEDA needs a number/],
    ['trig_one % 2', /invalid operation: % \(mismatched types float64 and int\)/],
    ['trig_one ? 1 : 2', /non-bool expression \(type float64\) used as condition/],
    // accepted by KEDA, but outside what the evaluator computes
    ['len(upper("ab")) + trig_one', /cannot be simulated: .*builtin upper\(\) at position 4/],
    ['"ab" matches "a" ? 1 : trig_one', /cannot be simulated: .*operator 'matches'/],
    ['len(toJSON(trig_one))', /cannot be simulated: .*builtin toJSON\(\)/],
    ['$env.trig_one', /cannot be simulated: .*\$env/],
  ])('%s', (formula, message) => {
    expect(() => new ScalingFormula(formula, TRIGGERS).evaluate(VALUES)).toThrow(message);
  });

  test.each([
    // accepted statically (types unknown), refused at run time as expr's VM refuses them
    ['first([trig_one]) % 2', /failed to evaluate .*invalid operation: % \(mismatched types float64 and int\)/],
    ['first([1]) % (first([0]))', /integer divide by zero/],
    ['first([trig_one]) ? 1 : 0', /non-bool 3 \(type float64\) used as condition/],
    ['first([]) ?? first([])', /gives nil \(nil\), but KEDA needs a number/],
    ['trig_one / (trig_two - 1)', /gives Infinity, which is not a finite number/],
    ['[1, 2][first([5])]', /index out of range: 5/],
    ['reduce(filter([trig_one], # > 10), #acc + #)', /reduce of an empty array with no initial value/],
    ['max(filter([trig_one], # > 10))', /not enough arguments to call max/],
    ['int(first(["x"]))', /int: cannot parse "x"/],
    ['first([trig_one]).a', /cannot fetch a from float64/],
    ['len(first([trig_one]))', /invalid argument for len \(type float64\)/],
    ['first(["a"]) < 1 ? 1 : 0', /invalid operation: < \(mismatched types string and int\)/],
    ['trig_one in first([1]) ? 1 : 0', /invalid operation: in \(mismatched types float64 and int\)/],
    ['sum(values(first([1])))', /cannot get values from int/],
  ])('%s', (formula, message) => {
    const f = new ScalingFormula(formula, TRIGGERS); // compiles: KEDA accepts it
    expect(() => f.evaluate(VALUES)).toThrow(message);
  });

  test('the parse tree follows expr precedence: unary minus binds below **, not below ==', () => {
    expect(parseFormula('-a ** 2')).toMatchObject({ kind: 'unary', op: '-', operand: { kind: 'binary', op: '**' } });
    expect(parseFormula('not a == b')).toMatchObject({ kind: 'binary', op: '==', left: { kind: 'unary', op: 'not' } });
    expect(parseFormula('a ?? b + 1')).toMatchObject({ kind: 'binary', op: '+', left: { kind: 'binary', op: '??' } });
    expect(parseFormula('a ** b ** c')).toMatchObject({ kind: 'binary', op: '**', left: { kind: 'name', name: 'a' }, right: { kind: 'binary', op: '**' } });
  });
});

describe('arithmetic over float64 trigger values matches IEEE arithmetic, with or without parentheses', () => {
  type Tree = { readonly leaf: string } | { readonly op: '+' | '-' | '*' | '/'; readonly l: Tree; readonly r: Tree };
  const PREC = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;
  const leaf = fc.constantFrom('trig_one', 'trig_two', 'trig_three', '2.5', '0.1');
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf.map((l) => ({ leaf: l })),
      fc.record({ op: fc.constantFrom('+', '-', '*', '/'), l: tie('t'), r: tie('t') }) as fc.Arbitrary<Tree>),
  })).t;
  const LEAVES: Record<string, number> = { ...VALUES, ...Object.fromEntries([['2.5', 2.5], ['0.1', 0.1]]) };
  const reference = (t: Tree): number => {
    if ('leaf' in t) return LEAVES[t.leaf];
    const a = reference(t.l); const b = reference(t.r);
    return t.op === '+' ? a + b : t.op === '-' ? a - b : t.op === '*' ? a * b : a / b;
  };
  const full = (t: Tree): string => ('leaf' in t ? t.leaf : `(${full(t.l)} ${t.op} ${full(t.r)})`);
  // Minimal parentheses: expr's + - * / are left-associative.
  const minimal = (t: Tree): string => {
    if ('leaf' in t) return t.leaf;
    const side = (c: Tree, right: boolean) => ('leaf' in c || PREC[c.op] > PREC[t.op] || (!right && PREC[c.op] === PREC[t.op]) ? minimal(c) : `(${minimal(c)})`);
    return `${side(t.l, false)} ${t.op} ${side(t.r, true)}`;
  };
  test('property', () => {
    fc.assert(fc.property(tree, (t) => {
      const want = reference(t);
      for (const text of [full(t), minimal(t)]) {
        const got = compileExpression(text, TRIGGERS).evaluateValue(VALUES);
        if (Number.isFinite(want)) expect(got).toBe(want); else expect(Number.isFinite(got as number)).toBe(false);
      }
    }), { numRuns: 300 });
  });
});
