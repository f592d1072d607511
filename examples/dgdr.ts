// A DynamoGraphDeploymentRequest (v1beta1): profile Qwen3-0.6B with vLLM against TTFT and
// ITL targets for a 3000/150-token workload, then create the DGD with the SLA Planner.
// The planner keys are the Planner's own config (passed through unchecked by the CRD).
import { App, Chart, Duration } from 'cdk8s';
import { DynamoGraphDeploymentRequest, GpuSku, ProfilingBackend, ProfilingSearchStrategy } from '../src';

export function build(app: App): void {
  const chart = new Chart(app, 'dgdr', { namespace: 'llm-serving' });
  new DynamoGraphDeploymentRequest(chart, 'qwen', {
    name: 'qwen3-sla',
    model: 'Qwen/Qwen3-0.6B',
    backend: ProfilingBackend.VLLM,
    image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0',
    searchStrategy: ProfilingSearchStrategy.RAPID,
    autoApply: true,
    sla: { ttft: Duration.millis(200), itl: Duration.millis(20) },
    workload: { isl: 3000, osl: 150 },
    hardware: { gpuSku: GpuSku.H100_SXM, totalGpus: 8 },
    planner: { throughput_adjustment_interval: 60 },
    dgdOverride: {
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'qwen3', labels: { team: 'llm-serving' } },
    },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
