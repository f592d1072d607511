/**
 * The rule cases: for every rule, manifest sets that break it and sets that do not.
 * test/rules.test.ts runs them; scripts/rules-fixtures.ts writes them as YAML files
 * under test/fixtures/rules/<id>/ (for the lint command's tests).
 */
import { checkManifests, ManifestInput } from '../src/rules';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const NS = 'team';
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0';

function dgdBeta(): any {
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm', namespace: NS },
    spec: {
      components: [
        { name: 'Frontend', type: 'frontend', replicas: 1, podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
        { name: 'decode', type: 'decode', scalingAdapter: {}, podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
      ],
    },
  };
}

function dgdAlpha(): any {
  return {
    apiVersion: 'nvidia.com/v1alpha1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm', namespace: NS },
    spec: {
      backendFramework: 'vllm',
      services: {
        Frontend: { componentType: 'frontend', replicas: 1, extraPodSpec: { mainContainer: { image: IMAGE } } },
        decode: { componentType: 'worker', subComponentType: 'decode', scalingAdapter: { enabled: true }, extraPodSpec: { mainContainer: { image: IMAGE } } },
      },
    },
  };
}

const adapterRef = (name = 'llm-decode') => ({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name });

function hpa(target = 'llm-decode'): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'decode-hpa', namespace: NS },
    spec: {
      scaleTargetRef: adapterRef(target),
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{
        type: 'External',
        external: {
          metric: { name: 'dynamo_queued_requests', selector: { matchLabels: { dynamo_namespace: 'team-llm' } } },
          target: { type: 'Value', value: '10' },
        },
      }],
    },
  };
}

function scaledObject(target = 'llm-decode'): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'decode-scaler', namespace: NS },
    spec: {
      scaleTargetRef: adapterRef(target),
      minReplicaCount: 1,
      maxReplicaCount: 4,
      triggers: [{
        type: 'prometheus',
        metadata: {
          serverAddress: 'http://prometheus.monitoring:9090',
          query: 'sum(dynamo_frontend_queued_requests{dynamo_namespace="team-llm"})',
          threshold: '10',
        },
      }],
    },
  };
}

function triggerAuth(namespace = NS): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: 'prom-auth', namespace },
    spec: { secretTargetRef: [{ parameter: 'bearerToken', name: 'prom-secret', key: 'token' }] },
  };
}

function podAutoscaler(target = 'llm-decode'): any {
  return {
    apiVersion: 'autoscaling.aibrix.ai/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: 'decode-pa', namespace: NS, annotations: { 'autoscaling.aibrix.ai/scale-down-cooldown-window': '300s' } },
    spec: {
      scaleTargetRef: adapterRef(target),
      minReplicas: 1,
      maxReplicas: 4,
      scalingStrategy: 'KPA',
      metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: '8000', path: '/metrics', targetMetric: 'gpu_cache_usage_perc', targetValue: '0.5' }],
    },
  };
}

const EXTERNAL_RULE = {
  seriesQuery: 'dynamo_frontend_queued_requests{namespace!=""}',
  resources: { overrides: { namespace: { resource: 'namespace' } } },
  name: { matches: '^dynamo_frontend_queued_requests$', as: 'dynamo_queued_requests' },
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
};

function adapterConfigMap(rule: any = EXTERNAL_RULE, extra = ''): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'prometheus-adapter', namespace: 'monitoring' },
    data: { 'config.yaml': `${extra}externalRules: ${JSON.stringify([rule])}\n` },
  };
}

const helmValues = (rule: any = EXTERNAL_RULE): any => ({ prometheus: { url: 'http://prometheus.monitoring' }, rules: { external: [rule] } });

function dgdr(): any {
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeploymentRequest',
    metadata: { name: 'qwen', namespace: NS },
    spec: { model: 'Qwen/Qwen3-0.6B', image: IMAGE },
  };
}

const PLANNER_IMAGE = 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.0';
const component = (name: string, type: string, main: any = {}) => ({
  name,
  type,
  ...(type === 'planner' ? { replicas: 1 } : { scalingAdapter: {} }),
  podTemplate: { spec: { containers: [{ name: 'main', image: type === 'planner' ? PLANNER_IMAGE : IMAGE, ...main }] } },
});

/**
 * dgdBeta with a prefill component and a Planner run as `python3 -m dynamo.planner
 * --config <config>`: the Planner's `mode` decides which of prefill and decode it scales
 * (ai-dynamo/dynamo planner_config.py; default disagg, both).
 */
function plannerDgd(config: string): any {
  return mutate(dgdBeta(), (d) => {
    d.spec.components.push(component('prefill', 'prefill'), component('planner', 'planner', { command: ['python3', '-m', 'dynamo.planner'], args: ['--config', config] }));
  });
}

/** dgdAlpha with a prefill service and a Planner in the planner_sla flags form, with `flags`. */
function flagsPlannerDgdAlpha(...flags: string[]): any {
  return mutate(dgdAlpha(), (d) => {
    d.spec.services.prefill = { componentType: 'worker', subComponentType: 'prefill', scalingAdapter: { enabled: true }, extraPodSpec: { mainContainer: { image: IMAGE } } };
    d.spec.services.Planner = {
      componentType: 'planner',
      replicas: 1,
      extraPodSpec: { mainContainer: { image: IMAGE, command: ['python3', '-m', 'planner_sla'], args: ['--environment=kubernetes', '--backend=vllm', ...flags] } },
    };
  });
}
const DISAGG_CONFIG = '{"environment": "kubernetes", "backend": "vllm"}';
const configWithMode = (mode: string) => `{"environment": "kubernetes", "backend": "vllm", "mode": "${mode}"}`;

const inputs = (ms: any[]): ManifestInput[] => ms.map((manifest) => ({ manifest }));
export const run = (ms: any[], release?: string) => checkManifests(inputs(ms), release ? { dynamoRelease: release } : {});
const withDgd = (...ms: any[]) => [dgdBeta(), ...ms];
const soTrigger = (patch: (t: any, so: any) => void) => {
  const so = scaledObject();
  patch(so.spec.triggers[0], so);
  return so;
};
const mutate = <T>(x: T, f: (x: any) => void): T => {
  const c = clone(x);
  f(c);
  return c;
};

export interface Case {
  readonly id: string;
  readonly bad: () => any[];
  readonly good: () => any[];
  readonly release?: string;
}

/** One failing and one passing set per rule. */
export const CASES: Case[] = [
  // DYN0xx schema
  { id: 'DYN001', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].replicas = 2 ** 31; })], good: () => [dgdBeta()] },
  { id: 'DYN001', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[0].type = 'router'; })], good: () => [dgdBeta()] },
  // int32 beyond range in KEDA and HPA fields (KEDA maxReplicaCount 2**31, HPA maxReplicas 3e9)
  { id: 'DYN001', bad: () => withDgd(mutate(scaledObject(), (s) => { s.spec.maxReplicaCount = 2 ** 31; })), good: () => withDgd(mutate(scaledObject(), (s) => { s.spec.maxReplicaCount = 2 ** 31 - 1; })) },
  { id: 'DYN004', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.maxReplicas = 3e9; })), good: () => withDgd(mutate(hpa(), (h) => { h.spec.maxReplicas = 2 ** 31 - 1; })) },
  { id: 'DYN002', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].replica = 2; })], good: () => [dgdBeta()] },
  { id: 'DYN003', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[0].minAvailable = 3; d.spec.components[0].replicas = 2; })], good: () => [dgdBeta()] },
  {
    id: 'DYN003',
    // at most one epp: the v1beta1 CRD's own CEL rule on spec.components
    bad: () => [mutate(dgdBeta(), (d) => { for (const n of ['epp', 'epp2']) d.spec.components.push({ name: n, type: 'epp', podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } }); })],
    good: () => [mutate(dgdBeta(), (d) => { d.spec.components.push({ name: 'epp', type: 'epp', podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } }); })],
  },
  { id: 'DYN004', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.maxReplicas = 0; })), good: () => withDgd(hpa()) },
  { id: 'DYN004', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.behavior = { scaleUp: { policies: [] } }; })), good: () => withDgd(hpa()) },
  { id: 'DYN005', bad: () => [dgdBeta()], good: () => [dgdAlpha()], release: '1.0' },
  { id: 'DYN005', bad: () => [mutate(scaledObject(), (s) => { s.apiVersion = 'keda.sh/v1beta1'; }), dgdBeta()], good: () => [scaledObject(), dgdBeta()] },
  // DYN1xx DGD
  { id: 'DYN101', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].podTemplate.spec.containers = [{ name: 'sidecar', image: 'busybox:1.36.0' }]; })], good: () => [dgdBeta()] },
  { id: 'DYN101', bad: () => [mutate(dgdAlpha(), (d) => { delete d.spec.services.Frontend.extraPodSpec; })], good: () => [dgdAlpha()] },
  { id: 'DYN102', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].podTemplate.spec.containers[0].image = 'my.registry/vllm:my-tag'; })], good: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].podTemplate.spec.containers[0].image = 'my.registry/vllm:my-tag'; d.spec.components[1].runtimeVersionOverride = '1.5.0'; })] },
  { id: 'DYN102', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.extraPodSpec.mainContainer.image = 'vllm@sha256:0123456789abcdef'; })], good: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.extraPodSpec.mainContainer.image = 'vllm:v1.5.1-cuda12'; })] },
  // Grove: a multinode service of 17 characters takes 17 + 21 of the 45, leaving less than the 8 the DGD name is never cut below (one of 16 fits)
  {
    id: 'DYN103',
    bad: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'llm-serving'; d.spec.components[1].name = 'decode-worker-xyz'; d.spec.components[1].multinode = { nodeCount: 2 }; })],
    good: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'llm-serving'; d.spec.components[1].name = 'decode-worker-xy'; d.spec.components[1].multinode = { nodeCount: 2 }; })],
  },
  {
    id: 'DYN103',
    bad: () => [mutate(dgdAlpha(), (d) => { d.metadata.name = 'llm-serving'; d.spec.services['f'.repeat(38)] = d.spec.services.Frontend; delete d.spec.services.Frontend; })],
    good: () => [mutate(dgdAlpha(), (d) => { d.metadata.name = 'llm-serving'; d.spec.services['f'.repeat(37)] = d.spec.services.Frontend; delete d.spec.services.Frontend; })],
  },
  { id: 'DYN104', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.Frontend.autoscaling = { enabled: true, minReplicas: 1, maxReplicas: 2 }; })], good: () => [dgdAlpha()] },
  { id: 'DYN105', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.Frontend.dynamoNamespace = 'llm'; })], good: () => [dgdAlpha()] },
  { id: 'DYN106', bad: () => [mutate(dgdBeta(), (d) => { d.metadata.annotations = { 'nvidia.com/dgd-spec-hash': 'x' }; })], good: () => [mutate(dgdBeta(), (d) => { d.metadata.annotations = { 'nvidia.com/owner': 'ml' }; })] },
  { id: 'DYN107', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].replicas = 2; })], good: () => [dgdBeta()] },
  { id: 'DYN107', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.replicas = 2; })], good: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.scalingAdapter = { enabled: false }; d.spec.services.decode.replicas = 2; })] },
  { id: 'DYN108', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.Decode = clone(d.spec.services.decode); delete d.spec.services.Decode.scalingAdapter; })], good: () => [dgdAlpha()] },
  { id: 'DYN109', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode_worker = d.spec.services.decode; delete d.spec.services.decode; })], good: () => [dgdAlpha()] },
  { id: 'DYN110', bad: () => [dgdBeta(), { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', metadata: { name: 'other-decode', namespace: NS }, spec: { replicas: 1, dgdRef: { name: 'other', serviceName: 'decode' } } }], good: () => [dgdBeta()] },
  { id: 'DYN111', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.componentType = 'wroker'; })], good: () => [dgdAlpha()] },
  { id: 'DYN111', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.subComponentType = 'Decode'; })], good: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.subComponentType = 'prefill'; })] },
  {
    id: 'DYN112',
    bad: () => [mutate(dgdBeta(), (d) => {
      d.spec.components[1].multinode = { nodeCount: 2, leader: { podTemplate: { spec: { containers: [] } } } };
    })],
    // The GA shape: roles[] (not in the pre-GA CRD snapshot, and not reported as pruned).
    good: () => [mutate(dgdBeta(), (d) => { d.spec.components[1].multinode = { nodeCount: 2 }; d.spec.components[1].roles = [{ name: 'leader', replicas: 1 }, { name: 'worker', replicas: 1 }]; })],
  },
  {
    id: 'DYN113',
    bad: () => [mutate(dgdAlpha(), (d) => { for (const n of ['Epp', 'Epp2']) d.spec.services[n] = { componentType: 'epp', extraPodSpec: { mainContainer: { image: IMAGE } } }; })],
    good: () => [mutate(dgdAlpha(), (d) => { d.spec.services.Epp = { componentType: 'epp', extraPodSpec: { mainContainer: { image: IMAGE } } }; })],
  },
  { id: 'DYN120', bad: () => [mutate(dgdr(), (r) => { r.spec.image = 'my.registry/dynamo:latest'; })], good: () => [mutate(dgdr(), (r) => { r.spec.image = 'my.registry/dynamo:latest'; r.spec.runtimeVersionOverride = '1.5.0'; })] },
  // DYN2xx KEDA
  { id: 'DYN201', bad: () => withDgd(mutate(scaledObject(), (s) => { s.metadata.name = 'x'.repeat(55); })), good: () => withDgd(mutate(scaledObject(), (s) => { s.metadata.name = 'x'.repeat(55); s.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'decode-hpa' } }; })) },
  { id: 'DYN202', bad: () => withDgd(mutate(scaledObject(), (s) => { s.spec.minReplicaCount = 5; })), good: () => withDgd(mutate(scaledObject(), (s) => { s.spec.minReplicaCount = 4; })) },
  { id: 'DYN202', bad: () => withDgd(mutate(scaledObject(), (s) => { s.spec.minReplicaCount = 101; delete s.spec.maxReplicaCount; })), good: () => withDgd(mutate(scaledObject(), (s) => { s.spec.minReplicaCount = 100; delete s.spec.maxReplicaCount; })) },
  { id: 'DYN203', bad: () => withDgd(mutate(scaledObject(), (s) => { s.spec.idleReplicaCount = 1; })), good: () => withDgd(mutate(scaledObject(), (s) => { s.spec.idleReplicaCount = 0; })) },
  { id: 'DYN204', bad: () => withDgd(soTrigger((t, s) => { t.metricType = 'Value'; s.spec.fallback = { failureThreshold: 3, replicas: 2 }; })), good: () => withDgd(soTrigger((_, s) => { s.spec.fallback = { failureThreshold: 3, replicas: 2 }; })) },
  { id: 'DYN204', bad: () => withDgd(soTrigger((t, s) => { Object.assign(t, { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }); s.spec.fallback = { failureThreshold: 3, replicas: 2 }; })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }); })) },
  { id: 'DYN205', bad: () => withDgd(soTrigger((t, s) => { Object.assign(t, { type: 'memory', metricType: 'AverageValue', metadata: { value: '8Gi' } }); s.spec.minReplicaCount = 0; })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'memory', metricType: 'AverageValue', metadata: { value: '8' } }); })) },
  { id: 'DYN206', bad: () => withDgd(soTrigger((t, s) => { t.name = 'queue'; s.spec.triggers.push({ ...clone(t), name: 'queue' }); })), good: () => withDgd(soTrigger((t, s) => { t.name = 'queue'; s.spec.triggers.push({ ...clone(t), name: 'queue2' }); })) },
  { id: 'DYN207', bad: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'Mars/Olympus', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '2' } }); })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '2' } }); })) },
  { id: 'DYN207', bad: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'UTC', start: '0 25 * * *', end: '0 8 * * *', desiredReplicas: '2' } }); })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'UTC', start: '*/15 0-6 * JAN-MAR SUN', end: '0 8 * * *', desiredReplicas: '2' } }); })) },
  { id: 'DYN207', bad: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0  8 * * *', desiredReplicas: '0' } }); })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 9 * * *', desiredReplicas: '1' } }); })) },
  { id: 'DYN208', bad: () => withDgd(soTrigger((t) => { delete t.metadata.threshold; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN208', bad: () => withDgd(soTrigger((t) => { t.metricType = 'Utilization'; })), good: () => withDgd(soTrigger((t) => { t.metricType = 'Value'; })) },
  { id: 'DYN208', bad: () => withDgd(soTrigger((t) => { t.metadata.authModes = 'bearer,basic'; })), good: () => withDgd(soTrigger((t) => { t.metadata.authModes = 'bearer,tls'; })) },
  { id: 'DYN209', bad: () => withDgd(soTrigger((t) => { t.metadata.metricName = 'queue'; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN209', bad: () => withDgd(soTrigger((t) => { t.metadata.bearerToken = 'secret'; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN210', bad: () => withDgd(soTrigger((t, s) => { s.spec.minReplicaCount = 0; t.metadata.query = 'histogram_quantile(0.9, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{dynamo_namespace="team-llm"}[1m])) by (le))'; })), good: () => withDgd(soTrigger((_, s) => { s.spec.minReplicaCount = 0; })) },
  { id: 'DYN211', bad: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cpu', metadata: { value: '70' } }); })), good: () => withDgd(soTrigger((t) => { Object.assign(t, { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }); })) },
  {
    id: 'DYN212',
    bad: () => withDgd(soTrigger((t, s) => { t.name = 'queue'; s.spec.advanced = { scalingModifiers: { formula: 'queue * 2' } }; })),
    good: () => withDgd(soTrigger((t, s) => { t.name = 'queue'; s.spec.advanced = { scalingModifiers: { formula: 'queue * 2', target: '10', metricType: 'AverageValue' } }; })),
  },
  { id: 'DYN212', bad: () => withDgd(soTrigger((_, s) => { s.spec.advanced = { scalingModifiers: { formula: 'queue * 2', target: '10' } }; })), good: () => withDgd(scaledObject()) },
  // DYN3xx HPA
  { id: 'DYN301', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.minReplicas = 0; h.spec.metrics[0].external.metric.name = 'dynamo_ttft_p90_seconds'; })), good: () => withDgd(mutate(hpa(), (h) => { h.spec.minReplicas = 0; })) },
  // DYN4xx AIBrix
  { id: 'DYN401', bad: () => withDgd(mutate(podAutoscaler(), (p) => { p.spec.minReplicas = 5; })), good: () => withDgd(podAutoscaler()) },
  { id: 'DYN402', bad: () => withDgd(mutate(podAutoscaler(), (p) => { delete p.spec.metricsSources[0].port; })), good: () => withDgd(podAutoscaler()) },
  { id: 'DYN402', bad: () => withDgd(mutate(podAutoscaler(), (p) => { p.spec.metricsSources = [{ metricSourceType: 'resource', targetMetric: 'gpu', targetValue: '-1' }]; })), good: () => withDgd(mutate(podAutoscaler(), (p) => { p.spec.metricsSources = [{ metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '60' }]; })) },
  { id: 'DYN403', bad: () => withDgd(mutate(podAutoscaler(), (p) => { p.metadata.annotations = { 'kpa.autoscaling.aibrix.ai/scale-down-delay': '3m' }; })), good: () => withDgd(podAutoscaler()) },
  { id: 'DYN403', bad: () => withDgd(mutate(podAutoscaler(), (p) => { p.metadata.annotations = { 'autoscaling.aibrix.ai/scale-down-cooldown': '3m' }; })), good: () => withDgd(podAutoscaler()) },
  { id: 'DYN404', bad: () => withDgd(mutate(podAutoscaler(), (p) => { p.spec.scalingStrategy = 'HPA'; p.metadata.name = 'p'.repeat(251); })), good: () => withDgd(mutate(podAutoscaler(), (p) => { p.spec.scalingStrategy = 'HPA'; p.metadata.name = 'p'.repeat(249); })) },
  // DYN5xx Prometheus Adapter
  { id: 'DYN501', bad: () => [adapterConfigMap({ ...EXTERNAL_RULE, resources: undefined })], good: () => [adapterConfigMap()] },
  { id: 'DYN501', bad: () => [helmValues({ ...EXTERNAL_RULE, resources: {} })], good: () => [helmValues()] },
  { id: 'DYN502', bad: () => [helmValues({ ...EXTERNAL_RULE, metricsQuery: undefined })], good: () => [helmValues()] },
  { id: 'DYN503', bad: () => [adapterConfigMap({ ...EXTERNAL_RULE, metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers}) by (<<.GroupBy>>)' })], good: () => [adapterConfigMap()] },
  { id: 'DYN503', bad: () => [adapterConfigMap({ ...EXTERNAL_RULE, metricsQuery: 'sum(<<.Series>>{<<.Labels>>})' })], good: () => [adapterConfigMap()] },
  { id: 'DYN504', bad: () => [adapterConfigMap({ ...EXTERNAL_RULE, name: { matches: '^(dynamo_.*$', as: 'x' } })], good: () => [adapterConfigMap()] },
  { id: 'DYN504', bad: () => [adapterConfigMap(EXTERNAL_RULE, 'rules: [\n')], good: () => [adapterConfigMap()] },
  // DYN6xx cross-object
  { id: 'DYN601', bad: () => withDgd(hpa('llm-decoder')), good: () => withDgd(hpa('llm-decode')) },
  { id: 'DYN601', bad: () => [mutate(dgdBeta(), (d) => { d.metadata.namespace = 'other'; }), hpa()], good: () => [hpa()] },
  { id: 'DYN602', bad: () => [mutate(dgdBeta(), (d) => { delete d.spec.components[1].scalingAdapter; }), hpa()], good: () => withDgd(hpa()) },
  { id: 'DYN602', bad: () => [mutate(dgdAlpha(), (d) => { d.spec.services.decode.scalingAdapter = {}; }), scaledObject()], good: () => [dgdAlpha(), scaledObject()] },
  { id: 'DYN603', bad: () => withDgd(hpa(), scaledObject()), good: () => withDgd(hpa()) },
  { id: 'DYN603', bad: () => withDgd(podAutoscaler(), mutate(hpa(), (h) => { h.metadata.name = 'other'; })), good: () => withDgd(podAutoscaler()) },
  { id: 'DYN603', bad: () => [mutate(dgdBeta(), (d) => { d.spec.components.push({ name: 'planner', type: 'planner', replicas: 1, podTemplate: { spec: { containers: [{ name: 'main', image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.0' }] } } }); }), hpa()], good: () => withDgd(hpa()) },
  // DYN603 and the Planner's mode: exactly the services its mode scales are the Planner's.
  { id: 'DYN603', bad: () => [plannerDgd(DISAGG_CONFIG), scaledObject('llm-prefill')], good: () => [plannerDgd(configWithMode('decode')), scaledObject('llm-prefill')] },
  { id: 'DYN603', bad: () => [plannerDgd(configWithMode('decode')), hpa('llm-decode')], good: () => [plannerDgd(configWithMode('prefill')), hpa('llm-decode')] },
  { id: 'DYN603', bad: () => [plannerDgd('{"mode": "disagg"'), scaledObject('llm-prefill')], good: () => [plannerDgd(configWithMode('agg')), scaledObject('llm-prefill')] },
  { id: 'DYN603', bad: () => [flagsPlannerDgdAlpha(), scaledObject('llm-prefill')], good: () => [flagsPlannerDgdAlpha('--mode', 'decode'), scaledObject('llm-prefill')] },
  { id: 'DYN604', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.metrics[0].external.metric.name = 'dynamo_queue'; }), adapterConfigMap()), good: () => withDgd(hpa(), adapterConfigMap()) },
  { id: 'DYN605', bad: () => withDgd(scaledObject(), adapterConfigMap()), good: () => withDgd(scaledObject()) },
  { id: 'DYN606', bad: () => withDgd(hpa(), mutate(hpa(), (h) => { h.spec.scaleTargetRef.name = 'llm-frontend'; })), good: () => withDgd(hpa()) },
  {
    id: 'DYN606',
    // DGD `a-b` with service `c` and DGD `a` with service `b-c` both own adapter `a-b-c`.
    bad: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'a-b'; d.spec.components[1].name = 'c'; }), mutate(dgdBeta(), (d) => { d.metadata.name = 'a'; d.spec.components[1].name = 'b-c'; })],
    good: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'a-b'; d.spec.components[1].name = 'c'; }), mutate(dgdBeta(), (d) => { d.metadata.name = 'a'; d.spec.components[1].name = 'c'; })],
  },
  { id: 'DYN606', bad: () => withDgd(scaledObject(), mutate(hpa(), (h) => { h.metadata.name = 'keda-hpa-decode-scaler'; h.spec.scaleTargetRef.name = 'llm-frontend'; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN607', bad: () => withDgd(soTrigger((t) => { t.authenticationRef = { name: 'prom-auth' }; }), triggerAuth('monitoring')), good: () => withDgd(soTrigger((t) => { t.authenticationRef = { name: 'prom-auth' }; }), triggerAuth()) },
  { id: 'DYN608', bad: () => withDgd(soTrigger((t) => { t.metadata.query = 'sum(dynamo_frontend_queued_requests{dynamo_namespace="team-other"})'; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN608', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.metrics[0].external.metric.selector.matchLabels.dynamo_namespace = 'llm'; })), good: () => withDgd(hpa()) },
  {
    id: 'DYN608',
    // dots in the DGD name become dashes in the label
    bad: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'llm.v2'; }), mutate(hpa('llm.v2-decode'), (h) => { h.spec.metrics[0].external.metric.selector.matchLabels.dynamo_namespace = 'team-llm.v2'; })],
    good: () => [mutate(dgdBeta(), (d) => { d.metadata.name = 'llm.v2'; }), mutate(hpa('llm.v2-decode'), (h) => { h.spec.metrics[0].external.metric.selector.matchLabels.dynamo_namespace = 'team-llm-v2'; })],
  },
  { id: 'DYN610', bad: () => withDgd(mutate(scaledObject(), (s) => { delete s.spec.scaleTargetRef.apiVersion; })), good: () => withDgd(scaledObject()) },
  { id: 'DYN610', bad: () => [dgdAlpha(), mutate(hpa(), (h) => { h.spec.scaleTargetRef.apiVersion = 'nvidia.com/v1beta1'; })], good: () => [dgdAlpha(), hpa()], release: '1.4' },
  { id: 'DYN609', bad: () => withDgd(mutate(hpa(), (h) => { h.spec.scaleTargetRef = { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', name: 'llm' }; h.spec.metrics[0].external.metric.selector.matchLabels = {}; })), good: () => withDgd(hpa()) },
];

