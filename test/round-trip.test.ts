/**
 * The library reproduces the upstream DGD manifests: each program below synthesizes a
 * DGD that deep-equals the parsed upstream file (comments ignored).
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DynamoApiVersion, DynamoGraphDeployment, DynamoServiceOptions, ServiceRole } from '../src';
import { vllmDisagg } from '../examples/vllm-disagg';
import { PROFILING_DATA, vllmDisaggPlanner } from '../examples/vllm-disagg-planner';
import { crdErrors, loadShared, only } from './support';

const SGLANG_IMAGE = 'my-registry/sglang-runtime:my-tag';
const TRTLLM_IMAGE = 'my-registry/tensorrtllm-runtime:my-tag';
const VLLM_IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag';
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
    const expected = only(loadShared(`examples/${file}`), 'DynamoGraphDeployment');
    const actual = only(synthOne(PROGRAMS[file]), 'DynamoGraphDeployment');
    expect(actual).toEqual(expected);
    expect(crdErrors(actual)).toEqual([]);
  });

  test('dynamo-v1alpha1/vllm/disagg_planner.yaml (ConfigMap and DGD)', () => {
    const expected = loadShared('examples/dynamo-v1alpha1/vllm/disagg_planner.yaml');
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

