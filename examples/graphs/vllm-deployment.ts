// Seed 002's vLLM server as a cdk8s-plus-28 Deployment. (cdk8s-plus-28 cannot express a
// GPU limit, and a JSON patch for `nvidia.com/gpu` is dropped by its serializer, so the
// example leaves GPUs out; the seed does not show the Deployment either.)
import { Chart, Size } from 'cdk8s';
import { Cpu, Deployment } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export function vllmDeploymentChart(scope: Construct, id: string, namespace = 'llm-serving'): { chart: Chart; deployment: Deployment } {
  const chart = new Chart(scope, id, { namespace });
  const deployment = new Deployment(chart, 'vllm', {
    metadata: { name: 'vllm-deployment' },
    replicas: 2,
    containers: [{
      name: 'vllm',
      image: 'vllm/vllm-openai:latest',
      args: ['--model', 'Qwen/Qwen3-0.6B'],
      portNumber: 8000,
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
      resources: {
        cpu: { request: Cpu.units(4) },
        memory: { request: Size.gibibytes(16) },
      },
    }],
  });
  return { chart, deployment };
}
