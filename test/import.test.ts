/**
 * Importing existing DGD manifests: every upstream example synthesizes back to itself,
 * fields the typed model lacks survive through the escape hatches, the documented
 * changes are warned about field by field, autoscalers attach to imported services as
 * to code-built ones, and bad input is refused naming the document and the field.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  DynamoApiVersion, DynamoGraphDeployment, DynamoImport, DynamoLint, DynamoRelease, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PromQuery,
  ServiceRole,
} from '../src';
import { crdErrors, FIXTURES, loadUpstream as loadUpstreamAsIs, ofKind, only } from './support';

const DGD = 'DynamoGraphDeployment';
/** A real release tag for upstream's placeholder `my-tag`: a Dynamo 1.5 operator refuses an image without a version. */
const TAG = '1.5.1';

function pinned(doc: any): any {
  if (typeof doc === 'string') return doc.endsWith(':my-tag') ? `${doc.slice(0, -'my-tag'.length)}${TAG}` : doc;
  if (Array.isArray(doc)) return doc.map(pinned);
  if (doc !== null && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, pinned(v)]));
  return doc;
}
const loadUpstream = (file: string) => loadUpstreamAsIs(file).map(pinned);
/** Every v1alpha1 service in these tests runs this image, which a 1.5 operator accepts. */
const IMAGE = { extraPodSpec: { mainContainer: { image: 'img:1.5.1' } } };
const BETA_IMAGE = { podTemplate: { spec: { containers: [{ name: 'main', image: 'img:1.5.1' }] } } };
const UPSTREAM = [
  'dynamo-v1alpha1/sglang/agg.yaml',
  'dynamo-v1alpha1/sglang/disagg.yaml',
  'dynamo-v1alpha1/trtllm/agg.yaml',
  'dynamo-v1alpha1/trtllm/disagg.yaml',
  'dynamo-v1alpha1/vllm/agg.yaml',
  'dynamo-v1alpha1/vllm/disagg.yaml',
  'dynamo-v1alpha1/vllm/disagg_planner.yaml',
  'dynamo-v1beta1/vllm/agg.yaml',
  'dynamo-v1beta1/vllm/disagg.yaml',
];

function roundTrip(manifest: any): { out: any; dgd: DynamoGraphDeployment } {
  const chart = Testing.chart();
  const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', manifest);
  return { out: only(Testing.synth(chart), DGD), dgd };
}

/** A v1alpha1 DGD; services without an extraPodSpec get IMAGE. */
function alpha(services: any, extra: any = {}): any {
  const withImages = Object.fromEntries(Object.entries(services).map(([k, v]: [string, any]) =>
    [k, v !== null && typeof v === 'object' && v.extraPodSpec === undefined ? { ...v, ...structuredClone(IMAGE) } : v]));
  return { apiVersion: 'nvidia.com/v1alpha1', kind: DGD, metadata: { name: 'g', namespace: 'ns' }, spec: { services: withImages, ...extra } };
}

/** A v1beta1 DGD; components without a podTemplate get BETA_IMAGE. */
function beta(components: any[], extra: any = {}): any {
  const withImages = components.map((c) => (c.podTemplate === undefined ? { ...c, ...structuredClone(BETA_IMAGE) } : c));
  return { apiVersion: 'nvidia.com/v1beta1', kind: DGD, metadata: { name: 'g', namespace: 'ns' }, spec: { components: withImages, ...extra } };
}

describe('the upstream examples round-trip', () => {
  test.each(UPSTREAM)('%s', (file) => {
    const input = only(loadUpstream(file), DGD);
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out).toEqual(input);
    expect(crdErrors(out)).toEqual([]);
    expect(DynamoImport.warningsOf(dgd)).toEqual([]);
    // Typed, not smuggled through patches: roles, images and GPUs are in the model.
    for (const s of dgd.services) {
      expect(Object.values(ServiceRole)).toContain(s.role);
      expect(s._toModel().image).toMatch(/runtime|planner/);
    }
    expect(dgd.apiVersion).toBe(input.apiVersion === 'nvidia.com/v1beta1' ? DynamoApiVersion.V1BETA1 : DynamoApiVersion.V1ALPHA1);
  });

  test('typed fields land in the model (vllm disagg, both versions)', () => {
    for (const file of ['dynamo-v1alpha1/vllm/disagg.yaml', 'dynamo-v1beta1/vllm/disagg.yaml']) {
      const chart = Testing.chart();
      const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', only(loadUpstream(file), DGD));
      const decode = dgd.service('VllmDecodeWorker');
      expect(decode.role).toBe(ServiceRole.DECODE);
      const m = decode._toModel();
      expect(m.resources?.limits?.gpu).toBe(1);
      expect(m.envFromSecret).toBe('hf-token-secret');
      expect(m.command?.[0]).toBe('python3');
      expect(m.mainContainer).toBeUndefined();
      expect(dgd.service('VllmPrefillWorker').role).toBe(ServiceRole.PREFILL);
    }
  });

  test('fromFile imports every DGD of a file and leaves other documents alone; the release decides what is admitted', () => {
    const file = path.join(FIXTURES, 'upstream', 'dynamo-v1alpha1/vllm/disagg_planner.yaml');
    // Upstream's placeholder tag is fine for an operator older than 1.5 ...
    const chart = Testing.chart();
    DynamoGraphDeployment.setDefaultRelease(chart, DynamoRelease.V1_4);
    const dgds = DynamoGraphDeployment.fromFile(chart, file);
    expect(dgds.map((d) => d.name)).toEqual(['vllm-disagg-planner']);
    expect(dgds[0].node.id).toBe('vllm-disagg-planner');
    expect(dgds[0].release).toBe(DynamoRelease.V1_4);
    expect(Testing.synth(chart)).toEqual([only(loadUpstreamAsIs('dynamo-v1alpha1/vllm/disagg_planner.yaml'), DGD)]);
    // ... and refused by 1.5's admission with the message a code-built DGD gets, naming the document.
    expect(() => DynamoGraphDeployment.fromFile(Testing.chart(), file)).toThrow(
      /disagg_planner.yaml, document 2 \(line \d+\): \[test\/vllm-disagg-planner\/Frontend\] DYN102 DynamoGraphDeployment [^:]+: spec\.services\.Frontend\.extraPodSpec\.mainContainer\.image = "nvcr.io\/nvidia\/ai-dynamo\/vllm-runtime:my-tag": component 'Frontend': image tag "my-tag" must contain a semantic version/);
  });

  test('runtimeVersionOverride is typed: an image without a version imports with it, in both versions', () => {
    const input = alpha({ F: { componentType: 'frontend', runtimeVersionOverride: '1.5.1', extraPodSpec: { mainContainer: { image: 'img:latest' } } } });
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out).toEqual(input);
    expect(dgd.service('F')._toModel().runtimeVersionOverride).toBe('1.5.1');
    const b = beta([{ name: 'F', type: 'frontend', runtimeVersionOverride: '1.5.1', podTemplate: { spec: { containers: [{ name: 'main', image: 'img:latest' }] } } }]);
    expect(roundTrip(structuredClone(b)).out).toEqual(b);
  });
});

describe('fields the typed model does not cover are kept', () => {
  test('v1alpha1: service and spec fields, probes, sidecars, env from valueFrom, gpuType, claims', () => {
    const input = alpha({
      Frontend: {
        componentType: 'frontend',
        replicas: 2,
        globalDynamoNamespace: false,
        annotations: { a: 'b' },
        labels: { team: 'x' },
        sharedMemory: { size: '8Gi' },
        livenessProbe: { httpGet: { path: '/live', port: 8000 } },
        minAvailable: 1,
        runtimeVersionOverride: '1.5.0',
        envs: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        extraPodSpec: {
          mainContainer: { image: 'img:1.5.0', ports: [{ containerPort: 8000, name: 'http' }], command: [] },
          containers: [{ name: 'side', image: 'busybox' }],
          tolerations: [{ key: 'gpu', operator: 'Exists' }],
        },
        extraPodMetadata: { annotations: { x: 'y' } },
      },
      Worker: {
        componentType: 'worker',
        resources: { limits: { gpu: '2', gpuType: 'nvidia.com/mig-1g.10gb' }, claims: [{ name: 'c' }] },
        volumeMounts: [{ name: 'cache', mountPoint: '/cache', useAsCompilationCache: true }],
        scalingAdapter: { enabled: true },
        multinode: { nodeCount: 2 },
      },
    }, { priorityClassName: 'high', envs: [{ name: 'X', value: '1' }], pvcs: [{ name: 'cache', create: false }] });
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out).toEqual(input);
    expect(crdErrors(out)).toEqual([]);
    const fe = dgd.service('Frontend')._toModel();
    expect(fe.image).toBe('img:1.5.0');
    // Fields the library manages on the main container (here an empty command) never go through the hatch.
    expect(fe.mainContainer).toEqual({ ports: [{ containerPort: 8000, name: 'http' }] });
    expect(fe.podSpec).toEqual({ containers: [{ name: 'side', image: 'busybox' }], tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    expect(fe.podMetadata).toEqual({ annotations: { x: 'y' } });
    expect(dgd.service('Worker').scalingAdapterEnabled).toBe(true);
    expect(dgd.service('Worker').multinodeNodeCount).toBe(2);
  });

  test('v1beta1: sidecars, env from valueFrom, extra envFrom, claims, main not first', () => {
    const input = beta([
      {
        name: 'Frontend',
        type: 'frontend',
        replicas: 1,
        sharedMemorySize: '1Gi',
        podTemplate: {
          metadata: { labels: { a: 'b' } },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'img:1.5.0',
                env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
                envFrom: [{ secretRef: { name: 's' } }],
                resources: { limits: { 'nvidia.com/gpu': '1', 'cpu': '2' }, requests: { 'ephemeral-storage': '2Gi' } },
              },
              { name: 'side', image: 'busybox' },
            ],
            nodeSelector: { pool: 'gpu' },
          },
        },
      },
      {
        name: 'w',
        type: 'worker',
        scalingAdapter: {},
        podTemplate: { spec: { containers: [{ name: 'side', image: 'x' }, { name: 'main', image: 'img:1.5.0', env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } }] }] } },
      },
    ], { env: [{ name: 'G', value: 'g' }], priorityClassName: 'p' });
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out).toEqual(input);
    expect(crdErrors(out)).toEqual([]);
    const fe = dgd.service('Frontend')._toModel();
    expect(fe.env.map((e) => e.name)).toEqual(['A', 'B']);
    expect(fe.envFromSecret).toBe('s');
    expect(fe.resources).toEqual({ limits: { gpu: 1, cpu: '2' }, requests: { custom: { 'ephemeral-storage': '2Gi' } } });
    expect(fe.podSpec).toEqual({ nodeSelector: { pool: 'gpu' }, containers: [{ name: 'side', image: 'busybox' }] });
    expect(dgd.service('w').scalingAdapterEnabled).toBe(true);
    // The worker's env (a valueFrom) is managed by the library, so it is kept by a raw patch, not the hatch.
    const w = dgd.service('w')._toModel();
    expect(w.mainContainer).toBeUndefined();
    expect(w.env).toEqual([]);
  });

  test('metadata beyond name, namespace, labels and annotations is kept', () => {
    const input = alpha({ F: { componentType: 'frontend' } });
    input.metadata.finalizers = ['example.com/keep'];
    const { out } = roundTrip(structuredClone(input));
    expect(out).toEqual(input);
  });
});

describe('documented changes, each warned about by field', () => {
  test('deprecated autoscaling and dynamoNamespace are dropped', () => {
    const input = alpha({ F: { componentType: 'frontend', dynamoNamespace: 'old', autoscaling: { enabled: true, minReplicas: 1 } } });
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out.spec.services.F).toEqual({ componentType: 'frontend', ...IMAGE });
    const warnings = DynamoImport.warningsOf(dgd);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("'spec.services.F.autoscaling' left out");
    expect(warnings[1]).toContain("'spec.services.F.dynamoNamespace' left out");
  });

  test('replicas of an adapter-owned service and a disabled adapter spelled out', () => {
    const input = alpha({
      A: { componentType: 'worker', replicas: 3, scalingAdapter: { enabled: true } },
      B: { componentType: 'worker', replicas: 2, scalingAdapter: {} },
      C: { componentType: 'worker', scalingAdapter: { enabled: false } },
    });
    const { out, dgd } = roundTrip(structuredClone(input));
    expect(out.spec.services).toEqual({
      A: { componentType: 'worker', scalingAdapter: { enabled: true }, ...IMAGE },
      B: { componentType: 'worker', replicas: 2, ...IMAGE },
      C: { componentType: 'worker', ...IMAGE },
    });
    const warnings = DynamoImport.warningsOf(dgd).join('\n');
    expect(warnings).toContain("'spec.services.A.replicas' (3) left out");
    expect(warnings).toContain("'spec.services.B.scalingAdapter' ({}) left out");
    expect(warnings).toContain("'spec.services.C.scalingAdapter' ({\"enabled\":false}) left out");
    // v1beta1: present means enabled.
    const b = roundTrip(beta([{ name: 'w', type: 'worker', replicas: 4, scalingAdapter: {} }]));
    expect(b.out.spec.components).toEqual([{ name: 'w', type: 'worker', scalingAdapter: {}, ...BETA_IMAGE }]);
    expect(DynamoImport.warningsOf(b.dgd)[0]).toContain("'spec.components[0].replicas' (4) left out");
  });

  test('what the API server writes (kubectl get -o yaml) is left out with a warning per field', () => {
    const input = alpha({ F: { componentType: 'frontend' } });
    const exported = structuredClone(input);
    Object.assign(exported.metadata, { uid: 'u-1', resourceVersion: '42', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }] });
    const { out, dgd } = roundTrip(exported);
    expect(out).toEqual(input);
    expect(DynamoImport.warningsOf(dgd).map((w) => w.slice(w.indexOf("'")))).toEqual(
      ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'].map((k) => `'metadata.${k}' left out: written by the API server, not applied`));
  });

  test('status is left out with a warning', () => {
    const input = { ...alpha({ F: { componentType: 'frontend' } }), status: { state: 'successful' } };
    const { out, dgd } = roundTrip(input);
    expect(out.status).toBeUndefined();
    expect(DynamoImport.warningsOf(dgd)[0]).toContain("'status' left out");
  });
});

describe('autoscalers attach to imported services as to code-built ones', () => {
  test('HPA on an imported v1alpha1 decode worker: adapter enabled, replicas gone, target in the DGD version', () => {
    const chart = Testing.chart();
    const input = only(loadUpstream('dynamo-v1alpha1/vllm/disagg.yaml'), DGD);
    const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', input);
    new HpaAutoscaler(chart, 'hpa', {
      target: dgd.service('VllmDecodeWorker').adapter,
      maxReplicas: 4,
      metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))],
    });
    const out = Testing.synth(chart);
    const svc = only(out, DGD).spec.services.VllmDecodeWorker;
    expect(svc.scalingAdapter).toEqual({ enabled: true });
    expect(svc.replicas).toBeUndefined();
    expect(svc.extraPodSpec.mainContainer.args).toEqual(input.spec.services.VllmDecodeWorker.extraPodSpec.mainContainer.args);
    const hpa = only(out, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'vllm-disagg-vllmdecodeworker' });
    expect(crdErrors(only(out, DGD))).toEqual([]);
    expect(DynamoImport.warningsOf(dgd)).toEqual([
      "test/dgd (DynamoGraphDeployment \"vllm-disagg\"): 'spec.services.VllmDecodeWorker.replicas' (1) left out: an autoscaler now owns the count through the service's scaling adapter",
    ]);
  });

  test('KEDA on an imported v1beta1 service; a second autoscaler on it is refused', () => {
    const chart = Testing.chart();
    const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', { ...only(loadUpstream('dynamo-v1beta1/vllm/disagg.yaml'), DGD), metadata: { name: 'vllm-disagg', namespace: 'llm' } });
    const prefill = dgd.service('VllmPrefillWorker');
    new KedaAutoscaler(chart, 'keda', {
      target: prefill.adapter,
      minReplicas: 1,
      maxReplicas: 3,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prom:9090', query: PromQuery.raw('sum(x)'), threshold: 5 })],
    });
    new HpaAutoscaler(chart, 'hpa', { target: prefill.adapter, maxReplicas: 2, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(50))] });
    expect(() => Testing.synth(chart)).toThrow(/at most one autoscaler/);
  });
});

describe('a Planner imports with what its mode scales (manages)', () => {
  const FILE = path.join(FIXTURES, 'import', 'vllm-disagg-planner-decode.yaml');
  const hpaOn = (chart: any, target: any) => new HpaAutoscaler(chart, 'hpa', { target: target.adapter, maxReplicas: 4, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });

  test('mode decode: decode is the Planner\'s, prefill is free; the DGD synthesizes back unchanged', () => {
    const chart = Testing.chart();
    const [dgd] = DynamoImport.fromFile(chart, FILE);
    expect(dgd.service('decode').managedByPlanner).toBe(true);
    expect(dgd.service('prefill').managedByPlanner).toBe(false);
    expect(DynamoImport.warningsOf(dgd)).toEqual([]);
    expect(Testing.synth(chart)).toEqual([only(loadUpstreamAsIs('../import/vllm-disagg-planner-decode.yaml'), DGD)]);
    hpaOn(chart, dgd.service('prefill'));
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('an autoscaler on the service its mode scales is refused, naming the Planner', () => {
    const chart = Testing.chart();
    const [dgd] = DynamoImport.fromFile(chart, FILE);
    hpaOn(chart, dgd.service('decode'));
    expect(() => Testing.synth(chart)).toThrow(/\[test\/hpa\] DYN603 .*is scaled by the Planner .*\(the Planner is at test\/llm\/Planner;/);
  });

  test('no mode (upstream disagg_planner.yaml): prefill and decode are both the Planner\'s', () => {
    const chart = Testing.chart();
    const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', only(loadUpstream('dynamo-v1alpha1/vllm/disagg_planner.yaml'), DGD));
    expect(['VllmPrefillWorker', 'VllmDecodeWorker', 'Frontend'].map((n) => dgd.service(n).managedByPlanner)).toEqual([true, true, false]);
  });

  test('a mode the graph cannot serve: a warning naming the Planner and the services, nothing marked', () => {
    const chart = Testing.chart();
    const comp = (name: string, type: string, main: any = {}) => ({ name, type, podTemplate: { spec: { containers: [{ name: 'main', image: 'img:1.5.1', ...main }] } } });
    const dgd = DynamoGraphDeployment.fromManifest(chart, 'dgd', {
      apiVersion: 'nvidia.com/v1beta1',
      kind: DGD,
      metadata: { name: 'g' },
      spec: { backendFramework: 'vllm', components: [comp('a', 'decode'), comp('b', 'decode'), comp('P', 'planner', { args: ['--config', '{"mode": "decode"}'] })] },
    });
    expect([dgd.service('a').managedByPlanner, dgd.service('b').managedByPlanner]).toEqual([false, false]);
    expect(DynamoImport.warningsOf(dgd)).toEqual([
      "test/dgd (DynamoGraphDeployment \"g\"): the Planner 'P' runs mode decode (from its --config), but the DGD's services of the roles it scales are 'a' (decode), 'b' (decode): no service is marked as the Planner's ('manages' ([\"a\",\"b\"]): 'a' and 'b' are both decode: one planner scales one service per role (its mode is disagg, prefill, decode or agg); give each a planner of its own)",
    ]);
  });

  test('lint of the same file agrees: DYN603 on the HPA on decode only', () => {
    const docs = loadUpstreamAsIs('../import/vllm-disagg-planner-decode.yaml');
    const findings = DynamoLint.checkManifests(docs).findings;
    expect(findings.map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name}`)).toEqual(['DYN603 HorizontalPodAutoscaler llm-decode-hpa']);
  });
});

describe('bad input names the document and the field', () => {
  test.each([
    ['not a DGD', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, /'kind' \("ConfigMap"\): is not a DynamoGraphDeployment/],
    ['unknown version', { apiVersion: 'nvidia.com/v2', kind: DGD, metadata: { name: 'x' }, spec: {} }, /'apiVersion' \("nvidia.com\/v2"\): must be one of nvidia.com\/v1alpha1, nvidia.com\/v1beta1/],
    ['not an object', ['a'], /'document' \(\["a"\]\): is not a Kubernetes object/],
    ['no name', { apiVersion: 'nvidia.com/v1alpha1', kind: DGD, metadata: {}, spec: {} }, /'metadata.name' \(undefined\)/],
    ['unknown spec field', alpha({}, { servics: {} }), /'spec.servics' \(\{\}\): unknown field: the spec of a nvidia.com\/v1alpha1/],
    ['unknown service field', alpha({ F: { componentType: 'frontend', replica: 2 } }), /'spec.services.F.replica' \(2\): unknown field: a v1alpha1 service has/],
    ['v1alpha1 field in v1beta1', beta([{ name: 'F', type: 'frontend', componentType: 'frontend' }]), /'spec.components\[0\].componentType' \("frontend"\): unknown field: a v1beta1 component/],
    ['v1beta1 spec field in v1alpha1', alpha({}, { components: [] }), /'spec.components' \(\[\]\): unknown field/],
    ['untyped role', alpha({ F: { componentType: 'main' } }), /'spec.services.F.componentType' \("main"\): must be componentType frontend, worker, planner or epp/],
    ['sub-type on a frontend', alpha({ F: { componentType: 'frontend', subComponentType: 'prefill' } }), /'spec.services.F.subComponentType' \("prefill"\): with componentType "frontend" is not a role/],
    ['bad v1beta1 type', beta([{ name: 'F', type: 'router' }]), /'spec.components\[0\].type' \("router"\): must be one of frontend, worker, prefill, decode, planner, epp/],
    ['26 services', alpha(Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`s${i}`, { componentType: 'worker' }]))),
      /\[test\/dgd\/s25\] 'services' \(26\): a DGD has at most 25 services/],
    ['names equal ignoring case', alpha({ Worker: { componentType: 'worker' }, worker: { componentType: 'worker' } }), /DYN108 .*: service 'worker' and service 'Worker' differ only by case/],
    ['reserved annotation', { ...alpha({ F: { componentType: 'frontend' } }), metadata: { name: 'g', annotations: { 'nvidia.com/dgd-spec': '{}' } } }, /DYN106 .*: metadata\.annotations\["nvidia\.com\/dgd-spec"\] = "\{\}": the prefix 'nvidia\.com\/dgd-' is reserved for the operator/],
    ['bad replicas', alpha({ F: { componentType: 'frontend', replicas: -1 } }), /'replicas' \(-1\): must be an integer from 0 to 2147483647 \(an int32\)/],
  ])('%s', (_, manifest, message) => {
    const chart = Testing.chart();
    expect(() => DynamoGraphDeployment.fromManifest(chart, 'dgd', manifest as any)).toThrow(message);
  });

  test('a file: invalid YAML names the file and the line; errors name the document', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\n---\nkind: [unclosed\n');
    expect(() => DynamoImport.fromFile(Testing.chart(), bad)).toThrow(new RegExp(`\\[${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:1\\] invalid YAML in document 2`));
    const typo = path.join(dir, 'typo.yaml');
    fs.writeFileSync(typo, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: nvidia.com/v1beta1\nkind: DynamoGraphDeployment\nmetadata: {name: g}\nspec:\n  components:\n  - {name: F, type: frontend, replica: 1}\n');
    expect(() => DynamoImport.fromFile(Testing.chart(), typo)).toThrow(/typo.yaml, document 2 \(line 5\) \(DynamoGraphDeployment "g"\)\] 'spec.components\[0\].replica' \(1\): unknown field/);
    const many = path.join(dir, 'many.yaml');
    fs.writeFileSync(many, `apiVersion: nvidia.com/v1alpha1\nkind: DynamoGraphDeployment\nmetadata: {name: g}\nspec:\n  services:\n${Array.from({ length: 26 }, (_, i) => `    s${i}: {componentType: worker, extraPodSpec: {mainContainer: {image: 'img:1.5.1'}}}\n`).join('')}`);
    expect(() => DynamoImport.fromFile(Testing.chart(), many)).toThrow(/many.yaml, document 1 \(line 1\): \[test\/g\/s25\] 'services' \(26\): a DGD has at most 25 services/);
    expect(() => DynamoImport.fromFile(Testing.chart(), path.join(dir, 'missing.yaml'))).toThrow(/missing.yaml\] cannot be read: ENOENT/);
  });

  test('a List (kubectl get dgd -o yaml) imports its DGDs', () => {
    const dgd = only(loadUpstream('dynamo-v1beta1/vllm/agg.yaml'), DGD);
    const list = { apiVersion: 'v1', kind: 'List', items: [dgd, { ...dgd, metadata: { name: 'other' } }] };
    const chart = Testing.chart();
    expect(DynamoImport.fromYaml(chart, JSON.stringify(list), 'list.yaml').map((d) => d.name)).toEqual(['vllm-agg', 'other']);
    expect(Testing.synth(chart)).toEqual(list.items);
    const bad = { ...list, items: [{ ...dgd, spec: { components: [{ name: 'F', type: 'router' }] } }] };
    expect(() => DynamoImport.fromYaml(Testing.chart(), JSON.stringify(bad), 'list.yaml')).toThrow(
      /\[list.yaml, document 1 \(line 1\), items\[0\] \(DynamoGraphDeployment "vllm-agg"\)\] 'spec.components\[0\].type' \("router"\)/);
  });

  test('two DGDs of one name in a stream get distinct ids', () => {
    const doc = (ns: string) => `apiVersion: nvidia.com/v1beta1\nkind: DynamoGraphDeployment\nmetadata: {name: g, namespace: ${ns}}\nspec:\n  components: [{name: F, type: frontend, podTemplate: {spec: {containers: [{name: main, image: 'img:1.5.1'}]}}}]\n`;
    const chart = Testing.chart();
    const dgds = DynamoImport.fromYaml(chart, `${doc('a')}---\n${doc('b')}`);
    expect(dgds.map((d) => d.node.id)).toEqual(['g', 'g-2']);
    expect(ofKind(Testing.synth(chart), DGD).map((m) => m.metadata.namespace)).toEqual(['a', 'b']);
  });
});
