import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixProtocol, AibrixResource, AibrixScalingStrategy, BackendFramework,
  DynamoGraphDeployment, DynamoNames, DynamoPlanner, DynamoService, HpaAutoscaler, ScaleTarget, ServiceRole,
} from '../src';
import { crdErrors, only } from './support';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly decode: DynamoService;
  readonly prefill: DynamoService;
  readonly deployment: plus.Deployment;
}

function ctx(): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', backendFramework: BackendFramework.VLLM });
  dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 1 });
  const decode = dgd.addService('VllmDecodeWorker', { image: 'runtime:1.5.1', role: ServiceRole.DECODE, replicas: 2 });
  const prefill = dgd.addService('VllmPrefillWorker', { image: 'runtime:1.5.1', role: ServiceRole.PREFILL, replicas: 1 });
  const deployment = new plus.Deployment(chart, 'vllm', {
    metadata: { name: 'vllm-deployment' },
    replicas: 2,
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', portNumber: 8000 }],
  });
  return { app, chart, dgd, decode, prefill, deployment };
}

const podMetric = () => AibrixMetricSource.pod({ metric: 'vllm:num_requests_waiting', targetValue: 10, port: 8000 });
const externalMetric = () => AibrixMetricSource.external({
  metric: 'vllm:deployment_replicas', targetValue: 1, endpoint: 'aibrix-gpu-optimizer.aibrix-system.svc:8080', path: '/metrics/llm-serving/vllm-deployment',
});

function synth(c: Ctx): any[] {
  c.app.synth();
  return Testing.synth(c.chart);
}

describe('AibrixAutoscaler', () => {
  test('KPA on a cdk8s-plus Deployment: spec, default name, replicas left to the autoscaler', () => {
    const c = ctx();
    const pa = new AibrixAutoscaler(c.chart, 'kpa', {
      target: ScaleTarget.fromWorkload(c.deployment),
      strategy: AibrixScalingStrategy.KPA,
      maxReplicas: 8,
      metrics: [podMetric()],
    });
    const manifests = synth(c);
    const m = only(manifests, 'PodAutoscaler');
    expect(crdErrors(m)).toEqual([]);
    expect(pa.name).toBe('vllm-deployment-pa');
    expect(pa.hpaName).toBeUndefined();
    expect(m.apiVersion).toBe('autoscaling.aibrix.ai/v1alpha1');
    expect(m.metadata).toEqual({ name: 'vllm-deployment-pa', namespace: 'llm-serving' });
    expect(m.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' },
      minReplicas: 1,
      maxReplicas: 8,
      scalingStrategy: 'KPA',
      metricsSources: [{
        metricSourceType: 'pod',
        protocolType: 'http',
        path: 'metrics',
        port: '8000',
        targetMetric: 'vllm:num_requests_waiting',
        targetValue: '10',
      }],
    });
    expect(only(manifests, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('HPA strategy: exposes the HPA AIBrix creates; resource metric has no endpoint', () => {
    const c = ctx();
    const pa = new AibrixAutoscaler(c.chart, 'hpa', {
      target: ScaleTarget.fromWorkload(c.deployment),
      strategy: AibrixScalingStrategy.HPA,
      qualifier: 'cpu',
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [AibrixMetricSource.resource({ resource: AibrixResource.CPU, targetValue: 10 })],
      scaleDownCooldownWindow: Duration.minutes(5),
    });
    const m = only(synth(c), 'PodAutoscaler');
    expect(crdErrors(m)).toEqual([]);
    expect(pa.name).toBe('vllm-deployment-cpu-pa');
    expect(pa.hpaName).toBe('vllm-deployment-cpu-pa-hpa');
    expect(pa.hpaName).toBe(DynamoNames.aibrixHpaName(pa.name));
    expect(m.spec.metricsSources).toEqual([{ metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '10' }]);
    expect(m.metadata.annotations).toEqual({ 'autoscaling.aibrix.ai/scale-down-cooldown-window': '300s' });
  });

  test('APA on a Dynamo decode service: adapter target, adapter enabled, replicas left out', () => {
    const c = ctx();
    const pa = new AibrixAutoscaler(c.chart, 'apa', {
      target: c.decode.adapter,
      strategy: AibrixScalingStrategy.APA,
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [AibrixMetricSource.pod({ metric: 'vllm:kv_cache_usage_perc', targetValue: 0.7, port: 9090, path: '/metrics', protocol: AibrixProtocol.HTTPS })],
      scaleUpTolerance: 0.2,
      scaleDownTolerance: 0.3,
    });
    const manifests = synth(c);
    const m = only(manifests, 'PodAutoscaler');
    expect(crdErrors(m)).toEqual([]);
    expect(pa.name).toBe('llm-vllmdecodeworker-pa');
    expect(m.spec.scaleTargetRef).toEqual({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-vllmdecodeworker' });
    expect(m.spec.metricsSources[0]).toEqual({
      metricSourceType: 'pod', protocolType: 'https', path: '/metrics', port: '9090', targetMetric: 'vllm:kv_cache_usage_perc', targetValue: '0.7',
    });
    expect(m.metadata.annotations).toEqual({
      'autoscaling.aibrix.ai/scale-up-tolerance': '0.2',
      'autoscaling.aibrix.ai/scale-down-tolerance': '0.3',
    });
    const dgd = only(manifests, 'DynamoGraphDeployment');
    expect(crdErrors(dgd)).toEqual([]);
    expect(dgd.spec.services.VllmDecodeWorker.scalingAdapter).toEqual({ enabled: true });
    expect(dgd.spec.services.VllmDecodeWorker.replicas).toBeUndefined();
    expect(dgd.spec.services.VllmPrefillWorker.replicas).toBe(1);
  });

  test('every tuning annotation by its current key, never the ignored kpa./apa. keys', () => {
    const c = ctx();
    new AibrixAutoscaler(c.chart, 'kpa', {
      target: c.decode.adapter,
      strategy: AibrixScalingStrategy.KPA,
      minReplicas: 0,
      maxReplicas: 4,
      allowScaleToZero: true,
      metrics: [podMetric(), externalMetric()],
      maxScaleUpRate: 3,
      maxScaleDownRate: 1.5,
      scaleUpTolerance: 0,
      scaleDownTolerance: 0.1,
      panicThreshold: 2.5,
      scaleUpCooldownWindow: Duration.seconds(30),
      scaleDownCooldownWindow: Duration.seconds(0),
    });
    const m = only(synth(c), 'PodAutoscaler');
    expect(crdErrors(m)).toEqual([]);
    expect(m.metadata.annotations).toEqual({
      'autoscaling.aibrix.ai/max-scale-up-rate': '3',
      'autoscaling.aibrix.ai/max-scale-down-rate': '1.5',
      'autoscaling.aibrix.ai/scale-up-tolerance': '0',
      'autoscaling.aibrix.ai/scale-down-tolerance': '0.1',
      'autoscaling.aibrix.ai/panic-threshold': '2.5',
      'autoscaling.aibrix.ai/scale-up-cooldown-window': '30s',
      'autoscaling.aibrix.ai/scale-down-cooldown-window': '0s',
      'autoscaling.aibrix.ai/scale-to-zero': 'true',
    });
    expect(Object.keys(m.metadata.annotations).every((k) => k.startsWith('autoscaling.aibrix.ai/'))).toBe(true);
    expect(m.spec.minReplicas).toBe(0);
    expect(m.spec.metricsSources[1]).toEqual({
      metricSourceType: 'external',
      protocolType: 'http',
      endpoint: 'aibrix-gpu-optimizer.aibrix-system.svc:8080',
      path: '/metrics/llm-serving/vllm-deployment',
      targetMetric: 'vllm:deployment_replicas',
      targetValue: '1',
    });
  });

  test('custom metric source renders only what is given; explicit name and namespace', () => {
    const c = ctx();
    new AibrixAutoscaler(c.chart, 'apa', {
      target: c.prefill.adapter,
      strategy: AibrixScalingStrategy.APA,
      name: 'prefill-apa',
      namespace: 'llm-serving',
      maxReplicas: 3,
      metrics: [AibrixMetricSource.custom({ metric: 'queue_depth', targetValue: 5 }),
        AibrixMetricSource.custom({ metric: 'q', targetValue: 2.5, endpoint: 'svc:1', path: 'm', port: 81, protocol: AibrixProtocol.HTTP })],
    });
    const m = only(synth(c), 'PodAutoscaler', 'prefill-apa');
    expect(crdErrors(m)).toEqual([]);
    expect(m.metadata.annotations).toBeUndefined();
    expect(m.spec.metricsSources).toEqual([
      { metricSourceType: 'custom', targetMetric: 'queue_depth', targetValue: '5' },
      { metricSourceType: 'custom', protocolType: 'http', endpoint: 'svc:1', path: 'm', port: '81', targetMetric: 'q', targetValue: '2.5' },
    ]);
  });

  test('the CRD check can fail: a numeric targetValue is rejected', () => {
    const c = ctx();
    new AibrixAutoscaler(c.chart, 'kpa', { target: c.decode.adapter, strategy: AibrixScalingStrategy.KPA, maxReplicas: 2, metrics: [podMetric()] });
    const m = only(synth(c), 'PodAutoscaler');
    m.spec.metricsSources[0].targetValue = 10;
    expect(crdErrors(m).join('\n')).toMatch(/targetValue: must be string/);
  });

  describe('conflicts at synth', () => {
    test('AIBrix on a Planner-managed service fails, naming the Planner', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.prefill, c.decode], image: 'planner:1.5.1' });
      new AibrixAutoscaler(c.chart, 'kpa', { target: c.decode.adapter, strategy: AibrixScalingStrategy.KPA, maxReplicas: 4, metrics: [podMetric()] });
      expect(() => c.app.synth()).toThrow(
        /\[c\/kpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
    });

    test('the Planner added after AIBrix fails the same way', () => {
      const c = ctx();
      new AibrixAutoscaler(c.chart, 'kpa', { target: c.decode.adapter, strategy: AibrixScalingStrategy.KPA, maxReplicas: 4, metrics: [podMetric()] });
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'planner:1.5.1' });
      expect(() => c.app.synth()).toThrow(/\[c\/kpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
    });

    test('AIBrix and an HPA on one Deployment fail, naming both', () => {
      const c = ctx();
      const target = ScaleTarget.fromWorkload(c.deployment);
      new AibrixAutoscaler(c.chart, 'kpa', { target, strategy: AibrixScalingStrategy.KPA, maxReplicas: 4, metrics: [podMetric()] });
      new HpaAutoscaler(c.chart, 'hpa', { target, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
      expect(() => c.app.synth()).toThrow(/\[c\/kpa\] DYN603 PodAutoscaler .*: HorizontalPodAutoscaler [^ ]*\/vllm-deployment-hpa already scales Deployment vllm-deployment; .*\(the other is at c\/hpa;/);
    });

    test('namespace different from the target fails', () => {
      const c = ctx();
      new AibrixAutoscaler(c.chart, 'kpa', { target: c.decode.adapter, namespace: 'other', strategy: AibrixScalingStrategy.KPA, maxReplicas: 4, metrics: [podMetric()] });
      expect(() => c.app.synth()).toThrow(/\[c\/kpa\] 'namespace' \("other"\): must equal the namespace of its target/);
    });
  });

  describe('errors', () => {
    const base = (c: Ctx, extra: any = {}) => new AibrixAutoscaler(c.chart, 'pa', {
      target: c.decode.adapter, strategy: AibrixScalingStrategy.KPA, maxReplicas: 4, metrics: [podMetric()], ...extra,
    });
    const rows: Array<[string, (c: Ctx) => unknown, RegExp]> = [
      ['unknown strategy', (c) => base(c, { strategy: 'VPA' }), /\[c\/pa\] 'strategy' \("VPA"\): must be one of KPA, HPA, APA/],
      ['bad qualifier', (c) => base(c, { qualifier: 'A_B' }), /'qualifier' \("A_B"\): must be a DNS label: lower-case/],
      ['bad name', (c) => base(c, { name: 'Bad' }), /'name' \("Bad"\): must be a DNS subdomain/],
      ['HPA name too long', (c) => base(c, { strategy: AibrixScalingStrategy.HPA, name: 'a'.repeat(250) }), /\[c\/pa\] 'name' \("a{250}"\): is 250 characters; AIBrix's HPA strategy creates the HPA '<name>-hpa', and an HPA name is at most 253, so at most 249/],
      ['name over 253', (c) => base(c, { name: 'a'.repeat(254) }), /\[c\/pa\] 'name' \("a{254}"\): is 254 characters; at most 253/],
      ['maxReplicas 0', (c) => base(c, { maxReplicas: 0 }), /'maxReplicas' \(0\): must be an integer from 1 to 2147483647 \(int32\)/],
      ['maxReplicas fractional', (c) => base(c, { maxReplicas: 1.5 }), /'maxReplicas' \(1.5\): must be an integer from 1 to 2147483647/],
      ['maxReplicas beyond int32 (issue 13 item 1)', (c) => base(c, { maxReplicas: 3e9 }), /\[c\/pa\] 'maxReplicas' \(3000000000\): must be an integer from 1 to 2147483647 \(int32\)/],
      ['maxReplicas missing', (c) => base(c, { maxReplicas: undefined }), /\[c\/pa\] 'maxReplicas' \(undefined\): must be an integer from 1 to 2147483647/],
      ['minReplicas negative', (c) => base(c, { minReplicas: -1 }), /'minReplicas' \(-1\): must be an integer from 0 to 2147483647 \(int32\)/],
      ['minReplicas beyond int32', (c) => base(c, { minReplicas: 2 ** 31, maxReplicas: 2 ** 31 }), /'maxReplicas' \(2147483648\): must be an integer from 1 to 2147483647/],
      ['scale to zero on latency metrics only (issue 13 item 8)', (c) => base(c, {
        minReplicas: 0,
        allowScaleToZero: true,
        metrics: [
          AibrixMetricSource.external({ metric: 'dynamo_frontend_time_to_first_token_seconds_p95', targetValue: 0.5, endpoint: 'metrics.svc:8080', path: '/ttft' }),
          AibrixMetricSource.custom({ metric: 'itl_p90', targetValue: 0.05 }),
          podMetric(),
        ],
      }), /\[c\/pa\] 'metrics' \(\["dynamo_frontend_time_to_first_token_seconds_p95","itl_p90","vllm:num_requests_waiting"\]\): scaling to zero needs a metric with a signal at zero replicas: a latency metric \(TTFT, ITL, request duration\) has no samples .*#10751/],
      ['min > max', (c) => base(c, { minReplicas: 5 }), /'minReplicas' \(5\): must be less than or equal to 'maxReplicas' \(4\)/],
      ['no metrics', (c) => base(c, { metrics: [] }), /'metrics' \(\[\]\): needs at least one metric source/],
      ['metrics not a source', (c) => base(c, { metrics: [{ metricSourceType: 'pod' }] }), /'metrics\[0\]' .*must be an AibrixMetricSource/],
      ['minReplicas 0 without opt-in', (c) => base(c, { minReplicas: 0 }), /'minReplicas' \(0\): must be >= 1; scaling to zero is opt-in/],
      ['scale to zero on HPA', (c) => base(c, { strategy: AibrixScalingStrategy.HPA, minReplicas: 0, allowScaleToZero: true }),
        /'allowScaleToZero' \(true\): applies to the KPA and APA strategies only/],
      ['scale to zero with minReplicas 1', (c) => base(c, { allowScaleToZero: true, metrics: [externalMetric()] }),
        /'allowScaleToZero' \(true\): needs 'minReplicas' 0 \(got 1\)/],
      ['scale to zero on pod metrics only', (c) => base(c, { minReplicas: 0, allowScaleToZero: true }),
        /'metrics' \(\["pod"\]\): scaling to zero needs at least one external or custom metric/],
      ['scale-up rate 1', (c) => base(c, { maxScaleUpRate: 1 }), /'maxScaleUpRate' \(1\): must be a number > 1/],
      ['scale-down rate NaN', (c) => base(c, { maxScaleDownRate: NaN }), /'maxScaleDownRate' \(NaN\): must be a number > 1/],
      ['negative tolerance', (c) => base(c, { scaleDownTolerance: -0.1 }), /'scaleDownTolerance' \(-0.1\): must be a number >= 0/],
      ['tolerance on HPA', (c) => base(c, { strategy: AibrixScalingStrategy.HPA, scaleUpTolerance: 0.1 }),
        /'scaleUpTolerance' \(0.1\): applies to the KPA and APA strategies only/],
      ['panic threshold on APA', (c) => base(c, { strategy: AibrixScalingStrategy.APA, panicThreshold: 2 }),
        /'panicThreshold' \(2\): applies to the KPA strategy only; AIBrix ignores it for APA/],
      ['panic threshold 0.5', (c) => base(c, { panicThreshold: 0.5 }), /'panicThreshold' \(0.5\): must be a number > 1/],
      ['cooldown not whole seconds', (c) => base(c, { scaleUpCooldownWindow: Duration.millis(1500) }),
        /'scaleUpCooldownWindow' \("1500ms"\): must be a whole number of seconds, 0 or more/],
      ['cooldown not a Duration', (c) => base(c, { scaleDownCooldownWindow: 300 }), /'scaleDownCooldownWindow' \(300\): must be a cdk8s Duration/],
    ];
    test.each(rows)('%s', (_name, fn, message) => {
      expect(() => fn(ctx())).toThrow(message);
    });
  });

  describe('metric source errors', () => {
    const rows: Array<[string, () => unknown, RegExp]> = [
      ['pod port 0', () => AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 0 }), /\[AibrixMetricSource.pod\] 'port' \(0\): must be an integer from 1 to 65535/],
      ['pod port too big', () => AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 70000 }), /'port' \(70000\)/],
      ['pod empty path', () => AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 80, path: '' }), /\[AibrixMetricSource.pod\] 'path' \(""\): must be a non-empty string/],
      ['pod empty metric', () => AibrixMetricSource.pod({ metric: ' ', targetValue: 1, port: 80 }), /'metric' \(" "\): must be a non-empty string/],
      ['pod unknown protocol', () => AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 80, protocol: 'grpc' as any }), /'protocol' \("grpc"\): must be one of http, https/],
      ['targetValue 0', () => AibrixMetricSource.pod({ metric: 'm', targetValue: 0, port: 80 }), /'targetValue' \(0\): must be a number > 0/],
      ['targetValue negative', () => AibrixMetricSource.resource({ resource: AibrixResource.MEMORY, targetValue: -1 }), /\[AibrixMetricSource.resource\] 'targetValue' \(-1\): must be a number > 0/],
      ['targetValue Infinity', () => AibrixMetricSource.custom({ metric: 'm', targetValue: Infinity }), /'targetValue' \(Infinity\): must be a number > 0/],
      ['resource gpu', () => AibrixMetricSource.resource({ resource: 'gpu' as any, targetValue: 1 }), /'resource' \("gpu"\): must be one of cpu, memory/],
      ['external without endpoint', () => AibrixMetricSource.external({ metric: 'm', targetValue: 1, endpoint: '', path: '/x' }), /\[AibrixMetricSource.external\] 'endpoint' \(""\): must be a non-empty string/],
      ['external without path', () => AibrixMetricSource.external({ metric: 'm', targetValue: 1, endpoint: 'e', path: undefined as any }), /'path' \(undefined\): must be a non-empty string/],
      ['custom bad port', () => AibrixMetricSource.custom({ metric: 'm', targetValue: 1, port: 1.5 }), /\[AibrixMetricSource.custom\] 'port' \(1.5\)/],
    ];
    test.each(rows)('%s', (_name, fn, message) => {
      expect(fn).toThrow(message);
    });
  });
});

describe('AIBrix example apps', () => {
  function run(example: string): any[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`../examples/${example}`);
    const app = Testing.app();
    mod.build(app);
    app.synth();
    return app.charts.flatMap((c) => Testing.synth(c));
  }

  test('seed 003 HPA: the seed\'s names, for the PodAutoscaler and the HPA AIBrix creates', () => {
    const m = only(run('aibrix-hpa'), 'PodAutoscaler');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(DynamoNames.aibrixHpaName(m.metadata.name)).toBe(require('../examples/aibrix-hpa').AIBRIX_HPA_NAME);
    expect(m.metadata.name).toBe('podautoscaler-example');
    expect(m.spec.scalingStrategy).toBe('HPA');
    expect(m.spec.metricsSources).toEqual([{ metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '10' }]);
  });

  test('seed 003 KPA: pod metric on the vLLM port', () => {
    const manifests = run('aibrix-kpa');
    const m = only(manifests, 'PodAutoscaler', 'podautoscaler-example-mock-llama');
    expect(m.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm-deployment' });
    expect(m.spec.metricsSources[0].port).toBe('8000');
    expect(only(manifests, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('APA on the Deployment and on a Dynamo decode worker', () => {
    const manifests = run('aibrix-apa');
    expect(only(manifests, 'PodAutoscaler', 'vllm-deployment-pa').spec.scalingStrategy).toBe('APA');
    const decode = only(manifests, 'PodAutoscaler', 'vllm-disagg-vllmdecodeworker-pa');
    expect(decode.metadata.namespace).toBe('llm-serving');
    expect(decode.spec.scaleTargetRef).toEqual({
      apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'vllm-disagg-vllmdecodeworker',
    });
    const dgd = only(manifests, 'DynamoGraphDeployment');
    expect(dgd.spec.services.VllmDecodeWorker.scalingAdapter).toEqual({ enabled: true });
    expect(dgd.spec.services.VllmDecodeWorker.replicas).toBeUndefined();
    expect(dgd.spec.services.VllmPrefillWorker.replicas).toBe(1);
  });
});
