// How the checker speed in BENCH.md was measured. Run from the repository root:
//   git show main:src/core/expr.ts > /tmp/expr-old.ts
//   npx ts-node --transpile-only scripts/bench-expr.ts /tmp/expr-old.ts $PWD/src/core/expr.ts
//   ACCEPTED_ONLY=1 npx ts-node --transpile-only scripts/bench-expr.ts /tmp/expr-old.ts $PWD/src/core/expr.ts
/* eslint-disable */
// Loads both implementations in one process and alternates them, so machine load hits both alike.
const mods = process.argv.slice(2).map((p) => [p, require(p)] as const);
const TRIGGERS = ['trig_one', 'trig_two', 'trig_three'];
const ALL_FORMULAS = [
  '(trig_one + trig_two)/2',
  'trig_one > 2 ? trig_one : trig_two',
  'count([trig_one,trig_two,trig_three],{#>1}) > 1 ? 5 : 0',
  'trig_one < 2 ? trig_one + trig_two >= 2 ? 5 : 10 : 0',
  'max(trig_one, trig_two, 10)',
  'let x = trig_one * 2; x + 1',
  'if trig_one > 10 { 1 } else if trig_one > 2 { 2 } else { 3 }',
  'sum([trig_one, trig_two], # * 2)',
  '[trig_one, trig_two] | map(# + 1) | sum()',
  'float(trig_one) / 2 + abs(trig_two - trig_three) * 1_000 + 1e3',
  'trig_four * 2',
  'trig_one +',
  'trig_one % 2',
];
// ACCEPTED_ONLY=1: leave out the last three (refused: the error path costs an Error's stack trace).
const FORMULAS = process.env.ACCEPTED_ONLY ? ALL_FORMULAS.slice(0, -3) : ALL_FORMULAS;
const ROUNDS = 1000;
function run(m: any) { let k = 0; for (let r = 0; r < ROUNDS; r++) for (const f of FORMULAS) if (m.formulaProblem(f, TRIGGERS) === undefined) k++; return k; }
for (const [, m] of mods) run(m), run(m);
const samples = mods.map(() => [] as number[]);
for (let s = 0; s < 25; s++) mods.forEach(([, m], i) => { const t0 = process.hrtime.bigint(); run(m); samples[i].push(Number(process.hrtime.bigint() - t0) / 1e6); });
const calls = ROUNDS * FORMULAS.length;
mods.forEach(([p], i) => { const x = samples[i].sort((a, b) => a - b); console.log(`${p}: min ${(x[0] * 1000 / calls).toFixed(2)} us/check, median ${(x[12] * 1000 / calls).toFixed(2)} us/check (${FORMULAS.length} formulas x ${ROUNDS}, 25 samples)`); });
