/**
 * The library reproduces the upstream DGD manifests: each program below synthesizes a
 * DGD that deep-equals the parsed upstream file (comments ignored), with one change:
 * upstream's placeholder tag `my-tag` becomes a real release tag, `1.5.1`, since a
 * Dynamo 1.5 operator refuses an image without a runtime version in its tag (and no
 * `runtimeVersionOverride`). One test renders the placeholder form for an older operator.
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { crdErrors, loadUpstream, only } from './support';
import { vllmDisagg } from '../examples/vllm-disagg';
import { PROFILING_DATA, vllmDisaggPlanner } from '../examples/vllm-disagg-planner';
import { BackendFramework, DynamoApiVersion, DynamoGraphDeployment, DynamoRelease, DynamoServiceOptions, ServiceRole } from '../src';

const TAG = '1.5.1';
const SGLANG_IMAGE = `my-registry/sglang-runtime:${TAG}`;
const TRTLLM_IMAGE = `my-registry/tensorrtllm-runtime:${TAG}`;
const VLLM_IMAGE = `nvcr.io/nvidia/ai-dynamo/vllm-runtime:${TAG}`;

/** An upstream document with its placeholder image tag `my-tag` replaced by TAG. */
function pinned(doc: any): any {
  if (typeof doc === 'string') return doc.endsWith(':my-tag') ? `${doc.slice(0, -'my-tag'.length)}${TAG}` : doc;
  if (Array.isArray(doc)) return doc.map(pinned);
  if (doc !== null && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, pinned(v)]));
  return doc;
}
const loadPinned = (file: string) => loadUpstream(file).map(pinned);
const EPHEMERAL = { requests: { custom: { 'ephemeral-storage': '2Gi' } } };
const SGLANG_ARGS = ['--model-path', 'Qwen/Qwen3-0.6B', '--served-model-name', 'Qwen/Qwen3-0.6B', '--page-size', '16', '--tp', '1',
  '--trust-remote-code', '--skip-tokenizer-init'];
const SGLANG_DISAGG = (mode: string) => [...SGLANG_ARGS, '--disaggregation-mode', mode, '--disaggregation-transfer-backend', 'nixl',
  '--disaggregation-bootstrap-port', '12345', '--host', '0.0.0.0'];
const TRTLLM_ARGS = (config: string) => ['--model-path', 'Qwen/Qwen3-0.6B', '--served-model-name', 'Qwen/Qwen3-0.6B',
  '--extra-engine-args', `./examples/backends/trtllm/engine_configs/qwen3/${config}.yaml`];

function worker(image: string, workingDir: string, module: string, extra: Partial<DynamoServiceOptions> = {}): Omit<DynamoServiceOptions, 'role'> {
  return {
    envFromSecret: 'hf-token-secret',
    replicas: 1,
    image,
    workingDir,
    command: ['python3', '-m', module],
    resources: { limits: { gpu: 1 } },
    ...extra,
  };
}

type Program = (scope: Construct) => void;

const PROGRAMS: Record<string, Program> = {
  'dynamo-v1alpha1/sglang/agg.yaml': (scope) => {
    const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'sglang-agg' });
    dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: SGLANG_IMAGE });
    dgd.addService('decode', {
      role: ServiceRole.WORKER,
      ...worker(SGLANG_IMAGE, '/workspace/examples/backends/sglang', 'dynamo.sglang', { args: SGLANG_ARGS }),
      resources: { limits: { gpu: 1 }, ...EPHEMERAL },
    });
  },
  'dynamo-v1alpha1/sglang/disagg.yaml': (scope) => {
    const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'sglang-disagg' });
    dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: SGLANG_IMAGE });
    dgd.addService('decode', { role: ServiceRole.DECODE, ...worker(SGLANG_IMAGE, '/workspace/examples/backends/sglang', 'dynamo.sglang', { args: SGLANG_DISAGG('decode') }) });
    dgd.addService('prefill', { role: ServiceRole.PREFILL, ...worker(SGLANG_IMAGE, '/workspace/examples/backends/sglang', 'dynamo.sglang', { args: SGLANG_DISAGG('prefill') }) });
  },
  'dynamo-v1alpha1/trtllm/agg.yaml': (scope) => {
    const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'trtllm-agg' });
    dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: TRTLLM_IMAGE });
    dgd.addService('TRTLLMWorker', {
      role: ServiceRole.WORKER,
      ...worker(TRTLLM_IMAGE, '/workspace/', 'dynamo.trtllm', { args: TRTLLM_ARGS('agg') }),
      resources: { limits: { gpu: 1 }, ...EPHEMERAL },
    });
  },
  'dynamo-v1alpha1/trtllm/disagg.yaml': (scope) => {
    const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'trtllm-disagg' });
    dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: TRTLLM_IMAGE });
    dgd.addService('TRTLLMPrefillWorker', {
      role: ServiceRole.PREFILL,
      ...worker(TRTLLM_IMAGE, '/workspace/', 'dynamo.trtllm', { args: [...TRTLLM_ARGS('prefill'), '--disaggregation-mode', 'prefill'] }),
    });
    dgd.addService('TRTLLMDecodeWorker', {
      role: ServiceRole.DECODE,
      ...worker(TRTLLM_IMAGE, '/workspace/', 'dynamo.trtllm', { args: [...TRTLLM_ARGS('decode'), '--disaggregation-mode', 'decode'] }),
    });
  },
  'dynamo-v1alpha1/vllm/agg.yaml': (scope) => vllmAgg(scope, DynamoApiVersion.V1ALPHA1),
  'dynamo-v1beta1/vllm/agg.yaml': (scope) => vllmAgg(scope, DynamoApiVersion.V1BETA1),
  'dynamo-v1alpha1/vllm/disagg.yaml': (scope) => {
    // The v1alpha1 file's decode worker has no --kv-transfer-config; the v1beta1 one has.
    const dgd = vllmDisagg(scope, DynamoApiVersion.V1ALPHA1, { decodeKvTransfer: false });
    expect(dgd.services.map((s) => s.serviceName)).toEqual(['Frontend', 'VllmDecodeWorker', 'VllmPrefillWorker']);
  },
  'dynamo-v1beta1/vllm/disagg.yaml': (scope) => {
    vllmDisagg(scope, DynamoApiVersion.V1BETA1);
  },
};

function vllmAgg(scope: Construct, apiVersion: DynamoApiVersion): void {
  const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'vllm-agg', apiVersion });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: VLLM_IMAGE, envFromSecret: 'hf-token-secret' });
  dgd.addService('VllmDecodeWorker', {
    role: ServiceRole.WORKER,
    ...worker(VLLM_IMAGE, '/workspace/examples/backends/vllm', 'dynamo.vllm', { args: ['--model', 'Qwen/Qwen3-0.6B'] }),
    resources: { limits: { gpu: 1 }, ...EPHEMERAL },
  });
}

function synthOne(program: Program): any[] {
  const chart = Testing.chart();
  program(chart);
  return Testing.synth(chart);
}

describe('round trip of the upstream DGD examples', () => {
  test.each(Object.keys(PROGRAMS))('%s', (file) => {
    const expected = only(loadPinned(file), 'DynamoGraphDeployment');
    const actual = only(synthOne(PROGRAMS[file]), 'DynamoGraphDeployment');
    expect(actual).toEqual(expected);
    expect(crdErrors(actual)).toEqual([]);
  });

  test('for an operator older than 1.5 the placeholder tag renders exactly as upstream; a 1.5 operator needs it pinned', () => {
    const program = (release: DynamoRelease) => (scope: Construct) => {
      const dgd = new DynamoGraphDeployment(scope, 'dgd', { name: 'sglang-agg', release });
      dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: 'my-registry/sglang-runtime:my-tag' });
      dgd.addService('decode', {
        role: ServiceRole.WORKER,
        ...worker('my-registry/sglang-runtime:my-tag', '/workspace/examples/backends/sglang', 'dynamo.sglang', { args: SGLANG_ARGS }),
        resources: { limits: { gpu: 1 }, ...EPHEMERAL },
      });
    };
    const upstream = only(loadUpstream('dynamo-v1alpha1/sglang/agg.yaml'), 'DynamoGraphDeployment');
    expect(only(synthOne(program(DynamoRelease.V1_4)), 'DynamoGraphDeployment')).toEqual(upstream);
    expect(() => synthOne(program(DynamoRelease.V1_5))).toThrow(/\[test\/dgd\/Frontend\] DYN102 DynamoGraphDeployment [^:]+: spec\.services\.Frontend\.extraPodSpec\.mainContainer\.image = "my-registry\/sglang-runtime:my-tag": component 'Frontend': image tag "my-tag" must contain a semantic version/);
  });

  test('dynamo-v1alpha1/vllm/disagg_planner.yaml (ConfigMap and DGD)', () => {
    const expected = loadPinned('dynamo-v1alpha1/vllm/disagg_planner.yaml');
    const actual = synthOne((scope) => vllmDisaggPlanner(scope, DynamoApiVersion.V1ALPHA1));
    expect(only(actual, 'ConfigMap')).toEqual(only(expected, 'ConfigMap'));
    expect(only(actual, 'DynamoGraphDeployment')).toEqual(only(expected, 'DynamoGraphDeployment'));
    expect(JSON.parse(only(actual, 'ConfigMap').data['decode_raw_data.json']).max_kv_tokens).toBe(32768);
    expect(PROFILING_DATA.prefillRawData).toContain('prefill_thpt_per_gpu');
  });

  test('one program renders both API versions; each validates against its served version', () => {
    const alpha = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1ALPHA1)), 'DynamoGraphDeployment');
    const beta = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1BETA1)), 'DynamoGraphDeployment');
    expect(alpha.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(beta.apiVersion).toBe('nvidia.com/v1beta1');
    expect(crdErrors(alpha)).toEqual([]);
    expect(crdErrors(beta)).toEqual([]);
    // Same services, roles, replicas and container settings in both shapes.
    const decodeA = alpha.spec.services.VllmDecodeWorker;
    const decodeB = beta.spec.components.find((c: any) => c.name === 'VllmDecodeWorker');
    expect([decodeA.componentType, decodeA.subComponentType]).toEqual(['worker', 'decode']);
    expect(decodeB.type).toBe('decode');
    expect(decodeB.replicas).toBe(decodeA.replicas);
    expect(decodeB.podTemplate.spec.containers[0].args).toEqual(decodeA.extraPodSpec.mainContainer.args);
    expect(decodeB.podTemplate.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(decodeA.resources.limits.gpu);
    expect(decodeB.podTemplate.spec.containers[0].envFrom).toEqual([{ secretRef: { name: decodeA.envFromSecret } }]);
  });

  test('the planner graph also renders and validates in v1beta1', () => {
    const dgd = only(synthOne((s) => vllmDisaggPlanner(s, DynamoApiVersion.V1BETA1)), 'DynamoGraphDeployment');
    expect(crdErrors(dgd)).toEqual([]);
    const planner = dgd.spec.components.find((c: any) => c.name === 'Planner');
    expect(planner.type).toBe('planner');
    expect(planner.podTemplate.spec.volumes).toEqual([{ name: 'planner-profile-data', configMap: { name: 'planner-profile-data' } }]);
    expect(planner.podTemplate.spec.containers[0].volumeMounts).toEqual([
      { name: 'planner-profile-data', mountPath: '/workspace/profiling_results', readOnly: true },
    ]);
  });
});


// An independent v1alpha1 -> v1beta1 mapping of the fields these graphs use, written
// from REFERENCE.md's list of changes, so that "differs only in version-specific
// shape" is checked field by field rather than on a few sampled fields.
function betaAmounts(alpha: any): any {
  const out: any = { ...alpha.custom };
  if (alpha.cpu !== undefined) out.cpu = alpha.cpu;
  if (alpha.memory !== undefined) out.memory = alpha.memory;
  if (alpha.gpu !== undefined) out['nvidia.com/gpu'] = alpha.gpu;
  return out;
}

function alphaToBeta(alpha: any): any {
  const known = ['componentType', 'subComponentType', 'replicas', 'envFromSecret', 'resources', 'extraPodSpec'];
  const components = Object.entries(alpha.spec.services).map(([name, s]: [string, any]) => {
    expect(Object.keys(s).filter((k) => !known.includes(k))).toEqual([]);
    const main: any = { name: 'main', ...s.extraPodSpec?.mainContainer };
    if (s.envFromSecret) main.envFrom = [{ secretRef: { name: s.envFromSecret } }];
    if (s.resources) {
      main.resources = {};
      if (s.resources.limits) main.resources.limits = betaAmounts(s.resources.limits);
      if (s.resources.requests) main.resources.requests = betaAmounts(s.resources.requests);
    }
    const c: any = { name, type: s.subComponentType ?? s.componentType };
    if (s.replicas !== undefined) c.replicas = s.replicas;
    c.podTemplate = { spec: { containers: [main] } };
    return c;
  });
  const spec: any = {};
  if (alpha.spec.backendFramework !== undefined) spec.backendFramework = alpha.spec.backendFramework;
  if (alpha.spec.envs !== undefined) spec.env = alpha.spec.envs;
  spec.components = components;
  return { ...alpha, apiVersion: 'nvidia.com/v1beta1', spec };
}

describe('one program, two API versions: only the version-specific shape differs', () => {
  test('vllm-disagg: the v1alpha1 rendering maps field by field onto the v1beta1 rendering', () => {
    const alpha = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1ALPHA1)), 'DynamoGraphDeployment');
    const beta = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1BETA1)), 'DynamoGraphDeployment');
    expect(Object.keys(alpha.spec)).toEqual(['services']);
    expect(Object.keys(beta.spec)).toEqual(['components']);
    expect(alphaToBeta(alpha)).toStrictEqual(beta);
    // And the v1alpha1 rendering is the upstream v1alpha1 file plus the decode worker's
    // KV-transfer config, the one place where the two upstream files disagree.
    const alphaFile = only(loadPinned('dynamo-v1alpha1/vllm/disagg.yaml'), 'DynamoGraphDeployment');
    const decodeArgs = alphaFile.spec.services.VllmDecodeWorker.extraPodSpec.mainContainer.args;
    expect(decodeArgs).not.toContain('--kv-transfer-config');
    decodeArgs.push('--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}');
    expect(alpha).toStrictEqual(alphaFile);
  });

  test('vllm-agg: the two upstream files are one program in two versions', () => {
    const alpha = only(synthOne((s) => vllmAgg(s, DynamoApiVersion.V1ALPHA1)), 'DynamoGraphDeployment');
    const beta = only(synthOne((s) => vllmAgg(s, DynamoApiVersion.V1BETA1)), 'DynamoGraphDeployment');
    expect(alphaToBeta(alpha)).toStrictEqual(beta);
  });

  test('the mapping catches a real difference (the decode KV-transfer config)', () => {
    const alpha = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1ALPHA1, { decodeKvTransfer: false })), 'DynamoGraphDeployment');
    const beta = only(synthOne((s) => vllmDisagg(s, DynamoApiVersion.V1BETA1)), 'DynamoGraphDeployment');
    expect(alphaToBeta(alpha)).not.toStrictEqual(beta);
  });

  test('backendFramework and the DGD-level env render at the top of spec in each version', () => {
    const render = (apiVersion: DynamoApiVersion) => only(synthOne((scope) => {
      const dgd = new DynamoGraphDeployment(scope, 'dgd', {
        name: 'vllm-agg', apiVersion, backendFramework: BackendFramework.VLLM, env: { HF_HOME: '/cache', B: '2' },
      });
      dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: VLLM_IMAGE });
    }), 'DynamoGraphDeployment');
    const alpha = render(DynamoApiVersion.V1ALPHA1);
    const beta = render(DynamoApiVersion.V1BETA1);
    const env = [{ name: 'HF_HOME', value: '/cache' }, { name: 'B', value: '2' }];
    expect(alpha.spec).toStrictEqual({
      backendFramework: 'vllm',
      envs: env,
      services: { Frontend: { componentType: 'frontend', replicas: 1, extraPodSpec: { mainContainer: { image: VLLM_IMAGE } } } },
    });
    expect(beta.spec).toStrictEqual({
      backendFramework: 'vllm',
      env,
      components: [{ name: 'Frontend', type: 'frontend', replicas: 1, podTemplate: { spec: { containers: [{ name: 'main', image: VLLM_IMAGE }] } } }],
    });
    expect(alphaToBeta(alpha)).toStrictEqual(beta);
    expect(crdErrors(alpha)).toEqual([]);
    expect(crdErrors(beta)).toEqual([]);
  });
});
