// vLLM disaggregated serving scaled by the Dynamo Planner (Dynamo >= 1.0 command form),
// with the profiling-data ConfigMap. Reproduces the upstream disagg_planner example
// exactly: there the planner scales the DGD directly through its service account, so the
// workers' adapters stay off (`enableAdapters: false`) and their `replicas` stay.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendFramework, DynamoApiVersion, DynamoGraphDeployment, DynamoPlanner, ServiceRole } from '../src';

const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';

/** Placeholder profiling data for Qwen/Qwen3-0.6B; replace with real measurements. */
export const PROFILING_DATA = {
  prefillRawData: `{
  "prefill_isl":          [128, 256, 512, 1024, 2048],
  "prefill_ttft":         [12,  18,  30,  55,   105],
  "prefill_thpt_per_gpu": [9800, 8500, 6200, 3800, 2000]
}
`,
  decodeRawData: `{
  "x_kv_usage":       [0.1, 0.1, 0.1, 0.1, 0.3, 0.3, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.7, 0.7, 0.7, 0.7, 0.9, 0.9, 0.9, 0.9],
  "y_context_length": [128, 512, 1024, 2048, 128, 512, 1024, 2048, 128, 512, 1024, 2048, 128, 512, 1024, 2048, 128, 512, 1024, 2048],
  "z_itl":            [5, 6, 7, 9, 6, 7, 8, 10, 7, 8, 10, 12, 8, 10, 12, 15, 10, 12, 15, 20],
  "z_thpt_per_gpu":   [4500, 4000, 3500, 2800, 4200, 3700, 3200, 2500, 3800, 3300, 2800, 2200, 3400, 2900, 2400, 1800, 2800, 2400, 1900, 1400],
  "max_kv_tokens": 32768
}
`,
};

export function vllmDisaggPlanner(scope: Construct, apiVersion: DynamoApiVersion): DynamoGraphDeployment {
  const dgd = new DynamoGraphDeployment(scope, 'vllm-disagg-planner', { name: 'vllm-disagg-planner', apiVersion });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: IMAGE });
  const worker = {
    envFromSecret: 'hf-token-secret',
    replicas: 1,
    image: IMAGE,
    workingDir: '/workspace/examples/backends/vllm',
    command: ['python3'],
    resources: { limits: { gpu: 1 } },
  };
  const decode = dgd.addService('VllmDecodeWorker', {
    ...worker,
    role: ServiceRole.DECODE,
    args: ['-m', 'dynamo.vllm', '--model', 'Qwen/Qwen3-0.6B'],
  });
  const prefill = dgd.addService('VllmPrefillWorker', {
    ...worker,
    role: ServiceRole.PREFILL,
    args: ['-m', 'dynamo.vllm', '--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'prefill',
      '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'],
  });
  new DynamoPlanner(dgd, 'planner', {
    manages: [prefill, decode],
    backend: BackendFramework.VLLM, // the upstream DGD sets no backendFramework
    image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.1',
    profilingData: PROFILING_DATA,
    enableAdapters: false,
  });
  return dgd;
}

export function build(app: App): void {
  vllmDisaggPlanner(new Chart(app, 'vllm-disagg-planner'), DynamoApiVersion.V1ALPHA1);
  vllmDisaggPlanner(new Chart(app, 'vllm-disagg-planner-v1beta1'), DynamoApiVersion.V1BETA1);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
