import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  BackendFramework, DynamoApiVersion, DynamoGraphDeployment, DynamoMetrics, DynamoPlanner, DynamoService, HpaAutoscaler, KedaAuthentication,
  KedaFallbackBehavior,
  KedaAutoscaler, KedaMetricType, KedaTrigger, KedaTriggerAuthentication, MAX_SCALED_OBJECT_NAME_LENGTH, PrometheusAuthMode,
  PromQuery, ScaleTarget, ServiceRole,
} from '../src';
import { crdErrors, only, seedSection, seedYamlDocs } from './support';
import { scaledObjectProblems } from '../src/core/keda';

const PROMETHEUS = 'http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly decode: DynamoService;
  readonly frontend: DynamoService;
}

/** Seed 004's sglang-agg graph in namespace `default`. */
function ctx(): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'default' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'sglang-agg', backendFramework: BackendFramework.SGLANG });
  const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 1 });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, replicas: 1, resources: { limits: { gpu: 1 } } });
  return { app, chart, dgd, decode, frontend };
}

/**
 * Runs the app's validations, then returns the chart's manifests; every ScaledObject
 * also passes the manifest-level rules the rule engine runs on YAML.
 */
function synth(c: { app: App; chart: Chart }): any[] {
  c.app.synthYaml();
  const manifests = Testing.synth(c.chart);
  for (const so of manifests.filter((m) => m.kind === 'ScaledObject')) expect(scaledObjectProblems(so)).toEqual([]);
  return manifests;
}

/** Every Kubernetes object in a seed document's ```yaml blocks. */
function seedObjects(prefix: string): any[] {
  return seedYamlDocs(prefix).filter((d) => d && typeof d.kind === 'string');
}
const SEED_004 = '004';
const SEED_002 = '002';

/**
 * A seed ScaledObject as the library renders it: `metricName` dropped (current KEDA
 * ignores it), threshold strings kept, PromQL compared without whitespace.
 */
function normalizeSeedScaledObject(seed: any): any {
  const out = JSON.parse(JSON.stringify(seed));
  for (const t of out.spec.triggers) {
    delete t.metadata.metricName;
    t.metadata.query = squash(t.metadata.query);
  }
  return out;
}
function squash(promql: string): string {
  return promql.replace(/\s+/g, '');
}
function squashQueries(so: any): any {
  const out = JSON.parse(JSON.stringify(so));
  for (const t of out.spec.triggers) if (t.metadata.query) t.metadata.query = squash(t.metadata.query);
  return out;
}

const prom = (extra: any = {}) => KedaTrigger.prometheus({ serverAddress: PROMETHEUS, query: PromQuery.raw('up'), threshold: 1, ...extra });
const cpu = (extra: any = {}) => KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 70, ...extra });
const cron = (extra: any = {}) => KedaTrigger.cron({ timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 2, ...extra });

describe('KedaAutoscaler: seed 004 ScaledObjects', () => {
  test('TTFT on sglang-agg decode, field by field against the seed', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'decode-scaler', {
      target: c.decode.adapter,
      minReplicas: 1,
      maxReplicas: 10,
      pollingInterval: Duration.seconds(15),
      cooldownPeriod: Duration.seconds(60),
      triggers: [KedaTrigger.prometheus({
        serverAddress: PROMETHEUS,
        query: DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 0.95, window: Duration.minutes(5) }),
        threshold: 0.5,
        activationThreshold: 0.1,
      })],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.name).toBe('sglang-agg-decode-scaler');
    expect(scaler.hpaName).toBe('keda-hpa-sglang-agg-decode-scaler');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.metadata).toEqual({ name: 'sglang-agg-decode-scaler', namespace: 'default' });
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'sglang-agg-decode' },
      minReplicaCount: 1,
      maxReplicaCount: 10,
      pollingInterval: 15,
      cooldownPeriod: 60,
      triggers: [{
        type: 'prometheus',
        metadata: {
          serverAddress: PROMETHEUS,
          query: 'histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{dynamo_namespace="default-sglang-agg"}[5m])) by (le))',
          threshold: '0.5',
          activationThreshold: '0.1',
        },
      }],
    });
    const seed = only(seedObjects(SEED_004).filter((o) => o.spec?.pollingInterval !== undefined), 'ScaledObject', 'sglang-agg-decode-scaler');
    expect(squashQueries(so)).toEqual(normalizeSeedScaledObject(seed));
  });

  test('queue depth on sglang-agg decode with the "queue" qualifier, against the seed', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'decode-queue-scaler', {
      target: c.decode.adapter,
      qualifier: 'queue',
      minReplicas: 1,
      maxReplicas: 10,
      pollingInterval: Duration.seconds(15),
      cooldownPeriod: Duration.seconds(60),
      triggers: [KedaTrigger.prometheus({ serverAddress: PROMETHEUS, query: DynamoMetrics.queueDepth({ deployment: c.dgd }), threshold: 10 })],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.name).toBe('sglang-agg-decode-queue-scaler');
    expect(so.spec.triggers).toEqual([{
      type: 'prometheus',
      metadata: { serverAddress: PROMETHEUS, query: 'sum(dynamo_frontend_queued_requests{dynamo_namespace="default-sglang-agg"})', threshold: '10' },
    }]);
    expect(squashQueries(so)).toEqual(normalizeSeedScaledObject(only(seedObjects(SEED_004), 'ScaledObject', 'sglang-agg-decode-queue-scaler')));
  });

  test.each([
    ['keda-ttft', 'sglang-agg-decode-scaler'],
    ['keda-queue-depth', 'sglang-agg-decode-queue-scaler'],
  ])('example %s reproduces the seed ScaledObject %s', (example, name) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(__dirname, '..', 'examples', example));
    const app = Testing.app();
    mod.build(app);
    app.synthYaml();
    const so = only(app.charts.flatMap((ch) => Testing.synth(ch)), 'ScaledObject', name);
    expect(crdErrors(so)).toEqual([]);
    const seed = only(seedObjects(SEED_004).filter((o) => o.spec?.pollingInterval !== undefined), 'ScaledObject', name);
    expect(squashQueries(so)).toEqual(normalizeSeedScaledObject(seed));
    expect(so.spec.triggers.every((t: any) => !('metricName' in t.metadata))).toBe(true);
  });

  test('the adapter-managed decode service leaves replicas to the adapter', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, triggers: [prom()] });
    const dgd = only(synth(c), 'DynamoGraphDeployment');
    expect(dgd.spec.services.decode.scalingAdapter).toEqual({ enabled: true });
    expect(dgd.spec.services.decode.replicas).toBeUndefined();
    expect(dgd.spec.services.Frontend.replicas).toBe(1);
  });
});

describe('KedaAutoscaler: seed 002 on a cdk8s-plus Deployment', () => {
  function vllm(): { app: App; chart: Chart; deployment: plus.Deployment } {
    const app = Testing.app();
    const chart = new Chart(app, 'v', { namespace: 'llm-serving' });
    const deployment = new plus.Deployment(chart, 'vllm', {
      metadata: { name: 'vllm-deployment' },
      replicas: 2,
      containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', portNumber: 8000 }],
    });
    return { app, chart, deployment };
  }

  test('vllm-scaledobject: the seed plus explicit apiVersion/kind, no metricName; the Deployment drops replicas', () => {
    const v = vllm();
    const scaler = new KedaAutoscaler(v.chart, 'so', {
      name: 'vllm-scaledobject',
      target: ScaleTarget.fromWorkload(v.deployment),
      minReplicas: 1,
      maxReplicas: 20,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('sum(rate(vllm_request_queue_size[1m]))'), threshold: 15 })],
    });
    const manifests = synth(v);
    const so = only(manifests, 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.hpaName).toBe('keda-hpa-vllm-scaledobject');
    const seed = normalizeSeedScaledObject(only(seedObjects(SEED_002), 'ScaledObject', 'vllm-scaledobject'));
    seed.metadata.namespace = 'llm-serving';
    seed.spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' };
    expect(squashQueries(so)).toEqual(seed);
    expect(so.spec.triggers[0].metadata).toEqual({ serverAddress: 'http://prometheus:9090', query: 'sum(rate(vllm_request_queue_size[1m]))', threshold: '15' });
    expect(only(manifests, 'Deployment', 'vllm-deployment').spec.replicas).toBeUndefined();
  });

  test('default name for a workload: <workload>[-<qualifier>]-scaler', () => {
    const v = vllm();
    const a = new KedaAutoscaler(v.chart, 'a', { target: ScaleTarget.fromWorkload(v.deployment), triggers: [prom()] });
    expect(a.name).toBe('vllm-deployment-scaler');
    const w = vllm();
    const b = new KedaAutoscaler(w.chart, 'b', { target: ScaleTarget.fromWorkload(w.deployment), qualifier: 'gpu', triggers: [prom()] });
    expect(b.name).toBe('vllm-deployment-gpu-scaler');
    expect(b.hpaName).toBe('keda-hpa-vllm-deployment-gpu-scaler');
  });

  test('example vllm-deployment-keda matches the seed the same way', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(__dirname, '..', 'examples', 'vllm-deployment-keda'));
    const app = Testing.app();
    mod.build(app);
    app.synthYaml();
    const manifests = app.charts.flatMap((ch) => Testing.synth(ch));
    const so = only(manifests, 'ScaledObject', 'vllm-scaledobject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' });
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.maxReplicaCount).toBe(20);
    expect(so.spec.triggers).toEqual([{
      type: 'prometheus',
      metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(rate(vllm_request_queue_size[1m]))', threshold: '15' },
    }]);
    expect(only(manifests, 'Deployment', 'vllm-deployment').spec.replicas).toBeUndefined();
  });
});

describe('KedaAutoscaler: rendering', () => {
  test('every prometheus option, as KEDA reads it', () => {
    const c = ctx();
    const auth = new KedaTriggerAuthentication(c.chart, 'auth', { name: 'prom-auth', secretName: 'prom-secret', parameters: { bearerToken: 'token', ca: 'ca.crt' } });
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      triggers: [KedaTrigger.prometheus({
        name: 'ttft',
        serverAddress: 'https://thanos.monitoring.svc:9091',
        query: PromQuery.raw('sum(x)'),
        threshold: 2.5,
        activationThreshold: 0,
        metricType: KedaMetricType.VALUE,
        namespace: 'tenant-a',
        customHeaders: { 'X-Scope-OrgID': 'team-a', 'X-Other': 'v' },
        queryParameters: { dedup: 'true' },
        ignoreNullValues: false,
        unsafeSsl: true,
        timeout: Duration.seconds(3),
        authModes: [PrometheusAuthMode.BEARER, PrometheusAuthMode.TLS],
        authentication: auth.authentication,
      })],
    });
    const manifests = synth(c);
    const so = only(manifests, 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.triggers).toEqual([{
      type: 'prometheus',
      name: 'ttft',
      metricType: 'Value',
      metadata: {
        serverAddress: 'https://thanos.monitoring.svc:9091',
        query: 'sum(x)',
        threshold: '2.5',
        activationThreshold: '0',
        namespace: 'tenant-a',
        customHeaders: 'X-Scope-OrgID=team-a,X-Other=v',
        queryParameters: 'dedup=true',
        ignoreNullValues: 'false',
        unsafeSsl: 'true',
        timeout: '3000',
        authModes: 'bearer,tls',
      },
      authenticationRef: { name: 'prom-auth', kind: 'TriggerAuthentication' },
    }]);
    const ta = only(manifests, 'TriggerAuthentication');
    expect(crdErrors(ta)).toEqual([]);
    expect(ta.apiVersion).toBe('keda.sh/v1alpha1');
    expect(ta.metadata).toEqual({ name: 'prom-auth', namespace: 'default' });
    expect(ta.spec).toEqual({
      secretTargetRef: [
        { parameter: 'bearerToken', name: 'prom-secret', key: 'token' },
        { parameter: 'ca', name: 'prom-secret', key: 'ca.crt' },
      ],
    });
  });

  test('a ClusterTriggerAuthentication by name, and a TriggerAuthentication by name', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      triggers: [
        prom({ name: 'a', authModes: [PrometheusAuthMode.BASIC], authentication: KedaAuthentication.clusterTriggerAuthentication('cluster-prom') }),
        prom({ name: 'b', authModes: [PrometheusAuthMode.CUSTOM], authentication: KedaAuthentication.triggerAuthentication('ns-prom') }),
      ],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.triggers.map((t: any) => t.authenticationRef)).toEqual([
      { name: 'cluster-prom', kind: 'ClusterTriggerAuthentication' },
      { name: 'ns-prom', kind: 'TriggerAuthentication' },
    ]);
    expect(so.spec.triggers.map((t: any) => t.metadata.authModes)).toEqual(['basic', 'custom']);
    expect(KedaAuthentication.clusterTriggerAuthentication('x').kind).toBe('ClusterTriggerAuthentication');
  });

  test('TriggerAuthentication in an explicit namespace', () => {
    const c = ctx();
    const auth = new KedaTriggerAuthentication(c.chart, 'auth', { name: 'a', secretName: 's', parameters: { username: 'u', password: 'p' }, namespace: 'other' });
    expect(auth.name).toBe('a');
    expect(auth.authentication.name).toBe('a');
    expect(auth.authentication.kind).toBe('TriggerAuthentication');
    const ta = only(Testing.synth(c.chart), 'TriggerAuthentication');
    expect(crdErrors(ta)).toEqual([]);
    expect(ta.metadata.namespace).toBe('other');
  });

  test('cpu, memory and cron triggers', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.frontend.adapter,
      maxReplicas: 5,
      triggers: [
        KedaTrigger.cpu({ name: 'cpu', metricType: KedaMetricType.UTILIZATION, value: 70, containerName: 'main' }),
        KedaTrigger.memory({ name: 'mem', metricType: KedaMetricType.AVERAGE_VALUE, value: 1.5 }),
        KedaTrigger.cron({ name: 'hours', timezone: 'America/New_York', start: ' 30  7 * * 1-5 ', end: '0 19 * * MON-FRI', desiredReplicas: 3 }),
      ],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.metadata.name).toBe('sglang-agg-frontend-scaler');
    expect(so.spec.triggers).toEqual([
      { type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '70', containerName: 'main' } },
      { type: 'memory', name: 'mem', metricType: 'AverageValue', metadata: { value: '1.5' } },
      { type: 'cron', name: 'hours', metadata: { timezone: 'America/New_York', start: '30 7 * * 1-5', end: '0 19 * * MON-FRI', desiredReplicas: '3' } },
    ]);
  });

  test('cron schedules KEDA parses: names, steps, lists, ? and a TZ= prefix, rendered with single spaces', () => {
    const t = KedaTrigger.cron({ timezone: 'UTC', start: 'TZ=Europe/Berlin  0 8 ? JAN-MAR mon,wed', end: '*/30 +18 1-31/2 * *', desiredReplicas: 2 });
    expect(t.metadata).toEqual({ timezone: 'UTC', start: 'TZ=Europe/Berlin 0 8 ? JAN-MAR mon,wed', end: '*/30 +18 1-31/2 * *', desiredReplicas: '2' });
    expect(() => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, days: '1-7' }))
      .toThrow(/\[KedaTrigger.cron\] 'start' \("0 8 \* \* 1-7"\): day-of-week field: '1-7' goes above 6/);
  });

  test('business hours and weekend presets', () => {
    expect(KedaTrigger.businessHours({ timezone: 'Europe/Berlin', desiredReplicas: 2 }).metadata)
      .toEqual({ timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '2' });
    expect(KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 4, startHour: 6, endHour: 22, days: '1-6', name: 'bh' }))
      .toMatchObject({ type: 'cron', name: 'bh', metadata: { timezone: 'UTC', start: '0 6 * * 1-6', end: '0 22 * * 1-6', desiredReplicas: '4' } });
    expect(KedaTrigger.weekends({ timezone: 'Asia/Tokyo', desiredReplicas: 1 }).metadata)
      .toEqual({ timezone: 'Asia/Tokyo', start: '0 0 * * 6', end: '0 0 * * 1', desiredReplicas: '1' });
  });

  test('advanced: hpaName override and behavior; fallback; paused annotations', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      hpaName: 'decode-hpa',
      minReplicas: 2,
      maxReplicas: 8,
      fallback: { failureThreshold: 3, replicas: 4 },
      paused: true,
      pausedReplicas: 2,
      scaleUp: { stabilizationWindow: Duration.seconds(0), policies: [{ replicas: plus.Replicas.absolute(2), duration: Duration.seconds(30) }] },
      scaleDown: { stabilizationWindow: Duration.minutes(5), strategy: plus.ScalingStrategy.MIN_CHANGE },
      triggers: [prom()],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.hpaName).toBe('decode-hpa');
    expect(so.metadata.annotations).toEqual({ 'autoscaling.keda.sh/paused': 'true', 'autoscaling.keda.sh/paused-replicas': '2' });
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 4 });
    expect(so.spec.advanced).toEqual({
      horizontalPodAutoscalerConfig: {
        name: 'decode-hpa',
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] },
          scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min' },
        },
      },
    });
  });

  test('per-direction tolerance on the HPA KEDA creates, alone or with scaling rules (issue 8 §6)', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      scaleUp: { tolerance: 0.05 },
      scaleDown: { stabilizationWindow: Duration.seconds(60), tolerance: 0 },
      triggers: [prom()],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.advanced).toEqual({
      horizontalPodAutoscalerConfig: { behavior: { scaleUp: { tolerance: '50m' }, scaleDown: { stabilizationWindowSeconds: 60, tolerance: '0' } } },
    });
  });

  test('scalingModifiers: a formula over named triggers, rendered as the CRD types it; fallback waived for cpu (issue 8 §6)', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      fallback: { failureThreshold: 3, replicas: 2, behavior: KedaFallbackBehavior.SCALING_MODIFIERS },
      scalingModifiers: { formula: 'queue_depth / 2 + cpu_busy', target: 4, activationTarget: 0.5, metricType: KedaMetricType.VALUE },
      triggers: [
        prom({ name: 'queue_depth', query: DynamoMetrics.queueDepth({ deployment: c.dgd }) }),
        prom({ name: 'cpu_busy', query: PromQuery.raw('avg(rate(process_cpu_seconds_total[1m]))') }),
      ],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.advanced).toEqual({
      scalingModifiers: { formula: 'queue_depth / 2 + cpu_busy', target: '4', activationTarget: '0.5', metricType: 'Value' },
    });
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'scalingModifiers' });

    const d = ctx();
    new KedaAutoscaler(d.chart, 'k', {
      target: d.decode.adapter,
      fallback: { failureThreshold: 3, replicas: 2 },
      scalingModifiers: { formula: 'cron_window * 2', target: 1 },
      triggers: [cpu({ name: 'cpu' }), cron({ name: 'cron_window' })],
    });
    expect(crdErrors(only(synth(d), 'ScaledObject'))).toEqual([]);
    const e = ctx();
    new KedaAutoscaler(e.chart, 'k', {
      target: e.decode.adapter,
      fallback: { failureThreshold: 3, replicas: 2 },
      scalingModifiers: { formula: '2', target: 1 },
      triggers: [cpu()],
    });
    expect(only(synth(e), 'ScaledObject').spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
  });

  test('fallback with only a metricType Value trigger: refused on a scaling adapter (KEDA reads status.readyReplicas, which a DGDSA lacks)', () => {
    const c = ctx();
    expect(() => new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, fallback: { failureThreshold: 3, replicas: 2 }, triggers: [prom({ metricType: KedaMetricType.VALUE })] }))
      .toThrow(/'fallback' .*needs a trigger with metricType AverageValue: KEDA computes a fallback for Value metrics from the target's status.readyReplicas, which a DynamoGraphDeploymentScalingAdapter does not have/);
  });

  test('fallback with only a metricType Value trigger: accepted on a Deployment, as KEDA 2.18+ does', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
      fallback: { failureThreshold: 3, replicas: 2 },
      triggers: [prom({ metricType: KedaMetricType.VALUE })],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.triggers[0].metricType).toBe('Value');
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
  });

  test('int32 edges pass: 2147483647 replicas and seconds', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter, maxReplicas: 2147483647, pausedReplicas: 2147483647, cooldownPeriod: Duration.seconds(2147483647), triggers: [prom()],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.maxReplicaCount).toBe(2147483647);
    expect(so.spec.cooldownPeriod).toBe(2147483647);
  });

  test("scale to zero with scalingModifiers: the composite's activationTarget, not the triggers' activationThreshold", () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      allowScaleToZero: true,
      minReplicas: 0,
      scalingModifiers: { formula: 'queue', target: 5, activationTarget: 1 },
      triggers: [prom({ name: 'queue', query: DynamoMetrics.queueDepth({ deployment: c.dgd }) })],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.advanced.scalingModifiers).toEqual({ formula: 'queue', target: '5', activationTarget: '1' });
  });

  test('scale to zero with a latency quantile is accepted next to a queue-depth trigger', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      allowScaleToZero: true,
      minReplicas: 0,
      triggers: [
        prom({ name: 'ttft', query: DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 0.95 }), activationThreshold: 0.1 }),
        prom({ name: 'queue', query: DynamoMetrics.queueDepth({ deployment: c.dgd }), activationThreshold: 1 }),
      ],
    });
    expect(crdErrors(only(synth(c), 'ScaledObject'))).toEqual([]);
  });

  test('behavior alone keeps the default HPA name', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, scaleDown: { stabilizationWindow: Duration.seconds(60) }, triggers: [prom()] });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.hpaName).toBe('keda-hpa-sglang-agg-decode-scaler');
    expect(so.spec.advanced).toEqual({ horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
  });

  test('defaults: minReplicaCount 1 rendered, maxReplicaCount left to KEDA (100), no durations', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, triggers: [prom()] });
    const so = only(synth(c), 'ScaledObject');
    expect(scaler.minReplicas).toBe(1);
    expect(scaler.maxReplicas).toBe(100);
    expect(scaler.namespace).toBe('default');
    expect(so.spec.minReplicaCount).toBe(1);
    expect(Object.keys(so.spec).sort()).toEqual(['minReplicaCount', 'scaleTargetRef', 'triggers']);
    expect(so.metadata.annotations).toBeUndefined();
  });

  test('scale to zero: opt-in, activation thresholds, idleReplicaCount 0, cron wakes it too', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', {
      target: c.decode.adapter,
      allowScaleToZero: true,
      minReplicas: 0,
      maxReplicas: 4,
      cooldownPeriod: Duration.minutes(10),
      pollingInterval: Duration.seconds(30),
      triggers: [prom({ name: 'q', activationThreshold: 1, threshold: 10 }), cron({ name: 'hours' })],
    });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.cooldownPeriod).toBe(600);
    expect(so.spec.pollingInterval).toBe(30);

    const d = ctx();
    new KedaAutoscaler(d.chart, 'k', {
      target: d.decode.adapter,
      allowScaleToZero: true,
      minReplicas: 1,
      idleReplicaCount: 0,
      triggers: [prom({ activationThreshold: 0.5 })],
    });
    const idle = only(synth(d), 'ScaledObject');
    expect(crdErrors(idle)).toEqual([]);
    expect(idle.spec.idleReplicaCount).toBe(0);
    expect(idle.spec.minReplicaCount).toBe(1);

    const e = ctx();
    new KedaAutoscaler(e.chart, 'k', { target: e.decode.adapter, allowScaleToZero: true, minReplicas: 0, triggers: [cron()] });
    expect(only(synth(e), 'ScaledObject').spec.minReplicaCount).toBe(0);
  });

  test('a target by reference: namespace from the chart when the reference has none', () => {
    const c = ctx();
    const rollout = ScaleTarget.fromReference(c.chart, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'llm-rollout' });
    const scaler = new KedaAutoscaler(c.chart, 'k', { target: rollout, triggers: [prom({ customHeaders: {} })] });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(scaler.name).toBe('llm-rollout-scaler');
    expect(scaler.namespace).toBe('default');
    expect(so.metadata.namespace).toBe('default');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'llm-rollout' });
    expect(so.spec.triggers[0].metadata).toEqual({ serverAddress: PROMETHEUS, query: 'up', threshold: '1' });
  });

  test('a v1beta1 DGD: the adapter is referenced and enabled the v1beta1 way', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'b', { namespace: 'llm' });
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'agg', apiVersion: DynamoApiVersion.V1BETA1, backendFramework: BackendFramework.VLLM });
    const decode = dgd.addService('VllmDecodeWorker', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new KedaAutoscaler(chart, 'k', { target: decode.adapter, triggers: [prom()] });
    const manifests = synth({ app, chart });
    const so = only(manifests, 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.metadata).toEqual({ name: 'agg-vllmdecodeworker-scaler', namespace: 'llm' });
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'agg-vllmdecodeworker' });
    const component = only(manifests, 'DynamoGraphDeployment').spec.components.find((x: any) => x.name === 'VllmDecodeWorker');
    expect(component.scalingAdapter).toEqual({});
    expect(component.replicas).toBeUndefined();
  });

  test('dotted names: a ScaledObject and its hpaName are DNS subdomains (KEDA and Kubernetes accept dots)', () => {
    const c = ctx();
    const scaler = new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, name: 'llm.v2-decode', hpaName: 'llm.v2-decode-hpa', triggers: [prom()] });
    const so = only(synth(c), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(so.metadata.name).toBe('llm.v2-decode');
    expect(scaler.hpaName).toBe('llm.v2-decode-hpa');
  });

  test('a name of exactly 54 characters passes; 55 needs hpaName', () => {
    expect(MAX_SCALED_OBJECT_NAME_LENGTH).toBe(54);
    const c = ctx();
    const ok = new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, name: 'a'.repeat(54), triggers: [prom()] });
    expect(ok.hpaName).toBe(`keda-hpa-${'a'.repeat(54)}`);
    expect(ok.hpaName.length).toBe(63);
    const d = ctx();
    const long = new KedaAutoscaler(d.chart, 'k', { target: d.decode.adapter, name: 'b'.repeat(63), hpaName: 'short-hpa', triggers: [prom()] });
    const so = only(synth(d), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    expect(long.hpaName).toBe('short-hpa');
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.name).toBe('short-hpa');
  });

  test('the CRD check can fail: an unknown field and a numeric threshold are rejected', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, triggers: [prom()] });
    const so = only(synth(c), 'ScaledObject');
    so.spec.minReplicas = 1;
    so.spec.triggers[0].metadata.threshold = 1;
    const errors = crdErrors(so).join('\n');
    expect(errors).toMatch(/'minReplicas' \(pruned by the API server\)/);
    expect(errors).toMatch(/triggers\/0\/metadata\/threshold: must be string/);
    const ta = { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'x' }, spec: { secretTargetRef: [{ parameter: 'p', name: 's' }] } };
    expect(crdErrors(ta).join('\n')).toMatch(/must have required property 'key'/);
  });
});

describe('KedaAutoscaler: errors in the constructor', () => {
  type Build = (c: Ctx) => unknown;
  const keda = (extra: any = {}): Build => (c) => new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, triggers: [prom()], ...extra });
  test.each<[string, Build, RegExp]>([
    ['qualifier not a DNS label', keda({ qualifier: 'Queue' }), /\[c\/k\] 'qualifier' \("Queue"\): must be a DNS label: lower-case letters, digits and '-'/],
    ['name not a DNS label', keda({ name: 'Decode_Scaler' }), /\[c\/k\] 'name' \("Decode_Scaler"\): must be a DNS subdomain: lower-case letters, digits, '-' and '.'/],
    ['name over 63', keda({ name: 'a'.repeat(64), hpaName: 'h' }), /\[c\/k\] DYN201 ScaledObject [^:]+: metadata\.name = "a{64}": is 64 characters; at most 63 \(KEDA's webhook: the name is the 'scaledobject.keda.sh\/name' label value on the HPA it creates\)$/],
    ['name over 54 without hpaName', keda({ name: 'a'.repeat(55) }),
      /\[c\/k\] DYN201 ScaledObject [^:]+: metadata\.name = "a{55}": is 55 characters; KEDA's webhook rejects a ScaledObject whose HPA name 'keda-hpa-<name>' exceeds 63, so at most 54 \(or set 'hpaName'\)/],
    ['default name over 54', (c) => {
      const dgd = new DynamoGraphDeployment(c.chart, 'long', { name: 'a-very-long-deployment-name-for-testing', backendFramework: BackendFramework.VLLM });
      const s = dgd.addService('decodeworker', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      return new KedaAutoscaler(c.chart, 'k', { target: s.adapter, triggers: [prom()] });
    }, /\[c\/k\] DYN201 ScaledObject [^:]+: metadata\.name = "a-very-long-deployment-name-for-testing-decodeworker-scaler": is 59 characters/],
    ['name with a dot over 63', keda({ name: `a.${'b'.repeat(62)}`, hpaName: 'h' }), /\[c\/k\] DYN201 ScaledObject [^:]+: metadata\.name = "a\.b{62}": is 64 characters; at most 63/],
    ['hpaName invalid', keda({ hpaName: 'Bad HPA' }), /\[c\/k\] DYN201 ScaledObject [^:]+: spec\.advanced\.horizontalPodAutoscalerConfig\.name = "Bad HPA": must be a DNS subdomain/],
    ['hpaName over 63', keda({ hpaName: 'h'.repeat(64) }), /\[c\/k\] DYN201 ScaledObject [^:]+: spec\.advanced\.horizontalPodAutoscalerConfig\.name = "h{64}": is 64 characters; at most 63 \(KEDA's webhook limit on the name of the HPA it creates\)/],
    ['minReplicas negative', keda({ minReplicas: -1 }), /\[c\/k\] 'minReplicas' \(-1\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['minReplicas fractional', keda({ minReplicas: 1.5 }), /\[c\/k\] 'minReplicas' \(1.5\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['maxReplicas 0', keda({ maxReplicas: 0 }), /\[c\/k\] 'maxReplicas' \(0\): must be an integer from 1 to 2147483647 \(int32\)/],
    ['idleReplicaCount negative', keda({ idleReplicaCount: -1 }), /\[c\/k\] 'idleReplicaCount' \(-1\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['pausedReplicas negative', keda({ pausedReplicas: -2 }), /\[c\/k\] 'pausedReplicas' \(-2\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['min > max', keda({ minReplicas: 11, maxReplicas: 10 }), /\[c\/k\] DYN202 ScaledObject [^:]+: spec\.minReplicaCount = 11: must be at most maxReplicaCount \(10\) \(the 'minReplicas' prop; 'maxReplicas' is 10\)$/],
    ['min > KEDA default max', keda({ minReplicas: 101 }), /\[c\/k\] DYN202 ScaledObject [^:]+: spec\.minReplicaCount = 101: must be at most maxReplicaCount \(100\) \(the 'minReplicas' prop; 'maxReplicas' is 100, KEDA's default\)/],
    ['no triggers', keda({ triggers: [] }), /\[c\/k\] 'triggers' \(\[\]\): needs at least one trigger \(KedaTrigger.prometheus, .cpu, .memory, .cron\)/],
    ['triggers missing', keda({ triggers: undefined }), /\[c\/k\] 'triggers' \(\[\]\): needs at least one trigger/],
    ['a plain object as trigger', keda({ triggers: [prom(), { type: 'prometheus' }] }), /\[c\/k\] 'triggers\[1\]' \(\{"type":"prometheus"\}\): must be a KedaTrigger/],
    ['duplicate trigger names', keda({ triggers: [prom({ name: 'q' }), cpu({ name: 'q' })] }),
      /\[c\/k\] DYN206 ScaledObject [^:]+: spec\.triggers\[\d\]\.name = "q": another trigger has this name \(trigger names must be unique within a ScaledObject\)/],
    ['minReplicas 0 without opt-in', keda({ minReplicas: 0, triggers: [prom({ activationThreshold: 1 })] }),
      /\[c\/k\] 'minReplicas' \(0\): scales the target to zero; set 'allowScaleToZero: true' to opt in/],
    ['idleReplicaCount 0 without opt-in', keda({ idleReplicaCount: 0, triggers: [prom({ activationThreshold: 1 })] }),
      /\[c\/k\] 'idleReplicaCount' \(0\): scales the target to zero; set 'allowScaleToZero: true' to opt in/],
    ['idleReplicaCount other than 0', keda({ idleReplicaCount: 1, minReplicas: 2 }), /\[c\/k\] 'idleReplicaCount' \(1\): KEDA supports only 0/],
    ['idleReplicaCount not below minReplicas', keda({ allowScaleToZero: true, idleReplicaCount: 0, minReplicas: 0, triggers: [prom({ activationThreshold: 1 })] }),
      /\[c\/k\] 'idleReplicaCount' \(0\): must be less than 'minReplicas' \(0\)/],
    ['minReplicas 0 with only cpu/memory', keda({ allowScaleToZero: true, minReplicas: 0, triggers: [cpu(), KedaTrigger.memory({ metricType: KedaMetricType.AVERAGE_VALUE, value: 1 })] }),
      /\[c\/k\] 'minReplicas' \(0\): a ScaledObject with only cpu\/memory triggers cannot scale to zero \(there are no pods to measure\); add another trigger/],
    ['idleReplicaCount with only cpu', keda({ allowScaleToZero: true, idleReplicaCount: 0, triggers: [cpu()] }),
      /\[c\/k\] 'idleReplicaCount' \(0\): needs a trigger other than cpu\/memory to wake the target up/],
    ['scale to zero without activationThreshold (named)', keda({ allowScaleToZero: true, minReplicas: 0, triggers: [cron(), prom({ name: 'queue' })] }),
      /\[c\/k\] 'triggers.activationThreshold' \(undefined\): scaling to zero needs an activationThreshold on every prometheus trigger \('queue'\), so that noise does not wake the target/],
    ['scale to zero without activationThreshold (unnamed)', keda({ allowScaleToZero: true, idleReplicaCount: 0, triggers: [prom()] }),
      /\[c\/k\] 'triggers.activationThreshold' \(undefined\): scaling to zero needs an activationThreshold on every prometheus trigger, so that/],
    ['fallback with only cpu/memory', keda({ triggers: [cpu()], fallback: { failureThreshold: 3, replicas: 2 } }),
      /\[c\/k\] 'fallback' \(\{"failureThreshold":3,"replicas":2\}\): needs at least one trigger other than cpu\/memory .*unless scalingModifiers are used/],
    ['fallback failureThreshold 0', keda({ fallback: { failureThreshold: 0, replicas: 2 } }), /\[c\/k\] 'fallback.failureThreshold' \(0\): must be an integer from 1 to 2147483647 \(int32\)/],
    ['fallback replicas negative', keda({ fallback: { failureThreshold: 3, replicas: -1 } }), /\[c\/k\] 'fallback.replicas' \(-1\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['fallback replicas above max', keda({ maxReplicas: 5, fallback: { failureThreshold: 3, replicas: 6 } }),
      /\[c\/k\] 'fallback.replicas' \(6\): must not exceed 'maxReplicas' \(5\)/],
    ['maxReplicas beyond int32 (issue 13 item 1)', keda({ maxReplicas: 2 ** 31 }), /\[c\/k\] 'maxReplicas' \(2147483648\): must be an integer from 1 to 2147483647 \(int32\)/],
    ['minReplicas 1e12 (issue 13 item 1)', keda({ minReplicas: 1e12, maxReplicas: 1e12 }), /\[c\/k\] 'minReplicas' \(1000000000000\): must be an integer from 0 to 2147483647 \(int32\)/],
    ['pausedReplicas beyond int32', keda({ pausedReplicas: 2 ** 31 }), /\[c\/k\] 'pausedReplicas' \(2147483648\): must be an integer from 0 to 2147483647/],
    ['fallback.failureThreshold beyond int32', keda({ fallback: { failureThreshold: 2 ** 32, replicas: 1 } }),
      /\[c\/k\] 'fallback.failureThreshold' \(4294967296\): must be an integer from 1 to 2147483647/],
    ['cooldownPeriod beyond int32', keda({ cooldownPeriod: Duration.seconds(2 ** 31) }),
      /\[c\/k\] 'cooldownPeriod' \("2147483648s"\): must be a whole number of seconds, at least 0 and at most 2147483647 \(int32\)/],
    ['scale to zero on TTFT only (issue 13 item 8)', (c) => keda({
      allowScaleToZero: true,
      minReplicas: 0,
      triggers: [prom({ query: DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 0.95 }), activationThreshold: 0.1 })],
    })(c), /\[c\/k\] 'minReplicas' \(0\): scaling to zero needs a trigger with a signal at zero replicas: a latency quantile \(TTFT, ITL, request duration\) has no samples when no replica serves requests, so nothing would scale the target back up \(ai-dynamo\/dynamo #10751\); add a queue-depth or request-rate trigger/],
    ['idle at zero on TTFT and ITL only (issue 13 item 8)', (c) => keda({
      allowScaleToZero: true,
      idleReplicaCount: 0,
      triggers: [
        prom({ name: 'ttft', query: DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 0.95 }), activationThreshold: 0.1 }),
        prom({ name: 'itl', query: DynamoMetrics.itlQuantile({ deployment: c.dgd, quantile: 0.9 }), activationThreshold: 0.01 }),
      ],
    })(c), /\[c\/k\] 'idleReplicaCount' \(0\): scaling to zero needs a trigger with a signal at zero replicas/],
    ['scaleUp tolerance negative', keda({ scaleUp: { tolerance: -0.1 } }), /\[c\/k\] 'scaleUp.tolerance' \(-0.1\): must be a number >= 0 \(a fraction: 0.05 is 5%\)/],
    ['scaleDown tolerance not a number', keda({ scaleDown: { tolerance: '10%' } }), /\[c\/k\] 'scaleDown.tolerance' \("10%"\): must be a number >= 0/],
    ['scalingModifiers: formula names an unknown trigger', keda({ scalingModifiers: { formula: 'queue * 2', target: 2 }, triggers: [prom({ name: 'q' })] }),
      /\[c\/k\] 'scalingModifiers.formula' \("queue \* 2"\): does not compile as KEDA compiles it \(expr-lang\): unknown name queue at position 0 \(the named non-cpu\/memory triggers are q; a formula refers to triggers by name\)/],
    ['scalingModifiers: formula names a cpu trigger', keda({ scalingModifiers: { formula: 'c * 2', target: 2 }, triggers: [prom({ name: 'q' }), cpu({ name: 'c' })] }),
      /'scalingModifiers.formula' \("c \* 2"\): does not compile .*unknown name c/],
    ['scalingModifiers: formula gives a bool', keda({ scalingModifiers: { formula: 'q > 2', target: 2 }, triggers: [prom({ name: 'q' })] }),
      /'scalingModifiers.formula' \("q > 2"\): gives a bool, but KEDA needs a number/],
    ['scalingModifiers: empty formula', keda({ scalingModifiers: { formula: '', target: 2 } }), /'scalingModifiers.formula' \(""\): is required with scalingModifiers/],
    ['scalingModifiers: target 0', keda({ scalingModifiers: { formula: 'q', target: 0 }, triggers: [prom({ name: 'q' })] }),
      /\[c\/k\] 'scalingModifiers.target' \("0"\): must be a number > 0/],
    ['scalingModifiers: target missing', keda({ scalingModifiers: { formula: 'q' }, triggers: [prom({ name: 'q' })] }),
      /'scalingModifiers.target' \(undefined\): is required with a formula/],
    ['scalingModifiers: metricType Utilization', keda({ scalingModifiers: { formula: 'q', target: 1, metricType: KedaMetricType.UTILIZATION }, triggers: [prom({ name: 'q' })] }),
      /'scalingModifiers.metricType' \("Utilization"\): must be AverageValue or Value/],
    ['fallback behavior scalingModifiers without scalingModifiers', keda({ fallback: { failureThreshold: 3, replicas: 1, behavior: KedaFallbackBehavior.SCALING_MODIFIERS } }),
      /\[c\/k\] 'fallback.behavior' \("scalingModifiers"\): scalingModifiers fallback behavior requires scalingModifiers.formula to be defined/],
    ['scale to zero with scalingModifiers but no activationTarget', keda({
      allowScaleToZero: true, minReplicas: 0, scalingModifiers: { formula: 'q', target: 2 }, triggers: [prom({ name: 'q', activationThreshold: 1 })],
    }), /\[c\/k\] 'scalingModifiers.activationTarget' \(undefined\): scaling to zero with scalingModifiers needs an activationTarget: KEDA then wakes the target when the formula's value exceeds it/],
    ['fallback behavior unknown', keda({ fallback: { failureThreshold: 3, replicas: 1, behavior: 'sometimes' } }), /'fallback.behavior' \("sometimes"\): must be one of static, currentReplicas/],
    ['fallback with scalingModifiers and a fractional target', keda({
      fallback: { failureThreshold: 3, replicas: 1 }, scalingModifiers: { formula: 'q', target: 2.5 }, triggers: [prom({ name: 'q' })],
    }), /\[c\/k\] 'scalingModifiers.target' \(2.5\): with scalingModifiers KEDA applies a fallback only when the target is a whole number > 0/],
    ['pollingInterval 0', keda({ pollingInterval: Duration.seconds(0) }), /\[c\/k\] 'pollingInterval' \("0s"\): must be a whole number of seconds, at least 1/],
    ['pollingInterval fractional', keda({ pollingInterval: Duration.millis(1500) }), /\[c\/k\] 'pollingInterval' \("1500ms"\): must be a whole number of seconds, at least 1/],
    ['cooldownPeriod fractional', keda({ cooldownPeriod: Duration.millis(500) }), /\[c\/k\] 'cooldownPeriod' \("500ms"\): must be a whole number of seconds, at least 0/],
    ['cooldownPeriod not a Duration', keda({ cooldownPeriod: 60 }), /\[c\/k\] 'cooldownPeriod' \(60\): must be a cdk8s Duration/],
    ['behavior: empty policies', keda({ scaleUp: { policies: [] } }), /\[c\/k\] 'scaleUp.policies' \(\[\]\): must not be empty/],
    ['behavior: stabilization over an hour', keda({ scaleDown: { stabilizationWindow: Duration.hours(2) } }),
      /\[c\/k\] 'scaleDown.stabilizationWindow' .*must be between 0 seconds and 1 hour/],
  ])('%s', (_name, build, message) => {
    expect(() => build(ctx())).toThrow(message);
  });
});

describe('KedaAutoscaler: conflicts at synth', () => {
  test('two ScaledObjects on one adapter fail, naming both', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'ttft', { target: c.decode.adapter, triggers: [prom()] });
    new KedaAutoscaler(c.chart, 'queue', { target: c.decode.adapter, qualifier: 'queue', triggers: [prom()] });
    expect(() => c.app.synthYaml()).toThrow(
      /\[c\/ttft\] DYN603 ScaledObject default\/sglang-agg-decode-scaler: spec\.scaleTargetRef\.name = "sglang-agg-decode": ScaledObject default\/sglang-agg-decode-queue-scaler already scales DynamoGraphDeploymentScalingAdapter sglang-agg-decode; two autoscalers on one target fight over its replicas \(the other is at c\/queue; at most one autoscaler per target\)/);
    expect(() => c.app.synthYaml()).toThrow(/\[c\/queue\] DYN603 .*: ScaledObject default\/sglang-agg-decode-scaler already scales .*\(the other is at c\/ttft;/);
  });

  test('a ScaledObject and an HPA on one Deployment fail, in either order', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'v', { namespace: 'llm-serving' });
    const deployment = new plus.Deployment(chart, 'vllm', { metadata: { name: 'vllm-deployment' }, containers: [{ image: 'vllm/vllm-openai:latest' }] });
    const target = ScaleTarget.fromWorkload(deployment);
    new HpaAutoscaler(chart, 'hpa', { target, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
    new KedaAutoscaler(chart, 'keda', { target, triggers: [prom()] });
    expect(() => app.synthYaml()).toThrow(
      /\[v\/keda\] DYN603 ScaledObject llm-serving\/vllm-deployment-scaler: spec\.scaleTargetRef\.name = "vllm-deployment": HorizontalPodAutoscaler llm-serving\/vllm-deployment-hpa already scales Deployment vllm-deployment; .*\(the other is at v\/hpa;/);

    const app2 = Testing.app();
    const chart2 = new Chart(app2, 'v', { namespace: 'llm-serving' });
    const deployment2 = new plus.Deployment(chart2, 'vllm', { metadata: { name: 'vllm-deployment' }, containers: [{ image: 'vllm/vllm-openai:latest' }] });
    const target2 = ScaleTarget.fromWorkload(deployment2);
    new KedaAutoscaler(chart2, 'keda', { target: target2, triggers: [prom()] });
    new HpaAutoscaler(chart2, 'hpa', { target: target2, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
    expect(() => app2.synthYaml()).toThrow(/\[v\/keda\] DYN603 .*: HorizontalPodAutoscaler llm-serving\/vllm-deployment-hpa already scales Deployment vllm-deployment; .*\(the other is at v\/hpa;/);
    expect(() => app2.synthYaml()).toThrow(/\[v\/hpa\] DYN603 .*: ScaledObject llm-serving\/vllm-deployment-scaler already scales Deployment vllm-deployment; .*\(the other is at v\/keda;/);
  });

  test('a ScaledObject on a Planner-managed service fails, naming the Planner', () => {
    const c = ctx();
    new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'planner:1.5.1' });
    new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, triggers: [prom()] });
    expect(() => c.app.synthYaml()).toThrow(/\[c\/k\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
  });

  test('a ScaledObject in another namespace than its target fails', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'k', { target: c.decode.adapter, namespace: 'other', triggers: [prom()] });
    expect(() => c.app.synthYaml()).toThrow(
      /\[c\/k\] 'namespace' \("other"\): must equal the namespace of its target DynamoGraphDeploymentScalingAdapter 'default\/sglang-agg-decode'/);
  });

  test('one ScaledObject per target passes, across services', () => {
    const c = ctx();
    new KedaAutoscaler(c.chart, 'a', { target: c.decode.adapter, triggers: [prom()] });
    new KedaAutoscaler(c.chart, 'b', { target: c.frontend.adapter, triggers: [cpu()] });
    expect(() => c.app.synthYaml()).not.toThrow();
  });
});

describe('KedaTrigger: errors', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['serverAddress without scheme', () => prom({ serverAddress: 'prometheus:9090' }),
      /\[KedaTrigger.prometheus\] 'serverAddress' \("prometheus:9090"\): must be an http\(s\) URL of the Prometheus server/],
    ['serverAddress with a space', () => prom({ serverAddress: 'http://a b' }), /'serverAddress' \("http:\/\/a b"\): must be an http\(s\) URL/],
    ['query as a string', () => prom({ query: 'up' }),
      /\[KedaTrigger.prometheus\] 'query' \("up"\): must be a PromQuery \(PromQuery.raw\(...\) or a DynamoMetrics builder\)/],
    ['threshold 0', () => prom({ threshold: 0 }), /\[KedaTrigger.prometheus\] 'threshold' \(0\): must be a number > 0/],
    ['threshold negative', () => prom({ threshold: -1 }), /'threshold' \(-1\): must be a number > 0/],
    ['threshold infinite', () => prom({ threshold: Infinity }), /'threshold' \(Infinity\): must be a number > 0/],
    ['threshold as a string', () => prom({ threshold: '0.5' }), /'threshold' \("0.5"\): must be a number > 0/],
    ['activationThreshold negative', () => prom({ activationThreshold: -0.1 }), /\[KedaTrigger.prometheus\] 'activationThreshold' \(-0.1\): must be a number >= 0/],
    ['metricType Utilization', () => prom({ metricType: KedaMetricType.UTILIZATION }),
      /\[KedaTrigger.prometheus\] 'metricType' \("Utilization"\): prometheus triggers take AverageValue or Value; Utilization is only for cpu and memory/],
    ['metricType unknown', () => prom({ metricType: 'Average' }), /\[KedaTrigger.prometheus\] 'metricType' \("Average"\): must be AverageValue or Value/],
    ['authModes unknown', () => prom({ authModes: ['token'], authentication: KedaAuthentication.triggerAuthentication('a') }),
      /\[KedaTrigger.prometheus\] 'authModes' \("token"\): must be among bearer, basic, tls, custom, apiKey, oauth/],
    ['authModes bearer and basic', () => prom({ authModes: [PrometheusAuthMode.BEARER, PrometheusAuthMode.BASIC], authentication: KedaAuthentication.triggerAuthentication('a') }),
      /\[KedaTrigger.prometheus\] 'authModes' \(\["bearer","basic"\]\): bearer, basic and oauth exclude each other/],
    ['authModes basic and oauth', () => prom({ authModes: [PrometheusAuthMode.OAUTH, PrometheusAuthMode.BASIC], authentication: KedaAuthentication.triggerAuthentication('a') }),
      /'authModes' \(\["oauth","basic"\]\): bearer, basic and oauth exclude each other/],
    ['authModes without authentication', () => prom({ authModes: [PrometheusAuthMode.BEARER] }),
      /\[KedaTrigger.prometheus\] 'authModes' \(\["bearer"\]\): needs 'authentication' \(a TriggerAuthentication with the credentials\); credentials are never rendered inline/],
    ['timeout 0', () => prom({ timeout: Duration.seconds(0) }), /\[KedaTrigger.prometheus\] 'timeout' \("0s"\): must be a positive whole number of milliseconds/],
    ['timeout fractional ms', () => prom({ timeout: Duration.millis(0.5) }), /'timeout' \("0.5ms"\): must be a positive whole number of milliseconds/],
    ['customHeaders key with =', () => prom({ customHeaders: { 'a=b': 'c' } }),
      /\[KedaTrigger.prometheus\] 'customHeaders.a=b' \("c"\): keys may not contain '=' or ',' and values may not contain ','/],
    ['customHeaders value with ,', () => prom({ customHeaders: { a: 'b,c' } }), /'customHeaders.a' \("b,c"\): keys may not contain/],
    ['queryParameters key with ,', () => prom({ queryParameters: { 'a,b': 'c' } }), /'queryParameters.a,b' \("c"\): keys may not contain/],
    ['trigger name invalid', () => prom({ name: 'Queue Depth' }), /\[KedaTrigger.prometheus\] 'name' \("Queue Depth"\): must be letters, digits, '_', '-' and '.', starting with a letter, digit or '_' \(a variable in scalingModifiers.formula takes letters, digits and '_'\)/],
    ['cpu metricType Value', () => cpu({ metricType: KedaMetricType.VALUE }), /\[KedaTrigger.cpu\] 'metricType' \("Value"\): must be Utilization or AverageValue/],
    ['memory metricType missing', () => KedaTrigger.memory({ value: 1 } as any), /\[KedaTrigger.memory\] 'metricType' \(undefined\): must be Utilization or AverageValue/],
    ['cpu value 0', () => cpu({ value: 0 }), /\[KedaTrigger.cpu\] 'value' \(0\): must be a number > 0/],
    ['cpu utilization fractional', () => cpu({ value: 50.5 }), /\[KedaTrigger.cpu\] 'value' \(50.5\): must be an integer >= 1/],
    ['cpu name invalid', () => cpu({ name: '-cpu' }), /\[KedaTrigger.cpu\] 'name' \("-cpu"\)/],
    ['cron timezone unknown', () => cron({ timezone: 'Mars/Olympus_Mons' }),
      /\[KedaTrigger.cron\] 'timezone' \("Mars\/Olympus_Mons"\): must be an IANA time zone such as 'Europe\/Berlin' or 'UTC'/],
    ['cron timezone empty', () => cron({ timezone: '' }), /\[KedaTrigger.cron\] 'timezone' \(""\): must be an IANA time zone/],
    ['cron timezone offset', () => cron({ timezone: '+02:00 ' }), /\[KedaTrigger.cron\] 'timezone' \("\+02:00 "\): must be an IANA time zone/],
    ['cron start with 6 fields', () => cron({ start: '0 0 8 * * 1-5' }),
      /\[KedaTrigger.cron\] 'start' \("0 0 8 \* \* 1-5"\): has 6 fields; KEDA's cron scaler takes exactly 5 fields: minute \(0-59\) hour \(0-23\) day-of-month \(1-31\) month \(1-12 or JAN-DEC\) day-of-week \(0-6 or SUN-SAT\)/],
    ['cron start not a string', () => cron({ start: 8 }), /\[KedaTrigger.cron\] 'start' \(8\): must be a cron expression of 5 fields/],
    ['cron start with 4 fields', () => cron({ start: '0 8 * *' }), /\[KedaTrigger.cron\] 'start' \("0 8 \* \*"\): has 4 fields; KEDA's cron scaler takes exactly 5 fields/],
    ['cron end with garbage', () => cron({ end: '0 18 * * mon;fri' }),
      /\[KedaTrigger.cron\] 'end' \("0 18 \* \* mon;fri"\): day-of-week field: 'mon;fri' in 'mon;fri' is not a number or a name \(SUN-SAT\)/],
    ['cron start hour 24 (issue 8 §4)', () => cron({ start: '0 24 * * *' }),
      /\[KedaTrigger.cron\] 'start' \("0 24 \* \* \*"\): hour field: '24' goes above 23; the hour field takes 0-23/],
    ['cron minute 60', () => cron({ start: '60 8 * * *' }), /'start' \("60 8 \* \* \*"\): minute field: '60' goes above 59; the minute field takes 0-59/],
    ['cron day-of-month 0', () => cron({ end: '0 18 0 * *' }), /'end' \("0 18 0 \* \*"\): day-of-month field: '0' starts below 1; the day-of-month field takes 1-31/],
    ['cron month 13', () => cron({ end: '0 18 * 13 *' }), /'end' \("0 18 \* 13 \*"\): month field: '13' goes above 12; the month field takes 1-12 or JAN-DEC/],
    ['cron day-of-week 7 (robfig has no 7 for Sunday)', () => cron({ end: '0 18 * * 1-7' }),
      /'end' \("0 18 \* \* 1-7"\): day-of-week field: '1-7' goes above 6; the day-of-week field takes 0-6 or SUN-SAT/],
    ['cron reversed range', () => cron({ start: '0 8 * * FRI-MON' }), /'start' \("0 8 \* \* FRI-MON"\): day-of-week field: 'FRI-MON' starts at 5, after its end 1/],
    ['cron step 0', () => cron({ start: '*/0 8 * * *' }), /'start' \("\*\/0 8 \* \* \*"\): minute field: '\*\/0' has step 0/],
    ['cron descriptor', () => cron({ start: '@daily' }), /'start' \("@daily"\): descriptors such as @daily, @hourly or @every are not accepted/],
    ['cron @every', () => cron({ end: '@every 1h' }), /'end' \("@every 1h"\): descriptors such as @daily/],
    ['cron unknown TZ prefix', () => cron({ start: 'TZ=Mars/Base 0 8 * * *' }), /'start' \("TZ=Mars\/Base 0 8 \* \* \*"\): prefix 'TZ=Mars\/Base': 'Mars\/Base' is not a time zone/],
    ['cron TZ prefix alone', () => cron({ start: 'TZ=UTC' }), /'start' \("TZ=UTC"\): has a time zone prefix but no schedule/],
    ['cron field that selects nothing', () => cron({ start: '0 , * * *' }), /'start' \("0 , \* \* \*"\): KEDA's parser accepts it, but the hour field ',' selects no value, so the schedule never fires/],
    ['cron 30 February', () => cron({ start: '0 8 30 2 *' }), /'start' \("0 8 30 2 \*"\): KEDA's parser accepts it, but no selected month has day 30, so the schedule never fires/],
    ['cron end = start', () => cron({ end: '0 8  * * 1-5' }), /\[KedaTrigger.cron\] 'end' \("0 8 {2}\* \* 1-5"\): must differ from 'start'/],
    ['cron desiredReplicas 0', () => cron({ desiredReplicas: 0 }), /\[KedaTrigger.cron\] 'desiredReplicas' \(0\): must be an integer >= 1/],
    ['cron desiredReplicas fractional', () => cron({ desiredReplicas: 1.5 }), /\[KedaTrigger.cron\] 'desiredReplicas' \(1.5\): must be an integer >= 1/],
    ['businessHours startHour 24', () => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, startHour: 24 }),
      /\[KedaTrigger.businessHours\] 'startHour' \(24\): must be an integer from 0 to 23/],
    ['businessHours endHour -1', () => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, endHour: -1 }),
      /\[KedaTrigger.businessHours\] 'endHour' \(-1\): must be an integer from 0 to 23/],
    ['businessHours start = end', () => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, startHour: 9, endHour: 9 }),
      /\[KedaTrigger.businessHours\] 'endHour' \(9\): must differ from 'startHour'/],
    ['businessHours bad time zone', () => KedaTrigger.businessHours({ timezone: 'Berlin', desiredReplicas: 1 }), /\[KedaTrigger.cron\] 'timezone' \("Berlin"\)/],
    ['weekends desiredReplicas 0', () => KedaTrigger.weekends({ timezone: 'UTC', desiredReplicas: 0 }), /\[KedaTrigger.cron\] 'desiredReplicas' \(0\): must be an integer >= 1/],
    ['authentication name invalid', () => KedaAuthentication.triggerAuthentication('Prom Auth'),
      /\[KedaAuthentication.TriggerAuthentication\] 'name' \("Prom Auth"\): must be the name of the authentication object \(a DNS subdomain\)/],
    ['cluster authentication name invalid', () => KedaAuthentication.clusterTriggerAuthentication(''),
      /\[KedaAuthentication.ClusterTriggerAuthentication\] 'name' \(""\): must be the name of the authentication object/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('KedaTriggerAuthentication: errors', () => {
  const ta = (extra: any) => (c: Ctx) => new KedaTriggerAuthentication(c.chart, 'auth', { name: 'a', secretName: 's', parameters: { bearerToken: 't' }, ...extra });
  test.each<[string, (c: Ctx) => unknown, RegExp]>([
    ['name invalid', ta({ name: 'A_B' }), /\[c\/auth\] 'name' \("A_B"\): must be a DNS subdomain/],
    ['secretName invalid', ta({ secretName: 'My Secret' }), /\[c\/auth\] 'secretName' \("My Secret"\): must be the name of a Secret \(a DNS subdomain\)/],
    ['no parameters', ta({ parameters: {} }), /\[c\/auth\] 'parameters' \(\{\}\): needs at least one parameter -> secret key mapping/],
    ['parameters missing', ta({ parameters: undefined }), /\[c\/auth\] 'parameters' \(undefined\): needs at least one parameter/],
    ['secret key invalid', ta({ parameters: { bearerToken: 'my token' } }),
      /\[c\/auth\] 'parameters.bearerToken' \("my token"\): must be a key of the Secret \(letters, digits, -, _ and .\)/],
  ])('%s', (_name, build, message) => {
    expect(() => build(ctx())).toThrow(message);
  });
});

describe('activationThreshold and threshold are independent', () => {
  test('an activationThreshold above the per-pod threshold is allowed (they compare different values for AverageValue)', () => {
    const chart = Testing.chart();
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', namespace: 'ns' });
    const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new KedaAutoscaler(chart, 'k', {
      target: decode.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1, activationThreshold: 2 })],
    });
    const so = Testing.synth(chart).find((m: any) => m.kind === 'ScaledObject');
    expect(so.spec.triggers[0].metadata).toMatchObject({ threshold: '1', activationThreshold: '2' });
  });
});

describe('seed 000 "KEDA with Prometheus"', () => {
  test('examples/keda-prefill-queue reproduces the ScaledObject, less metricName, query whitespace aside', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require('../examples/keda-prefill-queue');
    const app = Testing.app();
    build(app);
    app.synth();
    const so = only(Testing.synth(app.charts[0]), 'ScaledObject');
    expect(crdErrors(so)).toEqual([]);
    const seed = only(seedSection('000', '### KEDA with Prometheus'), 'ScaledObject');
    delete seed.spec.triggers[0].metadata.metricName;
    expect(squash(so.spec.triggers[0].metadata.query)).toBe(squash(seed.spec.triggers[0].metadata.query));
    so.spec.triggers[0].metadata.query = seed.spec.triggers[0].metadata.query;
    expect(so).toEqual(seed);
  });
});
