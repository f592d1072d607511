/**
 * The shortcuts taken for synthesis speed give the answers of the full computations.
 */
import { componentNameBudget, groveNameLength, MAX_COMBINED_GROVE_NAME_LENGTH, groveNameLengthProblem } from '../src/core/grove';
import { identityKey, ObjectIdentity, sharedIdentities } from '../src/core/identity';
import { parseImageRuntimeVersion } from '../src/core/runtime-version';

describe('sharedIdentities groups by name first, then by identity', () => {
  const o = (kind: string, name: string, namespace?: string, apiVersion = 'v1'): ObjectIdentity => ({ apiVersion, kind, name, namespace, path: `${kind}/${name}` });

  test('groups in the order of their first object, objects in input order; same name of another kind or namespace is not shared', () => {
    const objects = [
      o('ConfigMap', 'b', 'ns'), o('ConfigMap', 'a', 'ns'), o('Secret', 'a', 'ns'), o('ConfigMap', 'a', 'other'),
      o('ConfigMap', 'b', 'ns'), o('ConfigMap', 'a', 'ns'), o('ConfigMap', 'b', 'ns'), o('Namespace', 'x', 'ns1'), o('Namespace', 'x', 'ns2'),
    ];
    const groups = sharedIdentities(objects);
    expect(groups.map((g) => g.key)).toEqual(['|ConfigMap|ns|b', '|ConfigMap|ns|a', '|Namespace||x']);
    expect(groups[0].objects).toEqual([objects[0], objects[4], objects[6]]);
    expect(groups[1].objects).toEqual([objects[1], objects[5]]);
    expect(groups[2].objects).toEqual([objects[7], objects[8]]);
  });

  test('the same result as grouping every object by its identity key', () => {
    const kinds = ['ConfigMap', 'Secret', 'HorizontalPodAutoscaler'];
    const objects: ObjectIdentity[] = [];
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let i = 0; i < 400; i++) {
      objects.push(o(kinds[rand(3)], `n${rand(40)}`, `ns${rand(3)}`, rand(2) ? 'autoscaling/v2' : 'autoscaling/v1'));
    }
    const byKey = new Map<string, ObjectIdentity[]>();
    for (const x of objects) byKey.set(identityKey(x), [...(byKey.get(identityKey(x)) ?? []), x]);
    const expected = [...byKey.entries()].filter(([, l]) => l.length > 1).map(([key, list]) => ({ key, objects: list }));
    expect(sharedIdentities(objects)).toEqual(expected);
  });
});

describe("Grove's name budget: the shortcut when the DGD and component names fit", () => {
  test('no problem exactly when the full computation finds none', () => {
    for (const dgd of ['llm', 'a'.repeat(20), 'b'.repeat(40), 'my-llm-deployment']) {
      for (let len = 1; len <= 50; len++) {
        for (const nodeCount of [undefined, 2]) {
          const c = { name: 's'.repeat(len), nodeCount };
          const components = [{ name: 'frontend' }, c];
          const full = groveNameLength(dgd, components, c).length > MAX_COMBINED_GROVE_NAME_LENGTH;
          expect(groveNameLengthProblem(dgd, components, c) !== undefined).toBe(full);
          if (dgd.length + componentNameBudget(c) <= MAX_COMBINED_GROVE_NAME_LENGTH) expect(full).toBe(false);
        }
      }
    }
  });
});

describe('the image tag parse is memoized', () => {
  test('the same answer each time, and answers cannot be changed by a caller', () => {
    const first = parseImageRuntimeVersion('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1');
    const again = parseImageRuntimeVersion('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1');
    expect(again).toBe(first);
    expect(first.version).toEqual({ major: 1, minor: 5, patch: 1 });
    expect(Object.isFrozen(first) && Object.isFrozen(first.version)).toBe(true);
    expect(parseImageRuntimeVersion('runtime:latest').error).toMatch(/"latest" must contain a semantic version/);
  });

  test('answers stay right past the cache bound (the cache is cleared when full)', () => {
    for (let i = 0; i < 3000; i++) expect(parseImageRuntimeVersion(`r:${i}.0.0`).version?.major).toBe(i);
    expect(parseImageRuntimeVersion('r:1.2.3').version).toEqual({ major: 1, minor: 2, patch: 3 });
  });
});
