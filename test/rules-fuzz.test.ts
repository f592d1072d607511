/**
 * The engine never throws on malformed input: any field of a valid manifest set replaced
 * by a value of another type (or removed) still yields a result, so the lint command can
 * report instead of crashing.
 */
import * as fc from 'fast-check';
import { CASES } from './rules-cases';
import { checkManifests } from '../src/rules';

/** Every path (list of keys) inside a JSON value. */
function paths(value: any, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, any]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: any, path: Array<string | number>, value: unknown, remove: boolean): any {
  if (path.length === 0) return value;
  let cur = root;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const last = path[path.length - 1];
  if (remove && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
  return root;
}

const SETS = CASES.flatMap((c) => [c.good(), c.bad()]);

const odd = fc.oneof(
  fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.boolean(), fc.string(),
  fc.constant([]), fc.constant({}), fc.array(fc.string(), { maxLength: 3 }), fc.constant(2 ** 53), fc.constant('x'.repeat(300)),
);

describe('malformed input', () => {
  test('any field replaced or removed: a result, never an exception', () => {
    fc.assert(fc.property(fc.nat(SETS.length - 1), fc.nat(), odd, fc.boolean(), (setIndex, pick, value, remove) => {
      const set = JSON.parse(JSON.stringify(SETS[setIndex]));
      const all = paths(set).filter((p) => p.length > 0);
      const target = all[pick % all.length];
      const mutated = setAt(set, target, value, remove);
      const r = checkManifests((Array.isArray(mutated) ? mutated : [mutated]).map((manifest: any) => ({ manifest })));
      expect(r.checked + r.unknown).toBeGreaterThanOrEqual(0);
      for (const f of r.findings) expect(typeof f.message).toBe('string');
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 1500) });
  });
});
