/**
 * The CRD validator in ./support is itself under test: a validator that cannot fail
 * proves nothing. Each rule of the real schemas it enforces (pruning, types, enums,
 * int-or-string, list-map keys, embedded objects, metadata) is shown to reject a bad
 * manifest and to accept the library's own output.
 */
import { Chart, Testing } from 'cdk8s';
import { DynamoApiVersion, DynamoGraphDeployment, ServiceRole } from '../src';
import { compileCrdSchema, crdErrors, crdVersions, hasCrd, only, validatorFor } from './support';

const DGD = 'DynamoGraphDeployment';

/** A DGD from the library with most features in use, as plain JSON. */
function libraryDgd(apiVersion: DynamoApiVersion): any {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', {
    name: 'my.llm', apiVersion, env: { HF_HOME: '/cache' }, labels: { team: 'ml' }, annotations: { 'example.com/owner': 'ml' },
  });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 2, image: 'img:1.5.1' });
  dgd.addService('decode', {
    role: ServiceRole.DECODE,
    image: 'img:1.5.1',
    command: ['python3', '-m', 'dynamo.vllm'],
    args: ['--model', 'Qwen/Qwen3-0.6B'],
    env: { A: '1' },
    envFromSecret: 'hf-token-secret',
    resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { gpu: 2, custom: { 'ephemeral-storage': '2Gi' } } },
    scalingAdapter: true,
    multinodeNodeCount: 2,
    podMetadata: { labels: { tier: 'gpu' } },
    podSpec: { volumes: [{ name: 'cache', emptyDir: {} }], containers: [{ name: 'sidecar', image: 'busybox' }] },
    mainContainer: { volumeMounts: [{ name: 'cache', mountPath: '/cache' }] },
  });
  dgd.addService('prefill', { image: 'runtime:1.5.1', role: ServiceRole.PREFILL, replicas: 0 });
  return only(Testing.synth(chart), DGD);
}

const clone = (x: any) => JSON.parse(JSON.stringify(x));
const alpha = () => libraryDgd(DynamoApiVersion.V1ALPHA1);
const beta = () => libraryDgd(DynamoApiVersion.V1BETA1);
const betaMain = (m: any) => m.spec.components.find((c: any) => c.name === 'decode').podTemplate.spec.containers[0];

describe('the library output validates', () => {
  test('v1alpha1 and v1beta1 DGDs from the library have no schema errors', () => {
    const a = alpha();
    const b = beta();
    expect(a.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(b.apiVersion).toBe('nvidia.com/v1beta1');
    expect(crdErrors(a)).toEqual([]);
    expect(crdErrors(b)).toEqual([]);
  });

  test('both versions are served by the v1.5 CRD; the DGDSA too', () => {
    for (const v of ['v1alpha1', 'v1beta1']) {
      expect(crdVersions().get(`nvidia.com/${v}|${DGD}`)?.served).toBe(true);
      expect(crdVersions().get(`nvidia.com/${v}|DynamoGraphDeploymentScalingAdapter`)?.served).toBe(true);
    }
  });

  test('a kind without a CRD here is an error, not a silent pass', () => {
    expect(hasCrd({ apiVersion: 'nvidia.com/v2', kind: DGD })).toBe(false);
    expect(() => crdErrors({ apiVersion: 'nvidia.com/v2', kind: DGD, metadata: { name: 'x' } })).toThrow(/no CRD for nvidia.com\/v2 DynamoGraphDeployment/);
  });
});

describe('unknown (pruned) fields are rejected at every depth', () => {
  const cases: Array<[string, () => any, (m: any) => void, RegExp]> = [
    ['top level', alpha, (m) => { m.status2 = {}; }, /DynamoGraphDeployment\/my\.llm: must NOT have additional properties 'status2' \(pruned/],
    ['metadata', alpha, (m) => { m.metadata.lables = {}; }, /\/metadata: must NOT have additional properties 'lables'/],
    ['spec (v1beta1 has no pvcs)', beta, (m) => { m.spec.pvcs = []; }, /\/spec: must NOT have additional properties 'pvcs'/],
    ['spec (v1beta1 has no envs)', beta, (m) => { m.spec.envs = []; }, /\/spec: must NOT have additional properties 'envs'/],
    ['v1alpha1 service', alpha, (m) => { m.spec.services.decode.scaling = {}; }, /\/spec\/services\/decode: must NOT have additional properties 'scaling'/],
    ['v1beta1 component (no dynamoNamespace)', beta, (m) => { m.spec.components[0].dynamoNamespace = 'x'; }, /\/spec\/components\/0: must NOT have additional properties 'dynamoNamespace'/],
    ['v1beta1 component (no subComponentType)', beta, (m) => { m.spec.components[1].subComponentType = 'decode'; }, /\/spec\/components\/1: must NOT have additional properties 'subComponentType'/],
    ['v1alpha1 scalingAdapter', alpha, (m) => { m.spec.services.decode.scalingAdapter.disable = true; }, /\/spec\/services\/decode\/scalingAdapter: must NOT have additional properties 'disable'/],
    ['v1alpha1 mainContainer', alpha, (m) => { m.spec.services.decode.extraPodSpec.mainContainer.imagee = 'x'; }, /\/extraPodSpec\/mainContainer: must NOT have additional properties 'imagee'/],
    ['v1alpha1 resources.limits', alpha, (m) => { m.spec.services.decode.resources.limits['nvidia.com/gpu'] = '1'; }, /\/resources\/limits: must NOT have additional properties 'nvidia.com\/gpu'/],
    ['v1beta1 container volumeMount', beta, (m) => { betaMain(m).volumeMounts[0].mountpath = '/x'; }, /\/podTemplate\/spec\/containers\/0\/volumeMounts\/0: must NOT have additional properties 'mountpath'/],
    ['v1beta1 pod template metadata', beta, (m) => { m.spec.components[1].podTemplate.metadata.labelz = {}; }, /\/podTemplate\/metadata: must NOT have additional properties 'labelz'/],
  ];
  test.each(cases)('%s', (_name, base, mutate, message) => {
    const m = clone(base());
    expect(crdErrors(m)).toEqual([]);
    mutate(m);
    const errors = crdErrors(m);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test('x-kubernetes-preserve-unknown-fields keeps unknown fields (epp config)', () => {
    const m = clone(beta());
    m.spec.components.push({ name: 'epp', type: 'epp', eppConfig: { config: { plugins: [], schedulingProfiles: [], anything: { goes: [1, 'two'] } } } });
    expect(crdErrors(m)).toEqual([]);
    m.spec.components[3].eppConfig.other = 1;
    expect(crdErrors(m)).toEqual([expect.stringMatching(/\/spec\/components\/3\/eppConfig: must NOT have additional properties 'other'/)]);
  });
});

describe('wrong types and values are rejected', () => {
  const cases: Array<[string, () => any, (m: any) => void, RegExp]> = [
    ['replicas as a string', alpha, (m) => { m.spec.services.Frontend.replicas = '2'; }, /\/spec\/services\/Frontend\/replicas: must be integer/],
    ['replicas not an integer', beta, (m) => { m.spec.components[0].replicas = 1.5; }, /\/spec\/components\/0\/replicas: must be integer/],
    ['replicas negative', beta, (m) => { m.spec.components[0].replicas = -1; }, /\/spec\/components\/0\/replicas: must be >= 0/],
    ['v1alpha1 gpu as a number (the CRD types it as a string)', alpha, (m) => { m.spec.services.decode.resources.limits.gpu = 2; }, /\/resources\/limits\/gpu: must be string/],
    ['scalingAdapter.enabled as a string', alpha, (m) => { m.spec.services.decode.scalingAdapter.enabled = 'true'; }, /\/scalingAdapter\/enabled: must be boolean/],
    ['v1beta1 component type not in the enum', beta, (m) => { m.spec.components[0].type = 'Frontend'; }, /\/spec\/components\/0\/type: must be equal to one of the allowed values/],
    ['backendFramework not in the enum', alpha, (m) => { m.spec.backendFramework = 'tgi'; }, /\/spec\/backendFramework: must be equal to one of the allowed values/],
    ['components as a map', beta, (m) => { m.spec.components = { Frontend: {} }; }, /\/spec\/components: must be array/],
    ['component without a name', beta, (m) => { delete m.spec.components[0].name; }, /\/spec\/components\/0: must have required property 'name'/],
    ['component name with an underscore', beta, (m) => { m.spec.components[0].name = 'front_end'; }, /\/spec\/components\/0\/name: must match pattern/],
    ['multinode nodeCount 1', alpha, (m) => { m.spec.services.decode.multinode.nodeCount = 1; }, /\/multinode\/nodeCount: must be >= 2/],
    ['container env value not a string', beta, (m) => { betaMain(m).env[0].value = 1; }, /\/containers\/0\/env\/0\/value: must be string/],
  ];
  test.each(cases)('%s', (_name, base, mutate, message) => {
    const m = clone(base());
    mutate(m);
    expect(crdErrors(m)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('int-or-string quantities: integers and quantity strings pass, other types and malformed strings fail', () => {
    const m = clone(beta());
    betaMain(m).resources.limits['nvidia.com/gpu'] = 2;
    expect(crdErrors(m)).toEqual([]);
    betaMain(m).resources.limits['nvidia.com/gpu'] = '2';
    expect(crdErrors(m)).toEqual([]);
    betaMain(m).resources.limits['nvidia.com/gpu'] = true;
    expect(crdErrors(m)).toEqual(expect.arrayContaining([expect.stringMatching(/\/resources\/limits\/nvidia.com~1gpu: must be (integer|string)/)]));
    betaMain(m).resources.limits['nvidia.com/gpu'] = '2 GPUs';
    expect(crdErrors(m)).toEqual(expect.arrayContaining([expect.stringMatching(/\/resources\/limits\/nvidia.com~1gpu: must match pattern/)]));
  });

  test('more than 25 services or components', () => {
    const a = clone(alpha());
    for (let i = 0; i < 23; i++) a.spec.services[`w${i}`] = { componentType: 'worker' };
    expect(crdErrors(a)).toEqual([expect.stringMatching(/\/spec\/services: must NOT have more than 25 properties/)]);
    const b = clone(beta());
    for (let i = 0; i < 23; i++) b.spec.components.push({ name: `w${i}`, type: 'worker' });
    expect(crdErrors(b)).toEqual([expect.stringMatching(/\/spec\/components: must NOT have more than 25 items/)]);
  });
});

describe('list-type map and set are enforced as the API server does', () => {
  test('two components with the same name', () => {
    const m = clone(beta());
    m.spec.components.push({ name: 'decode', type: 'worker' });
    expect(crdErrors(m)).toEqual([expect.stringMatching(/\/spec\/components: has two items with the same name \["decode"\]/)]);
  });

  test('two containers named alike, two env vars named alike', () => {
    const m = clone(beta());
    const pod = m.spec.components.find((c: any) => c.name === 'decode').podTemplate.spec;
    pod.containers.push({ name: 'sidecar', image: 'other' });
    expect(crdErrors(m)).toEqual([expect.stringMatching(/\/podTemplate\/spec\/containers: has two items with the same name \["sidecar"\]/)]);
    pod.containers.pop();
    betaMain(m).env.push({ name: 'A', value: '2' });
    expect(crdErrors(m)).toEqual([expect.stringMatching(/\/containers\/0\/env: has two items with the same name \["A"\]/)]);
  });

  test('ports: a missing protocol defaults to TCP before the key check', () => {
    const m = clone(beta());
    betaMain(m).ports = [{ containerPort: 8000 }, { containerPort: 8000, protocol: 'UDP' }];
    expect(crdErrors(m)).toEqual([]);
    betaMain(m).ports.push({ containerPort: 8000, protocol: 'TCP' });
    expect(crdErrors(m)).toEqual([expect.stringMatching(/\/ports: has two items with the same containerPort\+protocol \[8000,"TCP"\]/)]);
  });

  test('list-type set: duplicate items', () => {
    const v = compileCrdSchema({ type: 'object', properties: { s: { 'type': 'array', 'items': { type: 'string' }, 'x-kubernetes-list-type': 'set' } } });
    expect(v({ apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x' }, s: ['a', 'b'] })).toBe(true);
    expect(v({ apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x' }, s: ['a', 'a'] })).toBe(false);
  });
});

describe('metadata', () => {
  const cases: Array<[string, (m: any) => void, RegExp]> = [
    ['name upper case', (m) => { m.metadata.name = 'My-LLM'; }, /\/metadata\/name: must match pattern/],
    ['name with an underscore', (m) => { m.metadata.name = 'my_llm'; }, /\/metadata\/name: must match pattern/],
    ['name too long', (m) => { m.metadata.name = 'a'.repeat(254); }, /\/metadata\/name: must NOT have more than 253 characters/],
    ['no name', (m) => { delete m.metadata.name; }, /\/metadata: must have required property 'name'/],
    ['namespace with a dot', (m) => { m.metadata.namespace = 'a.b'; }, /\/metadata\/namespace: must match pattern/],
    ['label value with a space', (m) => { m.metadata.labels.team = 'm l'; }, /\/metadata\/labels\/team: must match pattern/],
    ['label value too long', (m) => { m.metadata.labels.team = 'x'.repeat(64); }, /\/metadata\/labels\/team: must NOT have more than 63 characters/],
    ['label key with two slashes', (m) => { m.metadata.labels['a/b/c'] = 'x'; }, /\/metadata\/labels: property name must be valid/],
    ['annotation key with a space', (m) => { m.metadata.annotations['a b'] = 'x'; }, /\/metadata\/annotations: property name must be valid/],
  ];
  test.each(cases)('%s', (_name, mutate, message) => {
    for (const base of [alpha, beta]) {
      const m = clone(base());
      mutate(m);
      expect(crdErrors(m)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    }
  });
});

describe('schema translation', () => {
  const compile = (props: any) => compileCrdSchema({ type: 'object', properties: props });
  const obj = (extra: any) => ({ apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x' }, ...extra });

  test('nullable admits null only where declared', () => {
    const v = compile({ a: { type: 'string', nullable: true }, b: { type: 'string' } });
    expect(v(obj({ a: null }))).toBe(true);
    expect(v(obj({ b: null }))).toBe(false);
  });

  test('x-kubernetes-int-or-string admits integers and strings only', () => {
    const v = compile({ p: { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] } });
    expect(v(obj({ p: 8080 }))).toBe(true);
    expect(v(obj({ p: 'http' }))).toBe(true);
    expect(v(obj({ p: 1.5 }))).toBe(false);
    expect(v(obj({ p: {} }))).toBe(false);
  });

  test('an object without properties prunes everything unless it preserves unknown fields', () => {
    const v = compile({ pruned: { type: 'object' }, kept: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    expect(v(obj({ kept: { x: 1 } }))).toBe(true);
    expect(v(obj({ pruned: { x: 1 } }))).toBe(false);
  });

  test('an embedded resource needs apiVersion and kind, and its metadata is ObjectMeta', () => {
    const v = compile({
      e: { 'type': 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
    });
    expect(v(obj({ e: { apiVersion: 'nvidia.com/v1beta1', kind: DGD, metadata: { name: 'x' }, spec: { anything: 1 } } }))).toBe(true);
    expect(v(obj({ e: { kind: DGD } }))).toBe(false);
    expect(v(obj({ e: { apiVersion: 'nvidia.com/v1beta1', kind: DGD, metadata: { name: 'X_Y' } } }))).toBe(false);
  });

  test('the DGDR override DGD is checked as an embedded object', () => {
    const validate = validatorFor('nvidia.com/v1beta1', 'DynamoGraphDeploymentRequest');
    expect(validate).toBeDefined();
    const dgdr = (dgd: any) => ({ apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: { name: 'r' }, spec: { model: 'Qwen/Qwen3-0.6B', overrides: { dgd } } });
    expect(crdErrors(dgdr({ apiVersion: 'nvidia.com/v1beta1', kind: DGD, spec: { components: [] } }))).toEqual([]);
    expect(crdErrors(dgdr({ spec: {} }))).toEqual(expect.arrayContaining([expect.stringMatching(/\/spec\/overrides\/dgd: must have required property 'apiVersion'/)]));
  });
});
