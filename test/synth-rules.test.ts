/**
 * The constructs report a mistake that a rule covers with the rule's id and the exact
 * message the linter gives for the same mistake in YAML (plus the construct path). For
 * each rule a construct can trip: build the mistake with constructs and catch the error;
 * lint the same mistake as manifests with `checkManifests`; the error must carry the
 * construct path, the rule id and the finding's message.
 *
 * Where the constructs can render the mistake (an older release that does not refuse it,
 * or each of two conflicting autoscalers in an app of its own), the manifests are the
 * constructs' own output; otherwise they are written out as a user would.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  BackendFramework, checkManifests, DynamoApiVersion, DynamoGraphDeployment, DynamoGraphDeploymentRequest, DynamoPlanner, DynamoRelease,
  HpaAutoscaler, KedaAutoscaler, KedaTrigger, PromQuery, ServiceRole,
} from '../src';

const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1';
const cpu70 = () => plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70));

function chartIn(app: App = Testing.app()): Chart {
  return new Chart(app, 'c', { namespace: 'ns' });
}

interface DgdProps {
  readonly name?: string;
  readonly apiVersion?: DynamoApiVersion;
  readonly release?: DynamoRelease;
  readonly annotations?: { [k: string]: string };
}

function dgd(chart: Chart, props: DgdProps = {}) {
  return new DynamoGraphDeployment(chart, 'dgd', { name: props.name ?? 'llm', ...props });
}

const alpha = (name: string, services: { [name: string]: any }, metadata: { [k: string]: any } = {}) => ({
  apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: { name, namespace: 'ns', ...metadata }, spec: { services },
});
const beta = (name: string, components: any[]) => ({
  apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name, namespace: 'ns' }, spec: { components },
});
const mainImage = (image?: string) => ({ extraPodSpec: { mainContainer: image === undefined ? {} : { image } } });

/** The manifests of an app that synthesizes (the constructs' own rendering of the mistake). */
function synthesized(build: (chart: Chart) => void): any[] {
  const chart = chartIn();
  build(chart);
  return Testing.synth(chart);
}

interface Case {
  /** The rule. */
  readonly rule: string;
  /** What the case shows. */
  readonly what: string;
  /** Builds the mistake with constructs (throws at construction or at synth). */
  readonly build: () => void;
  /** The construct path the error names. */
  readonly path: string;
  /** The same mistake as manifests. */
  readonly manifests: () => any[];
  /** Found at synth (cdk8s reports it in its own Error), not at construction. */
  readonly atSynth?: boolean;
}

const CASES: Case[] = [
  {
    rule: 'DYN101',
    what: 'v1alpha1 service without an image',
    build: () => dgd(chartIn()).addService('w', { role: ServiceRole.WORKER }),
    path: 'c/dgd/w',
    manifests: () => synthesized((c) => dgd(c, { release: DynamoRelease.V1_4 }).addService('w', { role: ServiceRole.WORKER })),
  },
  {
    rule: 'DYN101',
    what: 'v1beta1 component without an image (second component)',
    build: () => {
      const d = dgd(chartIn(), { apiVersion: DynamoApiVersion.V1BETA1 });
      d.addService('fe', { role: ServiceRole.FRONTEND, image: IMAGE });
      d.addService('w', { role: ServiceRole.WORKER, args: ['--model', 'm'] });
    },
    path: 'c/dgd/w',
    manifests: () => [beta('llm', [
      { name: 'fe', type: 'frontend', podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
      { name: 'w', type: 'worker', podTemplate: { spec: { containers: [{ name: 'main', args: ['--model', 'm'] }] } } },
    ])],
  },
  {
    rule: 'DYN102',
    what: 'main image tagged latest',
    build: () => dgd(chartIn()).addService('w', { role: ServiceRole.WORKER, image: 'vllm-runtime:latest' }),
    path: 'c/dgd/w',
    manifests: () => synthesized((c) => dgd(c, { release: DynamoRelease.V1_4 }).addService('w', { role: ServiceRole.WORKER, image: 'vllm-runtime:latest' })),
  },
  {
    rule: 'DYN102',
    what: 'main image by digest, v1beta1',
    build: () => dgd(chartIn(), { apiVersion: DynamoApiVersion.V1BETA1 }).addService('w', { role: ServiceRole.WORKER, image: 'vllm-runtime@sha256:00' }),
    path: 'c/dgd/w',
    manifests: () => [beta('llm', [{ name: 'w', type: 'worker', podTemplate: { spec: { containers: [{ name: 'main', image: 'vllm-runtime@sha256:00' }] } } }])],
  },
  {
    rule: 'DYN102',
    what: "sidecar mode: the 'runtime' init container's image",
    build: () => dgd(chartIn()).addService('w', {
      role: ServiceRole.WORKER, image: 'vllm/vllm-openai:0.11.0', podSpec: { initContainers: [{ name: 'runtime', image: 'sidecar:dev' }] },
    }),
    path: 'c/dgd/w',
    manifests: () => synthesized((c) => dgd(c, { release: DynamoRelease.V1_4 }).addService('w', {
      role: ServiceRole.WORKER, image: 'vllm/vllm-openai:0.11.0', podSpec: { initContainers: [{ name: 'runtime', image: 'sidecar:dev' }] },
    })),
  },
  {
    rule: 'DYN103',
    what: "a service name that leaves Grove's PCS name less than 8 characters",
    build: () => dgd(chartIn()).addService('x'.repeat(43), { role: ServiceRole.WORKER, image: IMAGE }),
    path: `c/dgd/${'x'.repeat(43)}`,
    manifests: () => synthesized((c) => dgd(c, { release: DynamoRelease.V1_4 }).addService('x'.repeat(43), { role: ServiceRole.WORKER, image: IMAGE })),
  },
  {
    rule: 'DYN103',
    what: 'a multinode service, v1beta1',
    build: () => dgd(chartIn(), { apiVersion: DynamoApiVersion.V1BETA1 }).addService('m'.repeat(20), { role: ServiceRole.WORKER, image: IMAGE, multinodeNodeCount: 2 }),
    path: `c/dgd/${'m'.repeat(20)}`,
    manifests: () => [beta('llm', [{ name: 'm'.repeat(20), type: 'worker', multinode: { nodeCount: 2 }, podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } }])],
  },
  {
    rule: 'DYN106',
    what: 'an annotation with the operator prefix nvidia.com/dgd-',
    build: () => dgd(chartIn(), { annotations: { 'nvidia.com/dgd-x': '1' } }),
    path: 'c/dgd',
    manifests: () => [alpha('llm', { w: { componentType: 'worker', ...mainImage(IMAGE) } }, { annotations: { 'nvidia.com/dgd-x': '1' } })],
  },
  {
    rule: 'DYN108',
    what: 'two service names equal ignoring case',
    build: () => {
      const d = dgd(chartIn());
      d.addService('decode', { role: ServiceRole.DECODE, image: IMAGE });
      d.addService('DECODE', { role: ServiceRole.DECODE, image: IMAGE });
    },
    path: 'c/dgd/DECODE',
    manifests: () => [alpha('llm', {
      decode: { componentType: 'worker', subComponentType: 'decode', ...mainImage(IMAGE) },
      DECODE: { componentType: 'worker', subComponentType: 'decode', ...mainImage(IMAGE) },
    })],
  },
  {
    rule: 'DYN108',
    what: 'two component names equal ignoring case, v1beta1',
    build: () => {
      const d = dgd(chartIn(), { apiVersion: DynamoApiVersion.V1BETA1 });
      d.addService('Decode', { role: ServiceRole.DECODE, image: IMAGE });
      d.addService('decode', { role: ServiceRole.DECODE, image: IMAGE });
    },
    path: 'c/dgd/decode',
    manifests: () => [beta('llm', ['Decode', 'decode'].map((name) => ({ name, type: 'decode', podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } })))],
  },
  {
    rule: 'DYN109',
    what: 'an adapter name over 253 characters',
    build: () => new DynamoGraphDeployment(chartIn(), 'dgd', { name: 'a'.repeat(250), annotations: { 'nvidia.com/enable-grove': 'false' } })
      .addService('decode', { role: ServiceRole.DECODE, image: IMAGE, scalingAdapter: true }),
    path: 'c/dgd/decode',
    manifests: () => [alpha('a'.repeat(250), { decode: { componentType: 'worker', subComponentType: 'decode', scalingAdapter: { enabled: true }, ...mainImage(IMAGE) } },
      { annotations: { 'nvidia.com/enable-grove': 'false' } })],
  },
  {
    rule: 'DYN113',
    what: 'a second epp service',
    build: () => {
      const d = dgd(chartIn());
      d.addService('epp', { role: ServiceRole.EPP, image: IMAGE });
      d.addService('epp2', { role: ServiceRole.EPP, image: IMAGE });
    },
    path: 'c/dgd/epp2',
    manifests: () => [alpha('llm', { epp: { componentType: 'epp', ...mainImage(IMAGE) }, epp2: { componentType: 'epp', ...mainImage(IMAGE) } })],
  },
  {
    rule: 'DYN120',
    what: 'a DGDR image without a version tag',
    build: () => new DynamoGraphDeploymentRequest(chartIn(), 'dgdr', { name: 'sla', model: 'Qwen/Qwen3-0.6B', image: 'planner:my-tag' }),
    path: 'c/dgdr',
    manifests: () => synthesized((c) => new DynamoGraphDeploymentRequest(c, 'dgdr', {
      name: 'sla', model: 'Qwen/Qwen3-0.6B', image: 'planner:my-tag', release: DynamoRelease.V1_4,
    })),
  },
  ...kedaCases(),
  ...conflictCases(),
  ...plannerCases(),
];

/** DYN201, DYN202, DYN206: KEDA's webhook rules the KedaAutoscaler checks at construction. */
function kedaCases(): Case[] {
  const prom = () => KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1 });
  const scaler = (props: { name?: string; hpaName?: string; minReplicas?: number; maxReplicas?: number }) => () => {
    const s = dgd(chartIn()).addService('decode', { role: ServiceRole.DECODE, image: IMAGE });
    new KedaAutoscaler(s.deployment.node.scope as Chart, 'k', { target: s.adapter, triggers: [prom()], ...props });
  };
  const scaledObject = (name: string, spec: { [k: string]: any } = {}) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace: 'ns' },
    spec: {
      scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-decode' },
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'up', threshold: '1' } }],
      ...spec,
    },
  });
  return [
    { rule: 'DYN201', what: "a ScaledObject name whose 'keda-hpa-' HPA name is over 63", build: scaler({ name: 's'.repeat(55) }), path: 'c/k', manifests: () => [scaledObject('s'.repeat(55))] },
    {
      rule: 'DYN201',
      what: 'an hpaName over 63',
      build: scaler({ hpaName: 'h'.repeat(64) }),
      path: 'c/k',
      manifests: () => [scaledObject('llm-decode-scaler', { advanced: { horizontalPodAutoscalerConfig: { name: 'h'.repeat(64) } } })],
    },
    {
      rule: 'DYN206',
      what: 'two triggers with one name',
      build: () => {
        const s = dgd(chartIn()).addService('decode', { role: ServiceRole.DECODE, image: IMAGE });
        const named = (name: string) => KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1, name });
        new KedaAutoscaler(s.deployment.node.scope as Chart, 'k', { target: s.adapter, triggers: [named('q'), named('q')] });
      },
      path: 'c/k',
      manifests: () => [scaledObject('llm-decode-scaler', {
        triggers: [0, 1].map(() => ({ type: 'prometheus', name: 'q', metadata: { serverAddress: 'http://prometheus:9090', query: 'up', threshold: '1' } })),
      })],
    },
    {
      rule: 'DYN202',
      what: 'minReplicas above maxReplicas',
      build: scaler({ minReplicas: 5, maxReplicas: 2 }),
      path: 'c/k',
      manifests: () => [scaledObject('llm-decode-scaler', { minReplicaCount: 5, maxReplicaCount: 2 })],
    },
  ];
}

/**
 * DYN603: two autoscalers on one target. The conflict app fails at synth; its manifests
 * are the two autoscalers rendered each in an app of its own, in the conflict app's order.
 */
function conflictCases(): Case[] {
  const fleet = (chart: Chart) => {
    const d = dgd(chart);
    return d.addService('decode', { role: ServiceRole.DECODE, image: IMAGE });
  };
  type Make = (chart: Chart, target: ReturnType<typeof fleet>) => void;
  const hpa: Make = (chart, s) => { new HpaAutoscaler(chart, 'first', { target: s.adapter, maxReplicas: 4, metrics: [cpu70()] }); };
  const hpa2: Make = (chart, s) => { new HpaAutoscaler(chart, 'second', { target: s.adapter, maxReplicas: 4, metrics: [cpu70()], qualifier: 'b' }); };
  const keda: Make = (chart, s) => {
    new KedaAutoscaler(chart, 'second', {
      target: s.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
  };
  const make = (what: string, first: Make, second: Make): Case => ({
    rule: 'DYN603',
    what,
    atSynth: true,
    build: () => {
      const chart = chartIn();
      const s = fleet(chart);
      first(chart, s);
      second(chart, s);
      (chart.node.root as App).synth();
    },
    path: 'c/second',
    manifests: () => {
      const one = synthesized((c) => first(c, fleet(c)));
      const two = synthesized((c) => second(c, fleet(c)));
      return [...one, two[1]];
    },
  });
  return [make('two HPAs on one adapter', hpa, hpa2), make('an HPA and a ScaledObject on one adapter', hpa, keda)];
}

/**
 * DYN603 for a service the Planner scales: the conflict app fails at synth; its manifests
 * are the DGD with its Planner, and the autoscaler rendered in an app without one.
 */
function plannerCases(): Case[] {
  const PLANNER_IMAGE = 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.1';
  const services = (chart: Chart) => {
    const d = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', backendFramework: BackendFramework.VLLM });
    return { d, prefill: d.addService('prefill', { role: ServiceRole.PREFILL, image: IMAGE }), decode: d.addService('decode', { role: ServiceRole.DECODE, image: IMAGE }) };
  };
  const withPlanner = (chart: Chart, decodeOnly: boolean) => {
    const { d, prefill, decode } = services(chart);
    new DynamoPlanner(d, 'planner', { manages: decodeOnly ? [decode] : [prefill, decode], image: PLANNER_IMAGE });
    return decode;
  };
  const keda = (chart: Chart, target: ReturnType<typeof withPlanner>) => {
    new KedaAutoscaler(chart, 'second', {
      target: target.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
  };
  const hpa = (chart: Chart, target: ReturnType<typeof withPlanner>) => {
    new HpaAutoscaler(chart, 'second', { target: target.adapter, maxReplicas: 4, metrics: [cpu70()] });
  };
  const make = (what: string, decodeOnly: boolean, autoscaler: typeof keda): Case => ({
    rule: 'DYN603',
    what,
    atSynth: true,
    build: () => {
      const chart = chartIn();
      autoscaler(chart, withPlanner(chart, decodeOnly));
      (chart.node.root as App).synth();
    },
    path: 'c/second',
    manifests: () => {
      const planned = synthesized((c) => { withPlanner(c, decodeOnly); });
      const alone = synthesized((c) => autoscaler(c, services(c).decode));
      return [...planned, alone[alone.length - 1]];
    },
  });
  return [
    make('a ScaledObject on decode, which a disagg Planner scales', false, keda),
    make('an HPA on decode, which a decode-mode Planner scales', true, hpa),
  ];
}

describe('construct errors carry the rule id and the linter message for the same mistake', () => {
  test.each(CASES.map((c) => [c.rule, c.what, c] as const))('%s: %s', (rule, _what, c) => {
    let error: any;
    try {
      c.build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    // Construction errors are the library's; synth errors come in cdk8s's report of them.
    expect(error.name).toBe(c.atSynth ? 'Error' : 'DynamoValidationError');
    if (c.atSynth) expect(error.message).toMatch(/^Validation failed with the following errors:/);
    const manifests = c.manifests();
    const findings = checkManifests(manifests.map((manifest) => ({ manifest })), { schema: false }).findings.filter((f) => f.ruleId === rule);
    expect(findings.length).toBeGreaterThan(0);
    // The construct's error is the finding's message under the construct path, with the id.
    const message: string = error.message;
    expect(findings.some((f) => message.includes(`[${c.path}] ${rule} ${f.message}`))).toBe(true);
  });

  test('the construct error names the object, field, value and allowed form as the finding does', () => {
    let message = '';
    try {
      dgd(chartIn()).addService('w', { role: ServiceRole.WORKER, image: 'vllm-runtime:latest' });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toBe(
      "[c/dgd/w] DYN102 DynamoGraphDeployment ns/llm: spec.services.w.extraPodSpec.mainContainer.image = \"vllm-runtime:latest\": component 'w': "
      + "image tag \"latest\" must contain a semantic version such as \"1.1.0\"; Dynamo 1.5 requires 'runtimeVersionOverride' (MAJOR.MINOR.PATCH) when the 'main' "
      + "container's image has no parseable semantic-version tag (a digest, 'latest', a custom tag) (this DGD targets Dynamo 1.5: set its 'release' if the operator is older than 1.5)");
  });

  test('every rule a case covers is one the engine knows, and the covered set is the documented one', () => {
    const covered = [...new Set(CASES.map((c) => c.rule))].sort();
    expect(covered).toEqual(['DYN101', 'DYN102', 'DYN103', 'DYN106', 'DYN108', 'DYN109', 'DYN113', 'DYN120', 'DYN201', 'DYN202', 'DYN206', 'DYN603']);
    expect(CASES.filter((c) => c.rule === 'DYN603').map((c) => c.what)).toEqual(expect.arrayContaining([expect.stringMatching(/Planner/)]));
  });
});
