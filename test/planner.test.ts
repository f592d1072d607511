import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { PROFILING_DATA, vllmDisaggPlanner } from '../examples/vllm-disagg-planner';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixScalingStrategy, BackendFramework, DynamoApiVersion, DynamoGraphDeployment,
  DynamoLint, DynamoPlanner, DynamoRelease, DynamoService, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PlannerCommandForm, PlannerMode, PromQuery,
  ServiceRole,
} from '../src';
import { crdErrors, loadUpstream, only } from './support';
import { PlannerModeSource, readPlannerMode } from '../src/core/planner-mode';

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

  describe('mode: derived from manages, written in the config JSON', () => {
    const plannerMain = (c: Ctx) => only(synth(c), 'DynamoGraphDeployment').spec.services.Planner.extraPodSpec.mainContainer;
    const config = (c: Ctx) => JSON.parse(plannerMain(c).args[1]);
    const withWorker = () => {
      const c = ctx();
      return { c, worker: c.dgd.addService('worker', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, resources: { limits: { gpu: 1 } } }) };
    };

    test('prefill + decode: disagg, the Planner\'s default, left out of the config (output unchanged)', () => {
      const c = ctx();
      const p = new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode, c.prefill], image: 'p:1.5.1' });
      expect(p.mode).toBe(PlannerMode.DISAGG);
      const args = plannerMain(c).args;
      expect(args[1]).toBe('{"environment": "kubernetes", "backend": "vllm", "throughput_adjustment_interval": 60, "profile_results_dir": "/workspace/profiling_results"}');
      expect(JSON.parse(args[1]).mode).toBeUndefined();
    });

    test.each([
      ['decode', PlannerMode.DECODE],
      ['prefill', PlannerMode.PREFILL],
    ] as const)('only %s: mode %s, right after the backend; only that service is the Planner\'s', (role, mode) => {
      const c = ctx();
      const managed = c[role];
      const other = role === 'decode' ? c.prefill : c.decode;
      const p = new DynamoPlanner(c.dgd, 'planner', { manages: [managed], image: 'p:1.5.1' });
      expect(p.mode).toBe(mode);
      expect(managed.managedByPlanner).toBe(true);
      expect(other.managedByPlanner).toBe(false);
      expect(Object.keys(config(c))).toEqual(['environment', 'backend', 'mode', 'throughput_adjustment_interval', 'profile_results_dir']);
      expect(config(c).mode).toBe(mode);
    });

    test('the other service takes another autoscaler: KEDA on prefill beside a decode-mode Planner synthesizes, and lints clean', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      new KedaAutoscaler(c.chart, 'keda', {
        target: c.prefill.adapter,
        triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      });
      const manifests = synth(c);
      expect(only(manifests, 'ScaledObject').spec.scaleTargetRef.name).toBe('llm-prefill');
      expect(DynamoLint.checkManifests(manifests).findings).toEqual([]);
      // The same set with the Planner's mode taken out of its config (disagg) breaks DYN603.
      const dgd = only(manifests, 'DynamoGraphDeployment');
      const main = dgd.spec.services.Planner.extraPodSpec.mainContainer;
      main.args[1] = main.args[1].replace('"mode": "decode", ', '');
      expect(DynamoLint.checkManifests(manifests).findings.map((f) => `${f.ruleId} ${f.object.name}`)).toEqual([`DYN603 ${only(manifests, 'ScaledObject').metadata.name}`]);
    });

    test('one aggregated worker: agg', () => {
      const { c, worker } = withWorker();
      const p = new DynamoPlanner(c.dgd, 'planner', { manages: [worker], image: 'p:1.5.1' });
      expect(p.mode).toBe(PlannerMode.AGG);
      expect(config(c).mode).toBe('agg');
      expect(c.decode.managedByPlanner).toBe(false);
    });

    test('v1beta1 carries the same config', () => {
      const c = ctx(DynamoApiVersion.V1BETA1);
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      const dgd = only(synth(c), 'DynamoGraphDeployment');
      expect(crdErrors(dgd)).toEqual([]);
      const main = dgd.spec.components.find((x: any) => x.name === 'Planner').podTemplate.spec.containers.find((x: any) => x.name === 'main');
      expect(JSON.parse(main.args[1]).mode).toBe('decode');
    });

    test('combinations the Planner cannot run are refused, naming the services', () => {
      const { c, worker } = withWorker();
      const decode2 = c.dgd.addService('decode2', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
      expect(() => new DynamoPlanner(c.dgd, 'p1', { manages: [c.decode, decode2], image: 'p:1.5.1' })).toThrow(
        /^\[c\/dgd\/p1\] 'manages' \(\["decode","decode2"\]\): 'decode' and 'decode2' are both decode: one planner scales one service per role/);
      expect(() => new DynamoPlanner(c.dgd, 'p2', { manages: [worker, c.prefill], image: 'p:1.5.1' })).toThrow(
        /^\[c\/dgd\/p2\] 'manages' \(\["worker","prefill"\]\): mixes an aggregated worker with prefill\/decode services/);
      expect(() => new DynamoPlanner(c.dgd, 'p3', { manages: [c.dgd.service('Frontend')], image: 'p:1.5.1' })).toThrow(
        /'manages' \("Frontend"\): the planner scales prefill, decode or worker services; 'Frontend' is frontend/);
      // Nothing was marked by the refused planners.
      expect([c.decode, decode2, worker, c.prefill].map((s) => s.managedByPlanner)).toEqual([false, false, false, false]);
    });

    test('0.8-0.9 (planner_sla flags): only disagg, since those flags carry no mode the library can rely on', () => {
      const c = ctx(DynamoApiVersion.V1ALPHA1, BackendFramework.VLLM, DynamoRelease.V0_9);
      expect(() => new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'runtime:0.9.0' })).toThrow(
        /^\[c\/dgd\/planner\] 'manages' \(\["decode"\]\): make the planner mode decode, which the planner_sla flags form of Dynamo 0\.9 cannot be given \(it runs disagg, scaling a prefill and a decode service\); manage one prefill and one decode service, or run Dynamo 1\.0 or later$/);
      const ok = ctx(DynamoApiVersion.V1ALPHA1, BackendFramework.VLLM, DynamoRelease.V0_8);
      new DynamoPlanner(ok.dgd, 'planner', { manages: [ok.prefill, ok.decode], image: 'runtime:0.8.1' });
      expect(plannerMain(ok).args.some((a: string) => a.startsWith('--mode'))).toBe(false);
    });
  });

  describe('adoptService: a planner service written without the construct (e.g. imported)', () => {
    const addPlanner = (c: Ctx, config: string) => c.dgd.addService('Planner', {
      role: ServiceRole.PLANNER, replicas: 1, image: 'p:1.5.1', command: ['python3', '-m', 'dynamo.planner'], args: ['--config', config],
    });

    test('mode decode in its --config: manages [decode]; only decode is the Planner\'s, the output is unchanged', () => {
      const c = ctx();
      const planner = addPlanner(c, '{"environment": "kubernetes", "backend": "vllm", "mode": "decode"}');
      const before = Testing.synth(c.chart);
      expect(DynamoPlanner.adoptService(planner, [c.decode])).toBe(PlannerMode.DECODE);
      expect([c.decode.managedByPlanner, c.prefill.managedByPlanner]).toEqual([true, false]);
      expect(synth(c)).toEqual(before);
      new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
      expect(() => c.app.synth()).toThrow(/\[c\/hpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/Planner;/);
    });

    test('services that are not what the mode scales are refused', () => {
      const c = ctx();
      const planner = addPlanner(c, '{"backend": "vllm"}');
      expect(() => DynamoPlanner.adoptService(planner, [c.decode])).toThrow(
        /^\[c\/dgd\/Planner\] 'manages' \(\["decode"\]\): make the planner mode decode, but its command line runs mode disagg \(none given: the default\); list the services that mode scales \(one prefill service and one decode service\)$/);
      const bad = ctx();
      const unreadable = addPlanner(bad, '/etc/planner/config.yaml');
      expect(() => DynamoPlanner.adoptService(unreadable, [bad.prefill])).toThrow(/runs mode disagg \(its --config is a file \(\/etc\/planner\/config.yaml\) whose contents the manifest does not show, so its default, disagg\)/);
      expect(() => DynamoPlanner.adoptService(bad.decode, [bad.prefill])).toThrow(/'planner' \("decode"\): must be a service of role planner/);
    });
  });

  describe('no other autoscaler on a managed service (reported at synth)', () => {
    test('HPA', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
      new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
      expect(() => c.app.synth()).toThrow(/\[c\/hpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
    });

    test('KEDA, also with the adapters left off', () => {
      const c = ctx();
      new DynamoPlanner(c.dgd, 'planner', { manages: [c.prefill], image: 'p:1.5.1', enableAdapters: false });
      new KedaAutoscaler(c.chart, 'keda', {
        target: c.prefill.adapter,
        triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
      });
      expect(() => c.app.synth()).toThrow(/\[c\/keda\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
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
      expect(() => c.app.synth()).toThrow(/\[c\/pa\] DYN603 .*is scaled by the Planner .*\(the Planner is at c\/dgd\/planner;/);
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

describe('reading the Planner\'s mode from its command line (the lint rules and the importer)', () => {
  test.each([
    ['no config: the default', ['python3', '-m', 'dynamo.planner'], [], 'disagg', PlannerModeSource.DEFAULT],
    ['--config JSON without mode', ['python3', '-m', 'dynamo.planner'], ['--config', '{"backend": "vllm"}'], 'disagg', PlannerModeSource.DEFAULT],
    ['--config JSON with mode', ['python3', '-m', 'dynamo.planner'], ['--config', '{"mode": "decode"}'], 'decode', PlannerModeSource.CONFIG],
    ['--config=JSON in the command', ['python3', '-m', 'dynamo.planner', '--config={"mode": "agg"}'], undefined, 'agg', PlannerModeSource.CONFIG],
    ['planner_sla --mode=prefill', ['python3', '-m', 'planner_sla'], ['--environment=kubernetes', '--mode=prefill'], 'prefill', PlannerModeSource.FLAG],
    ['planner_sla --mode decode', ['python3', '-m', 'planner_sla'], ['--mode', 'decode'], 'decode', PlannerModeSource.FLAG],
    ['the last --config wins', undefined, ['--config', '{"mode": "decode"}', '--config', '{"mode": "prefill"}'], 'prefill', PlannerModeSource.CONFIG],
    ['bad JSON', undefined, ['--config', '{"mode": "decode"'], 'disagg', PlannerModeSource.UNREADABLE],
    ['a config file', undefined, ['--config', '/config/planner.yaml'], 'disagg', PlannerModeSource.UNREADABLE],
    ['an unknown mode', undefined, ['--config', '{"mode": "both"}'], 'disagg', PlannerModeSource.UNREADABLE],
    ['a JSON array', undefined, ['--config', '["decode"]'], 'disagg', PlannerModeSource.UNREADABLE],
  ])('%s', (_name, command, args, mode, source) => {
    expect(readPlannerMode(command, args)).toMatchObject({ mode, source });
  });

  test('lint: an unreadable config is taken as disagg, and the finding says so', () => {
    const c = ctx(DynamoApiVersion.V1BETA1);
    c.dgd.addService('Planner', { role: ServiceRole.PLANNER, replicas: 1, image: 'p:1.5.1', command: ['python3', '-m', 'dynamo.planner'], args: ['--config', '{"mode": "decode"'] });
    new KedaAutoscaler(c.chart, 'keda', {
      target: c.prefill.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
    const findings = DynamoLint.checkManifests(synth(c)).findings.filter((f) => f.ruleId === 'DYN603');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain("service 'prefill' (prefill) is scaled by the Planner 'Planner' (mode disagg) of DGD llm-serving/llm (its --config is not valid JSON, so the Planner is taken to run in its default mode, disagg)");
  });
});
