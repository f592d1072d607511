/**
 * Offline v1alpha1 <-> v1beta1 conversion: Dynamo's own examples convert into DGDs the
 * 1.5 CRD accepts (schema and CEL), the operator's field mapping holds field by field,
 * every field without a place in the target is reported, other documents pass through,
 * autoscalers follow their DGD's version, and v1alpha1 -> v1beta1 -> v1alpha1 is lossless
 * for the fields both versions have (property test).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { DynamoApiVersion, DynamoLint } from '../src';
import { crdErrors, crdVersions, FIXTURES, loadUpstream, only } from './support';
import { evaluateOnCreate } from './support/cel';
import { ConversionLoss, convertDgd } from '../src/convert/convert';
import { convertYamlStream } from '../src/convert/stream';

const DGD = 'DynamoGraphDeployment';
const BETA = DynamoApiVersion.V1BETA1;
const ALPHA = DynamoApiVersion.V1ALPHA1;
const ALPHA_FIXTURES = [
  'dynamo-v1alpha1/sglang/agg.yaml',
  'dynamo-v1alpha1/sglang/disagg.yaml',
  'dynamo-v1alpha1/trtllm/agg.yaml',
  'dynamo-v1alpha1/trtllm/disagg.yaml',
  'dynamo-v1alpha1/vllm/agg.yaml',
  'dynamo-v1alpha1/vllm/disagg.yaml',
  'dynamo-v1alpha1/vllm/disagg_planner.yaml',
];
const BETA_FIXTURES = ['dynamo-v1beta1/vllm/agg.yaml', 'dynamo-v1beta1/vllm/disagg.yaml'];

function celFailures(manifest: any): string[] {
  const version = manifest.apiVersion.split('/')[1];
  const schema = crdVersions().get(`nvidia.com/${version}|${DGD}`)!.schema;
  return evaluateOnCreate(schema, manifest).failures.map((f) => `${f.at}: ${f.rule.message} (${f.result})`);
}

function convert(manifest: any, to: DynamoApiVersion): { out: any; losses: ConversionLoss[] } {
  const losses: ConversionLoss[] = [];
  const out = convertDgd(structuredClone(manifest), to, 'in.yaml, document 1', losses);
  return { out, losses };
}

function alpha(services: any, extra: any = {}): any {
  return { apiVersion: 'nvidia.com/v1alpha1', kind: DGD, metadata: { name: 'g', namespace: 'ns' }, spec: { services, ...extra } };
}

function beta(components: any[], extra: any = {}): any {
  return { apiVersion: 'nvidia.com/v1beta1', kind: DGD, metadata: { name: 'g', namespace: 'ns' }, spec: { components, ...extra } };
}

describe("Dynamo's examples", () => {
  test.each(ALPHA_FIXTURES)('%s: v1beta1 valid against the 1.5 CRD (schema and CEL), nothing lost, and back again', (file) => {
    const input = only(loadUpstream(file), DGD);
    const { out, losses } = convert(input, BETA);
    expect(losses).toEqual([]);
    expect(out.apiVersion).toBe('nvidia.com/v1beta1');
    expect(crdErrors(out)).toEqual([]);
    expect(celFailures(out)).toEqual([]);
    expect(out.spec.components.map((c: any) => c.name)).toEqual(Object.keys(input.spec.services));
    for (const c of out.spec.components) expect(c.podTemplate.spec.containers[0].image).toMatch(/:my-tag$/);
    const back = convert(out, ALPHA);
    expect(back.losses).toEqual([]);
    expect(back.out).toEqual(input);
  });

  test('vllm agg converts to the upstream v1beta1 file itself', () => {
    const { out } = convert(only(loadUpstream('dynamo-v1alpha1/vllm/agg.yaml'), DGD), BETA);
    expect(out).toEqual(only(loadUpstream('dynamo-v1beta1/vllm/agg.yaml'), DGD));
  });

  test('vllm disagg converts to the upstream v1beta1 file but for the decode worker KV-transfer flag the two files disagree on', () => {
    const { out } = convert(only(loadUpstream('dynamo-v1alpha1/vllm/disagg.yaml'), DGD), BETA);
    const expected = only(loadUpstream('dynamo-v1beta1/vllm/disagg.yaml'), DGD);
    expected.spec.components[1].podTemplate.spec.containers[0].args.splice(-2);
    expect(out).toEqual(expected);
  });

  test.each(BETA_FIXTURES)('%s: v1alpha1 valid, nothing lost, and back again', (file) => {
    const input = only(loadUpstream(file), DGD);
    const { out, losses } = convert(input, ALPHA);
    expect(losses).toEqual([]);
    expect(crdErrors(out)).toEqual([]);
    expect(celFailures(out)).toEqual([]);
    expect(out.spec.services.VllmDecodeWorker.resources.limits.gpu).toBe('1');
    expect(out.spec.services.VllmDecodeWorker.envFromSecret).toBe('hf-token-secret');
    expect(convert(out, BETA).out).toEqual(input);
  });

  test('a DGD already in the target version is returned as it is', () => {
    const input = only(loadUpstream('dynamo-v1beta1/vllm/agg.yaml'), DGD);
    expect(convertDgd(input, BETA, 'x', [])).toBe(input);
  });
});

describe("the operator's field mapping", () => {
  test('roles: worker + prefill/decode become types, and come back', () => {
    const { out } = convert(alpha({
      P: { componentType: 'worker', subComponentType: 'prefill' },
      D: { componentType: 'worker', subComponentType: 'decode' },
      W: { componentType: 'worker' },
      F: { componentType: 'frontend' },
      PL: { componentType: 'planner' },
      E: { componentType: 'epp' },
    }), BETA);
    expect(out.spec.components.map((c: any) => [c.name, c.type])).toEqual([
      ['P', 'prefill'], ['D', 'decode'], ['W', 'worker'], ['F', 'frontend'], ['PL', 'planner'], ['E', 'epp'],
    ]);
    expect(convert(out, ALPHA).out.spec.services.P).toEqual({ componentType: 'worker', subComponentType: 'prefill' });
  });

  test('scalingAdapter: {enabled: true} is {} in v1beta1; a v1alpha1 {} means disabled and is absent', () => {
    const { out } = convert(alpha({
      A: { componentType: 'worker', scalingAdapter: { enabled: true } },
      B: { componentType: 'worker', scalingAdapter: {} },
      C: { componentType: 'worker', scalingAdapter: { enabled: false } },
    }), BETA);
    expect(out.spec.components.map((c: any) => c.scalingAdapter)).toEqual([{}, undefined, undefined]);
    expect(convert(out, ALPHA).out.spec.services.A.scalingAdapter).toEqual({ enabled: true });
  });

  test('resources, the GPU (and gpuType), envs, envFromSecret, probes, volume mounts into the main container', () => {
    const probe = { httpGet: { path: '/health', port: 9090 } };
    const { out, losses } = convert(alpha({
      W: {
        componentType: 'worker',
        envFromSecret: 'hf',
        envs: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        resources: { requests: { cpu: '2', memory: '8Gi', custom: { 'ephemeral-storage': '2Gi' } }, limits: { gpu: '4', gpuType: 'nvidia.com/mig-3g.40gb' }, claims: [{ name: 'rc' }] },
        livenessProbe: probe,
        readinessProbe: probe,
        volumeMounts: [{ name: 'cache', mountPoint: '/cache', useAsCompilationCache: true }, { name: 'models', mountPoint: '/models' }],
        extraPodSpec: {
          mainContainer: { image: 'img:1', env: [{ name: 'B', value: 'override' }, { name: 'C', value: '3' }], volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }] },
          volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
        },
      },
    }, { pvcs: [{ name: 'cache' }] }), BETA);
    const c = out.spec.components[0];
    expect(c.compilationCache).toEqual({ pvcName: 'cache', mountPath: '/cache' });
    const main = c.podTemplate.spec.containers[0];
    expect(main).toEqual({
      name: 'main',
      image: 'img:1',
      resources: { requests: { 'cpu': '2', 'memory': '8Gi', 'ephemeral-storage': '2Gi' }, limits: { 'nvidia.com/mig-3g.40gb': '4' }, claims: [{ name: 'rc' }] },
      env: [{ name: 'A', value: '1' }, { name: 'B', value: 'override' }, { name: 'C', value: '3' }],
      envFrom: [{ secretRef: { name: 'hf' } }],
      livenessProbe: probe,
      readinessProbe: probe,
      volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }, { name: 'cache', mountPath: '/cache' }, { name: 'models', mountPath: '/models' }],
    });
    expect(c.podTemplate.spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'cfg' } }]);
    expect(losses.map((l) => l.path)).toEqual(['spec.pvcs']);
    expect(losses[0].reason).toMatch(/v1beta1 removed it/);
  });

  test('sharedMemory, experimental (GMS and failover modes), topology, frontendSidecar', () => {
    const input = alpha({
      F: { componentType: 'frontend', sharedMemory: { size: '4Gi' }, frontendSidecar: { image: 'fe:1', args: ['--x'], envFromSecret: 's' } },
      W: {
        componentType: 'worker',
        sharedMemory: { disabled: true },
        gpuMemoryService: { enabled: true, mode: 'intraPod' },
        failover: { enabled: true, mode: 'interPod', numShadows: 1 },
        checkpoint: { enabled: true, mode: 'Auto', identity: { backendFramework: 'vllm', model: 'm' } },
        topologyConstraint: { packDomain: 'rack' },
      },
      X: { componentType: 'worker', gpuMemoryService: { enabled: false } },
    }, { topologyConstraint: { topologyProfile: 'p', packDomain: 'zone' } });
    const { out, losses } = convert(input, BETA);
    expect(losses).toEqual([]);
    const [f, w, x] = out.spec.components;
    expect(f.sharedMemorySize).toBe('4Gi');
    expect(f.frontendSidecar).toBe('sidecar-frontend');
    expect(f.podTemplate.spec.containers).toEqual([{ name: 'main' },
      { name: 'sidecar-frontend', image: 'fe:1', args: ['--x'], envFrom: [{ secretRef: { name: 's' } }] }]);
    expect(w.sharedMemorySize).toBe('0');
    expect(w.experimental).toEqual({
      gpuMemoryService: { mode: 'IntraPod' },
      failover: { mode: 'InterPod', numShadows: 1 },
      checkpoint: { enabled: true, mode: 'Auto', identity: { backendFramework: 'vllm', model: 'm' } },
    });
    expect(w.topologyConstraint).toEqual({ packDomain: 'rack' });
    expect(x.experimental).toBeUndefined();
    expect(out.spec.topologyConstraint).toEqual({ clusterTopologyName: 'p', packDomain: 'zone' });
    expect(crdErrors(out)).toEqual([]);
    const back = convert(out, ALPHA);
    expect(back.losses).toEqual([]);
    // Everything but the disabled GMS (absent in v1beta1, the same meaning) comes back.
    const expected = structuredClone(input);
    delete expected.spec.services.X.gpuMemoryService;
    expect(back.out).toEqual(expected);
  });
});

describe('fields with no place in the target are reported', () => {
  test('v1alpha1 -> v1beta1', () => {
    const input = alpha({
      F: {
        componentType: 'frontend',
        ingress: { enabled: true, host: 'x' },
        autoscaling: { enabled: true },
        dynamoNamespace: 'old',
        annotations: { a: 'b' },
        labels: { c: 'd' },
        serviceName: 'Other',
        extraPodSpec: { containers: [{ name: 'main', image: 'x' }] },
      },
      W: {
        componentType: 'planner',
        subComponentType: 'decode',
        envFromSecret: 's',
        extraPodSpec: { mainContainer: { envFrom: [{ configMapRef: { name: 'c' } }] } },
        volumeMounts: [{ name: 'a', mountPoint: '/a', useAsCompilationCache: true }, { name: 'b', mountPoint: '/b', useAsCompilationCache: true }],
      },
    }, { pvcs: [{ name: 'a' }] });
    input.metadata.annotations = { 'nvidia.com/dgd-spec': '{}', 'keep': 'me' };
    input.status = { state: 'ready' };
    const { out, losses } = convert(input, BETA);
    expect(losses.map((l) => l.path)).toEqual([
      'metadata.annotations.nvidia.com/dgd-spec',
      'spec.services.F.serviceName', 'spec.services.F.autoscaling', 'spec.services.F.dynamoNamespace', 'spec.services.F.ingress',
      'spec.services.F.annotations', 'spec.services.F.labels', 'spec.services.F.extraPodSpec.containers[0]',
      'spec.services.W.subComponentType', 'spec.services.W.volumeMounts[1].useAsCompilationCache', 'spec.services.W.envFromSecret',
      'spec.pvcs', 'status',
    ]);
    expect(losses.every((l) => l.where === 'in.yaml, document 1 (DynamoGraphDeployment "g")')).toBe(true);
    expect(losses.find((l) => l.path === 'spec.services.F.ingress')!.value).toEqual({ enabled: true, host: 'x' });
    expect(out.metadata.annotations).toEqual({ keep: 'me' });
    expect(out.status).toBeUndefined();
  });

  test('v1beta1 -> v1alpha1', () => {
    const input = beta([
      {
        name: 'F',
        type: 'frontend',
        frontendSidecar: 'fe',
        experimental: { grove: { forceScalingGroup: true } },
        podTemplate: {
          metadata: { name: 'x', labels: { a: 'b' } },
          spec: { containers: [{ name: 'main', image: 'i' }, { name: 'fe', image: 'fe:1', ports: [{ containerPort: 80 }] }] },
        },
      },
      { name: 'G', type: 'frontend', frontendSidecar: 'missing' },
    ]);
    const { out, losses } = convert(input, ALPHA);
    expect(losses.map((l) => l.path)).toEqual([
      'spec.components[0].experimental.grove', 'spec.components[0].podTemplate.metadata.name',
      'spec.components[0].podTemplate.spec.containers[1].ports', 'spec.components[0].frontendSidecar', 'spec.components[1].frontendSidecar',
    ]);
    expect(out.spec.services.F.frontendSidecar).toEqual({ image: 'fe:1' });
    expect(out.spec.services.F.extraPodMetadata).toEqual({ labels: { a: 'b' } });
  });

  test('bad input is refused naming the document and the field', () => {
    expect(() => convert(alpha({ F: { componentType: 'frontend', replica: 1 } }), BETA)).toThrow(/in.yaml, document 1 \(DynamoGraphDeployment "g"\)\] 'spec.services.F.replica' \(1\): unknown field/);
    expect(() => convert({ apiVersion: 'nvidia.com/v2', kind: DGD, metadata: { name: 'x' } }, BETA)).toThrow(/'apiVersion' \("nvidia.com\/v2"\): must be one of/);
  });
});

describe('streams', () => {
  const hpa = (apiVersion: string, name: string, namespace?: string) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${name}-hpa`, ...(namespace ? { namespace } : {}) },
    spec: { scaleTargetRef: { apiVersion, kind: 'DynamoGraphDeploymentScalingAdapter', name }, minReplicas: 1, maxReplicas: 3 },
  });

  test('other documents pass through unchanged, comments included; autoscalers of the DGD follow its version', () => {
    const planner = fs.readFileSync(path.join(FIXTURES, 'upstream', 'dynamo-v1alpha1/vllm/disagg_planner.yaml'), 'utf8');
    const keda = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'so' },
      spec: { scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'vllm-disagg-planner-vllmprefillworker' }, triggers: [] },
    };
    const pa = {
      apiVersion: 'autoscaling.aibrix.ai/v1alpha1',
      kind: 'PodAutoscaler',
      metadata: { name: 'pa' },
      spec: { scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'vllm-disagg-planner-frontend' }, maxReplicas: 2, scalingStrategy: 'KPA' },
    };
    const other = hpa('nvidia.com/v1alpha1', 'someone-else-worker');
    const wrongNs = hpa('nvidia.com/v1alpha1', 'vllm-disagg-planner-vllmdecodeworker', 'elsewhere');
    const text = [planner, YAML.stringify(hpa('nvidia.com/v1alpha1', 'vllm-disagg-planner-vllmdecodeworker')), YAML.stringify(keda),
      YAML.stringify(pa), '# not ours\n' + YAML.stringify(other), YAML.stringify(wrongNs)].join('---\n');
    const result = convertYamlStream(text, 'in.yaml', BETA);
    expect(result.losses).toEqual([]);
    expect(result.converted).toBe(1);
    expect(result.retargeted).toBe(3);
    const docs = YAML.parseAllDocuments(result.text).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', DGD, 'HorizontalPodAutoscaler', 'ScaledObject', 'PodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler']);
    expect(docs[0]).toEqual(loadUpstream('dynamo-v1alpha1/vllm/disagg_planner.yaml')[0]);
    // The ConfigMap's text and its long header comment are untouched.
    expect(result.text).toContain(planner.slice(planner.indexOf('# Planner profiling data'), planner.indexOf('---\napiVersion: nvidia.com')));
    expect(result.text).toContain('# not ours');
    expect(crdErrors(docs[1])).toEqual([]);
    expect(docs.slice(2, 5).map((d) => d.spec.scaleTargetRef.apiVersion)).toEqual(['nvidia.com/v1beta1', 'nvidia.com/v1beta1', 'nvidia.com/v1beta1']);
    expect(docs[5]).toEqual(other);
    expect(docs[6]).toEqual(wrongNs);
    // And back: the autoscalers follow again.
    const back = convertYamlStream(result.text, 'out.yaml', ALPHA);
    expect(YAML.parseAllDocuments(back.text).map((d) => d.toJS())).toEqual(YAML.parseAllDocuments(text).map((d) => d.toJS()));
  });

  test('a List (kubectl get -o yaml of several objects): its DGDs convert and its autoscalers follow', () => {
    const dgd = only(loadUpstream('dynamo-v1alpha1/vllm/agg.yaml'), DGD);
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: '' },
      items: [dgd, hpa('nvidia.com/v1alpha1', 'vllm-agg-vllmdecodeworker'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }],
    };
    const result = convertYamlStream(YAML.stringify(list), 'list.yaml', BETA);
    expect([result.converted, result.retargeted, result.losses]).toEqual([1, 1, []]);
    const out = YAML.parse(result.text);
    expect(out.kind).toBe('List');
    expect(out.items[0]).toEqual(convert(dgd, BETA).out);
    expect(out.items[1].spec.scaleTargetRef.apiVersion).toBe('nvidia.com/v1beta1');
    expect(out.items[2]).toEqual(list.items[2]);
    const bad = { ...list, items: [{ ...dgd, spec: { ...dgd.spec, servics: {} } }] };
    expect(() => convertYamlStream(YAML.stringify(bad), 'list.yaml', BETA)).toThrow(/\[list.yaml, document 1 \(line 1\), items\[0\] \(DynamoGraphDeployment "vllm-agg"\)\] 'spec.servics'/);
  });

  test('invalid YAML names the file, line and document', () => {
    expect(() => convertYamlStream('a: 1\n---\nb: [\n', 'x.yaml', BETA)).toThrow(/\[x.yaml:\d+:\d+\] invalid YAML in document 2/);
  });
});

// ---------------------------------------------------------------- property

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const quantity = fc.constantFrom('1', '2', '500m', '16Gi', '2Gi');
const envs = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}$/), value: fc.string({ maxLength: 8 }) }), { selector: (e) => e.name, minLength: 1, maxLength: 3 });
const amounts = fc.record({ cpu: quantity, memory: quantity, gpu: fc.constantFrom('1', '2', '8'), custom: fc.constant({ 'ephemeral-storage': '2Gi' }) }, { requiredKeys: [] })
  .filter((a) => Object.keys(a).length > 0);
const probe = fc.record({ httpGet: fc.record({ path: fc.constantFrom('/health', '/live'), port: fc.integer({ min: 1, max: 65535 }) }) });
const mainContainer = fc.record({
  image: fc.constantFrom('img:1.5.0', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0'),
  workingDir: fc.constant('/workspace'),
  command: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  args: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  ports: fc.constant([{ containerPort: 8000, name: 'http', protocol: 'TCP' }]),
  // Mounts with more than a name and a path: v1alpha1 can only hold them here.
  volumeMounts: fc.constant([{ name: 'cfg', mountPath: '/cfg', readOnly: true }]),
}, { requiredKeys: ['image'] });
const alphaService = fc.record({
  role: fc.constantFrom(['frontend'], ['worker'], ['worker', 'prefill'], ['worker', 'decode'], ['planner'], ['epp']),
  replicas: fc.integer({ min: 0, max: 4 }),
  envFromSecret: fc.constantFrom('hf-token-secret', 'other'),
  envs,
  resources: fc.record({ requests: amounts, limits: amounts }, { requiredKeys: [] }).filter((r) => Object.keys(r).length > 0),
  livenessProbe: probe,
  readinessProbe: probe,
  volumeMounts: fc.tuple(fc.boolean(), fc.uniqueArray(name, { maxLength: 2 })).map(([cache, names]) => [
    ...(cache ? [{ name: 'compile-cache', mountPoint: '/cache', useAsCompilationCache: true }] : []),
    ...names.map((n) => ({ name: `pvc-${n}`, mountPoint: `/mnt/${n}` })),
  ]).filter((m) => m.length > 0),
  extraPodSpec: fc.record({
    mainContainer,
    tolerations: fc.constant([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]),
    nodeSelector: fc.dictionary(name, name, { minKeys: 1, maxKeys: 2 }),
    containers: fc.constant([{ name: 'sidecar', image: 'busybox:1' }]),
  }, { requiredKeys: [] }).filter((e) => Object.keys(e).length > 0),
  extraPodMetadata: fc.record({
    labels: fc.dictionary(name, name, { minKeys: 1, maxKeys: 2 }),
    annotations: fc.dictionary(name, fc.string(), { minKeys: 1, maxKeys: 2 }),
  }, { requiredKeys: [] }).filter((m) => Object.keys(m).length > 0),
  scalingAdapter: fc.constant({ enabled: true }),
  sharedMemory: fc.constantFrom({ disabled: true }, { size: '8Gi' }),
  multinode: fc.record({ nodeCount: fc.integer({ min: 2, max: 4 }) }),
  globalDynamoNamespace: fc.constant(true),
  runtimeVersionOverride: fc.constant('1.5.0'),
  gpuMemoryService: fc.record({ enabled: fc.constant(true), mode: fc.constantFrom('intraPod', 'interPod') }),
  failover: fc.record({ enabled: fc.constant(true), mode: fc.constantFrom('intraPod', 'interPod'), numShadows: fc.constant(1) }),
  frontendSidecar: fc.record({ image: fc.constant('fe:1'), args: fc.constant(['--x']), envs, envFromSecret: fc.constant('s') }, { requiredKeys: ['image'] }),
}, { requiredKeys: ['role'] }).map(({ role, ...rest }) => ({ componentType: role[0], ...(role[1] ? { subComponentType: role[1] } : {}), ...rest }));

const alphaDgd = fc.record({
  services: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}[A-Za-z0-9]$/), alphaService), {
    selector: ([n]) => n.toLowerCase(), minLength: 1, maxLength: 5,
  }),
  backendFramework: fc.constantFrom('vllm', 'sglang', 'trtllm'),
  envs,
  priorityClassName: fc.constant('high'),
  topologyConstraint: fc.constant({ topologyProfile: 'default', packDomain: 'rack' }),
}, { requiredKeys: ['services'] }).map(({ services, ...spec }) => alpha(Object.fromEntries(services), spec));

describe('property: v1alpha1 -> v1beta1 -> v1alpha1 is lossless for the fields both versions have', () => {
  test('random v1alpha1 DGDs', () => {
    fc.assert(fc.property(alphaDgd, (input) => {
      const there = convert(input, BETA);
      expect(there.losses).toEqual([]);
      expect(crdErrors(there.out)).toEqual([]);
      const back = convert(there.out, ALPHA);
      expect(back.losses).toEqual([]);
      expect(back.out).toEqual(input);
      // And the v1beta1 form is a fixed point of the other round trip.
      expect(convert(back.out, BETA).out).toEqual(there.out);
    }), { numRuns: 150 });
  });
});

describe('the Planner\'s mode survives conversion, and lint reads it in both versions', () => {
  test('v1beta1 -> v1alpha1 -> v1beta1: "mode": "decode" kept in the --config; KEDA on prefill stays clean, the HPA on decode stays DYN603', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'import', 'vllm-disagg-planner-decode.yaml'), 'utf8');
    const lintIds = (t: string) => DynamoLint.checkManifests(YAML.parseAllDocuments(t).map((d) => d.toJS()).filter((d) => d !== null)).findings
      .map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name}`);
    const toAlpha = convertYamlStream(text, 'in.yaml', ALPHA);
    expect(toAlpha.losses).toEqual([]);
    const dgd = YAML.parseAllDocuments(toAlpha.text).map((d) => d.toJS()).find((d) => d?.kind === DGD);
    expect(dgd.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(JSON.parse(dgd.spec.services.Planner.extraPodSpec.mainContainer.args[1]).mode).toBe('decode');
    expect(lintIds(toAlpha.text)).toEqual(['DYN603 HorizontalPodAutoscaler llm-decode-hpa']);
    const back = convertYamlStream(toAlpha.text, 'alpha.yaml', BETA);
    const docs = (t: string) => YAML.parseAllDocuments(t).map((d) => d.toJS()).filter((d) => d !== null);
    expect(docs(back.text)).toEqual(docs(text));
    expect(lintIds(back.text)).toEqual(['DYN603 HorizontalPodAutoscaler llm-decode-hpa']);
  });
});
