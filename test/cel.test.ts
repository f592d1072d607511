/**
 * The CEL rules (`x-kubernetes-validations`) of the real DGD CRD, which a schema
 * validator does not run, evaluated with @bufbuild/cel against the library's output
 * as the API server does on create. Each rule that concerns what the library renders
 * is also shown to fail on a hand-made violating object, so the evaluation is real.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { DynamoApiVersion, DynamoGraphDeployment, ServiceRole } from '../src';
import { crdErrors, crdVersions, only } from './support';
import { collectRules, evaluateOnCreate, isTransitionRule, onCreate } from './support/cel';

const KIND = 'DynamoGraphDeployment';
const schemaOf = (version: string) => crdVersions().get(`nvidia.com/${version}|${KIND}`)!.schema;
const clone = (x: any) => JSON.parse(JSON.stringify(x));

/** A library DGD using every field the library renders, epp included. */
function libraryDgd(apiVersion: DynamoApiVersion): any {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', apiVersion, env: { HF_HOME: '/cache' } });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 2, image: 'img:1.5.1' });
  dgd.addService('Epp', { role: ServiceRole.EPP, image: 'epp:1.5.1' });
  dgd.addService('decode', {
    role: ServiceRole.DECODE,
    image: 'img:1.5.1',
    replicas: 0,
    resources: { limits: { gpu: 1 } },
    multinodeNodeCount: 2,
    podMetadata: { annotations: { 'nvidia.com/vllm-distributed-executor-backend': 'Ray' } },
    podSpec: {
      containers: [{ name: 'sidecar', image: 'busybox' }],
      initContainers: [{ name: 'init', image: 'busybox' }],
    },
  });
  // A custom tag with runtimeVersionOverride (Dynamo 1.5).
  dgd.addService('prefill', {
    role: ServiceRole.PREFILL, image: 'registry.example/vllm-runtime:my-build', runtimeVersionOverride: '1.5.1', scalingAdapter: true, replicas: 3,
  });
  dgd.addService('planner', { image: 'runtime:1.5.1', role: ServiceRole.PLANNER });
  // Dynamo's sidecar mode: the runtime is the native sidecar init container 'runtime'.
  dgd.addService('worker', {
    role: ServiceRole.WORKER,
    image: 'vllm/vllm-openai:latest',
    podSpec: { initContainers: [{ name: 'runtime', image: 'nvcr.io/nvidia/ai-dynamo/dynamo-sidecar:1.5.1', restartPolicy: 'Always' }] },
  });
  return only(Testing.synth(chart), KIND);
}

function failuresOf(version: string, manifest: any): string[] {
  return evaluateOnCreate(schemaOf(version), manifest).failures.map((f) => `${f.at}: ${f.rule.message} (${f.result})`);
}

describe('rule collection', () => {
  test.each(['v1alpha1', 'v1beta1'])('%s: rules are found by walking the schema; all parse and run', (version) => {
    const rules = collectRules(schemaOf(version));
    expect(rules.length).toBeGreaterThanOrEqual(10);
    // On an empty object every rule that applies at the root runs and none errors.
    const report = evaluateOnCreate(schemaOf(version), { apiVersion: `nvidia.com/${version}`, kind: KIND, metadata: { name: 'x' }, spec: {} });
    expect(report.failures).toEqual([]);
    expect(report.evaluated).toBe(1);
  });

  test('v1beta1: the rules on what the library renders are among them', () => {
    const rules = collectRules(schemaOf('v1beta1'));
    const at = (where: string) => rules.filter((r) => r.path === where).map((r) => r.message);
    expect(at('.spec')).toEqual(['spec.restart must be unset on create; set spec.restart.id after creation to request a restart']);
    expect(at('.spec.components')).toEqual(['at most one component may have type epp', 'component names must be unique case-insensitively']);
    expect(at('.spec.components[]')).toEqual([
      'eppConfig may only be set when type is epp',
      'minAvailable must be less than or equal to replicas unless replicas is 0',
      'minAvailable is immutable after creation',
    ]);
    expect(at('.spec.components[].podTemplate.spec.containers[]')).toEqual(['sidecar containers must specify a non-empty image']);
    expect(at('.spec.components[].podTemplate.spec.initContainers[]')).toEqual(['init containers must specify a non-empty image']);
  });

  test('transition rules: skipped on create unless optionalOldSelf, which runs with no old object', () => {
    const rules = collectRules(schemaOf('v1beta1'));
    const restart = rules.find((r) => r.path === '.spec')!;
    expect(restart.optionalOldSelf).toBe(true);
    expect(onCreate(restart)).toBe('false || !has(self.restart)');
    const immutable = rules.find((r) => r.message === 'minAvailable is immutable after creation')!;
    expect(isTransitionRule(immutable)).toBe(true);
    expect(onCreate(immutable)).toBeUndefined();
    expect(() => onCreate({ path: '.', rule: 'oldSelf.value().x == self.x', optionalOldSelf: true })).toThrow(/oldSelf is used beyond hasValue/);
  });
});

describe('library DGDs pass every rule that runs on create', () => {
  test.each([
    [DynamoApiVersion.V1ALPHA1, 'v1alpha1'],
    [DynamoApiVersion.V1BETA1, 'v1beta1'],
  ])('%s', (apiVersion, version) => {
    const dgd = libraryDgd(apiVersion);
    expect(crdErrors(dgd)).toEqual([]);
    const report = evaluateOnCreate(schemaOf(version), dgd);
    expect(report.failures).toEqual([]);
    // Not vacuous: per-component rules ran once per component, and transition rules
    // that need an old object were skipped rather than passed.
    const perComponent = version === 'v1beta1' ? 5 * 2 : 5 * 1;
    expect(report.evaluated).toBeGreaterThanOrEqual(1 + perComponent);
    expect(report.skipped.map((r) => r.message)).toContain('minAvailable is immutable after creation');
  });

  test('v1beta1: the sidecar, init-container and annotation rules ran on the escape-hatch content', () => {
    const dgd = libraryDgd(DynamoApiVersion.V1BETA1);
    const decode = dgd.spec.components.find((c: any) => c.name === 'decode');
    expect(decode.podTemplate.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    decode.podTemplate.spec.containers[1].image = '';
    decode.podTemplate.spec.initContainers[0].image = '';
    decode.podTemplate.metadata.annotations['nvidia.com/vllm-distributed-executor-backend'] = 'threads';
    expect(failuresOf('v1beta1', dgd)).toEqual([
      '.spec.components[2].podTemplate.metadata.annotations: podTemplate backend annotation must be mp or ray, case-insensitively (false)',
      '.spec.components[2].podTemplate.spec.containers[1]: sidecar containers must specify a non-empty image (false)',
      '.spec.components[2].podTemplate.spec.initContainers[0]: init containers must specify a non-empty image (false)',
    ]);
  });
});

describe('each rule can fail (hand-made violating objects)', () => {
  const beta = () => clone(libraryDgd(DynamoApiVersion.V1BETA1));
  const alpha = () => clone(libraryDgd(DynamoApiVersion.V1ALPHA1));

  test('spec.restart set on create (both versions)', () => {
    const b = beta();
    b.spec.restart = { id: 'r1' };
    expect(failuresOf('v1beta1', b)).toEqual([expect.stringMatching(/^\.spec: spec\.restart must be unset on create/)]);
    const a = alpha();
    a.spec.restart = { id: 'r1' };
    expect(failuresOf('v1alpha1', a)).toEqual([expect.stringMatching(/^\.spec: spec\.restart must be unset on create/)]);
  });

  test('two epp components', () => {
    const b = beta();
    b.spec.components.push({ name: 'epp2', type: 'epp' });
    expect(failuresOf('v1beta1', b)).toEqual(['.spec.components: at most one component may have type epp (false)']);
  });

  test('component names that differ only by case', () => {
    const b = beta();
    b.spec.components.push({ name: 'DECODE', type: 'worker' });
    expect(crdErrors(b)).toEqual([]);
    expect(failuresOf('v1beta1', b)).toEqual(['.spec.components: component names must be unique case-insensitively (false)']);
  });

  test('minAvailable above replicas, and above the default of 1 (both versions)', () => {
    const b = beta();
    const frontend = b.spec.components.find((c: any) => c.name === 'Frontend');
    frontend.minAvailable = 3;
    expect(failuresOf('v1beta1', b)).toEqual(['.spec.components[0]: minAvailable must be less than or equal to replicas unless replicas is 0 (false)']);
    frontend.minAvailable = 2;
    expect(failuresOf('v1beta1', b)).toEqual([]);
    // An adapter-managed service renders no replicas, so the rule compares with 1.
    const prefill = b.spec.components.find((c: any) => c.name === 'prefill');
    expect(prefill.replicas).toBeUndefined();
    prefill.minAvailable = 2;
    expect(failuresOf('v1beta1', b)).toEqual(['.spec.components[3]: minAvailable must be less than or equal to replicas unless replicas is 0 (false)']);
    prefill.minAvailable = 1;
    // replicas 0 exempts the component.
    b.spec.components.find((c: any) => c.name === 'decode').minAvailable = 5;
    expect(failuresOf('v1beta1', b)).toEqual([]);
    const a = alpha();
    a.spec.services.Frontend.minAvailable = 3;
    expect(failuresOf('v1alpha1', a)).toEqual(['.spec.services.Frontend: minAvailable must be less than or equal to replicas unless replicas is 0 (false)']);
  });

  test('eppConfig on a component that is not epp; both configMapRef and config on the epp', () => {
    const b = beta();
    b.spec.components.find((c: any) => c.name === 'prefill').eppConfig = { configMapRef: { name: 'cm' } };
    expect(failuresOf('v1beta1', b)).toEqual(['.spec.components[3]: eppConfig may only be set when type is epp (false)']);
    const c = beta();
    c.spec.components.find((x: any) => x.name === 'Epp').eppConfig = { configMapRef: { name: 'cm' }, config: { plugins: [], schedulingProfiles: [] } };
    expect(failuresOf('v1beta1', c)).toEqual(['.spec.components[1].eppConfig: exactly one of configMapRef or config must be specified (false)']);
  });

  test('v1alpha1 sharedMemory size (needs the quantity() shim)', () => {
    const a = alpha();
    a.spec.services.Frontend.sharedMemory = { size: '0' };
    expect(failuresOf('v1alpha1', a)).toEqual(['.spec.services.Frontend.sharedMemory: size is required when disabled is false (false)']);
    a.spec.services.Frontend.sharedMemory = { size: '8Gi' };
    expect(failuresOf('v1alpha1', a)).toEqual([]);
    a.spec.services.Frontend.sharedMemory = { disabled: true };
    expect(failuresOf('v1alpha1', a)).toEqual([]);
  });
});

describe('every DGD of every example app passes the CEL rules on create', () => {
  const dir = path.resolve(__dirname, '..', 'examples');
  const dgdsOf = (name: string): any[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, name));
    const app = Testing.app();
    mod.build(app);
    return app.charts.flatMap((c) => Testing.synth(c)).filter((m) => m.kind === KIND);
  };
  const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort()
    .filter((name) => dgdsOf(name).length > 0);

  test('most examples have a DGD', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  test.each(examples)('%s', (name) => {
    for (const dgd of dgdsOf(name)) {
      const version = dgd.apiVersion.split('/')[1];
      expect(failuresOf(version, dgd)).toEqual([]);
    }
  });
});
