/**
 * A table of named bad inputs across every construct, each with the message the user
 * gets: what is wrong, the value given, what is allowed, and where.
 */
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  AibrixAutoscaler, AibrixMetricSource, AibrixResource, AibrixScalingStrategy, AutoscalerAlerts, BackendFramework, DcgmMetrics,
  DynamoApiVersion, DynamoErrors, DynamoExternalMetric, DynamoGraphDeployment, DynamoRelease,
  DynamoMetrics, DynamoPlanner, DynamoService, HpaAutoscaler, HpaMetric, HpaMetricTarget, HpaReplicas,
  KedaAuthentication, KedaAutoscaler, KedaMetricType,
  KedaTrigger, KedaTriggerAuthentication, PlannerCommandForm, PrometheusAdapterConfig, PrometheusAdapterRule,
  PrometheusAuthMode, PromQuery, QueueDepthSource, ScaleTarget, ServiceRole,
} from '../src';

interface Ctx {
  readonly app: App;
  readonly chart: Chart;
  readonly dgd: DynamoGraphDeployment;
  readonly decode: DynamoService;
  readonly frontend: DynamoService;
}

function ctx(apiVersion = DynamoApiVersion.V1ALPHA1): Ctx {
  const app = Testing.app();
  const chart = new Chart(app, 'bad', { namespace: 'ns' });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', apiVersion, backendFramework: BackendFramework.VLLM });
  const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
  return { app, chart, dgd, decode, frontend };
}

const cpu70 = () => plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70));
const prom = (extra: any = {}) => KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1, ...extra });
const hpa = (c: Ctx, extra: any = {}) => new HpaAutoscaler(c.chart, 'hpa', { target: c.decode.adapter, maxReplicas: 5, metrics: [cpu70()], ...extra });
const keda = (c: Ctx, extra: any = {}) => new KedaAutoscaler(c.chart, 'keda', { target: c.decode.adapter, triggers: [prom()], ...extra });
const cron = (extra: any = {}) => KedaTrigger.cron({ timezone: 'UTC', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 2, ...extra });
const svc = (c: Ctx, name: string, extra: any = {}) => c.dgd.addService(name, { image: 'runtime:1.5.1', role: ServiceRole.WORKER, ...extra });
const synth = (c: Ctx) => c.app.synth();

type Row = [string, (c: Ctx) => unknown, RegExp];

const rows: Row[] = [
  // DynamoGraphDeployment
  ['DGD name upper case', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'LLM' }), /\[bad\/x\] 'name' \("LLM"\): must be a DNS subdomain/],
  ['DGD name with underscore', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a_b' }), /'name' \("a_b"\): must be a DNS subdomain/],
  ['DGD name starting with dash', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: '-a' }), /'name' \("-a"\)/],
  ['DGD name ending with dot', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a.' }), /'name' \("a\."\)/],
  ['DGD name too long', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a'.repeat(254) }), /'name' \("a{254}"\): must be a DNS subdomain: at most 253/],
  ['DGD name empty', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: '' }), /'name' \(""\)/],
  ['DGD namespace upper case', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', namespace: 'NS' }), /'namespace' \("NS"\): must be a DNS label/],
  ['DGD namespace too long', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', namespace: 'n'.repeat(64) }), /'namespace' \("n{64}"\): must be a DNS label of at most 63 characters/],
  ['DGD unknown apiVersion', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', apiVersion: 'v2' as any }), /'apiVersion' \("v2"\): must be one of v1alpha1, v1beta1/],
  ['DGD unknown backend', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', backendFramework: 'tgi' as any }), /'backendFramework' \("tgi"\): must be one of vllm, sglang, trtllm/],
  ['DGD reserved dgd- annotation', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', annotations: { 'nvidia.com/dgd-x': '1' } }), /\[bad\/x\] DYN106 DynamoGraphDeployment ns\/a: metadata\.annotations\["nvidia\.com\/dgd-x"\] = "1": the prefix 'nvidia\.com\/dgd-' is reserved for the operator/],
  ['DGD reserved dcd- annotation', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', annotations: { 'nvidia.com/dcd-y': '1' } }), /DYN106 .*: metadata\.annotations\["nvidia\.com\/dcd-y"\] = "1": the prefix 'nvidia\.com\/dcd-' is reserved/],
  ['DGD reserved dgdr- annotation', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', annotations: { 'nvidia.com/dgdr-z': '1' } }), /DYN106 .*: metadata\.annotations\["nvidia\.com\/dgdr-z"\] = "1": the prefix 'nvidia\.com\/dgdr-' is reserved/],
  ['DGD pvcs on v1beta1', (c) => new DynamoGraphDeployment(c.chart, 'x', { name: 'a', apiVersion: DynamoApiVersion.V1BETA1, pvcs: [{ name: 'p' }] }), /'pvcs' .*exists only in v1alpha1/],
  ['DGD without services', (c) => { new DynamoGraphDeployment(c.chart, 'x', { name: 'empty' }); synth(c); }, /\[bad\/x\] 'services' \(\[\]\): a DGD needs at least one service/],
  ['DGD env set twice', (c) => { c.dgd.addEnv('A', '1'); c.dgd.addEnv('A', '2'); }, /'env' \("A"\): is already set on this DGD/],
  ['DGD unknown service lookup', (c) => c.dgd.service('nope'), /'service' \("nope"\): no such service; this DGD has Frontend, decode/],
  ['dynamo_namespace label without namespace', () => {
    const d = new DynamoGraphDeployment(Testing.chart(), 'x', { name: 'a' });
    return d.dynamoNamespaceLabel;
  }, /'namespace' \(undefined\): the dynamo_namespace metric label/],
  // Services
  ['service name with underscore', (c) => svc(c, 'a_b'), /\[bad\/dgd\/a_b\] 'name' \("a_b"\): service names must be 1-63 characters/],
  ['service name with space', (c) => svc(c, 'a b'), /'name' \("a b"\)/],
  ['service name leading dash', (c) => svc(c, '-a'), /'name' \("-a"\)/],
  ['service name trailing dash', (c) => svc(c, 'a-'), /'name' \("a-"\)/],
  ['service name too long', (c) => svc(c, 'a'.repeat(64)), /'name' \("a{64}"\): service names must be 1-63/],
  ['service name empty', (c) => svc(c, ''), /'name' \(""\)/],
  ['service name duplicate ignoring case', (c) => svc(c, 'DECODE'), /\[bad\/dgd\/DECODE\] DYN108 DynamoGraphDeployment ns\/llm: spec\.services\.DECODE = "DECODE": service 'DECODE' and service 'decode' differ only by case; both map to adapter 'llm-decode'/],
  ['service name exact duplicate', (c) => svc(c, 'decode'), /DYN108 .*: spec\.services\.decode = "decode": service 'decode' and service 'decode' differ only by case/],
  ['26th service', (c) => { for (let i = 0; i < 24; i++) svc(c, `w${i}`); }, /'services' \(26\): a DGD has at most 25 services/],
  ['second epp', (c) => { svc(c, 'epp1', { role: ServiceRole.EPP }); svc(c, 'epp2', { role: ServiceRole.EPP }); }, /DYN113 .*: spec\.services\.epp2\.componentType = "epp": service 'epp2' is a second epp \(the first is 'epp1'\)/],
  ['unknown role', (c) => svc(c, 'x', { role: 'router' }), /'role' \("router"\): must be one of frontend, worker, prefill, decode, planner, epp/],
  ['negative replicas', (c) => svc(c, 'x', { replicas: -1 }), /'replicas' \(-1\): must be an integer from 0 to 2147483647 \(an int32\)/],
  ['fractional replicas', (c) => svc(c, 'x', { replicas: 1.5 }), /'replicas' \(1.5\): must be an integer from 0 to 2147483647/],
  ['replicas beyond int32', (c) => svc(c, 'x', { replicas: 1e12 }), /\[bad\/dgd\/x\] 'replicas' \(1000000000000\): must be an integer from 0 to 2147483647 \(an int32\)/],
  ['multinode nodeCount beyond int32', (c) => svc(c, 'x', { multinodeNodeCount: 2 ** 31 }), /'multinodeNodeCount' \(2147483648\): must be an integer from 2 to 2147483647 \(an int32\)/],
  ['NaN replicas', (c) => svc(c, 'x', { replicas: NaN }), /'replicas' \(NaN\)/],
  ['seedReplicas without replicas', (c) => svc(c, 'x', { seedReplicas: true }), /'seedReplicas' \(true\): needs 'replicas'/],
  ['multinode nodeCount 1', (c) => svc(c, 'x', { multinodeNodeCount: 1 }), /'multinodeNodeCount' \(1\): must be an integer from 2 to 2147483647/],
  ['multinode Grove budget', (c) => svc(c, 'averyveryverylongservicename', { multinodeNodeCount: 2 }), /DYN103 .*: spec\.services\.averyveryverylongservicename = "averyveryverylongservicename": service 'averyveryverylongservicename': when Grove runs the DGD, PCS name 'llm' \+ PCSG name \+ longest PodClique name 'averyveryverylongservicename-ldr' is 63 characters, over Grove's 45-character budget/],
  ['multinode frontend (1.5)', (c) => c.dgd.addService('fe', { role: ServiceRole.FRONTEND, image: 'runtime:1.5.1', multinodeNodeCount: 2 }), /\[bad\/dgd\/fe\] 'multinodeNodeCount' \(2\): Dynamo 1.5 supports multinode only for worker, prefill and decode services; this one is frontend/],
  ['single-node Grove budget (1.5)', (c) => svc(c, 'x'.repeat(43)), /DYN103 .*: spec\.services\.x{43} = "x{43}": service 'x{43}': when Grove runs the DGD, PCS name 'llm' \+ component name is 46 characters/],
  ['adapter name past 253', (c) => new DynamoGraphDeployment(c.chart, 'long', { name: 'a'.repeat(253), annotations: { 'nvidia.com/enable-grove': 'false' } }).addService('decode', { role: ServiceRole.DECODE, image: 'runtime:1.5.1' }), /\[bad\/long\/decode\] 'name' \("decode"\): the operator names its scaling adapter '<dgd>-<service>' and its DynamoComponentDeployment, '<dgd>-<service>-<8-digit hash>' during rolling updates \(269 characters here\), over Kubernetes' 253-character limit/],
  ['no image (1.5)', (c) => c.dgd.addService('x', { role: ServiceRole.WORKER }), /\[bad\/dgd\/x\] DYN101 DynamoGraphDeployment ns\/llm: spec\.services\.x\.extraPodSpec\.mainContainer\.image: component 'x': Dynamo 1.5 admits a component only when its 'main' container has a non-empty image/],
  ['image :latest without override (1.5)', (c) => svc(c, 'x', { image: 'vllm-runtime:latest' }), /DYN102 .*: spec\.services\.x\.extraPodSpec\.mainContainer\.image = "vllm-runtime:latest": component 'x': image tag "latest" must contain a semantic version.*requires 'runtimeVersionOverride'/],
  ['image by digest without override (1.5)', (c) => svc(c, 'x', { image: 'vllm-runtime@sha256:00' }), /DYN102 .*\.mainContainer\.image = "vllm-runtime@sha256:00": component 'x': image "vllm-runtime@sha256:00" does not contain a tag/],
  ['image custom tag without override (1.5)', (c) => svc(c, 'x', { image: 'vllm-runtime:my-tag' }), /image tag "my-tag" must contain a semantic version/],
  ['runtimeVersionOverride not MAJOR.MINOR.PATCH', (c) => svc(c, 'x', { runtimeVersionOverride: '1.5' }), /'runtimeVersionOverride' \("1.5"\): must be MAJOR.MINOR.PATCH/],
  ['runtimeVersionOverride before 1.5', (c) => new DynamoGraphDeployment(c.chart, 'old', { name: 'old', release: DynamoRelease.V1_4 }).addService('w', { role: ServiceRole.WORKER, image: 'r:x', runtimeVersionOverride: '1.4.0' }), /'runtimeVersionOverride' \("1.4.0"\): exists from Dynamo 1.5/],
  ['v1beta1 before 1.5', (c) => new DynamoGraphDeployment(c.chart, 'old', { name: 'old', apiVersion: DynamoApiVersion.V1BETA1, release: DynamoRelease.V1_4 }), /'apiVersion' \("v1beta1"\): Dynamo 1.4 serves DynamoGraphDeployment v1alpha1 only/],
  ['legacy EPP runtime (1.5)', (c) => svc(c, 'e', { role: ServiceRole.EPP, image: 'epp:1.4.0' }), /an EPP with runtime 1.4.0 \(earlier than 1.5.0, the legacy Go EPP\) requires eppConfig/],
  ['sidecar runtime image without version (1.5)', (c) => svc(c, 'x', { image: 'vllm/vllm-openai:0.11.0', podSpec: { initContainers: [{ name: 'runtime', image: 'sidecar:dev' }] } }), /DYN102 .*: spec\.services\.x\.extraPodSpec\.initContainers\[0\]\.image = "sidecar:dev": component 'x': image tag "dev"/],
  ['mainContainer renames main', (c) => svc(c, 'x', { mainContainer: { name: 'vllm' } }), /'mainContainer.name' \("vllm"\): is managed by the library and cannot be set through the escape hatch: the main container's name is fixed/],
  ['mainContainer empties the image', (c) => svc(c, 'x', { mainContainer: { image: '' } }), /'mainContainer.image' \(""\): is managed by the library .*use the 'image' option/],
  ['addService without options', (c) => c.dgd.addService('w', undefined as any), /\[bad\/dgd\/w\] 'addService\(options\)' \(undefined\): must be an object of DynamoServiceOptions/],
  ['addService with a misspelt option', (c) => svc(c, 'w', { replica: 2 }), /\[bad\/dgd\/w\] 'replica' \(2\): is not an option of a DGD service/],
  ['DGD without props', (c) => new DynamoGraphDeployment(c.chart, 'x', undefined as any), /\[bad\/x\] 'props' \(undefined\): must be an object of DynamoGraphDeploymentProps/],
  ['negative GPU limit', (c) => svc(c, 'x', { resources: { limits: { gpu: -1 } } }), /'resources.limits.gpu' \(-1\): must be an integer >= 0/],
  ['fractional GPU request', (c) => svc(c, 'x', { resources: { requests: { gpu: 0.5 } } }), /'resources.requests.gpu' \(0.5\)/],
  ['bad cpu quantity', (c) => svc(c, 'x', { resources: { requests: { cpu: 'lots' } } }), /'resources.requests.cpu' \("lots"\): must be a Kubernetes quantity/],
  ['bad memory quantity', (c) => svc(c, 'x', { resources: { limits: { memory: '16 GB' } } }), /'resources.limits.memory' \("16 GB"\)/],
  ['bad custom quantity', (c) => svc(c, 'x', { resources: { requests: { custom: { 'ephemeral-storage': 'big' } } } }), /'resources.requests.custom.ephemeral-storage' \("big"\)/],
  ['empty image', (c) => svc(c, 'x', { image: '' }), /'image' \(""\): must be a non-empty string/],
  ['command not a list', (c) => svc(c, 'x', { command: 'python3' as any }), /'command' \("python3"\): must be a list of strings/],
  ['args with a number', (c) => svc(c, 'x', { args: ['--tp', 1] as any }), /'args' \(\["--tp",1\]\): must be a list of strings/],
  ['envFromSecret not a name', (c) => svc(c, 'x', { envFromSecret: 'My Secret' }), /'envFromSecret' \("My Secret"\)/],
  ['env name with space', (c) => svc(c, 'x', { env: { 'A B': '1' } }), /'env' \("A B"\): environment variable names must match/],
  ['env name starting with digit', (c) => svc(c, 'x', { env: { '1A': '1' } }), /'env' \("1A"\)/],
  ['env value not a string', (c) => svc(c, 'x', { env: { A: 1 as any } }), /'env.A' \(1\): must be a string/],
  ['env set twice', (c) => { const s = svc(c, 'x', { env: { A: '1' } }); s.addEnv('A', '2'); }, /'env' \("A"\): is already set on this service/],
  ['podSpec container named main', (c) => svc(c, 'x', { podSpec: { containers: [{ name: 'main' }] } }), /'podSpec.containers' \("main"\): the main container is configured/],
  ['v1alpha1 podSpec.mainContainer', (c) => svc(c, 'x', { podSpec: { mainContainer: { image: 'i' } } }), /'podSpec.mainContainer' .*use the 'mainContainer' option/],
  ['v1beta1 volumeMounts', () => svc(ctx(DynamoApiVersion.V1BETA1), 'x', { volumeMounts: [{ name: 'p' }] }), /'volumeMounts' .*exists only in v1alpha1/],
  ['v1beta1 podSpec.mainContainer', () => svc(ctx(DynamoApiVersion.V1BETA1), 'x', { podSpec: { mainContainer: {} } }), /'podSpec.mainContainer' .*v1alpha1's extraPodSpec.mainContainer/],
  // HpaAutoscaler
  ['HPA maxReplicas 0', (c) => hpa(c, { maxReplicas: 0 }), /\[bad\/hpa\] 'maxReplicas' \(0\): must be an integer >= 1/],
  ['HPA maxReplicas fractional', (c) => hpa(c, { maxReplicas: 2.5 }), /'maxReplicas' \(2.5\)/],
  ['HPA minReplicas above max', (c) => hpa(c, { minReplicas: 6 }), /'minReplicas' \(6\): must be less than or equal to 'maxReplicas' \(5\)/],
  ['HPA minReplicas negative', (c) => hpa(c, { minReplicas: -1 }), /'minReplicas' \(-1\): must be an integer >= 0/],
  ['HPA minReplicas 0 without opt-in', (c) => hpa(c, { minReplicas: 0 }), /'minReplicas' \(0\): must be >= 1; 0 needs 'allowScaleToZero'/],
  ['HPA scale to zero on cpu only', (c) => hpa(c, { minReplicas: 0, allowScaleToZero: true }), /'minReplicas' \(0\): scaling to zero needs at least one Object or External metric/],
  ['HPA without metrics', (c) => hpa(c, { metrics: [] }), /'metrics' \(\[\]\): needs at least one metric/],
  ['HPA metric not a cdk8s-plus Metric', (c) => hpa(c, { metrics: [{ type: 'Resource' }] }), /'metrics\[0\]' .*must be an HpaMetric .* or a cdk8s-plus Metric/],
  ['HPA Resource metric with Value target', (c) => hpa(c, { metrics: [plus.Metric.resourceCpu(plus.MetricTarget.value(1))] }), /'metrics\[0\].target' \("Value"\): a Resource metric takes Utilization or AverageValue/],
  ['HPA Pods metric with Utilization target', (c) => hpa(c, { metrics: [plus.Metric.pods({ name: 'm', target: plus.MetricTarget.averageUtilization(50) })] }), /'metrics\[0\].target' \("Utilization"\): a Pods metric takes AverageValue/],
  ['HPA External metric with Utilization target', (c) => hpa(c, { metrics: [plus.Metric.external({ name: 'm', target: plus.MetricTarget.averageUtilization(50) })] }), /a External metric takes Value or AverageValue/],
  ['HPA utilization 0', (c) => hpa(c, { metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(0))] }), /'metrics\[0\].target.averageUtilization' \(0\): must be an integer >= 1/],
  ['HPA averageValue 0', (c) => hpa(c, { metrics: [plus.Metric.pods({ name: 'm', target: plus.MetricTarget.averageValue(0) })] }), /'metrics\[0\].target.averageValue' \(0\): must be a number > 0/],
  ['HPA negative value', (c) => hpa(c, { metrics: [plus.Metric.external({ name: 'm', target: plus.MetricTarget.value(-1) })] }), /'metrics\[0\].target.value' \(-1\)/],
  ['HPA empty metric name', (c) => hpa(c, { metrics: [plus.Metric.pods({ name: '', target: plus.MetricTarget.averageValue(1) })] }), /'metrics\[0\].name' \(""\): must be a non-empty metric name/],
  ['HPA stabilization over 1h', (c) => hpa(c, { scaleDown: { stabilizationWindow: Duration.hours(2) } }), /'scaleDown.stabilizationWindow' \("7200s"\): must be between 0 seconds and 1 hour/],
  ['HPA stabilization fractional seconds', (c) => hpa(c, { scaleUp: { stabilizationWindow: Duration.millis(1500) } }), /'scaleUp.stabilizationWindow' \("1500ms"\): must be a whole number of seconds/],
  ['HPA empty policies', (c) => hpa(c, { scaleUp: { policies: [] } }), /'scaleUp.policies' \(\[\]\): must not be empty/],
  ['HPA policy value 0', (c) => hpa(c, { scaleUp: { policies: [{ replicas: plus.Replicas.absolute(0) }] } }), /'scaleUp.policies\[0\].replicas' \(0\): must be an integer > 0/],
  ['HPA policy period over 30 min', (c) => hpa(c, { scaleDown: { policies: [{ replicas: plus.Replicas.percent(50), duration: Duration.hours(1) }] } }), /'scaleDown.policies\[0\].duration' \("3600s"\): must be between 1 second and 30 minutes/],
  ['HPA unknown select policy', (c) => hpa(c, { scaleDown: { strategy: 'Fastest' } }), /'scaleDown.strategy' \("Fastest"\): must be one of Max, Min, Disabled/],
  ['HPA bad name', (c) => hpa(c, { name: 'My_HPA' }), /'name' \("My_HPA"\): must be a DNS subdomain/],
  ['HPA bad qualifier', (c) => hpa(c, { qualifier: 'Queue' }), /'qualifier' \("Queue"\)/],
  ['HPA namespace differs from target', (c) => { hpa(c, { namespace: 'other' }); synth(c); }, /'namespace' \("other"\): must equal the namespace of its target DynamoGraphDeploymentScalingAdapter 'ns\/llm-decode'/],
  ['two HPAs on one adapter', (c) => { hpa(c); new HpaAutoscaler(c.chart, 'hpa2', { target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()], qualifier: 'b' }); synth(c); }, /DYN603 .*: spec\.scaleTargetRef\.name = "llm-decode": HorizontalPodAutoscaler ns\/llm-decode-b-hpa already scales DynamoGraphDeploymentScalingAdapter llm-decode; two autoscalers on one target fight over its replicas/],
  ['HPA and KEDA on one adapter', (c) => { hpa(c); keda(c); synth(c); }, /DYN603 .*: ScaledObject ns\/llm-decode-scaler already scales DynamoGraphDeploymentScalingAdapter llm-decode; .*at most one autoscaler per target/],
  ['HPA on a Planner-managed service', (c) => {
    new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' });
    hpa(c);
    synth(c);
  }, /DYN603 .*is scaled by the Planner .*\(the Planner is at bad\/dgd\/planner;/],
  ['two cdk8s-plus HPAs on one adapter', (c) => {
    new plus.HorizontalPodAutoscaler(c.chart, 'p1', { target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()] });
    new plus.HorizontalPodAutoscaler(c.chart, 'p2', { target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()] });
    synth(c);
  }, /\[bad\/p2\] DYN603 HorizontalPodAutoscaler ns\/[^:]+: spec\.scaleTargetRef\.name = "llm-decode": HorizontalPodAutoscaler ns\/bad-p1-[0-9a-f]{8} already scales DynamoGraphDeploymentScalingAdapter llm-decode; .*\(the other is at bad\/p1;/],
  ['ScaleTarget.fromReference without name', (c) => ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'Deployment', name: '' }), /'scaleTargetRef.name' \(""\): must be a non-empty string/],
  ['ScaleTarget.fromWorkload on a Job', (c) => ScaleTarget.fromWorkload(new plus.Job(c.chart, 'job', { containers: [{ image: 'x' }] }) as any), /\[ScaleTarget.fromWorkload\] 'workload' \("Job at bad\/job"\): must be a cdk8s-plus Deployment or StatefulSet/],
  // Issue 13: int32, identity, namespaces, queries that match their target, shapes
  ['HPA maxReplicas beyond int32', (c) => hpa(c, { maxReplicas: 3e9 }), /\[bad\/hpa\] 'maxReplicas' \(3000000000\): must be an integer >= 1 and at most 2147483647: Kubernetes types it as int32/],
  ['HPA minReplicas beyond int32', (c) => hpa(c, { minReplicas: 2 ** 31, maxReplicas: 2 ** 31 }), /'maxReplicas' \(2147483648\): must be an integer >= 1 and at most 2147483647/],
  ['HPA policy replicas beyond int32', (c) => hpa(c, { scaleUp: { policies: [{ replicas: HpaReplicas.percent(2 ** 31) }] } }), /'scaleUp.policies\[0\].replicas' \(2147483648\): must be an integer > 0 and at most 2147483647/],
  ['HPA negative tolerance', (c) => hpa(c, { scaleDown: { tolerance: -0.1 } }), /'scaleDown.tolerance' \(-0.1\): must be a number >= 0/],
  ['HPA tolerance as a string', (c) => hpa(c, { scaleUp: { tolerance: '5%' } }), /'scaleUp.tolerance' \("5%"\): must be a number >= 0/],
  ['HPA window given as a number', (c) => hpa(c, { scaleDown: { stabilizationWindow: 300 } }), /'scaleDown.stabilizationWindow' \(300\): must be a cdk8s Duration \(e.g. Duration.seconds\(300\)\)/],
  ['HPA unknown scaling rule', (c) => hpa(c, { scaleDown: { stabilizationWindowSeconds: 300 } }), /'scaleDown.stabilizationWindowSeconds' \(300\): is not a scaling rule/],
  ['HPA target is the service, not its adapter', (c) => hpa(c, { target: c.decode }), /\[bad\/hpa\] 'target' \("DynamoService at bad\/dgd\/decode"\): must be the service's scaling adapter: pass 'service.adapter' \(here 'llm-decode'\), not the service/],
  ['HPA target is a bare cdk8s-plus Deployment', (c) => hpa(c, { target: new plus.Deployment(c.chart, 'web', { containers: [{ image: 'x' }] }) }), /'target' \("Deployment at bad\/web"\): must be a scale target: wrap the cdk8s-plus workload as ScaleTarget.fromWorkload\(workload\)/],
  ['HPA target missing', (c) => hpa(c, { target: undefined }), /'target' \(undefined\): must be an IScaleTarget/],
  ['HPA without props', (c) => new HpaAutoscaler(c.chart, 'hpa', undefined as any), /\[bad\/hpa\] 'props' \(undefined\): must be HpaAutoscalerProps/],
  ['KEDA target is the service', (c) => keda(c, { target: c.decode }), /\[bad\/keda\] 'target' .*pass 'service.adapter'/],
  ['HPA latency quantile as the only way back from zero', (c) => hpa(c, {
    minReplicas: 0,
    allowScaleToZero: true,
    metrics: [DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, target: HpaMetricTarget.value(0.5) }).metric],
  }), /'metrics' \(\["dynamo_ttft_p95_seconds"\]\): with minReplicas 0 the only External metrics are latency quantiles \(TTFT\/ITL\), which cannot wake the service up/],
  ['HPA External metric about another DGD', (c) => {
    const other = new DynamoGraphDeployment(c.chart, 'other', { name: 'other' });
    other.addService('w', { image: 'runtime:1.5.1', role: ServiceRole.WORKER });
    return hpa(c, { metrics: [DynamoExternalMetric.queuedRequests({ deployment: other, target: HpaMetricTarget.value(5) }).metric] });
  }, /'metrics\[0\]' \("dynamo_namespace=ns-other"\): the query selects dynamo_namespace 'ns-other', but the target .* belongs to DGD 'llm', whose metrics carry dynamo_namespace 'ns-llm'/],
  ['KEDA query with a hand-set dynamoNamespace of another DGD', (c) => keda(c, {
    triggers: [prom({ query: DynamoMetrics.queueDepth({ dynamoNamespace: 'ns-other' }) })],
  }), /\[bad\/keda\] 'triggers\[0\].query' .*the query selects dynamo_namespace 'ns-other', but the target .* belongs to DGD 'llm'.*allowCrossDeploymentMetrics/],
  ['KEDA TriggerAuthentication in another namespace', (c) => {
    const auth = new KedaTriggerAuthentication(new Chart(c.app, 'x', { namespace: 'x' }), 'auth', { name: 'prom-auth', secretName: 's', parameters: { bearerToken: 't' } });
    return keda(c, { triggers: [prom({ authModes: [PrometheusAuthMode.BEARER], authentication: auth.authentication })] });
  }, /'triggers\[0\].authentication' \("prom-auth"\): TriggerAuthentication 'prom-auth' is in namespace 'x', but KEDA looks it up in the ScaledObject's namespace 'ns'/],
  ['cdk8s-plus HPA in another namespace than its DGD target', (c) => {
    new plus.HorizontalPodAutoscaler(new Chart(c.app, 'b', { namespace: 'b' }), 'p', { target: c.decode.adapter, maxReplicas: 3, metrics: [cpu70()] });
    synth(c);
  }, /\[b\/p\] 'namespace' \("b"\): must equal the namespace of its target DynamoGraphDeploymentScalingAdapter 'ns\/llm-decode'/],
  ['autoscaler on a reference without namespace and one on the adapter', (c) => {
    hpa(c);
    keda(c, { target: ScaleTarget.fromReference(c.chart, { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-decode' }) });
    synth(c);
  }, /\[bad\/keda\] DYN603 ScaledObject ns\/[^:]+: spec\.scaleTargetRef\.name = "llm-decode": HorizontalPodAutoscaler ns\/llm-decode-hpa already scales DynamoGraphDeploymentScalingAdapter llm-decode; .*\(the other is at bad\/hpa;/],
  ['HPA qualifier name equals another service\'s default', (c) => {
    svc(c, 'decode-x');
    hpa(c, { qualifier: 'x' });
    new HpaAutoscaler(c.chart, 'hpa2', { target: c.dgd.service('decode-x').adapter, maxReplicas: 5, metrics: [cpu70()] });
    synth(c);
  }, /\[bad\/hpa2\] 'name' \("llm-decode-x-hpa"\): 2 objects would be HorizontalPodAutoscaler 'ns\/llm-decode-x-hpa': bad\/hpa; bad\/hpa2/],
  ['adapters of two DGDs with one name', (c) => {
    new DynamoGraphDeployment(c.chart, 'ab', { name: 'a-b' }).addService('c', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, scalingAdapter: true });
    new DynamoGraphDeployment(c.chart, 'a', { name: 'a' }).addService('b-c', { image: 'runtime:1.5.1', role: ServiceRole.WORKER, scalingAdapter: true });
    synth(c);
  }, /'name' \("a-b-c"\): 2 objects would be DynamoGraphDeploymentScalingAdapter 'ns\/a-b-c': the scaling adapter the Dynamo operator creates for service 'c' of DGD 'a-b' \(bad\/ab\/c\); the scaling adapter .* for service 'b-c' of DGD 'a' \(bad\/a\/b-c\)/],
  ['two DGDs with one name in one namespace', (c) => {
    new DynamoGraphDeployment(c.chart, 'again', { name: 'llm' }).addService('w', { image: 'runtime:1.5.1', role: ServiceRole.WORKER });
    synth(c);
  }, /\[bad\/again\] 'name' \("llm"\): 2 objects would be DynamoGraphDeployment 'ns\/llm': bad\/dgd; bad\/again/],
  ['an HPA named as the HPA KEDA creates', (c) => {
    keda(c);
    new HpaAutoscaler(c.chart, 'h', { target: c.frontend.adapter, maxReplicas: 3, metrics: [cpu70()], name: 'keda-hpa-llm-decode-scaler' });
    synth(c);
  }, /'name' \("keda-hpa-llm-decode-scaler"\): 2 objects would be HorizontalPodAutoscaler 'ns\/keda-hpa-llm-decode-scaler': the HPA KEDA creates for ScaledObject 'llm-decode-scaler' \(bad\/keda\); bad\/h/],
  ['an HPA named as the HPA AIBrix creates', (c) => {
    new AibrixAutoscaler(c.chart, 'pa', {
      target: c.decode.adapter,
      strategy: AibrixScalingStrategy.HPA,
      maxReplicas: 3,
      metrics: [AibrixMetricSource.resource({ resource: AibrixResource.CPU, targetValue: 10 })],
    });
    new HpaAutoscaler(c.chart, 'h', { target: c.frontend.adapter, maxReplicas: 3, metrics: [cpu70()], name: 'llm-decode-pa-hpa' });
    synth(c);
  }, /'name' \("llm-decode-pa-hpa"\): 2 objects would be HorizontalPodAutoscaler 'ns\/llm-decode-pa-hpa': the HPA AIBrix creates for PodAutoscaler 'llm-decode-pa' \(bad\/pa\); bad\/h/],
  ['DynamoMetrics window given as a number', () => DynamoMetrics.ttftQuantile({ dynamoNamespace: 'a', window: 300 as any }), /\[DynamoMetrics.ttftQuantile\] 'window' \(300\): must be a cdk8s Duration such as Duration.seconds\(300\)/],
  ['DynamoMetrics without options', () => DynamoMetrics.queueDepth(undefined as any), /\[DynamoMetrics.queueDepth\] 'options' \(undefined\): must be an options object/],
  ['DynamoMetrics deployment that is not a DGD', () => DynamoMetrics.requestRate({ deployment: 'llm' as any }), /\[DynamoMetrics.requestRate\] 'deployment' \("llm"\): must be a DynamoGraphDeployment/],
  ['HpaMetric.external without a target', () => HpaMetric.external({ name: 'q', target: undefined as any }), /\[HpaMetric.external\] 'target' \(undefined\): must be an HpaMetricTarget/],
  ['ScaleTarget.fromReference with an empty namespace', (c) => ScaleTarget.fromReference(c.chart, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', namespace: '' }), /'scaleTargetRef.namespace' \(""\): must be a non-empty namespace/],
  // KedaAutoscaler
  ['KEDA without triggers', (c) => keda(c, { triggers: [] }), /\[bad\/keda\] 'triggers' \(\[\]\): needs at least one trigger/],
  ['KEDA trigger not a KedaTrigger', (c) => keda(c, { triggers: [{ type: 'prometheus' }] }), /'triggers\[0\]' .*must be a KedaTrigger/],
  ['KEDA min above max', (c) => keda(c, { minReplicas: 5, maxReplicas: 2 }), /DYN202 ScaledObject ns\/llm-decode-scaler: spec\.minReplicaCount = 5: must be at most maxReplicaCount \(2\)/],
  ['KEDA min above default max', (c) => keda(c, { minReplicas: 101 }), /DYN202 ScaledObject [^:]+: spec\.minReplicaCount = 101: must be at most maxReplicaCount \(100\) \(the 'minReplicas' prop; 'maxReplicas' is 100, KEDA's default\)/],
  ['KEDA maxReplicas 0', (c) => keda(c, { maxReplicas: 0 }), /'maxReplicas' \(0\): must be an integer from 1 to 2147483647 \(int32\)/],
  ['KEDA maxReplicas 2**31', (c) => keda(c, { maxReplicas: 2 ** 31 }), /'maxReplicas' \(2147483648\): must be an integer from 1 to 2147483647 \(int32\)/],
  ['KEDA scale to zero on TTFT only', (c) => keda(c, {
    allowScaleToZero: true,
    minReplicas: 0,
    triggers: [prom({ query: DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 0.9 }), activationThreshold: 0.1 })],
  }), /'minReplicas' \(0\): scaling to zero needs a trigger with a signal at zero replicas/],
  ['KEDA scalingModifiers formula with an unknown trigger', (c) => keda(c, { scalingModifiers: { formula: 'x + 1', target: 2 } }),
    /'scalingModifiers.formula' \("x \+ 1"\): does not compile as KEDA compiles it \(expr-lang\): unknown name x/],
  ['KEDA scale to zero without opt-in', (c) => keda(c, { minReplicas: 0 }), /'minReplicas' \(0\): scales the target to zero; set 'allowScaleToZero: true'/],
  ['KEDA scale to zero with only cpu', (c) => keda(c, { minReplicas: 0, allowScaleToZero: true, triggers: [KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 50 })] }), /a ScaledObject with only cpu\/memory triggers cannot scale to zero/],
  ['KEDA scale to zero without activationThreshold', (c) => keda(c, { minReplicas: 0, allowScaleToZero: true }), /'triggers.activationThreshold' \(undefined\): scaling to zero needs an activationThreshold/],
  ['KEDA idleReplicaCount not 0', (c) => keda(c, { idleReplicaCount: 1, minReplicas: 2, allowScaleToZero: true }), /'idleReplicaCount' \(1\): KEDA supports only 0/],
  ['KEDA idleReplicaCount not below min', (c) => keda(c, { idleReplicaCount: 0, minReplicas: 0, allowScaleToZero: true, triggers: [prom({ activationThreshold: 0.5 })] }), /'idleReplicaCount' \(0\): must be less than 'minReplicas' \(0\)/],
  ['KEDA idleReplicaCount without opt-in', (c) => keda(c, { idleReplicaCount: 0 }), /'idleReplicaCount' \(0\): scales the target to zero/],
  ['KEDA fallback with only cpu', (c) => keda(c, { triggers: [KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 50 })], fallback: { failureThreshold: 3, replicas: 2 } }), /'fallback' .*needs at least one trigger other than cpu\/memory/],
  ['KEDA fallback threshold 0', (c) => keda(c, { fallback: { failureThreshold: 0, replicas: 2 } }), /'fallback.failureThreshold' \(0\): must be an integer from 1 to 2147483647/],
  ['KEDA fallback above max', (c) => keda(c, { maxReplicas: 3, fallback: { failureThreshold: 3, replicas: 5 } }), /'fallback.replicas' \(5\): must not exceed 'maxReplicas' \(3\)/],
  ['KEDA duplicate trigger names', (c) => keda(c, { triggers: [prom({ name: 'a' }), prom({ name: 'a' })] }), /DYN206 ScaledObject ns\/llm-decode-scaler: spec\.triggers\[1\]\.name = "a": another trigger has this name \(trigger names must be unique/],
  ['KEDA pollingInterval 0', (c) => keda(c, { pollingInterval: Duration.seconds(0) }), /'pollingInterval' \("0s"\): must be a whole number of seconds, at least 1/],
  ['KEDA cooldown fractional', (c) => keda(c, { cooldownPeriod: Duration.millis(2500) }), /'cooldownPeriod' \("2500ms"\)/],
  ['KEDA ScaledObject name over 54', (c) => keda(c, { name: 's'.repeat(55) }), /DYN201 ScaledObject [^:]+: metadata\.name = "s{55}": is 55 characters; KEDA's webhook rejects .* at most 54/],
  ['KEDA ScaledObject name over 63 with hpaName', (c) => keda(c, { name: 's'.repeat(64), hpaName: 'h' }), /DYN201 ScaledObject [^:]+: metadata\.name = "s{64}": is 64 characters; at most 63 \(KEDA's webhook/],
  ['KEDA hpaName over 63', (c) => keda(c, { hpaName: 'h'.repeat(64) }), /DYN201 ScaledObject [^:]+: spec\.advanced\.horizontalPodAutoscalerConfig\.name = "h{64}": is 64 characters; at most 63 \(KEDA's webhook limit on the name of the HPA it creates\)/],
  ['KEDA derived name over 54', (c) => {
    const dgd = new DynamoGraphDeployment(c.chart, 'long', { name: 'a-rather-long-deployment-name-for-serving' });
    const s = dgd.addService('decode-worker', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new KedaAutoscaler(c.chart, 'k', { target: s.adapter, triggers: [prom()] });
  }, /DYN201 ScaledObject ns\/a-rather-long-deployment-name-for-serving-decode-worker-scaler: metadata\.name = "a-rather-long-deployment-name-for-serving-decode-worker-scaler": is 62 characters/],
  ['KEDA bad qualifier', (c) => keda(c, { qualifier: 'q q' }), /'qualifier' \("q q"\)/],
  ['KEDA on a Planner-managed service', (c) => { new DynamoPlanner(c.dgd, 'planner', { manages: [c.decode], image: 'p:1.5.1' }); keda(c); synth(c); }, /DYN603 .*is scaled by the Planner .*\(the Planner is at /],
  ['two ScaledObjects on one target', (c) => { keda(c); new KedaAutoscaler(c.chart, 'k2', { target: c.decode.adapter, qualifier: 'q', triggers: [prom()] }); synth(c); }, /DYN603 .*: ScaledObject ns\/llm-decode-scaler already scales DynamoGraphDeploymentScalingAdapter llm-decode/],
  // KedaTrigger
  ['prometheus serverAddress not a URL', () => prom({ serverAddress: 'prometheus:9090' }), /\[KedaTrigger.prometheus\] 'serverAddress' \("prometheus:9090"\): must be an http\(s\) URL/],
  ['prometheus query as a string', () => prom({ query: 'up' }), /'query' \("up"\): must be a PromQuery/],
  ['prometheus threshold 0', () => prom({ threshold: 0 }), /'threshold' \(0\): must be a number > 0/],
  ['prometheus threshold NaN', () => prom({ threshold: NaN }), /'threshold' \(NaN\)/],
  ['prometheus negative activationThreshold', () => prom({ activationThreshold: -1 }), /'activationThreshold' \(-1\): must be a number >= 0/],
  ['prometheus Utilization metricType', () => prom({ metricType: KedaMetricType.UTILIZATION }), /'metricType' \("Utilization"\): prometheus triggers take AverageValue or Value/],
  ['prometheus bearer and basic', () => prom({ authModes: [PrometheusAuthMode.BEARER, PrometheusAuthMode.BASIC], authentication: KedaAuthentication.triggerAuthentication('a') }), /'authModes' \(\["bearer","basic"\]\): bearer, basic and oauth exclude each other/],
  ['prometheus authModes without authentication', () => prom({ authModes: [PrometheusAuthMode.BEARER] }), /'authModes' \(\["bearer"\]\): needs 'authentication'/],
  ['prometheus unknown auth mode', () => prom({ authModes: ['kerberos'] }), /'authModes' \("kerberos"\)/],
  ['prometheus header with comma', () => prom({ customHeaders: { 'X-A': 'a,b' } }), /'customHeaders.X-A' \("a,b"\)/],
  ['prometheus timeout sub-millisecond', () => prom({ timeout: Duration.millis(0.5) }), /'timeout' .*must be a positive whole number of milliseconds/],
  ['trigger name with a space', () => prom({ name: 'Queue Depth' }), /'name' \("Queue Depth"\): must be letters, digits, '_', '-' and '.'/],
  ['cpu trigger without metricType', () => KedaTrigger.cpu({ value: 50 } as any), /\[KedaTrigger.cpu\] 'metricType' \(undefined\): must be Utilization or AverageValue/],
  ['memory trigger Value metricType', () => KedaTrigger.memory({ metricType: KedaMetricType.VALUE, value: 50 }), /\[KedaTrigger.memory\] 'metricType' \("Value"\)/],
  ['cpu utilization fractional', () => KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 50.5 }), /'value' \(50.5\): must be an integer >= 1/],
  ['cron unknown time zone', () => cron({ timezone: 'Mars/Olympus' }), /\[KedaTrigger.cron\] 'timezone' \("Mars\/Olympus"\): must be an IANA time zone/],
  ['cron 6-field start', () => cron({ start: '0 0 8 * * 1-5' }), /'start' \("0 0 8 \* \* 1-5"\): has 6 fields; KEDA's cron scaler takes exactly 5 fields/],
  ['cron hour 24', () => cron({ start: '0 24 * * *' }), /'start' \("0 24 \* \* \*"\): hour field: '24' goes above 23; the hour field takes 0-23/],
  ['cron garbage end', () => cron({ end: 'every day' }), /'end' \("every day"\)/],
  ['cron start equals end', () => cron({ end: '0 8 * * 1-5' }), /'end' \("0 8 \* \* 1-5"\): must differ from 'start'/],
  ['cron desiredReplicas 0', () => cron({ desiredReplicas: 0 }), /'desiredReplicas' \(0\): must be an integer >= 1/],
  ['business hours equal hours', () => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, startHour: 9, endHour: 9 }), /'endHour' \(9\): must differ from 'startHour'/],
  ['business hours hour 24', () => KedaTrigger.businessHours({ timezone: 'UTC', desiredReplicas: 1, startHour: 24 }), /'startHour' \(24\): must be an integer from 0 to 23/],
  ['KedaAuthentication bad name', () => KedaAuthentication.clusterTriggerAuthentication('Bad Name'), /'name' \("Bad Name"\): must be the name of the authentication object/],
  ['TriggerAuthentication without parameters', (c) => new KedaTriggerAuthentication(c.chart, 'ta', { name: 'auth', secretName: 's', parameters: {} }), /'parameters' \(\{\}\): needs at least one parameter/],
  ['TriggerAuthentication bad secret', (c) => new KedaTriggerAuthentication(c.chart, 'ta', { name: 'auth', secretName: 'S!', parameters: { bearerToken: 't' } }), /'secretName' \("S!"\)/],
  ['TriggerAuthentication bad key', (c) => new KedaTriggerAuthentication(c.chart, 'ta', { name: 'auth', secretName: 's', parameters: { bearerToken: 'a key' } }), /'parameters.bearerToken' \("a key"\)/],
  // Metrics and PromQL
  ['PromQuery.raw empty', () => PromQuery.raw('  '), /\[PromQuery.raw\] 'expr' \("  "\): must be a non-empty PromQL expression/],
  ['quantile 1', (c) => DynamoMetrics.ttftQuantile({ deployment: c.dgd, quantile: 1 }), /'quantile' \(1\): must be a number strictly between 0 and 1/],
  ['quantile 0', (c) => DynamoMetrics.itlQuantile({ deployment: c.dgd, quantile: 0 }), /'quantile' \(0\)/],
  ['window sub-second', (c) => DynamoMetrics.requestRate({ deployment: c.dgd, window: Duration.millis(500) }), /'window' \("500ms"\): must be a whole number of seconds/],
  ['metrics without a DGD', () => DynamoMetrics.queueDepth({}), /'deployment' \(undefined\): give the DGD/],
  ['metrics with DGD and label', (c) => DynamoMetrics.activeRequests({ deployment: c.dgd, dynamoNamespace: 'x' }), /'dynamoNamespace' \("x"\): give either 'deployment' or 'dynamoNamespace', not both/],
  ['metrics empty model', (c) => DynamoMetrics.inflightRequests({ deployment: c.dgd, model: '' }), /'model' \(""\): must be a non-empty model name/],
  ['unknown queue source', (c) => DynamoMetrics.queueDepth({ deployment: c.dgd, source: 'kv' as QueueDepthSource }), /'source' \("kv"\): must be one of queued_requests, stage_requests/],
  // Prometheus Adapter
  ['adapter rule bad metric name', () => PrometheusAdapterRule.external({ seriesQuery: 'x', metricName: 'ttft-p95', metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>})' }), /'metricName' \("ttft-p95"\): must be a Prometheus metric name/],
  ['adapter rule without LabelMatchers', () => PrometheusAdapterRule.external({ seriesQuery: 'x', metricName: 'm', metricsQuery: 'sum(x)' }), /'metricsQuery' \("sum\(x\)"\): must use <<.LabelMatchers>>/],
  ['adapter rule empty series query', () => PrometheusAdapterRule.pods({ seriesQuery: '', metricName: 'm', metricsQuery: '<<.LabelMatchers>>' }), /\[PrometheusAdapterRule.pods\] 'seriesQuery' \(""\)/],
  ['adapter URL with port', (c) => new PrometheusAdapterConfig(c.chart, 'pa', { prometheusUrl: 'http://prom:9090' }), /'prometheusUrl' \("http:\/\/prom:9090"\): must be an http\(s\) URL without a port/],
  ['adapter port 0', (c) => new PrometheusAdapterConfig(c.chart, 'pa', { prometheusUrl: 'http://prom', prometheusPort: 0 }), /'prometheusPort' \(0\): must be an integer from 1 to 65535/],
  ['adapter duplicate rule', (c) => {
    const pa = new PrometheusAdapterConfig(c.chart, 'pa', { prometheusUrl: 'http://prom' });
    const m = DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: plus.MetricTarget.value(1) });
    pa.addMetric(m);
    pa.addMetric(m);
  }, /'rules' \("dynamo_queued_requests"\): another rule already serves this metric name/],
  ['adapter without rules', (c) => { new PrometheusAdapterConfig(c.chart, 'pa', { prometheusUrl: 'http://prom' }); synth(c); }, /'rules' \(\[\]\): add at least one rule/],
  ['external metric target not a MetricTarget', (c) => DynamoExternalMetric.queuedRequests({ deployment: c.dgd, target: 5 as any }), /\[DynamoExternalMetric.queuedRequests\] 'target' \(5\): must be HpaMetricTarget.value/],
  ['external metric quantile 1.5', (c) => DynamoExternalMetric.ttftQuantile({ deployment: c.dgd, quantile: 1.5, target: plus.MetricTarget.value(1) }), /'quantile' \(1.5\)/],
  // GPU presets
  ['DCGM utilization over 100', () => DcgmMetrics.podsGpuUtilization(120), /'targetPercent' \(120\): must be a percentage in \(0, 100\]/],
  ['DCGM framebuffer 0', () => DcgmMetrics.podsFramebufferUsed(0), /'targetMiB' \(0\): must be a number > 0/],
  ['DCGM bad namespace', () => DcgmMetrics.gpuUtilizationQuery({ namespace: 'Bad NS' }), /'namespace' \("Bad NS"\)/],
  ['DCGM bad pod regex', () => DcgmMetrics.gpuUtilizationQuery({ namespace: 'ns', podRegex: '(' }), /'podRegex' \("\("\): must be a valid regular expression/],
  // Planner
  ['planner without backend', (c) => {
    const dgd = new DynamoGraphDeployment(c.chart, 'nb', { name: 'nb' });
    const d = dgd.addService('d', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new DynamoPlanner(dgd, 'p', { manages: [d], image: 'p:1.5.1' });
  }, /'backend' \(undefined\): must be one of vllm, sglang, trtllm/],
  ['planner managing nothing', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [], image: 'p:1.5.1' }), /'manages' \(\[\]\): must list the prefill\/decode services/],
  ['planner managing the frontend', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.frontend], image: 'p:1.5.1' }), /'manages' \("Frontend"\): the planner scales prefill, decode or worker services; 'Frontend' is frontend/],
  ['planner managing another DGD', (c) => {
    const other = new DynamoGraphDeployment(c.chart, 'o', { name: 'o' });
    const s = other.addService('d', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new DynamoPlanner(c.dgd, 'p', { manages: [s], image: 'p:1.5.1' });
  }, /'manages' \("d"\): must be services of this DGD/],
  ['two planners on one service', (c) => {
    new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1' });
    new DynamoPlanner(c.dgd, 'p2', { manages: [c.decode], image: 'p:1.5.1', serviceName: 'Planner2' });
  }, /'manages' \("decode"\): is already managed by a planner/],
  ['planner interval sub-second', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', adjustmentInterval: Duration.millis(10) }), /'adjustmentInterval' \("10ms"\)/],
  ['planner bad ConfigMap name', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', profilingConfigMap: 'Profiles!' }), /'profilingConfigMap' \("Profiles!"\)/],
  ['planner bad Prometheus URL', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', prometheusEndpoint: 'prometheus' }), /'prometheusEndpoint' \("prometheus"\): must be an http\(s\) URL/],
  ['planner unknown command form', (c) => new DynamoPlanner(c.dgd, 'p', { manages: [c.decode], image: 'p:1.5.1', commandForm: 'v2' as PlannerCommandForm }), /'commandForm' \("v2"\)/],
  // Alerts
  ['alerts bad HPA name', (c) => new AutoscalerAlerts(c.chart, 'a', { hpaName: 'Bad HPA' }), /'hpaName' \("Bad HPA"\)/],
  ['alerts flappingChanges 1', (c) => new AutoscalerAlerts(c.chart, 'a', { hpaName: 'h', flappingChanges: 1 }), /'flappingChanges' \(1\): must be an integer >= 2/],
];

describe('bad inputs', () => {
  test('the table has at least 100 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
  });

  test.each(rows)('%s', (_name, make, message) => {
    const c = ctx();
    let error: any;
    try {
      make(c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    // Construction errors are the library's own; synth errors come through cdk8s's
    // validation report, which carries the library's message.
    expect(error.message).toMatch(message);
    // The field's own form, or a rule's: `[path] DYNxxx Kind ns/name: field = value: text`.
    expect(error.message).toMatch(/\[[^\]]+\] ('[^']+' \(|DYN\d{3} \S+ \S+: \S+)/);
  });
});

describe('DynamoErrors.isValidationError', () => {
  test('recognises the library errors, and nothing else', () => {
    let caught: unknown;
    try {
      ctx().dgd.addService('w', undefined as any);
    } catch (e) {
      caught = e;
    }
    expect(DynamoErrors.isValidationError(caught)).toBe(true);
    expect(DynamoErrors.isValidationError(new Error('other'))).toBe(false);
    expect(DynamoErrors.isValidationError({ name: 'DynamoValidationError', message: 'not an Error' })).toBe(false);
    expect(DynamoErrors.isValidationError(undefined)).toBe(false);
  });
});
