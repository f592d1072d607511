/**
 * The DGD construct: every validation error with its message, and the behaviour the
 * rest of the library relies on (adapter names and references, the adapter
 * handshake, the dynamo_namespace label, escape hatches, determinism).
 */
import { App, Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  DynamoApiVersion, DynamoGraphDeployment, DynamoGraphDeploymentProps, DynamoNames, DynamoRelease, DynamoService, DynamoServiceOptions, ServiceRole,
} from '../src';
import { crdErrors, only, ofKind } from './support';

const KIND = 'DynamoGraphDeployment';
const ALPHA = DynamoApiVersion.V1ALPHA1;
const BETA = DynamoApiVersion.V1BETA1;
const VERSIONS = [ALPHA, BETA];

/** A DGD in chart 'c' of a fresh app; the chart's namespace is 'llm' unless given (null: none). */
function setup(props: Partial<DynamoGraphDeploymentProps> = {}, namespace: string | null = 'llm') {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: namespace ?? undefined });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'my-llm', ...props });
  return { app, chart, dgd };
}

const IMAGE = 'runtime:1.5.1';
const worker = (extra: Partial<DynamoServiceOptions> = {}): DynamoServiceOptions => ({ role: ServiceRole.WORKER, image: IMAGE, ...extra });
const dgdOf = (chart: Chart) => only(Testing.synth(chart), KIND);
/** The rendered service (v1alpha1) or component (v1beta1) called `name`. */
function rendered(chart: Chart, name: string): any {
  const m = dgdOf(chart);
  return m.spec.services ? m.spec.services[name] : m.spec.components.find((c: any) => c.name === name);
}
const cpu70 = () => [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))];

describe('validation errors', () => {
  describe('the DGD', () => {
    test.each(['My-LLM', 'my_llm', '-llm', 'llm.', 'a..b', '', 'a'.repeat(254)])('name %j is not a DNS subdomain', (name) => {
      const chart = Testing.chart();
      expect(() => new DynamoGraphDeployment(chart, 'dgd', { name })).toThrow(
        /^\[test\/dgd\] 'name' \(".*"\): must be a DNS subdomain: at most 253 lower-case letters, digits, '-' and '\.', starting and ending with a letter or digit$/);
    });

    test('a name of 253 characters and dotted names are accepted', () => {
      const chart = Testing.chart();
      expect(new DynamoGraphDeployment(chart, 'a', { name: `${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}` }).name).toHaveLength(253);
      expect(new DynamoGraphDeployment(chart, 'b', { name: 'my.llm-1' }).name).toBe('my.llm-1');
    });

    test('namespace not a DNS label', () => {
      expect(() => setup({ namespace: 'Team.A' })).toThrow(/\[c\/dgd\] 'namespace' \("Team\.A"\): must be a DNS label: lower-case letters, digits and '-', at most 63/);
    });

    test('namespace longer than 63', () => {
      expect(() => setup({ namespace: 'n'.repeat(64) })).toThrow(/\[c\/dgd\] 'namespace' \("n{64}"\): must be a DNS label of at most 63 characters \(this one has 64\)/);
    });

    test('a bad namespace from the chart', () => {
      expect(() => setup({}, 'Bad_NS')).toThrow(/\[c\/dgd\] 'namespace' \("Bad_NS"\): must be a DNS label/);
    });

    test('apiVersion not one of the enum', () => {
      expect(() => setup({ apiVersion: 'v2' as DynamoApiVersion })).toThrow(/\[c\/dgd\] 'apiVersion' \("v2"\): must be one of v1alpha1, v1beta1/);
    });

    test('backendFramework not one of the enum', () => {
      expect(() => setup({ backendFramework: 'tgi' as any })).toThrow(/\[c\/dgd\] 'backendFramework' \("tgi"\): must be one of vllm, sglang, trtllm/);
    });

    test.each(['nvidia.com/dgd-spec-hash', 'nvidia.com/dcd-x', 'nvidia.com/dgdr-origin'])('reserved annotation %s', (key) => {
      expect(() => setup({ annotations: { [key]: 'x' } })).toThrow(new RegExp(
        `^\\[c/dgd\\] DYN106 DynamoGraphDeployment llm/my-llm: metadata\\.annotations\\["${key.replace(/\./g, '\\.')}"\\] = "x": the prefix '${key.replace(/\./g, '\\.').replace(/-.*/, '-')}' is reserved for the operator \\(the operator's version conversion owns these annotations; do not set them\\)$`));
    });

    test('other nvidia.com annotations are fine', () => {
      const { chart, dgd } = setup({ annotations: { 'nvidia.com/owner': 'x', 'nvidia.com/dgd': 'y' } });
      dgd.addService('w', worker());
      expect(dgdOf(chart).metadata.annotations).toEqual({ 'nvidia.com/owner': 'x', 'nvidia.com/dgd': 'y' });
    });

    test('label and annotation keys and label values', () => {
      expect(() => setup({ labels: { 'a/b/c': 'x' } })).toThrow(/\[c\/dgd\] 'labels' \("a\/b\/c"\): keys must be '\[prefix\/\]name'/);
      expect(() => setup({ labels: { team: 'm l' } })).toThrow(/\[c\/dgd\] 'labels\.team' \("m l"\): label values must be at most 63/);
      expect(() => setup({ labels: { team: 'x'.repeat(64) } })).toThrow(/'labels\.team' \("x{64}"\): label values/);
      expect(() => setup({ annotations: { 'Bad Key': 'x' } })).toThrow(/\[c\/dgd\] 'annotations' \("Bad Key"\): keys must be/);
      expect(() => setup({ annotations: { ok: 1 as any } })).toThrow(/\[c\/dgd\] 'annotations\.ok' \(1\): must be a string/);
      const { chart, dgd } = setup({ labels: { 'app.kubernetes.io/name': 'llm', 'empty': '' }, annotations: { 'example.com/note': 'any text at all' } });
      dgd.addService('w', worker());
      expect(dgdOf(chart).metadata.labels).toEqual({ 'app.kubernetes.io/name': 'llm', 'empty': '' });
    });

    test('DGD-level env: names, duplicates, values', () => {
      expect(() => setup({ env: { '1BAD': 'x' } })).toThrow(/\[c\/dgd\] 'env' \("1BAD"\): environment variable names must match/);
      expect(() => setup({ env: { A: 1 as any } })).toThrow(/\[c\/dgd\] 'env\.A' \(1\): must be a string/);
      const { dgd } = setup({ env: { A: '1' } });
      expect(() => dgd.addEnv('A', '2')).toThrow(/\[c\/dgd\] 'env' \("A"\): is already set on this DGD; each variable may be set once/);
      expect(() => dgd.addEnv('has space', '2')).toThrow(/\[c\/dgd\] 'env' \("has space"\): environment variable names must match/);
    });

    test('pvcs on v1beta1', () => {
      expect(() => setup({ apiVersion: BETA, pvcs: [{ name: 'models' }] })).toThrow(
        /\[c\/dgd\] 'pvcs' \(\[\{"name":"models"\}\]\): exists only in v1alpha1 \(removed in v1beta1\); mount volumes through a service's 'podSpec' and 'mainContainer'/);
    });

    test('a DGD with no services fails at synth', () => {
      const { app } = setup();
      expect(() => app.synthYaml()).toThrow(/\[c\/dgd\] 'services' \(\[\]\): a DGD needs at least one service; add one with addService\(\)/);
    });

    test('service() on a missing name', () => {
      const { dgd } = setup();
      dgd.addService('a', worker());
      expect(() => dgd.service('b')).toThrow(/\[c\/dgd\] 'service' \("b"\): no such service; this DGD has a/);
    });
  });

  describe('services', () => {
    test.each(['-x', 'x-', 'a_b', 'a.b', 'a b', '', 'é'])('name %j does not match the component name pattern', (name) => {
      const { dgd } = setup();
      expect(() => dgd.addService(name, worker())).toThrow(
        /'name' \(".*"\): service names must be 1-63 characters of letters, digits and '-', starting and ending with a letter or digit/);
    });

    test('name of 64 characters (63 is fine)', () => {
      // Off Grove: on Grove, Dynamo 1.5 refuses a 63-character component (see below).
      const { dgd } = setup({ annotations: { 'nvidia.com/enable-grove': 'false' } });
      expect(dgd.addService('a'.repeat(63), worker()).serviceName).toHaveLength(63);
      expect(() => dgd.addService('b'.repeat(64), worker())).toThrow(/\[c\/dgd\/b{64}\] 'name' \("b{64}"\): service names must be 1-63/);
    });

    test('names that differ only by case', () => {
      const { dgd } = setup();
      dgd.addService('Decode', worker());
      expect(() => dgd.addService('decode', worker())).toThrow(
        /^\[c\/dgd\/decode\] DYN108 DynamoGraphDeployment llm\/my-llm: spec\.services\.decode = "decode": service 'decode' and service 'Decode' differ only by case; both map to adapter 'my-llm-decode' \(service names must be unique ignoring case\)$/);
    });

    test('more than 25 services', () => {
      const { dgd } = setup();
      for (let i = 0; i < 25; i++) dgd.addService(`w${i}`, worker());
      expect(() => dgd.addService('w25', worker())).toThrow(/\[c\/dgd\/w25\] 'services' \(26\): a DGD has at most 25 services/);
    });

    test('two epp services', () => {
      const { dgd } = setup();
      dgd.addService('epp', { image: 'runtime:1.5.1', role: ServiceRole.EPP });
      expect(() => dgd.addService('epp2', { image: 'runtime:1.5.1', role: ServiceRole.EPP })).toThrow(/^\[c\/dgd\/epp2\] DYN113 DynamoGraphDeployment llm\/my-llm: spec\.services\.epp2\.componentType = "epp": service 'epp2' is a second epp \(the first is 'epp'\) \(a DGD has at most one epp service\)$/);
    });

    test('role not one of the enum', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', { image: 'runtime:1.5.1', role: 'Worker' as ServiceRole })).toThrow(/\[c\/dgd\/w\] 'role' \("Worker"\): must be one of frontend, worker, prefill, decode, planner, epp/);
    });

    test('before 1.5, multinode only: Grove name budget len(dgd) + 2 x len(service) + 4 <= 45', () => {
      // 'my-llm' is 6: 6 + 2*17 + 4 = 44 and 6 + 2*18 + 4 = 46.
      const { dgd } = setup({ release: DynamoRelease.V1_4 });
      expect(dgd.addService('s'.repeat(17), worker({ multinodeNodeCount: 2 })).multinodeNodeCount).toBe(2);
      const { dgd: d3 } = setup({ name: 'my-llmx', release: DynamoRelease.V1_4 });
      // 7 + 2*17 + 4 = 45: exactly the budget.
      expect(d3.addService('s'.repeat(17), worker({ multinodeNodeCount: 2 })).serviceName).toHaveLength(17);
      expect(() => dgd.addService('t'.repeat(18), worker({ multinodeNodeCount: 2 }))).toThrow(
        /\[c\/dgd\/t{18}\] 'name' \("t{18}"\): a multinode service of DGD 'my-llm' needs len\(dgd\) \+ 2 x len\(service\) \+ 4 <= 45 for Grove's generated names; this is 46/);
      // The budget only applies to multinode services.
      expect(dgd.addService('u'.repeat(40), worker()).serviceName).toHaveLength(40);
    });

    test('1.5 on Grove: every component, the PCS name being the DGD name shortened to no less than 8', () => {
      const { dgd } = setup({ name: 'my-llm-deployment' });
      // Single-node: 37 characters leave 8 for the shortened PCS name; 38 do not.
      expect(dgd.addService('a'.repeat(37), worker()).serviceName).toHaveLength(37);
      expect(() => dgd.addService('b'.repeat(38), worker())).toThrow(
        /^\[c\/dgd\/b{38}\] DYN103 DynamoGraphDeployment llm\/my-llm-deployment: spec\.services\.b{38} = "b{38}": service 'b{38}': when Grove runs the DGD, PCS name 'my--[0-9a-f]{4}' \+ component name is 46 characters, over Grove's 45-character budget for pod names; the operator shortens a long DGD name but never below 8 characters, and this service's names take 38: shorten the service name \(or annotate the DGD 'nvidia\.com\/enable-grove: "false"' if it must not run on Grove\)$/);
      // Multinode: PCSG (the name) + PodClique (<name>-ldr) = 2 x 17 + 4 = 38.
      expect(() => dgd.addService('m'.repeat(17), worker({ multinodeNodeCount: 2 }))).toThrow(
        /PCS name 'my--[0-9a-f]{4}' \+ PCSG name \+ longest PodClique name 'm{17}-ldr' is 46 characters/);
      expect(dgd.addService('n'.repeat(16), worker({ multinodeNodeCount: 2 })).serviceName).toHaveLength(16);
      // A long DGD name alone is fine: the operator shortens it.
      const { dgd: long } = setup({ name: 'x'.repeat(200) });
      expect(long.addService('decode', worker({ multinodeNodeCount: 4 })).serviceName).toBe('decode');
      // Off Grove the budget does not apply; nor does it for an operator older than 1.5.
      const { dgd: off } = setup({ name: 'my-llm-deployment', annotations: { 'nvidia.com/enable-grove': 'False' } });
      expect(off.addService('b'.repeat(38), worker()).serviceName).toHaveLength(38);
      const { dgd: old } = setup({ name: 'my-llm-deployment', release: DynamoRelease.V1_4 });
      expect(old.addService('b'.repeat(38), worker()).serviceName).toHaveLength(38);
    });

    test.each([1, 0, 2.5, -2, 2 ** 31])('multinodeNodeCount %p', (n) => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ multinodeNodeCount: n }))).toThrow(
        new RegExp(`\\[c/dgd/w\\] 'multinodeNodeCount' \\(${String(n).replace('.', '\\.')}\\): must be an integer from 2 to 2147483647`));
    });

    test.each([-1, 1.5, NaN, 1e12, 2 ** 31])('replicas %p', (replicas) => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ replicas }))).toThrow(
        new RegExp(`\\[c/dgd/w\\] 'replicas' \\(${String(replicas).replace('.', '\\.')}\\): must be an integer from 0 to 2147483647 \\(an int32\\)`));
    });

    test('replicas at the int32 edge renders and validates', () => {
      const { chart, dgd } = setup();
      dgd.addService('w', worker({ replicas: 2 ** 31 - 1 }));
      expect(rendered(chart, 'w').replicas).toBe(2147483647);
      expect(crdErrors(dgdOf(chart))).toEqual([]);
    });

    test('replicas 0 is allowed and rendered', () => {
      const { chart, dgd } = setup();
      dgd.addService('w', worker({ replicas: 0 }));
      expect(rendered(chart, 'w').replicas).toBe(0);
    });

    test.each([['limits', -1], ['requests', 0.5]])('GPU in %s: %p', (field, gpu) => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ resources: { [field]: { gpu } } }))).toThrow(
        new RegExp(`\\[c/dgd/w\\] 'resources\\.${field}\\.gpu' \\(${String(gpu).replace('.', '\\.')}\\): must be an integer >= 0`));
    });

    test.each([
      ['cpu', 'two', /'resources\.limits\.cpu' \("two"\): must be a Kubernetes quantity such as "500m", "2", "16Gi"/],
      ['memory', '16 GB', /'resources\.limits\.memory' \("16 GB"\): must be a Kubernetes quantity/],
      ['memory', '16GB', /'resources\.limits\.memory' \("16GB"\): must be a Kubernetes quantity/],
      ['cpu', '', /'resources\.limits\.cpu' \(""\): must be a Kubernetes quantity/],
    ])('bad quantity: %s %j', (key, value, message) => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ resources: { limits: { [key]: value } } }))).toThrow(message);
    });

    test('bad custom quantity', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ resources: { requests: { custom: { 'ephemeral-storage': 'lots' } } } }))).toThrow(
        /\[c\/dgd\/w\] 'resources\.requests\.custom\.ephemeral-storage' \("lots"\): must be a Kubernetes quantity such as "2Gi"/);
    });

    test.each([
      ['cpu', "use the 'cpu' field for cpu"],
      ['memory', "use the 'memory' field for memory"],
      ['nvidia.com/gpu', "use the 'gpu' field for nvidia.com/gpu"],
      ['gpu', "use the 'gpu' field for gpu"],
      ['bad key', "resource names are '\\[prefix/\\]name'"],
    ])('custom resource named %j', (key, message) => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ resources: { limits: { custom: { [key]: '1' } } } }))).toThrow(
        new RegExp(`\\[c/dgd/w\\] 'resources\\.limits\\.custom' \\("${key.replace(/\./g, '\\.')}"\\): ${message}`));
    });

    test('good quantities pass', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({
        resources: { requests: { cpu: '500m', memory: '1.5Gi', custom: { 'ephemeral-storage': '2e9' } }, limits: { cpu: '+2', memory: '128974848' } },
      }))).not.toThrow();
    });

    test('seedReplicas without replicas', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('w', worker({ seedReplicas: true }))).toThrow(/\[c\/dgd\/w\] 'seedReplicas' \(true\): needs 'replicas': there is no count to seed/);
    });

    test('volumeMounts on v1beta1', () => {
      const { dgd } = setup({ apiVersion: BETA });
      expect(() => dgd.addService('w', worker({ volumeMounts: [{ name: 'models', mountPoint: '/m' }] }))).toThrow(
        /\[c\/dgd\/w\] 'volumeMounts' \(\[\{"name":"models","mountPoint":"\/m"\}\]\): exists only in v1alpha1; in v1beta1 use 'mainContainer\.volumeMounts' and 'podSpec\.volumes'/);
    });

    test('podSpec.mainContainer on v1beta1 and on v1alpha1', () => {
      const { dgd: beta } = setup({ apiVersion: BETA });
      expect(() => beta.addService('w', worker({ podSpec: { mainContainer: { image: 'x' } } }))).toThrow(
        /\[c\/dgd\/w\] 'podSpec\.mainContainer' \(\{"image":"x"\}\): is v1alpha1's extraPodSpec\.mainContainer; use the 'mainContainer' option, which renders in both versions/);
      const { dgd: alpha } = setup({ apiVersion: ALPHA });
      expect(() => alpha.addService('w', worker({ podSpec: { mainContainer: { image: 'x' } } }))).toThrow(
        /\[c\/dgd\/w\] 'podSpec\.mainContainer' \(\{"image":"x"\}\): use the 'mainContainer' option, which renders in both API versions/);
    });

    test.each(VERSIONS)('%s: podSpec.containers named main', (apiVersion) => {
      const { dgd } = setup({ apiVersion });
      expect(() => dgd.addService('w', worker({ podSpec: { containers: [{ name: 'main', image: 'x' }] } }))).toThrow(
        /\[c\/dgd\/w\] 'podSpec\.containers' \("main"\): the main container is configured by the service's own options and 'mainContainer'; podSpec\.containers may only add other containers/);
    });

    test.each(VERSIONS)('%s: containers added through podSpec need a name, a unique name and an image', (apiVersion) => {
      const { dgd } = setup({ apiVersion });
      expect(() => dgd.addService('a', worker({ podSpec: { containers: [{ name: 'sidecar' }] } }))).toThrow(
        /\[c\/dgd\/a\] 'podSpec\.containers\[0\]\.image' \(undefined\): containers added through podSpec need a non-empty image/);
      expect(() => dgd.addService('b', worker({ podSpec: { initContainers: [{ name: 'init', image: '' }] } }))).toThrow(
        /\[c\/dgd\/b\] 'podSpec\.initContainers\[0\]\.image' \(""\): containers added through podSpec need a non-empty image/);
      expect(() => dgd.addService('c', worker({ podSpec: { containers: [{ image: 'x' }] } }))).toThrow(
        /\[c\/dgd\/c\] 'podSpec\.containers\[0\]\.name' \(undefined\): must be a DNS label/);
      expect(() => dgd.addService('d', worker({ podSpec: { containers: [{ name: 's', image: 'x' }], initContainers: [{ name: 's', image: 'y' }] } }))).toThrow(
        /\[c\/dgd\/d\] 'podSpec\.initContainers\[0\]\.name' \("s"\): container names must be unique in the pod/);
      expect(() => dgd.addService('e', worker({ podSpec: { initContainers: [{ name: 'main', image: 'y' }] } }))).toThrow(
        /\[c\/dgd\/e\] 'podSpec\.initContainers\[0\]\.name' \("main"\): container names must be unique in the pod \('main' is the main container's\)/);
      expect(() => dgd.addService('f', worker({ podSpec: { containers: { name: 's' } } }))).toThrow(
        /\[c\/dgd\/f\] 'podSpec\.containers' \(\{"name":"s"\}\): must be a list of containers/);
    });

    test('podMetadata: labels and annotations only, valid keys and values', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('a', worker({ podMetadata: { name: 'x' } }))).toThrow(
        /\[c\/dgd\/a\] 'podMetadata\.name' \("x"\): pod metadata may only carry 'labels' and 'annotations'/);
      expect(() => dgd.addService('b', worker({ podMetadata: { labels: { tier: 'g p u' } } }))).toThrow(
        /\[c\/dgd\/b\] 'podMetadata\.labels\.tier' \("g p u"\): label values must be/);
      expect(() => dgd.addService('c', worker({ podMetadata: { annotations: { '/x': 'y' } } }))).toThrow(
        /\[c\/dgd\/c\] 'podMetadata\.annotations' \("\/x"\): keys must be/);
    });

    test('image, workingDir, envFromSecret, command and args', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('a', worker({ image: '' }))).toThrow(/\[c\/dgd\/a\] 'image' \(""\): must be a non-empty string/);
      expect(() => dgd.addService('b', worker({ workingDir: '' }))).toThrow(/\[c\/dgd\/b\] 'workingDir' \(""\): must be a non-empty string/);
      expect(() => dgd.addService('c', worker({ envFromSecret: 'HF_Token' }))).toThrow(/\[c\/dgd\/c\] 'envFromSecret' \("HF_Token"\): must be the name of a Secret/);
      expect(() => dgd.addService('c2', worker({ envFromSecret: 's'.repeat(254) }))).toThrow(/\[c\/dgd\/c2\] 'envFromSecret' \("s{254}"\): must be the name of a Secret \(a DNS subdomain\)/);
      expect(() => dgd.addService('d', worker({ command: 'python3' as any }))).toThrow(/\[c\/dgd\/d\] 'command' \("python3"\): must be a list of strings/);
      expect(() => dgd.addService('e', worker({ args: ['--tp', 1 as any] }))).toThrow(/\[c\/dgd\/e\] 'args' \(\["--tp",1\]\): must be a list of strings/);
    });

    test('service env: names, duplicates, values', () => {
      const { dgd } = setup();
      expect(() => dgd.addService('a', worker({ env: { 'A=B': '1' } }))).toThrow(/\[c\/dgd\/a\] 'env' \("A=B"\): environment variable names must match/);
      expect(() => dgd.addService('b', worker({ env: { A: true as any } }))).toThrow(/\[c\/dgd\/b\] 'env\.A' \(true\): must be a string/);
      const s = dgd.addService('c', worker({ env: { A: '1' } }));
      expect(() => s.addEnv('A', '2')).toThrow(/\[c\/dgd\/c\] 'env' \("A"\): is already set on this service; each variable may be set once/);
    });
  });
});

describe('scaling adapter', () => {
  test.each([[ALPHA, 'nvidia.com/v1alpha1'], [BETA, 'nvidia.com/v1beta1']])('%s: name and scaleTargetRef', (apiVersion, group) => {
    const { dgd } = setup({ apiVersion, name: 'my.llm' });
    const s = dgd.addService('VllmDecodeWorker', worker());
    expect(s.adapter.name).toBe('my.llm-vllmdecodeworker');
    expect(s.adapter.name).toBe(DynamoNames.adapterName('my.llm', 'VllmDecodeWorker'));
    expect(s.adapter.scaleTargetRef).toEqual({ apiVersion: group, kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my.llm-vllmdecodeworker', namespace: 'llm' });
    expect(s.adapter.scope).toBe(dgd);
  });

  test.each([
    [ALPHA, { enabled: true }],
    [BETA, {}],
  ])('%s: enabling renders the version\'s opt-in and leaves replicas out', (apiVersion, optIn) => {
    const { chart, dgd } = setup({ apiVersion });
    dgd.addService('plain', worker({ replicas: 2 }));
    dgd.addService('scaled', worker({ replicas: 2, scalingAdapter: true }));
    dgd.addService('seeded', worker({ replicas: 3, scalingAdapter: true, seedReplicas: true }));
    const plain = rendered(chart, 'plain');
    expect(plain.replicas).toBe(2);
    expect(plain).not.toHaveProperty('scalingAdapter');
    const scaled = rendered(chart, 'scaled');
    expect(scaled.scalingAdapter).toStrictEqual(optIn);
    expect(scaled).not.toHaveProperty('replicas');
    const seeded = rendered(chart, 'seeded');
    expect(seeded.scalingAdapter).toStrictEqual(optIn);
    expect(seeded.replicas).toBe(3);
    expect(dgd.service('scaled').renderedReplicas).toBeUndefined();
    expect(dgd.service('scaled').replicas).toBe(2);
    expect(crdErrors(dgdOf(chart))).toEqual([]);
  });

  test.each(VERSIONS)('%s: enabling or binding after construction still changes the output', (apiVersion) => {
    const { chart, dgd } = setup({ apiVersion });
    const a = dgd.addService('a', worker({ replicas: 2 }));
    const b = dgd.addService('b', worker({ replicas: 2 }));
    const before = Yaml.stringify(dgdOf(chart));
    expect(rendered(chart, 'a').replicas).toBe(2);
    a.enableScalingAdapter();
    a.enableScalingAdapter();
    b.adapter.bindAutoscaler({ kind: 'ExternalController', name: 'x', path: 'elsewhere' });
    for (const name of ['a', 'b']) {
      expect(rendered(chart, name)).not.toHaveProperty('replicas');
      expect(rendered(chart, name)).toHaveProperty('scalingAdapter');
    }
    expect(Yaml.stringify(dgdOf(chart))).not.toBe(before);
    expect(b.adapter.autoscalers).toEqual([{ kind: 'ExternalController', name: 'x', path: 'elsewhere' }]);
    expect(a.scalingAdapterEnabled && b.scalingAdapterEnabled).toBe(true);
  });

  test('an autoscaler in a chart created before the DGD\'s chart still binds (order-independent)', () => {
    const app = Testing.app();
    const scalers = new Chart(app, 'scalers', { namespace: 'llm' });
    const graph = new Chart(app, 'graph', { namespace: 'llm' });
    const dgd = new DynamoGraphDeployment(graph, 'dgd', { name: 'my-llm' });
    const s = dgd.addService('decode', worker({ replicas: 4 }));
    new plus.HorizontalPodAutoscaler(scalers, 'hpa', { target: s.adapter, maxReplicas: 8, metrics: cpu70() });
    app.synthYaml();
    expect(only(Testing.synth(graph), KIND).spec.services.decode).toStrictEqual({
      componentType: 'worker', scalingAdapter: { enabled: true }, extraPodSpec: { mainContainer: { image: IMAGE } },
    });
  });

  test.each([[ALPHA, 'nvidia.com/v1alpha1'], [BETA, 'nvidia.com/v1beta1']])('%s: a cdk8s-plus-28 HPA targets the adapter and enables it', (apiVersion, group) => {
    const { app, chart, dgd } = setup({ apiVersion });
    const s = dgd.addService('decode', worker({ replicas: 2 }));
    new plus.HorizontalPodAutoscaler(chart, 'hpa', { target: s.adapter, minReplicas: 1, maxReplicas: 8, metrics: cpu70() });
    app.synthYaml();
    const manifests = Testing.synth(chart);
    const hpa = only(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toStrictEqual({ apiVersion: group, kind: 'DynamoGraphDeploymentScalingAdapter', name: 'my-llm-decode' });
    expect(hpa.metadata.namespace).toBe('llm');
    expect(hpa.spec.maxReplicas).toBe(8);
    expect(s.adapter.hasAutoscaler).toBe(true);
    expect(s.scalingAdapterEnabled).toBe(true);
    expect(rendered(chart, 'decode')).not.toHaveProperty('replicas');
    expect(crdErrors(only(manifests, KIND))).toEqual([]);
  });

  test('a cdk8s-plus-28 HPA without metrics fails: the adapter has no containers to derive them from', () => {
    const { app, chart, dgd } = setup();
    const s = dgd.addService('decode', worker());
    new plus.HorizontalPodAutoscaler(chart, 'hpa', { target: s.adapter, maxReplicas: 8 });
    expect(() => app.synthYaml()).toThrow(/If HorizontalPodAutoscaler does not have metrics defined/);
  });

  test('two cdk8s-plus-28 HPAs on one adapter fail at synth, naming both', () => {
    const { app, chart, dgd } = setup();
    const s = dgd.addService('decode', worker());
    new plus.HorizontalPodAutoscaler(chart, 'hpa1', { target: s.adapter, maxReplicas: 8, metrics: cpu70() });
    new plus.HorizontalPodAutoscaler(chart, 'hpa2', { target: s.adapter, maxReplicas: 8, metrics: cpu70() });
    expect(() => app.synthYaml()).toThrow(
      /\[c\/hpa1\] DYN603 HorizontalPodAutoscaler llm\/c-hpa1-[0-9a-f]{8}: spec\.scaleTargetRef\.name = "my-llm-decode": HorizontalPodAutoscaler llm\/c-hpa2-[0-9a-f]{8} already scales DynamoGraphDeploymentScalingAdapter my-llm-decode; two autoscalers on one target fight over its replicas \(the other is at c\/hpa2; at most one autoscaler per target\)/);
  });

  test('HPAs on two different adapters are fine', () => {
    const { app, chart, dgd } = setup();
    for (const name of ['prefill', 'decode']) {
      new plus.HorizontalPodAutoscaler(chart, `hpa-${name}`, { target: dgd.addService(name, worker()).adapter, maxReplicas: 4, metrics: cpu70() });
    }
    expect(() => app.synthYaml()).not.toThrow();
    expect(ofKind(Testing.synth(chart), 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['my-llm-decode', 'my-llm-prefill']);
  });
});

describe('the dynamo_namespace label and the namespace', () => {
  test('<namespace>-<name with dots as dashes>', () => {
    expect(setup({ name: 'my.llm.v2' }).dgd.dynamoNamespaceLabel).toBe('llm-my-llm-v2');
    expect(setup({ name: 'plain' }).dgd.dynamoNamespaceLabel).toBe('llm-plain');
  });

  test('the namespace comes from the chart unless the DGD sets one', () => {
    const fromChart = setup();
    fromChart.dgd.addService('w', worker());
    expect(fromChart.dgd.namespace).toBe('llm');
    expect(dgdOf(fromChart.chart).metadata.namespace).toBe('llm');
    const own = setup({ namespace: 'other' });
    own.dgd.addService('w', worker());
    expect(own.dgd.namespace).toBe('other');
    expect(own.dgd.dynamoNamespaceLabel).toBe('other-my-llm');
    expect(dgdOf(own.chart).metadata.namespace).toBe('other');
  });

  test('global Dynamo namespace: the label is dynamo, and every service renders globalDynamoNamespace', () => {
    for (const apiVersion of VERSIONS) {
      const { chart, dgd } = setup({ apiVersion, globalDynamoNamespace: true }, null);
      dgd.addService('a', worker());
      expect(dgd.dynamoNamespaceLabel).toBe('dynamo');
      expect(rendered(chart, 'a').globalDynamoNamespace).toBe(true);
      expect(crdErrors(dgdOf(chart))).toEqual([]);
    }
  });

  test('no namespace anywhere: the label cannot be derived', () => {
    const { dgd } = setup({}, null);
    expect(dgd.namespace).toBeUndefined();
    expect(() => dgd.dynamoNamespaceLabel).toThrow(
      /\[c\/dgd\] 'namespace' \(undefined\): the dynamo_namespace metric label is '<namespace>-<dgd name>'; set 'namespace' on the DGD or its chart to derive it/);
  });
});

/** Every key anywhere in a JSON value. */
function allKeys(value: any, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => allKeys(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

describe('what the output never contains', () => {
  test.each(VERSIONS)('%s: no autoscaling, no dynamoNamespace, no DGDSA, no reserved annotations', (apiVersion) => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'my-llm', apiVersion, annotations: { 'nvidia.com/owner': 'ml' } });
    const decode = dgd.addService('decode', worker({ replicas: 2 }));
    dgd.addService('prefill', worker({ scalingAdapter: true }));
    new plus.HorizontalPodAutoscaler(chart, 'hpa', { target: decode.adapter, maxReplicas: 4, metrics: cpu70() });
    const manifests = Testing.synth(chart);
    const keys = allKeys(manifests);
    expect(keys).not.toContain('autoscaling');
    expect(keys).not.toContain('dynamoNamespace');
    expect(keys).toContain('scalingAdapter');
    expect(manifests.map((m) => m.kind).sort()).toEqual([KIND, 'HorizontalPodAutoscaler']);
    const annotations = manifests.flatMap((m) => Object.keys(m.metadata?.annotations ?? {}));
    expect(annotations.filter((a) => /^nvidia\.com\/(dgd|dcd|dgdr)-/.test(a))).toEqual([]);
    expect(annotations).toContain('nvidia.com/owner');
  });
});

describe('escape hatches', () => {
  const volumes = [{ name: 'cache', emptyDir: {} }];
  const mounts = [{ name: 'cache', mountPath: '/cache' }];

  test('v1alpha1: podSpec becomes extraPodSpec, mainContainer merges into its mainContainer', () => {
    const { chart, dgd } = setup({ apiVersion: ALPHA });
    dgd.addService('w', worker({
      image: 'img:1.5.1',
      args: ['--a'],
      podSpec: { volumes, nodeSelector: { gpu: 'h100' }, containers: [{ name: 'side', image: 'busybox' }] },
      mainContainer: { volumeMounts: mounts, ports: [{ containerPort: 8000 }] },
      podMetadata: { labels: { tier: 'gpu' } },
    }));
    expect(rendered(chart, 'w')).toStrictEqual({
      componentType: 'worker',
      extraPodMetadata: { labels: { tier: 'gpu' } },
      extraPodSpec: {
        mainContainer: { image: 'img:1.5.1', args: ['--a'], volumeMounts: mounts, ports: [{ containerPort: 8000 }] },
        volumes,
        nodeSelector: { gpu: 'h100' },
        containers: [{ name: 'side', image: 'busybox' }],
      },
    });
    expect(crdErrors(dgdOf(chart))).toEqual([]);
  });

  test('v1beta1: podSpec becomes podTemplate.spec, mainContainer merges into the container named main, which comes first', () => {
    const { chart, dgd } = setup({ apiVersion: BETA });
    dgd.addService('w', worker({
      image: 'img:1.5.1',
      env: { A: '1' },
      podSpec: { volumes, nodeSelector: { gpu: 'h100' }, containers: [{ name: 'side', image: 'busybox' }] },
      mainContainer: { volumeMounts: mounts },
      podMetadata: { labels: { tier: 'gpu' } },
    }));
    expect(rendered(chart, 'w')).toStrictEqual({
      name: 'w',
      type: 'worker',
      podTemplate: {
        metadata: { labels: { tier: 'gpu' } },
        spec: {
          volumes,
          nodeSelector: { gpu: 'h100' },
          containers: [
            { name: 'main', image: 'img:1.5.1', env: [{ name: 'A', value: '1' }], volumeMounts: mounts },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    });
    expect(crdErrors(dgdOf(chart))).toEqual([]);
  });

  test('v1alpha1: pvcs and service volumeMounts render', () => {
    const pvcs = [{ name: 'models', create: false }];
    const { chart, dgd } = setup({ apiVersion: ALPHA, pvcs });
    dgd.addService('w', worker({ volumeMounts: [{ name: 'models', mountPoint: '/models' }] }));
    const m = dgdOf(chart);
    expect(m.spec.pvcs).toStrictEqual(pvcs);
    expect(m.spec.services.w.volumeMounts).toStrictEqual([{ name: 'models', mountPoint: '/models' }]);
    expect(crdErrors(m)).toEqual([]);
  });

  test.each(VERSIONS)('%s: apiObject.addJsonPatch reaches the output', (apiVersion) => {
    const { chart, dgd } = setup({ apiVersion });
    dgd.addService('w', worker());
    dgd.apiObject.addJsonPatch(JsonPatch.add('/spec/priorityClassName', 'high'));
    const m = dgdOf(chart);
    expect(m.spec.priorityClassName).toBe('high');
    expect(crdErrors(m)).toEqual([]);
  });

  test.each(VERSIONS)('%s: empty options render nothing (no empty objects or lists)', (apiVersion) => {
    const { chart, dgd } = setup({ apiVersion, env: {}, labels: {} });
    dgd.addService('w', worker({
      env: {},
      command: [],
      args: [],
      podMetadata: {},
      mainContainer: {},
      podSpec: {},
      resources: { requests: {}, limits: { custom: {} } },
    }));
    // Only the image (required from Dynamo 1.5) is left.
    const expected = apiVersion === ALPHA
      ? { componentType: 'worker', extraPodSpec: { mainContainer: { image: IMAGE } } }
      : { name: 'w', type: 'worker', podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } };
    expect(rendered(chart, 'w')).toStrictEqual(expected);
  });
});

describe('determinism', () => {
  function build(): App {
    const app = Testing.app();
    for (const apiVersion of VERSIONS) {
      // One namespace per version: the same DGD name in one namespace is one object.
      const chart = new Chart(app, apiVersion, { namespace: `llm-${apiVersion}` });
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'my-llm', apiVersion, env: { B: '2', A: '1' } });
      dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image: 'img:1.5.1' });
      const d = dgd.addService('decode', worker({ replicas: 2, resources: { limits: { gpu: 1, cpu: '4' } }, env: { Z: '1', Y: '2' } }));
      new plus.HorizontalPodAutoscaler(chart, 'hpa', { target: d.adapter, maxReplicas: 4, metrics: cpu70() });
    }
    return app;
  }

  test('synthesizing twice, or an identical app, gives identical YAML', () => {
    const app = build();
    const first = app.synthYaml();
    expect(app.synthYaml()).toBe(first);
    expect(build().synthYaml()).toBe(first);
    // Env order is the order given, not sorted.
    expect(first.indexOf('name: B')).toBeLessThan(first.indexOf('name: A'));
  });
});

describe('Dynamo 1.5 admission', () => {
  const V = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime';
  const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

  test.each(VERSIONS)('%s: runtimeVersionOverride renders where the CRD has it, and validates', (apiVersion) => {
    const { chart, dgd } = setup({ apiVersion });
    dgd.addService('w', worker({ image: `${V}:my-tag`, runtimeVersionOverride: '1.5.1' }));
    const m = dgdOf(chart);
    if (apiVersion === ALPHA) {
      expect(m.spec.services.w.runtimeVersionOverride).toBe('1.5.1');
      expect(m.spec.services.w.extraPodSpec.mainContainer.image).toBe(`${V}:my-tag`);
    } else {
      expect(m.spec.components[0].runtimeVersionOverride).toBe('1.5.1');
      expect(m.spec.components[0].podTemplate.spec.containers[0]).toStrictEqual({ name: 'main', image: `${V}:my-tag` });
    }
    expect(crdErrors(m)).toEqual([]);
    expect(dgd.service('w').runtimeVersionOverride).toBe('1.5.1');
    expect(dgd.service('w').image).toBe(`${V}:my-tag`);
  });

  test('the CRD refuses a malformed override: the library refuses it first, with the allowed form', () => {
    const { chart, dgd } = setup();
    dgd.addService('w', worker({ image: `${V}:my-tag`, runtimeVersionOverride: '1.5.1' }));
    const m = dgdOf(chart);
    m.spec.services.w.runtimeVersionOverride = '1.5';
    expect(crdErrors(m).join('\n')).toMatch(/runtimeVersionOverride.*must match pattern/);
    for (const bad of ['1.5', 'v1.5.0', '01.5.0', '1.5.0-rc1', '10000.0.0']) {
      expect(() => setup().dgd.addService('w', worker({ image: `${V}:1.5.1`, runtimeVersionOverride: bad }))).toThrow(
        new RegExp(`^\\[c/dgd/w\\] 'runtimeVersionOverride' \\(${JSON.stringify(bad).replace(/\./g, '\\.')}\\): must be MAJOR\\.MINOR\\.PATCH, each part 0-9999 without leading zeros`));
    }
    expect(() => setup().dgd.addService('w', worker({ runtimeVersionOverride: '' }))).toThrow(/'runtimeVersionOverride' \(""\): must be a non-empty string/);
  });

  test('a service without an image is refused, naming the rule and the release', () => {
    const { dgd } = setup();
    expect(() => dgd.addService('w', { role: ServiceRole.WORKER })).toThrow(
      /^\[c\/dgd\/w\] DYN101 DynamoGraphDeployment llm\/my-llm: spec\.services\.w\.extraPodSpec\.mainContainer\.image: component 'w': Dynamo 1\.5 admits a component only when its 'main' container has a non-empty image \(this DGD targets Dynamo 1\.5: set its 'release' if the operator is older than 1\.5\)$/);
  });

  test.each([
    [`${V}:latest`, '"latest"'],
    [`${V}:my-tag`, '"my-tag"'],
    [`${V}:1.5`, '"1.5"'],
    [`${V}@${DIGEST}`, null],
    [V, null],
  ])('image %s without an override is refused', (image, tag) => {
    const { dgd } = setup();
    const reason = tag === null ? 'does not contain a tag' : `image tag ${tag.replace(/\./g, '\\.')} must contain a semantic version such as "1\\.1\\.0"`;
    expect(() => dgd.addService('w', worker({ image }))).toThrow(new RegExp(
      `^\\[c/dgd/w\\] DYN102 DynamoGraphDeployment llm/my-llm: spec\\.services\\.w\\.extraPodSpec\\.mainContainer\\.image = ".*: component 'w': .*${reason}; Dynamo 1\\.5 requires 'runtimeVersionOverride' \\(MAJOR\\.MINOR\\.PATCH\\) when the 'main' container's image has no parseable semantic-version tag`));
    // The override admits it.
    expect(dgd.addService('w', worker({ image, runtimeVersionOverride: '1.5.1' })).serviceName).toBe('w');
  });

  test.each([`${V}:1.5.1`, `${V}:v1.5.0-cuda13`, `${V}:1.5.0@${DIGEST}`, 'localhost:5000/runtime:1.4.2'])('image %s is admitted as is', (image) => {
    const { chart, dgd } = setup();
    dgd.addService('w', worker({ image }));
    expect(rendered(chart, 'w')).not.toHaveProperty('runtimeVersionOverride');
  });

  test("sidecar mode: the runtime image is the 'runtime' init container's", () => {
    const sidecar = (image: string) => ({
      initContainers: [{ name: 'runtime', image, restartPolicy: 'Always', command: ['dynamo-vllm-sidecar'] }],
    });
    const { chart, dgd } = setup({ apiVersion: BETA });
    // The engine's tag is the engine's version, not Dynamo's: only the sidecar's counts.
    dgd.addService('w', worker({ image: 'vllm/vllm-openai:latest', podSpec: sidecar('nvcr.io/nvidia/ai-dynamo/dynamo-sidecar:1.5.1') }));
    expect(crdErrors(dgdOf(chart))).toEqual([]);
    expect(() => dgd.addService('x', worker({ image: 'vllm/vllm-openai:0.11.0', podSpec: sidecar('dynamo-sidecar:nightly') }))).toThrow(
      /^\[c\/dgd\/x\] DYN102 DynamoGraphDeployment llm\/my-llm: spec\.components\[1\]\.podTemplate\.spec\.initContainers\[0\]\.image = "dynamo-sidecar:nightly": component 'x': image tag "nightly" must contain a semantic version .*when the 'runtime' init container's \(sidecar mode\) image has no parseable semantic-version tag/);
    expect(dgd.addService('y', worker({ image: 'vllm/vllm-openai:latest', podSpec: sidecar('dynamo-sidecar:nightly'), runtimeVersionOverride: '1.5.1' })).serviceName).toBe('y');
    // The main container still needs an image.
    expect(() => dgd.addService('z', { role: ServiceRole.WORKER, podSpec: sidecar('dynamo-sidecar:1.5.1') })).toThrow(/\[c\/dgd\/z\] DYN101 DynamoGraphDeployment llm\/my-llm: spec\.components\[2\]\.podTemplate\.spec\.containers\[0\]\.image: component 'z': Dynamo 1\.5 admits/);
  });

  test('an EPP of runtime older than 1.5.0 is refused (it would need eppConfig, which the library does not render)', () => {
    const { dgd } = setup();
    expect(() => dgd.addService('epp', { role: ServiceRole.EPP, image: 'nvcr.io/nvidia/ai-dynamo/frontend:1.4.2' })).toThrow(
      /^\[c\/dgd\/epp\] 'image' \("nvcr\.io\/nvidia\/ai-dynamo\/frontend:1\.4\.2"\): an EPP with runtime 1\.4\.2 \(earlier than 1\.5\.0, the legacy Go EPP\) requires eppConfig, which this library does not render: use an EPP image of Dynamo 1\.5\.0 or later/);
    expect(() => dgd.addService('epp', { role: ServiceRole.EPP, image: 'epp:latest', runtimeVersionOverride: '1.4.0' })).toThrow(/'runtimeVersionOverride' \("1\.4\.0"\): an EPP with runtime 1\.4\.0/);
    expect(dgd.addService('epp', { role: ServiceRole.EPP, image: 'epp:1.5.0' }).role).toBe(ServiceRole.EPP);
  });

  test('multinode only on worker, prefill and decode services', () => {
    const { dgd } = setup();
    for (const role of [ServiceRole.FRONTEND, ServiceRole.PLANNER, ServiceRole.EPP]) {
      expect(() => dgd.addService('m', { role, image: IMAGE, multinodeNodeCount: 2 })).toThrow(new RegExp(
        `^\\[c/dgd/m\\] 'multinodeNodeCount' \\(2\\): Dynamo 1\\.5 supports multinode only for worker, prefill and decode services; this one is ${role}$`));
    }
    for (const role of [ServiceRole.WORKER, ServiceRole.PREFILL, ServiceRole.DECODE]) {
      expect(dgd.addService(role, { role, image: IMAGE, multinodeNodeCount: 2 }).multinodeNodeCount).toBe(2);
    }
    expect(setup({ release: DynamoRelease.V1_4 }).dgd.addService('f', { role: ServiceRole.FRONTEND, image: IMAGE, multinodeNodeCount: 2 }).role).toBe('frontend');
  });

  describe('the release', () => {
    test('an older operator does not have these rules, nor the field', () => {
      const { chart, dgd } = setup({ release: DynamoRelease.V1_4 });
      expect(dgd.release).toBe(DynamoRelease.V1_4);
      dgd.addService('w', { role: ServiceRole.WORKER });
      dgd.addService('x', worker({ image: `${V}:my-tag` }));
      expect(crdErrors(dgdOf(chart))).toEqual([]);
      expect(() => dgd.addService('y', worker({ image: `${V}:my-tag`, runtimeVersionOverride: '1.4.0' }))).toThrow(
        /^\[c\/dgd\/y\] 'runtimeVersionOverride' \("1\.4\.0"\): exists from Dynamo 1\.5; this DGD targets 1\.4, whose CRD would drop it$/);
    });

    test('v1beta1 is served from 1.5', () => {
      expect(() => setup({ apiVersion: BETA, release: DynamoRelease.V1_4 })).toThrow(
        /^\[c\/dgd\] 'apiVersion' \("v1beta1"\): Dynamo 1\.4 serves DynamoGraphDeployment v1alpha1 only \(v1beta1 from 1\.5\); use DynamoApiVersion\.V1ALPHA1$/);
    });

    test('the default is the newest, and an app or chart can set it for every DGD under it', () => {
      expect(setup().dgd.release).toBe(DynamoRelease.LATEST);
      const app = Testing.app();
      DynamoGraphDeployment.setDefaultRelease(app, DynamoRelease.V1_4);
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      DynamoGraphDeployment.setDefaultRelease(b, DynamoRelease.V1_0);
      expect(new DynamoGraphDeployment(a, 'd', { name: 'd' }).release).toBe(DynamoRelease.V1_4);
      expect(new DynamoGraphDeployment(b, 'd', { name: 'd' }).release).toBe(DynamoRelease.V1_0);
      expect(new DynamoGraphDeployment(b, 'e', { name: 'e', release: DynamoRelease.V1_5 }).release).toBe(DynamoRelease.V1_5);
      expect(() => DynamoGraphDeployment.setDefaultRelease(app, '1.5' as any)).toThrow(
        /^\[<root>\] 'release' \("1\.5"\): must be a DynamoRelease, e\.g\. DynamoRelease\.V1_5 or DynamoRelease\.of\('1\.5'\)$/);
      expect(() => new DynamoGraphDeployment(a, 'x', { name: 'x', release: '1.5' as any })).toThrow(/\[a\/x\] 'release' \("1\.5"\): must be a DynamoRelease/);
    });
  });
});

describe('DGD annotations the operator checks', () => {
  test('vllm-distributed-executor-backend is mp or ray (any case)', () => {
    expect(setup({ annotations: { 'nvidia.com/vllm-distributed-executor-backend': 'Ray' } }).dgd.name).toBe('my-llm');
    expect(() => setup({ annotations: { 'nvidia.com/vllm-distributed-executor-backend': 'nccl' } })).toThrow(
      /^\[c\/dgd\] 'annotations\.nvidia\.com\/vllm-distributed-executor-backend' \("nccl"\): the operator accepts only "mp" or "ray" here$/);
  });
});

describe('escape hatches cannot override managed fields', () => {
  test.each([
    ['name', 'vllm', "the main container's name is fixed \\('main'\\); leave it out"],
    ['image', '', "use the 'image' option"],
    ['image', 'other:1.5.1', "use the 'image' option"],
    ['command', ['x'], "use the 'command' option"],
    ['args', ['--x'], "use the 'args' option"],
    ['workingDir', '/w', "use the 'workingDir' option"],
    ['env', [{ name: 'A', value: '1' }], "use the 'env' option or addEnv\\(\\)"],
    ['envFrom', [{ secretRef: { name: 's' } }], "use the 'envFromSecret' option"],
    ['resources', { limits: { cpu: '1' } }, "use the 'resources' option"],
  ])('mainContainer.%s', (key, value, use) => {
    for (const apiVersion of VERSIONS) {
      const { dgd } = setup({ apiVersion });
      expect(() => dgd.addService('w', worker({ mainContainer: { [key]: value } }))).toThrow(new RegExp(
        `^\\[c/dgd/w\\] 'mainContainer\\.${key}' \\(.*\\): is managed by the library and cannot be set through the escape hatch: ${use}$`));
    }
  });

  test('v1beta1: the main container stays "main" and keeps its image', () => {
    const { chart, dgd } = setup({ apiVersion: BETA });
    dgd.addService('w', worker({ mainContainer: { ports: [{ containerPort: 8000 }] } }));
    expect(rendered(chart, 'w').podTemplate.spec.containers).toStrictEqual([{ name: 'main', image: IMAGE, ports: [{ containerPort: 8000 }] }]);
  });
});

describe('derived names', () => {
  const name253 = `${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
  const offGrove = { annotations: { 'nvidia.com/enable-grove': 'false' } };

  test('the adapter and DynamoComponentDeployment name <dgd>-<service> must fit an object name (253)', () => {
    const { dgd } = setup({ name: name253, ...offGrove });
    expect(() => dgd.addService('fe', { role: ServiceRole.FRONTEND, image: IMAGE })).toThrow(
      /^\[c\/dgd\/fe\] 'name' \("fe"\): the operator names its DynamoComponentDeployment and scaling adapter '<dgd>-<service>' \(256 characters here\), over Kubernetes' 253-character limit for object names; shorten the DGD name 'a{37}\.\.\.' \(253\) or the service name \(2\)$/);
    // 250 + 1 + 2 = 253 fits.
    const { chart, dgd: ok } = setup({ name: name253.slice(0, 250), ...offGrove });
    const s = ok.addService('fe', { role: ServiceRole.FRONTEND, image: IMAGE });
    expect(s.adapter.name).toHaveLength(253);
    s.enableScalingAdapter();
    expect(crdErrors(dgdOf(chart))).toEqual([]);
  });

  test('a worker DCD also carries an 8-digit spec hash in rolling updates: <dgd>-<service>-<hash> must fit too', () => {
    const { dgd } = setup({ name: name253.slice(0, 240), ...offGrove });
    expect(() => dgd.addService('decode', worker())).toThrow(
      /^\[c\/dgd\/decode\] 'name' \("decode"\): the operator names its scaling adapter '<dgd>-<service>' and its DynamoComponentDeployment, '<dgd>-<service>-<8-digit hash>' during rolling updates \(256 characters here\), over Kubernetes' 253-character limit/);
    // 236 + 1 + 6 + 9 = 252.
    expect(setup({ name: name253.slice(0, 236), ...offGrove }).dgd.addService('decode', worker()).adapter.name).toHaveLength(243);
  });
});

describe('argument shapes (JavaScript and other jsii callers)', () => {
  test.each([
    ['undefined options', (d: any) => d.addService('w', undefined), /^\[c\/dgd\/w\] 'addService\(options\)' \(undefined\): must be an object of DynamoServiceOptions, e\.g\. \{ role: ServiceRole\.DECODE, image: '.*' \}$/],
    ['options as a string', (d: any) => d.addService('w', 'worker'), /^\[c\/dgd\/w\] 'addService\(options\)' \("worker"\): must be an object of DynamoServiceOptions/],
    ['a number as name', (d: any) => d.addService(3, worker()), /^\[c\/dgd\] 'addService\(name\)' \(3\): must be the service name, a string such as 'decode'$/],
    ['a misspelt option', (d: any) => d.addService('w', { ...worker(), imagee: 'x' }), /^\[c\/dgd\/w\] 'imagee' \("x"\): is not an option of a DGD service; the options are role, image, runtimeVersionOverride,/],
    ['env as a list', (d: any) => d.addService('w', worker({ env: ['A=1'] as any })), /^\[c\/dgd\/w\] 'env' \(\["A=1"\]\): must be an object$/],
    ['resources.limits as a number', (d: any) => d.addService('w', worker({ resources: { limits: 1 as any } })), /^\[c\/dgd\/w\] 'resources\.limits' \(1\): must be an object of resource amounts/],
    ['scalingAdapter as a string', (d: any) => d.addService('w', worker({ scalingAdapter: 'yes' as any })), /^\[c\/dgd\/w\] 'scalingAdapter' \("yes"\): must be true or false$/],
    ['volumeMounts as an object', (d: any) => d.addService('w', worker({ volumeMounts: { name: 'm' } as any })), /^\[c\/dgd\/w\] 'volumeMounts' \(\{"name":"m"\}\): must be a list of volume mount objects$/],
  ])('%s', (_, call, message) => {
    const { dgd } = setup();
    expect(() => call(dgd)).toThrow(message);
  });

  test('a DynamoService built on something that is not a DGD', () => {
    expect(() => new DynamoService({} as any, 'w', worker())).toThrow(
      /^\[DynamoService\] 'deployment' \(\{\}\): must be a DynamoGraphDeployment \(use dgd\.addService\(name, options\)\)$/);
  });

  test('DGD props', () => {
    const chart = Testing.chart();
    expect(() => new DynamoGraphDeployment(chart, 'a', undefined as any)).toThrow(/^\[test\/a\] 'props' \(undefined\): must be an object of DynamoGraphDeploymentProps, e\.g\. \{ name: 'llm' \}$/);
    expect(() => new DynamoGraphDeployment(chart, 'b', { name: 'b', env: 'A=1' as any })).toThrow(/^\[test\/b\] 'env' \("A=1"\): must be a map of environment variable names to string values$/);
    expect(() => new DynamoGraphDeployment(chart, 'c', { name: 'c', globalDynamoNamespace: 'yes' as any })).toThrow(/^\[test\/c\] 'globalDynamoNamespace' \("yes"\): must be true or false$/);
    expect(() => new DynamoGraphDeployment(chart, 'd', { name: 'd', pvcs: [1] as any })).toThrow(/^\[test\/d\] 'pvcs' \(\[1\]\): must be a list of PVC objects$/);
  });
});
