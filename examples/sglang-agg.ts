// The sglang-agg graph that the v0.9 autoscaling guide uses throughout: one frontend
// and one aggregated decode worker in namespace `default`, with the decode worker's
// scaling adapter enabled so that an autoscaler (or `kubectl scale dgdsa`) can drive it.
// Unlike the guide's YAML, no `dynamoNamespace` is rendered: the operator ignores it.
import { App, Chart } from 'cdk8s';
import { BackendFramework, DynamoGraphDeployment, ServiceRole } from '../src';

/** Dynamo 1.5 admits only images with a runtime version in the tag (or with 'runtimeVersionOverride'). */
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/sglang-runtime:1.5.1';

export function build(app: App): void {
  const chart = new Chart(app, 'sglang-agg', { namespace: 'default' });
  const dgd = new DynamoGraphDeployment(chart, 'sglang-agg', {
    name: 'sglang-agg',
    backendFramework: BackendFramework.SGLANG,
  });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 1, image: IMAGE });
  dgd.addService('decode', {
    role: ServiceRole.WORKER,
    image: IMAGE,
    replicas: 1,
    resources: { limits: { gpu: 1 } },
    scalingAdapter: true,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
