// vLLM disaggregated serving (frontend, decode worker, prefill worker), rendered in
// both DGD API versions from one program: only `apiVersion` differs.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DynamoApiVersion, DynamoGraphDeployment, ServiceRole } from '../src';

const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';
const WORKER = {
  envFromSecret: 'hf-token-secret',
  replicas: 1,
  image: IMAGE,
  workingDir: '/workspace/examples/backends/vllm',
  command: ['python3', '-m', 'dynamo.vllm'],
  resources: { limits: { gpu: 1 }, requests: { custom: { 'ephemeral-storage': '2Gi' } } },
};
const KV_TRANSFER = ['--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'];

/** Options of the vllm-disagg graph. */
export interface VllmDisaggOptions {
  /** Give the decode worker the NIXL KV-transfer config too (the upstream v1alpha1 file does not). */
  readonly decodeKvTransfer?: boolean;
}

/** The vllm-disagg graph in the given API version. */
export function vllmDisagg(scope: Construct, apiVersion: DynamoApiVersion, options: VllmDisaggOptions = {}): DynamoGraphDeployment {
  const dgd = new DynamoGraphDeployment(scope, 'vllm-disagg', { name: 'vllm-disagg', apiVersion });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: IMAGE });
  dgd.addService('VllmDecodeWorker', {
    ...WORKER,
    role: ServiceRole.DECODE,
    args: ['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'decode', ...(options.decodeKvTransfer ?? true ? KV_TRANSFER : [])],
  });
  dgd.addService('VllmPrefillWorker', {
    ...WORKER,
    role: ServiceRole.PREFILL,
    args: ['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'prefill', ...KV_TRANSFER],
  });
  return dgd;
}

export function build(app: App): void {
  vllmDisagg(new Chart(app, 'vllm-disagg-v1alpha1'), DynamoApiVersion.V1ALPHA1);
  vllmDisagg(new Chart(app, 'vllm-disagg-v1beta1'), DynamoApiVersion.V1BETA1);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
