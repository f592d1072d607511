/**
 * Property test for DGDs at the edges (issue 13): random DGD names up to 253 characters,
 * service names up to 63, replica and node counts around the int32 edge, images with and
 * without a version tag, overrides, every release. Either the DGD synthesizes and the
 * output is what the real systems accept (CRD schema and CEL, the derived names, a 1.5
 * operator's admission read back from the YAML), or construction fails with the
 * library's own message naming the construct path and the field.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DynamoApiVersion, DynamoGraphDeployment, DynamoNames, DynamoRelease, ServiceRole } from '../src';
import { crdErrors, crdVersions } from './support';
import { evaluateOnCreate } from './support/cel';
import { dgdComponents } from '../src/core/dgd-components';
import { groveNameLengthProblem } from '../src/core/grove';
import { holdsIn, RELEASE_RULES } from '../src/core/release-rules';
import { runtimeVersionProblems } from '../src/core/runtime-version';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 80);
const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
const label = (min: number, max: number) => fc.tuple(
  fc.constantFrom(...lower),
  fc.string({ unit: fc.constantFrom(...(lower + '-')), minLength: Math.max(0, min - 2), maxLength: Math.max(0, max - 2) }),
  fc.constantFrom(...lower),
).map(([a, mid, z]) => a + mid + z);
/** DNS subdomains from 1 to 253 characters, short ones more often. */
const dgdName = fc.oneof(
  { weight: 3, arbitrary: label(2, 12) },
  {
    weight: 1,
    arbitrary: fc.array(label(2, 63), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('.').slice(0, 253).replace(/[-.]+$/, '')).filter((n) => n.length > 0),
  },
);
const serviceName = fc.oneof({ weight: 4, arbitrary: label(2, 10) }, { weight: 1, arbitrary: label(30, 63) });
/** Mostly good values, sometimes one at or past an edge. */
const mostly = <T>(good: fc.Arbitrary<T>, edge: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: edge });
const int32Edge = fc.constantFrom(0, 2, 2 ** 31 - 1, 2 ** 31, 1e12, -1);
const image = mostly(
  fc.constantFrom('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1', 'runtime:v1.5.0-cuda13'),
  fc.constantFrom('runtime:1.4.2', 'runtime:latest', 'runtime:my-tag', 'runtime@sha256:00', 'runtime', undefined),
);
const service = fc.record({
  name: serviceName,
  role: mostly(
    fc.constantFrom(ServiceRole.FRONTEND, ServiceRole.WORKER, ServiceRole.PREFILL, ServiceRole.DECODE),
    fc.constantFrom(ServiceRole.PLANNER, ServiceRole.EPP),
  ),
  replicas: mostly(fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }), int32Edge),
  nodeCount: mostly(fc.constant(undefined), int32Edge),
  image,
  override: mostly(fc.constant(undefined), fc.constantFrom('1.5.1', '1.4.0', '1.5')),
});
const composition = fc.record({
  name: dgdName,
  version: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
  release: fc.constantFrom(...DynamoRelease.all()),
  grove: fc.boolean(),
  services: fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => s.name.toLowerCase() }),
});

/** `[path] 'field' (value): rule`, or a rule's `[path] DYNxxx Kind ns/name: field = value: text`. */
const LIBRARY_ERROR = /^\[[^\]]+\] ('[^']+' \(.*\)|DYN\d{3} \S+ \S+: \S+.*): \S/s;
const schemaOf = (version: string) => crdVersions().get(`nvidia.com/${version}|DynamoGraphDeployment`)!.schema;

test('a DGD either synthesizes to what the real systems accept, or fails naming the construct and the field', () => {
  let built = 0;
  fc.assert(fc.property(composition, (c) => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    let manifest: any;
    try {
      const dgd = new DynamoGraphDeployment(chart, 'dgd', {
        name: c.name,
        apiVersion: c.version,
        release: c.release,
        annotations: c.grove ? undefined : { 'nvidia.com/enable-grove': 'false' },
      });
      for (const s of c.services) {
        dgd.addService(s.name, {
          role: s.role, replicas: s.replicas, multinodeNodeCount: s.nodeCount, image: s.image, runtimeVersionOverride: s.override,
        });
      }
      manifest = Testing.synth(chart).find((m) => m.kind === 'DynamoGraphDeployment');
    } catch (e: any) {
      expect(e.name).toBe('DynamoValidationError');
      expect(e.message).toMatch(LIBRARY_ERROR);
      return;
    }
    built += 1;
    expect(crdErrors(manifest)).toEqual([]);
    expect(evaluateOnCreate(schemaOf(c.version), manifest).failures).toEqual([]);
    const components = dgdComponents(manifest);
    for (const comp of components) {
      const adapter = DynamoNames.adapterName(c.name, comp.name);
      expect(adapter.length + 9).toBeLessThanOrEqual(253);
      if (holdsIn(RELEASE_RULES.runtimeVersionResolvable, c.release)) expect(runtimeVersionProblems(comp)).toEqual([]);
      if (holdsIn(RELEASE_RULES.groveNameLengthAllComponents, c.release) && c.grove) {
        expect(groveNameLengthProblem(c.name, components, comp)).toBeUndefined();
      }
      for (const field of ['replicas', 'multinode'] as const) {
        const v = field === 'replicas' ? manifestValue(manifest, comp.path, 'replicas') : comp.nodeCount;
        if (v !== undefined) expect(v).toBeLessThanOrEqual(2147483647);
      }
    }
  }), { numRuns: RUNS, seed: 15 });
  // The property must not hold vacuously: some compositions build.
  expect(built).toBeGreaterThan(RUNS / 10);
});

function manifestValue(manifest: any, path: string, key: string): any {
  const m = /^spec\.services\.(.+)$/.exec(path);
  if (m) return manifest.spec.services[m[1]][key];
  return manifest.spec.components[Number(/\[(\d+)\]/.exec(path)![1])][key];
}
