// The my-llm-deployment graph of the autoscaling guide: frontend, disaggregated
// prefill and decode workers, and a planner, in namespace `llm-serving`.
import { App, Chart } from 'cdk8s';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../src';

export function build(app: App): void {
  const chart = new Chart(app, 'my-llm-deployment', { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'my-llm-deployment', {
    name: 'my-llm-deployment',
    backendFramework: BackendFramework.VLLM,
  });
  dgd.addService('frontend', { role: ServiceRole.FRONTEND, replicas: 2 });
  dgd.addService('prefill', { role: ServiceRole.PREFILL, replicas: 4 });
  dgd.addService('decode', { role: ServiceRole.DECODE, replicas: 8 });
  dgd.addService('planner', { role: ServiceRole.PLANNER, replicas: 1 });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
