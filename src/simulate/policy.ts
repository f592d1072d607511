/**
 * Autoscaling policies the simulator can replay, read from manifests: an
 * autoscaling/v2 HorizontalPodAutoscaler, a keda.sh/v1alpha1 ScaledObject, or an
 * autoscaling.aibrix.ai/v1alpha1 PodAutoscaler. Anything the simulator cannot model is
 * refused with the field, the value and what it can do, never silently dropped.
 */
import { invalidMessage } from '../base/errors';
import { Behavior, generateScaleDownRules, generateScaleUpRules, PartialScalingRules, ScalingPolicy, SelectPolicy } from './hpa/behavior';
import { HpaMetric, HpaSpec, MetricSourceType, MetricTargetType } from './hpa/controller';
import { parseQuantity } from './quantity';

export class PolicyError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

function fail(where: string, field: string, value: unknown, rule: string): never {
  throw new PolicyError(invalidMessage(where, field, value, rule));
}

function isObj(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function int(where: string, field: string, v: unknown, dflt: number, min = 0): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(where, field, v, `must be an integer >= ${min}`);
  return v;
}

function qty(where: string, field: string, v: unknown): number {
  const q = parseQuantity(v);
  if (q === undefined) fail(where, field, v, 'must be a Kubernetes quantity (e.g. 500m, 2, 1.5k)');
  return q;
}

function rules(where: string, field: string, r: unknown): PartialScalingRules | undefined {
  if (r === undefined || r === null) return undefined;
  if (!isObj(r)) fail(where, field, r, 'must be an object');
  const policies = r.policies === undefined ? undefined : (r.policies as unknown[]).map((p, i): ScalingPolicy => {
    const pf = `${field}.policies[${i}]`;
    if (!isObj(p) || (p.type !== 'Pods' && p.type !== 'Percent')) fail(where, `${pf}.type`, isObj(p) ? p.type : p, 'must be Pods or Percent');
    return { type: p.type, value: int(where, `${pf}.value`, p.value, 0, 1), periodSeconds: int(where, `${pf}.periodSeconds`, p.periodSeconds, 0, 1) };
  });
  if (policies !== undefined && policies.length === 0) fail(where, `${field}.policies`, [], 'an explicit empty list fails API validation; leave it out for the defaults');
  const sp = r.selectPolicy;
  if (sp !== undefined && sp !== 'Max' && sp !== 'Min' && sp !== 'Disabled') fail(where, `${field}.selectPolicy`, sp, 'must be Max, Min or Disabled');
  const window = r.stabilizationWindowSeconds === undefined ? undefined : int(where, `${field}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds, 0);
  if (window !== undefined && window > 3600) fail(where, `${field}.stabilizationWindowSeconds`, window, 'must be 0..3600');
  const tolerance = r.tolerance === undefined ? undefined : qty(where, `${field}.tolerance`, r.tolerance);
  return { stabilizationWindowSeconds: window, selectPolicy: sp as SelectPolicy | undefined, policies, tolerance };
}

/** `SetDefaults_HorizontalPodAutoscalerBehavior`: only a behavior that is set gets defaults. */
export function parseBehavior(where: string, field: string, b: unknown): Behavior | undefined {
  if (b === undefined || b === null) return undefined;
  if (!isObj(b)) fail(where, field, b, 'must be an object');
  return {
    scaleUp: generateScaleUpRules(rules(where, `${field}.scaleUp`, b.scaleUp)),
    scaleDown: generateScaleDownRules(rules(where, `${field}.scaleDown`, b.scaleDown)),
  };
}

function parseTarget(where: string, field: string, type: MetricSourceType, t: unknown): HpaMetric['target'] {
  if (!isObj(t)) fail(where, field, t, 'must be an object with type and a value');
  const tt = t.type as MetricTargetType;
  switch (tt) {
    case 'Utilization':
      if (type !== 'Resource' && type !== 'ContainerResource') fail(where, `${field}.type`, tt, 'Utilization is only for Resource and ContainerResource metrics');
      return { type: tt, value: int(where, `${field}.averageUtilization`, t.averageUtilization, NaN, 1) };
    case 'AverageValue':
      return { type: tt, value: qty(where, `${field}.averageValue`, t.averageValue) };
    case 'Value':
      if (type !== 'Object' && type !== 'External') fail(where, `${field}.type`, tt, 'Value is only for Object and External metrics');
      return { type: tt, value: qty(where, `${field}.value`, t.value) };
    default:
      return fail(where, `${field}.type`, tt, 'must be Utilization, AverageValue or Value');
  }
}

/** An autoscaling/v2 HorizontalPodAutoscaler manifest, defaulted as the API server does. */
export function parseHpa(obj: Record<string, any>, where: string): HpaSpec {
  if (obj.apiVersion !== 'autoscaling/v2') fail(where, 'apiVersion', obj.apiVersion, 'the simulator reads autoscaling/v2 HorizontalPodAutoscalers');
  const spec = obj.spec;
  if (!isObj(spec)) fail(where, 'spec', spec, 'must be an object');
  const minReplicas = int(where, 'spec.minReplicas', spec.minReplicas, 1);
  const maxReplicas = int(where, 'spec.maxReplicas', spec.maxReplicas, NaN, 1);
  if (minReplicas > maxReplicas) fail(where, 'spec.minReplicas', minReplicas, `must be <= maxReplicas (${maxReplicas})`);
  const rawMetrics: unknown[] = Array.isArray(spec.metrics) && spec.metrics.length > 0
    ? spec.metrics
    // The API server's default: 80 % CPU.
    : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  const metrics = rawMetrics.map((m, i): HpaMetric => {
    const f = `spec.metrics[${i}]`;
    if (!isObj(m)) fail(where, f, m, 'must be an object');
    switch (m.type) {
      case 'Resource':
        return { type: 'Resource', name: String(m.resource?.name), target: parseTarget(where, `${f}.resource.target`, 'Resource', m.resource?.target) };
      case 'ContainerResource':
        return { type: 'ContainerResource', name: String(m.containerResource?.name), container: m.containerResource?.container, target: parseTarget(where, `${f}.containerResource.target`, 'ContainerResource', m.containerResource?.target) };
      case 'Pods':
        return { type: 'Pods', name: String(m.pods?.metric?.name), target: parseTarget(where, `${f}.pods.target`, 'Pods', m.pods?.target) };
      case 'Object':
        return { type: 'Object', name: String(m.object?.metric?.name), target: parseTarget(where, `${f}.object.target`, 'Object', m.object?.target) };
      case 'External':
        return { type: 'External', name: String(m.external?.metric?.name), target: parseTarget(where, `${f}.external.target`, 'External', m.external?.target) };
      default:
        return fail(where, `${f}.type`, m.type, 'must be Resource, ContainerResource, Pods, Object or External');
    }
  });
  if (minReplicas === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    fail(where, 'spec.minReplicas', 0, 'minReplicas 0 (HPAScaleToZero) needs at least one Object or External metric');
  }
  return { name: String(obj.metadata?.name ?? 'hpa'), minReplicas, maxReplicas, metrics, behavior: parseBehavior(where, 'spec.behavior', spec.behavior) };
}

export interface KedaTrigger {
  readonly type: string;
  readonly name?: string;
  /** The generated HPA metric name (`s<index>-<type>`). */
  readonly metricName: string;
  readonly metricType: 'AverageValue' | 'Value';
  readonly threshold: number;
  readonly activationThreshold: number;
  /** The query, for the signal heuristics. */
  readonly query?: string;
}

export interface KedaSpec {
  readonly name: string;
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  readonly idleReplicaCount?: number;
  readonly pollingInterval: number;
  readonly cooldownPeriod: number;
  readonly initialCooldownPeriod: number;
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number; readonly behavior: string };
  readonly triggers: readonly KedaTrigger[];
  readonly modifiers?: { readonly formula: string; readonly target: number; readonly activationTarget: number; readonly metricType: 'AverageValue' | 'Value' };
  /** advanced.horizontalPodAutoscalerConfig.behavior, defaulted by the API server when the HPA is created. */
  readonly behavior?: Behavior;
}

const KEDA_METRIC_TRIGGERS = new Set(['prometheus', 'metrics-api', 'external', 'datadog', 'new-relic', 'kafka', 'rabbitmq', 'aws-sqs-queue', 'redis', 'postgresql', 'mysql']);

/** A keda.sh/v1alpha1 ScaledObject (KEDA 2.20 defaults). */
export function parseScaledObject(obj: Record<string, any>, where: string): KedaSpec {
  const spec = obj.spec;
  if (!isObj(spec)) fail(where, 'spec', spec, 'must be an object');
  const minReplicaCount = int(where, 'spec.minReplicaCount', spec.minReplicaCount, 0);
  const maxReplicaCount = int(where, 'spec.maxReplicaCount', spec.maxReplicaCount, 100, 1);
  const idle = spec.idleReplicaCount === undefined ? undefined : int(where, 'spec.idleReplicaCount', spec.idleReplicaCount, 0);
  if (idle !== undefined && idle >= minReplicaCount) fail(where, 'spec.idleReplicaCount', idle, `must be < minReplicaCount (${minReplicaCount})`);
  if (!Array.isArray(spec.triggers) || spec.triggers.length === 0) fail(where, 'spec.triggers', spec.triggers, 'needs at least one trigger');
  const triggers = (spec.triggers as any[]).map((t, i): KedaTrigger => {
    const f = `spec.triggers[${i}]`;
    const type = String(t?.type);
    if (type === 'cron') fail(where, `${f}.type`, type, 'cron triggers are not modelled (they follow a schedule, not load); simulate the rest without it');
    if (type === 'cpu' || type === 'memory') fail(where, `${f}.type`, type, 'cpu/memory triggers become Resource metrics; simulate the equivalent HPA instead');
    if (!KEDA_METRIC_TRIGGERS.has(type)) fail(where, `${f}.type`, type, `not a scaler the simulator knows; known: ${[...KEDA_METRIC_TRIGGERS].join(', ')}`);
    const md = t.metadata ?? {};
    const thresholdRaw = md.threshold ?? md.targetValue ?? md.value ?? md.queueLength ?? md.lagThreshold;
    const threshold = qty(where, `${f}.metadata.threshold`, thresholdRaw);
    const activationThreshold = md.activationThreshold === undefined ? 0 : qty(where, `${f}.metadata.activationThreshold`, md.activationThreshold);
    const metricType = t.metricType ?? 'AverageValue';
    if (metricType !== 'AverageValue' && metricType !== 'Value') fail(where, `${f}.metricType`, metricType, 'must be AverageValue or Value (Utilization is for cpu/memory)');
    return { type, name: t.name, metricName: `s${i}-${type}`, metricType, threshold, activationThreshold, query: md.query };
  });
  const adv = spec.advanced ?? {};
  let modifiers: KedaSpec['modifiers'];
  if (isObj(adv.scalingModifiers) && Object.keys(adv.scalingModifiers).length > 0) {
    const sm = adv.scalingModifiers;
    if (typeof sm.formula !== 'string' || sm.formula === '') fail(where, 'spec.advanced.scalingModifiers.formula', sm.formula, 'must be a non-empty expression');
    const target = qty(where, 'spec.advanced.scalingModifiers.target', sm.target);
    if (!(target > 0)) fail(where, 'spec.advanced.scalingModifiers.target', sm.target, 'must be > 0');
    const mt = sm.metricType ?? 'AverageValue';
    if (mt !== 'AverageValue' && mt !== 'Value') fail(where, 'spec.advanced.scalingModifiers.metricType', mt, 'must be AverageValue or Value');
    for (const [i, t] of triggers.entries()) {
      if (!t.name) fail(where, `spec.triggers[${i}].name`, undefined, 'triggers used by scalingModifiers need a name');
    }
    modifiers = {
      formula: sm.formula,
      target,
      metricType: mt,
      activationTarget: sm.activationTarget === undefined ? 0 : qty(where, 'spec.advanced.scalingModifiers.activationTarget', sm.activationTarget),
    };
  }
  let fallback: KedaSpec['fallback'];
  if (isObj(spec.fallback)) {
    fallback = {
      failureThreshold: int(where, 'spec.fallback.failureThreshold', spec.fallback.failureThreshold, NaN, 0),
      replicas: int(where, 'spec.fallback.replicas', spec.fallback.replicas, NaN, 0),
      behavior: String(spec.fallback.behavior ?? 'static'),
    };
  }
  return {
    name: String(obj.metadata?.name ?? 'scaledobject'),
    minReplicaCount,
    maxReplicaCount,
    idleReplicaCount: idle,
    pollingInterval: int(where, 'spec.pollingInterval', spec.pollingInterval, 30, 1),
    cooldownPeriod: int(where, 'spec.cooldownPeriod', spec.cooldownPeriod, 300),
    initialCooldownPeriod: int(where, 'spec.initialCooldownPeriod', spec.initialCooldownPeriod, 0),
    fallback,
    triggers,
    modifiers,
    behavior: parseBehavior(where, 'spec.advanced.horizontalPodAutoscalerConfig.behavior', adv.horizontalPodAutoscalerConfig?.behavior),
  };
}

/** `GetHPAMinReplicas`: minReplicaCount when > 0, else 1. */
export function kedaHpaMinReplicas(min: number | undefined): number {
  return min !== undefined && min > 0 ? min : 1;
}

/** `GetHPAMaxReplicas`: maxReplicaCount, else 100. */
export function kedaHpaMaxReplicas(max: number | undefined): number {
  return max ?? 100;
}

/** The HPA KEDA generates (controllers/keda/hpa.go newHPAForScaledObject). */
export function kedaGeneratedHpa(k: KedaSpec): HpaSpec {
  const metrics: HpaMetric[] = k.modifiers
    ? [{ type: 'External', name: 'composite-metric', target: { type: k.modifiers.metricType, value: Math.trunc(k.modifiers.target * 1000) / 1000 } }]
    : k.triggers.map((t) => ({ type: 'External' as const, name: t.metricName, target: { type: t.metricType, value: t.threshold } }));
  return { name: `keda-hpa-${k.name}`, minReplicas: kedaHpaMinReplicas(k.minReplicaCount), maxReplicas: kedaHpaMaxReplicas(k.maxReplicaCount), metrics, behavior: k.behavior };
}

export interface AibrixSpec {
  readonly name: string;
  readonly strategy: 'KPA' | 'APA';
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metric: string;
  readonly targetValue: number;
  readonly maxScaleUpRate: number;
  readonly maxScaleDownRate: number;
  readonly upTolerance: number;
  readonly downTolerance: number;
  readonly panicThreshold: number;
  readonly scaleUpCooldown: number;
  readonly scaleDownCooldown: number;
}

function goDuration(where: string, field: string, v: string): number {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let total = 0;
  let consumed = '';
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) {
    consumed += m[0];
    total += Number(m[1]) * ({ h: 3600, m: 60, s: 1, ms: 0.001 } as Record<string, number>)[m[2]];
  }
  if (consumed !== v || v === '') fail(where, field, v, 'must be a Go duration (e.g. 30s, 5m)');
  return total;
}

/** An autoscaling.aibrix.ai/v1alpha1 PodAutoscaler with strategy KPA or APA (v0.7.0). */
export function parsePodAutoscaler(obj: Record<string, any>, where: string): AibrixSpec {
  const spec = obj.spec;
  if (!isObj(spec)) fail(where, 'spec', spec, 'must be an object');
  const strategy = spec.scalingStrategy;
  if (strategy === 'HPA') fail(where, 'spec.scalingStrategy', strategy, 'strategy HPA creates a native HPA (<name>-hpa): simulate that HPA manifest instead');
  if (strategy !== 'KPA' && strategy !== 'APA') fail(where, 'spec.scalingStrategy', strategy, 'must be KPA or APA');
  const sources = spec.metricsSources;
  if (!Array.isArray(sources) || sources.length === 0) fail(where, 'spec.metricsSources', sources, 'needs one metric source');
  if (sources.length > 1) fail(where, 'spec.metricsSources', sources.length, 'the simulator models one metric source per PodAutoscaler');
  const targetValue = Number(sources[0].targetValue);
  if (!(targetValue > 0)) fail(where, 'spec.metricsSources[0].targetValue', sources[0].targetValue, 'must be a number > 0');
  const ann: Record<string, string> = obj.metadata?.annotations ?? {};
  const num = (key: string, dflt: number) => {
    const v = ann[`autoscaling.aibrix.ai/${key}`];
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) fail(where, `metadata.annotations["autoscaling.aibrix.ai/${key}"]`, v, 'must be a number');
    return n;
  };
  const dur = (key: string, dflt: number) => {
    const v = ann[`autoscaling.aibrix.ai/${key}`];
    return v === undefined ? dflt : goDuration(where, `metadata.annotations["autoscaling.aibrix.ai/${key}"]`, v);
  };
  return {
    name: String(obj.metadata?.name ?? 'podautoscaler'),
    strategy,
    minReplicas: int(where, 'spec.minReplicas', spec.minReplicas, 1),
    maxReplicas: int(where, 'spec.maxReplicas', spec.maxReplicas, NaN, 1),
    metric: String(sources[0].targetMetric),
    targetValue,
    maxScaleUpRate: num('max-scale-up-rate', 2),
    maxScaleDownRate: num('max-scale-down-rate', 2),
    upTolerance: num('scale-up-tolerance', 0.1),
    downTolerance: num('scale-down-tolerance', 0.1),
    panicThreshold: num('panic-threshold', 2.0),
    scaleUpCooldown: dur('scale-up-cooldown-window', 0),
    scaleDownCooldown: dur('scale-down-cooldown-window', 300),
  };
}

export type Policy =
  | { readonly kind: 'hpa'; readonly name: string; readonly hpa: HpaSpec }
  | { readonly kind: 'keda'; readonly name: string; readonly keda: KedaSpec; readonly hpa: HpaSpec }
  | { readonly kind: 'aibrix'; readonly name: string; readonly aibrix: AibrixSpec };

/** The autoscaler manifests among `docs` (other kinds are skipped); at least one is required. */
export function policiesFromManifests(docs: readonly unknown[], where: string): Policy[] {
  const out: Policy[] = [];
  docs.forEach((d, i) => {
    if (!isObj(d)) return;
    const at = docs.length > 1 ? `${where}#${i}` : where;
    if (d.kind === 'HorizontalPodAutoscaler') {
      const hpa = parseHpa(d, at);
      out.push({ kind: 'hpa', name: hpa.name, hpa });
    } else if (d.kind === 'ScaledObject') {
      const keda = parseScaledObject(d, at);
      out.push({ kind: 'keda', name: keda.name, keda, hpa: kedaGeneratedHpa(keda) });
    } else if (d.kind === 'PodAutoscaler') {
      const aibrix = parsePodAutoscaler(d, at);
      out.push({ kind: 'aibrix', name: aibrix.name, aibrix });
    }
  });
  if (out.length === 0) fail(where, 'kind', docs.map((d) => (isObj(d) ? d.kind : typeof d)), 'no HorizontalPodAutoscaler, ScaledObject or PodAutoscaler found');
  return out;
}
