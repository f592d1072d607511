// Seed 002's operations on a Dynamo decode worker: GPU-aware scaling (DCGM utilization),
// scheduled scaling (business hours and weekends in a time zone, combined with the metric
// trigger), scale to zero when idle (explicit opt-in, activation threshold), and alerts
// for the autoscaler (pinned at max, flapping, scaler errors).
import { App, Chart, Duration } from 'cdk8s';
import {
  AutoscalerAlerts, BackendFramework, DcgmMetrics, DynamoGraphDeployment, DynamoMetrics,
  KedaAutoscaler, KedaTrigger, ServiceRole,
} from '../src';

/** Dynamo 1.5 admits only images with a runtime version in the tag (or with 'runtimeVersionOverride'). */
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';

const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

export function build(app: App): void {
  const chart = new Chart(app, 'gpu-cron-scale-to-zero', { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'llm', { name: 'llm', backendFramework: BackendFramework.VLLM });
  dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image: IMAGE, replicas: 1 });
  const decode = dgd.addService('decode', { role: ServiceRole.DECODE, image: IMAGE, resources: { limits: { gpu: 1 } } });

  const scaler = new KedaAutoscaler(chart, 'decode-scaler', {
    target: decode.adapter,
    allowScaleToZero: true,
    minReplicas: 0,
    maxReplicas: 8,
    cooldownPeriod: Duration.minutes(10),
    triggers: [
      KedaTrigger.prometheus({
        name: 'gpu-utilization',
        serverAddress: PROMETHEUS,
        query: DcgmMetrics.gpuUtilizationQuery({ namespace: 'llm-serving', podRegex: 'llm-.*decode.*' }),
        threshold: 70,
        activationThreshold: 5,
      }),
      KedaTrigger.prometheus({
        name: 'queue',
        serverAddress: PROMETHEUS,
        query: DynamoMetrics.queueDepth({ deployment: dgd }),
        threshold: 10,
        activationThreshold: 1,
      }),
      KedaTrigger.businessHours({ name: 'business-hours', timezone: 'Europe/Berlin', desiredReplicas: 2 }),
      KedaTrigger.weekends({ name: 'weekends', timezone: 'Europe/Berlin', desiredReplicas: 1 }),
    ],
  });
  new AutoscalerAlerts(chart, 'decode-alerts', {
    hpaName: scaler.hpaName,
    scaledObjectName: scaler.name,
    labels: { release: 'prometheus' },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
