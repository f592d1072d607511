// The my-llm-deployment graph of the autoscaling guide: frontend, disaggregated
// prefill and decode workers, and a planner, in namespace `llm-serving`.
import { App, Chart } from 'cdk8s';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../src';

/** Dynamo 1.5 admits only images with a runtime version in the tag (or with 'runtimeVersionOverride'). */
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';

export function build(app: App): void {
  const chart = new Chart(app, 'my-llm-deployment', { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'my-llm-deployment', {
    name: 'my-llm-deployment',
    backendFramework: BackendFramework.VLLM,
  });
  dgd.addService('frontend', { role: ServiceRole.FRONTEND, image: IMAGE, replicas: 2 });
  dgd.addService('prefill', { role: ServiceRole.PREFILL, image: IMAGE, replicas: 4 });
  dgd.addService('decode', { role: ServiceRole.DECODE, image: IMAGE, replicas: 8 });
  dgd.addService('planner', { role: ServiceRole.PLANNER, image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.1', replicas: 1 });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
