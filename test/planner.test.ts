import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { PROFILING_DATA, vllmDisaggPlanner } from '../examples/vllm-disagg-planner';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, BackendFramework, DynamoApiVersion, DynamoGraphDeployment,
  DynamoPlanner, DynamoRelease, DynamoService, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PlannerCommandForm, PromQuery, ServiceRole,
} from '../src';
import { crdErrors, loadUpstream, only } from './support';

const UPSTREAM = 'dynamo-v1alpha1/vllm/disagg_planner.yaml';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly prefill: DynamoService;
  readonly decode: DynamoService;
}

/** `null` for a DGD without backendFramework (undefined would take the default). */
function ctx(apiVersion = DynamoApiVersion.V1ALPHA1, backend: BackendFramework | null = BackendFramework.VLLM, release?: DynamoRelease): Ctx {
  const backendFramework = backend ?? undefined;
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'llm-serving' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', apiVersion, backendFramework, release });
  dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND, replicas: 1 });
  const prefill = dgd.addService('prefill', { image: 'runtime:1.5.1', role: ServiceRole.PREFILL, replicas: 2, resources: { limits: { gpu: 1 } } });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE, replicas: 3, resources: { limits: { gpu: 1 } } });
  return { app, chart, dgd, prefill, decode };
}

function synth(c: Ctx): any[] {
  c.app.synth();
  return Testing.synth(c.chart);
}

describe('DynamoPlanner', () => {
  describe('the upstream disagg_planner example', () => {
    // Upstream's placeholder tag, pinned to a release tag as Dynamo 1.5 requires (the example does so).
    const upstream = loadUpstream(UPSTREAM).map((d) => JSON.parse(JSON.stringify(d).replace(/:my-tag"/g, ':1.5.1"')));

    test('v1alpha1: ConfigMap and DGD equal the upstream file exactly', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'vllm-disagg-planner');
      vllmDisaggPlanner(chart, DynamoApiVersion.V1ALPHA1);
      app.synth();
      const manifests = Testing.synth(chart);
      expect(manifests).toHaveLength(2);
      expect(only(manifests, 'ConfigMap')).toEqual(only(upstream, 'ConfigMap'));
      const dgd = only(manifests, 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      expect(dgd).toEqual(only(upstream, 'DynamoGraphDeployment'));
    });

    test('the profiling data is byte-for-byte the upstream ConfigMap data', () => {
      const cm = only(upstream, 'ConfigMap');
      expect(PROFILING_DATA.prefillRawData).toBe(cm.data['prefill_raw_data.json']);
      expect(PROFILING_DATA.decodeRawData).toBe(cm.data['decode_raw_data.json']);
    });

    test('v1beta1: the same graph validates against the v1beta1 CRD, planner as a component', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'vllm-disagg-planner-v1beta1');
      vllmDisaggPlanner(chart, DynamoApiVersion.V1BETA1);
      app.synth();
      const dgd = only(Testing.synth(chart), 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      expect(dgd.apiVersion).toBe('nvidia.com/v1beta1');
      const planner = dgd.spec.components.find((x: any) => x.name === 'Planner');
      expect(planner.type).toBe('planner');
      expect(planner.replicas).toBe(1);
      expect(planner.podTemplate.spec.volumes).toEqual([{ name: 'planner-profile-data', configMap: { name: 'planner-profile-data' } }]);
      expect(planner.podTemplate.spec.containers).toEqual([{
        name: 'main',
        image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.1',
        command: ['python3', '-m', 'dynamo.planner'],
        args: ['--config', '{"environment": "kubernetes", "backend": "vllm", "throughput_adjustment_interval": 60, "profile_results_dir": "/workspace/profiling_results"}'],
        volumeMounts: [{ name: 'planner-profile-data', mountPath: '/workspace/profiling_results', readOnly: true }],
      }]);
      for (const name of ['VllmDecodeWorker', 'VllmPrefillWorker']) {
        const w = dgd.spec.components.find((x: any) => x.name === name);
        expect(w.replicas).toBe(1);
        expect(w.scalingAdapter).toBeUndefined();
      }
    });
  });

  describe('adapters of the managed services', () => {
    test.each([DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1])('%s: enabled by default, replicas left to the planner', (apiVersion) => {
      const c = ctx(apiVersion);
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.prefill, c.decode], image: 'planner:1.5.1' });
      expect(c.prefill.managedByPlanner).toBe(true);
      expect(c.decode.scalingAdapterEnabled).toBe(true);
      const dgd = only(synth(c), 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      const services: any[] = apiVersion === DynamoApiVersion.V1ALPHA1
        ? Object.entries(dgd.spec.services).map(([name, s]: [string, any]) => ({ name, ...s }))
        : dgd.spec.components;
      const byName = (n: string) => services.find((s) => s.name === n);
      for (const n of ['prefill', 'decode']) {
        expect(byName(n).replicas).toBeUndefined();
        expect(byName(n).scalingAdapter).toEqual(apiVersion === DynamoApiVersion.V1ALPHA1 ? { enabled: true } : {});
      }
      expect(byName('Frontend').replicas).toBe(1);
      expect(byName('Frontend').scalingAdapter).toBeUndefined();
      expect(byName('Planner').replicas).toBe(1);
    });

    test('enableAdapters false keeps replicas and registers the planner all the same', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'planner:1.5.1', enableAdapters: false });
      expect(c.decode.managedByPlanner).toBe(true);
      expect(c.decode.scalingAdapterEnabled).toBe(false);
      const dgd = only(synth(c), 'DynamoGraphDeployment');
      expect(dgd.spec.services.decode.replicas).toBe(3);
      expect(dgd.spec.services.decode.scalingAdapter).toBeUndefined();
      expect(dgd.spec.services.prefill.replicas).toBe(2);
    });
  });

  describe('command forms and configuration', () => {
    test('1.0+: config JSON with SLA targets, the DGD\'s backend, interval, Prometheus endpoint', () => {
      const c = ctx(DynamoApiVersion.V1ALPHA1, BackendFramework.SGLANG);
      const planner = new DynamoPlanner(c.dgd, 'planner', {
        manages: [c.prefill, c.decode],
        image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.1.0',
        adjustmentInterval: Duration.minutes(3),
        ttft: Duration.millis(200),
        itl: Duration.millis(20),
        prometheusEndpoint: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090',
        serviceName: 'SlaPlanner',
        profilingConfigMap: 'qwen-profile',
      });
      expect(planner.service.serviceName).toBe('SlaPlanner');
      expect(planner.profilingConfigMap).toBe('qwen-profile');
      const manifests = synth(c);
      expect(manifests.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
      const dgd = only(manifests, 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      const s = dgd.spec.services.SlaPlanner;
      expect(s.componentType).toBe('planner');
      expect(s.replicas).toBe(1);
      expect(s.envs).toEqual([{ name: 'PROMETHEUS_ENDPOINT', value: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090' }]);
      expect(s.extraPodSpec.mainContainer.command).toEqual(['python3', '-m', 'dynamo.planner']);
      expect(s.extraPodSpec.mainContainer.args).toEqual([
        '--config',
        '{"environment": "kubernetes", "backend": "sglang", "throughput_adjustment_interval": 180, "profile_results_dir": "/workspace/profiling_results", "ttft": 200, "itl": 20}',
      ]);
      expect(JSON.parse(s.extraPodSpec.mainContainer.args[1])).toEqual({
        environment: 'kubernetes',
        backend: 'sglang',
        throughput_adjustment_interval: 180,
        profile_results_dir: '/workspace/profiling_results',
        ttft: 200,
        itl: 20,
      });
      expect(s.extraPodSpec.volumes).toEqual([{ name: 'planner-profile-data', configMap: { name: 'qwen-profile' } }]);
      expect(s.extraPodSpec.mainContainer.volumeMounts).toEqual([{ name: 'planner-profile-data', mountPath: '/workspace/profiling_results', readOnly: true }]);
    });

    test('0.8-0.9: planner_sla flags, the default form for those releases', () => {
      const c = ctx(DynamoApiVersion.V1ALPHA1, null, DynamoRelease.V0_9);
      new DynamoPlanner(c.dgd, 'planner', {
        manages: [c.prefill, c.decode],
        image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.9.0',
        backend: BackendFramework.VLLM,
        ttft: Duration.millis(500),
        itl: Duration.millis(50),
      });
      const dgd = only(synth(c), 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      const main = dgd.spec.services.Planner.extraPodSpec.mainContainer;
      expect(main.command).toEqual(['python3', '-m', 'planner_sla']);
      expect(main.args).toEqual([
        '--environment=kubernetes', '--backend=vllm', '--adjustment-interval=60',
        '--profile-results-dir=/workspace/profiling_results', '--ttft=500', '--itl=50',
      ]);
    });

    test('the command form follows the release: 1.0 onward the config JSON; a form the release does not run is refused', () => {
      const c10 = ctx(DynamoApiVersion.V1ALPHA1, BackendFramework.VLLM, DynamoRelease.V1_0);
      new DynamoPlanner(c10.dgd, 'planner', { manages: [c10.decode], image: 'p:1.0.0' });
      expect(only(synth(c10), 'DynamoGraphDeployment').spec.services.Planner.extraPodSpec.mainContainer.command).toEqual(['python3', '-m', 'dynamo.planner']);
      const c15 = ctx();
      expect(() => new DynamoPlanner(c15.dgd, 'planner', { manages: [c15.decode], image: 'p:1.5.1', commandForm: PlannerCommandForm.PLANNER_SLA_FLAGS })).toThrow(
        /^\[c\/dgd\/planner\] 'commandForm' \("planner-sla-flags"\): the planner of Dynamo 1\.5 runs the config-json form \(config JSON from 1\.0\); leave 'commandForm' out, or set the DGD's 'release' to the operator's$/);
      const c09 = ctx(DynamoApiVersion.V1ALPHA1, BackendFramework.VLLM, DynamoRelease.V0_9);
      expect(() => new DynamoPlanner(c09.dgd, 'planner', { manages: [c09.decode], image: 'p:0.9.0', commandForm: PlannerCommandForm.CONFIG_JSON })).toThrow(
        /'commandForm' \("config-json"\): the planner of Dynamo 0\.9 runs the planner-sla-flags form \(planner_sla flags before 1\.0\)/);
    });

    test('props that are not an object', () => {
      const c = ctx();
      expect(() => new DynamoPlanner(c.dgd, 'planner', undefined as any)).toThrow(
        /^\[c\/dgd\/planner\] 'props' \(undefined\): must be an object of DynamoPlannerProps/);
    });

    test('Dynamo 1.5: the planner image needs a version tag or runtimeVersionOverride', () => {
      const c = ctx();
      expect(() => new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag' })).toThrow(
        /^\[c\/dgd\/Planner\] DYN102 DynamoGraphDeployment llm-serving\/llm: spec\.services\.Planner\.extraPodSpec\.mainContainer\.image = "nvcr\.io\/nvidia\/ai-dynamo\/dynamo-planner:my-tag": component 'Planner': image tag "my-tag" must contain a semantic version/);
      const ok = ctx(DynamoApiVersion.V1BETA1);
      new DynamoPlanner(ok.dgd, 'planner', { manages: [ok.decode], image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag', runtimeVersionOverride: '1.5.1' });
      const dgd = only(synth(ok), 'DynamoGraphDeployment');
      expect(dgd.spec.components.find((x: any) => x.name === 'Planner').runtimeVersionOverride).toBe('1.5.1');
      expect(crdErrors(dgd)).toEqual([]);
    });

    test('the ConfigMap from profiling data lands in the DGD\'s namespace under the mounted name', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1', profilingData: PROFILING_DATA, profilingConfigMap: 'llm-profile' });
      const cm = only(synth(c), 'ConfigMap');
      expect(cm.metadata).toEqual({ name: 'llm-profile', namespace: 'llm-serving' });
      expect(Object.keys(cm.data).sort()).toEqual(['decode_raw_data.json', 'prefill_raw_data.json']);
    });
  });

  describe('no other autoscaler on a managed service (reported at synth)', () => {
    test('HPA', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
      expect(() => c.app.synth()).toThrow(/\[c\/hpa\] 'target' \("DynamoGraphDeploymentScalingAdapter 'llm-serving\/llm-decode'"\): the Dynamo Planner \(c\/dgd\/planner\) already manages this service/);
    });

    test('KEDA, also with the adapters left off', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.prefill], image: 'p:1.5.1', enableAdapters: false });
      new KedaAutoscaler(c.chart, 'keda', {
        target: c.prefill.adapter,
        triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      });
      expect(() => c.app.synth()).toThrow(/\[c\/keda\] 'target' .*the Dynamo Planner \(c\/dgd\/planner\) already manages this service/);
    });

    test('AIBrix', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      new AibrixAutoscaler(c.chart, 'pa', {
        target: c.decode.adapter,
        strategy: AibrixScalingStrategy.APA,
        maxReplicas: 4,
        metrics: [AibrixMetricSource.pod({ metric: 'm', targetValue: 1, port: 9090 })],
      });
      expect(() => c.app.synth()).toThrow(/\[c\/pa\] 'target' .*the Dynamo Planner \(c\/dgd\/planner\) already manages this service/);
    });

    test('an autoscaler on an unmanaged service of the same DGD is fine', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      new HpaAutoscaler(c.chart, 'hpa', { target: c.dgd.service('Frontend').adapter, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
      expect(() => c.app.synth()).not.toThrow();
    });
  });

  describe('errors', () => {
    const rows: Array<[string, (c: Ctx) => unknown, RegExp]> = [
      ['backend differs from the DGD\'s', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', backend: BackendFramework.TRTLLM }),
        /\[c\/dgd\/p\] 'backend' \("trtllm"\): must match the DGD's backendFramework \(vllm\)/],
      ['no backend anywhere', () => {
        const c = ctx(DynamoApiVersion.V1ALPHA1, null);
        return new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1' });
      }, /'backend' \(undefined\): must be one of vllm, sglang, trtllm \(or set backendFramework on the DGD\)/],
      ['unknown command form', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', commandForm: 'v2' as any }),
        /'commandForm' \("v2"\): must be one of config-json, planner-sla-flags/],
      ['interval not whole seconds', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', adjustmentInterval: Duration.millis(1500) }),
        /'adjustmentInterval' \("1500ms"\): must be a whole number of seconds, at least 1 second/],
      ['ttft fractional ms', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', ttft: Duration.millis(0.5) }),
        /'ttft' \("0.5ms"\): must be a whole number of milliseconds/],
      ['prometheus endpoint without scheme', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', prometheusEndpoint: 'prometheus:9090' }),
        /'prometheusEndpoint' \("prometheus:9090"\): must be an http\(s\) URL/],
      ['planner service name taken', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', serviceName: 'Decode' }),
        /DYN108 .*: spec\.services\.Decode = "Decode": service 'Decode' and service 'decode' differ only by case/],
    ];
    test.each(rows)('%s', (_name, fn, message) => {
      expect(() => fn(ctx())).toThrow(message);
    });
  });
});
