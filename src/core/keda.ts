/**
 * KEDA ScaledObject rules as plain functions over the rendered spec's parts, so that the
 * KedaAutoscaler construct and the rule engine (over hand-written YAML) apply the same
 * rules. They follow KEDA 2.20 (kedacore/keda v2.20.2): `apis/keda/v1alpha1/
 * scaledobject_webhook.go` and `scaledobject_types.go` (admission), and
 * `pkg/fallback/fallback.go` (what the operator does at run time).
 */
import { cronNeverFires, cronProblem, parseCron } from './cron';
import { formulaProblem } from './expr';
import { scaledObjectNameProblems } from './names';
import { int32Problem } from './quantity';

/** A trigger as it appears in `spec.triggers[]`. */
export interface KedaTriggerShape {
  readonly type: string;
  readonly name?: string;
  readonly metricType?: string;
  readonly metadata?: { readonly [key: string]: string };
}

/** `spec.advanced.scalingModifiers`, with its fields as the CRD types them (strings). */
export interface ScalingModifiersShape {
  readonly formula?: string;
  readonly target?: string;
  readonly activationTarget?: string;
  readonly metricType?: string;
}

/** One broken rule: the field under the ScaledObject's spec, and what is wrong. */
export interface KedaProblem {
  /** Path under `spec`, e.g. `advanced.scalingModifiers.target`. */
  readonly field: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

const isResource = (t: KedaTriggerShape) => t.type === 'cpu' || t.type === 'memory';

/**
 * KEDA's `CheckFallbackValid` (2.20): without scalingModifiers, a fallback needs at least
 * one trigger other than cpu/memory. Since KEDA 2.18 (kedacore/keda #6655) that trigger
 * may have metricType `Value` too: KEDA divides the fallback replicas by the ready pods.
 * With scalingModifiers the rule is waived.
 */
export function fallbackProblem(triggers: readonly KedaTriggerShape[], usesScalingModifiers: boolean): string | undefined {
  if (usesScalingModifiers) return undefined;
  if (triggers.some((t) => !isResource(t))) return undefined;
  return "needs at least one trigger other than cpu/memory (KEDA's webhook: the fallback replaces that trigger's metric), unless scalingModifiers are used";
}

/** Whether `s` is what Go's `strconv.ParseFloat(s, 64)` accepts as a finite number. */
function goFloat(s: string): number | undefined {
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(s) || /__|_$|^_|\._|_\./.test(s)) return undefined;
  const n = Number(s.replace(/_/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * KEDA's `ValidateAndCompileScalingModifiers`: the formula is required and must compile
 * with the named non-cpu/memory triggers as float variables (and give a number), the
 * target is required and a float > 0, the metric type AverageValue or Value. The
 * activation target, when set, must parse as a float (the operator parses it each cycle).
 */
export function scalingModifiersProblems(sm: ScalingModifiersShape, triggers: readonly KedaTriggerShape[]): KedaProblem[] {
  const out: KedaProblem[] = [];
  const at = 'advanced.scalingModifiers';
  const names = triggers.filter((t) => !isResource(t) && t.name !== undefined && t.name !== '').map((t) => t.name!);
  const formula = formulaProblem(sm.formula, names);
  if (formula) out.push({ field: `${at}.formula`, message: formula });
  if (sm.target === undefined || sm.target === '') {
    out.push({ field: `${at}.target`, message: 'is required with a formula (KEDA: formula is given but target is empty)' });
  } else {
    const n = goFloat(sm.target);
    if (n === undefined || n <= 0) out.push({ field: `${at}.target`, message: 'must be a number > 0' });
  }
  if (sm.activationTarget !== undefined && sm.activationTarget !== '' && goFloat(sm.activationTarget) === undefined) {
    out.push({ field: `${at}.activationTarget`, message: 'must be a number' });
  }
  if (sm.metricType !== undefined && sm.metricType !== 'AverageValue' && sm.metricType !== 'Value') {
    out.push({ field: `${at}.metricType`, message: 'must be AverageValue or Value (the composite metric is an external metric; Utilization is for cpu/memory)' });
  }
  return out;
}

/**
 * What KEDA needs for a fallback together with scalingModifiers (2.20): `fallback.behavior:
 * scalingModifiers` needs a formula (webhook), and the operator applies any fallback only
 * when the target parses as a whole number > 0 (`HasValidFallback` uses `ParseInt`), so a
 * fractional target silently disables the fallback.
 */
export function scalingModifiersFallbackProblem(sm: ScalingModifiersShape | undefined, behavior: string | undefined): KedaProblem | undefined {
  const formula = sm?.formula !== undefined && sm.formula !== '';
  if (behavior === 'scalingModifiers' && !formula) {
    return { field: 'fallback.behavior', message: 'scalingModifiers fallback behavior requires scalingModifiers.formula to be defined' };
  }
  const target = sm?.target ?? '';
  if (formula && !(/^[+-]?\d+$/.test(target) && Number(target) > 0)) {
    return {
      field: 'fallback',
      message: `with scalingModifiers KEDA applies a fallback only when the target is a whole number > 0 (it parses '${target}' as an integer); otherwise the fallback never happens`,
    };
  }
  return undefined;
}

/** How a trigger behaves when the target has no replicas. */
export enum ZeroReplicaSignal {
  /** The trigger fires on time (cron): it wakes the target. */
  TIME = 'time',
  /** Demand measured in front of the workers (queue depth, request rate): it wakes the target. */
  DEMAND = 'demand',
  /** Measured on the target's own pods or on requests they served: nothing to measure at zero. */
  NONE = 'none',
  /** Not known (a query the library cannot classify): assumed to wake the target. */
  UNKNOWN = 'unknown',
}

/** Latency histograms that only get samples when a replica serves a request. */
const LATENCY_QUANTILE = /histogram_quantile\s*\(/;
/** Frontend series that count demand whether or not a worker runs. */
const FRONTEND_DEMAND = /dynamo_frontend_(queued_requests|stage_requests|requests_total|inflight_requests|active_requests)\b/;

/**
 * Whether a trigger has a signal at zero replicas. A latency quantile (TTFT, ITL,
 * request duration: `histogram_quantile` over a histogram) has no samples when no
 * replica serves requests, so it can never wake a target scaled to zero
 * (ai-dynamo/dynamo #10751); cpu and memory come from the pods themselves.
 */
export function zeroReplicaSignal(trigger: KedaTriggerShape): ZeroReplicaSignal {
  if (trigger.type === 'cron') return ZeroReplicaSignal.TIME;
  if (isResource(trigger)) return ZeroReplicaSignal.NONE;
  if (trigger.type === 'prometheus') {
    const query = trigger.metadata?.query ?? '';
    if (LATENCY_QUANTILE.test(query)) return ZeroReplicaSignal.NONE;
    if (FRONTEND_DEMAND.test(query)) return ZeroReplicaSignal.DEMAND;
  }
  return ZeroReplicaSignal.UNKNOWN;
}

/**
 * Why a ScaledObject that scales to zero (minReplicaCount 0 or idleReplicaCount 0) could
 * never wake up, or undefined: at least one trigger must have a signal at zero replicas.
 */
export function wakeUpProblem(triggers: readonly KedaTriggerShape[]): string | undefined {
  if (triggers.some((t) => zeroReplicaSignal(t) !== ZeroReplicaSignal.NONE)) return undefined;
  const latency = triggers.some((t) => t.type === 'prometheus');
  return latency
    ? 'scaling to zero needs a trigger with a signal at zero replicas: a latency quantile (TTFT, ITL, request duration) has no samples when no replica serves requests, so nothing would scale the target back up (ai-dynamo/dynamo #10751); add a queue-depth or request-rate trigger at the frontend (DynamoMetrics.queueDepth, DynamoMetrics.requestRate) or a cron trigger'
    : 'a ScaledObject with only cpu/memory triggers cannot scale to zero (there are no pods to measure); add another trigger';
}

/** One broken rule of a ScaledObject manifest: the field path from the object's root, the value, and what is wrong. */
export interface ScaledObjectProblem {
  /** e.g. `spec.triggers[0].metadata.start`. */
  readonly path: string;
  /** The offending value. */
  readonly value?: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

const DEFAULT_MAX_REPLICAS = 100;

/**
 * Every rule of this module, plus KEDA's name, replica-bound, trigger and cron rules,
 * over one plain ScaledObject manifest (as rendered, or as written by hand): what the
 * rule engine runs on YAML, and what the tests run on the constructs' output.
 */
export function scaledObjectProblems(so: any): ScaledObjectProblem[] {
  const out: ScaledObjectProblem[] = [];
  const spec = so?.spec ?? {};
  const name = so?.metadata?.name;
  const hpaOverride = spec.advanced?.horizontalPodAutoscalerConfig?.name;
  for (const p of scaledObjectNameProblems(String(name ?? ''), hpaOverride)) {
    out.push({ path: p.field === 'metadata.name' ? 'metadata.name' : 'spec.advanced.horizontalPodAutoscalerConfig.name', value: p.value, message: p.message });
  }
  const int32Fields: Array<[string, unknown, number]> = [
    ['spec.minReplicaCount', spec.minReplicaCount, 0], ['spec.maxReplicaCount', spec.maxReplicaCount, 1],
    ['spec.idleReplicaCount', spec.idleReplicaCount, 0], ['spec.pollingInterval', spec.pollingInterval, 1],
    ['spec.cooldownPeriod', spec.cooldownPeriod, 0], ['spec.initialCooldownPeriod', spec.initialCooldownPeriod, 0],
    ['spec.fallback.failureThreshold', spec.fallback?.failureThreshold, 0], ['spec.fallback.replicas', spec.fallback?.replicas, 0],
  ];
  for (const [path, value, min] of int32Fields) {
    if (value === undefined) continue;
    const p = int32Problem(value, min);
    if (p) out.push({ path, value, message: p });
  }
  const paused = so?.metadata?.annotations?.['autoscaling.keda.sh/paused-replicas'];
  if (paused !== undefined && (!/^[+-]?\d+$/.test(paused) || int32Problem(Number(paused), 0))) {
    out.push({ path: "metadata.annotations['autoscaling.keda.sh/paused-replicas']", value: paused, message: 'must be a whole number from 0 to 2147483647 (KEDA parses it as an int32)' });
  }
  // CheckReplicaCountBoundsAreValid: an explicit min of 0 counts as the HPA's 1.
  const min = typeof spec.minReplicaCount === 'number' ? (spec.minReplicaCount > 0 ? spec.minReplicaCount : 1) : 0;
  const max = typeof spec.maxReplicaCount === 'number' ? spec.maxReplicaCount : DEFAULT_MAX_REPLICAS;
  if (min > max) out.push({ path: 'spec.minReplicaCount', value: spec.minReplicaCount, message: `must be less than or equal to maxReplicaCount (${max})` });
  if (typeof spec.idleReplicaCount === 'number' && spec.idleReplicaCount >= min) {
    out.push({ path: 'spec.idleReplicaCount', value: spec.idleReplicaCount, message: `must be less than minReplicaCount (${min})` });
  }
  const triggers: KedaTriggerShape[] = Array.isArray(spec.triggers) ? spec.triggers : [];
  if (triggers.length === 0) out.push({ path: 'spec.triggers', value: spec.triggers, message: 'needs at least one trigger' });
  const seen = new Set<string>();
  triggers.forEach((t: any, i) => {
    if (t.name) {
      if (seen.has(t.name)) out.push({ path: `spec.triggers[${i}].name`, value: t.name, message: 'trigger names must be unique within a ScaledObject' });
      seen.add(t.name);
    }
    if (t.useCachedMetrics && ['cpu', 'memory', 'cron'].includes(t.type)) {
      out.push({ path: `spec.triggers[${i}].useCachedMetrics`, value: true, message: `is not supported for the ${t.type} scaler` });
    }
    if (t.type === 'cron') out.push(...cronTriggerProblems(t.metadata ?? {}, `spec.triggers[${i}].metadata`));
  });
  const scalesToZero = (spec.minReplicaCount ?? 0) === 0 || spec.idleReplicaCount === 0;
  if (scalesToZero && triggers.length > 0) {
    const p = wakeUpProblem(triggers);
    if (p) out.push({ path: spec.idleReplicaCount === 0 ? 'spec.idleReplicaCount' : 'spec.minReplicaCount', value: spec.minReplicaCount ?? 0, message: p });
  }
  const sm: ScalingModifiersShape | undefined = spec.advanced?.scalingModifiers;
  const usesModifiers = sm !== undefined && Object.values(sm).some((v) => v !== undefined && v !== '');
  if (usesModifiers) {
    for (const p of scalingModifiersProblems(sm!, triggers)) out.push({ path: `spec.${p.field}`, value: (sm as any)[p.field.split('.').pop()!], message: p.message });
  }
  if (spec.fallback !== undefined) {
    const p = fallbackProblem(triggers, usesModifiers);
    if (p) out.push({ path: 'spec.fallback', value: spec.fallback, message: p });
    const q = scalingModifiersFallbackProblem(usesModifiers ? sm : undefined, spec.fallback.behavior);
    if (q) out.push({ path: `spec.${q.field}`, value: q.field === 'fallback.behavior' ? spec.fallback.behavior : sm?.target, message: q.message });
  }
  for (const dir of ['scaleUp', 'scaleDown']) {
    const tolerance = spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.[dir]?.tolerance;
    if (tolerance !== undefined && (typeof tolerance === 'number' ? tolerance < 0 : /^-/.test(String(tolerance)))) {
      out.push({ path: `spec.advanced.horizontalPodAutoscalerConfig.behavior.${dir}.tolerance`, value: tolerance, message: 'must be a quantity >= 0' });
    }
  }
  return out;
}

/** KEDA's cron scaler metadata rules (`cronMetadata.Validate`) plus schedules that never fire. */
export function cronTriggerProblems(metadata: { readonly [key: string]: string }, at: string): ScaledObjectProblem[] {
  const out: ScaledObjectProblem[] = [];
  for (const key of ['timezone', 'start', 'end', 'desiredReplicas']) {
    if (metadata[key] === undefined || metadata[key] === '') out.push({ path: `${at}.${key}`, message: 'is required by the cron scaler' });
  }
  for (const key of ['start', 'end']) {
    const v = metadata[key];
    if (v === undefined || v === '') continue;
    const p = cronProblem(v);
    if (p) { out.push({ path: `${at}.${key}`, value: v, message: p.message }); continue; }
    const never = cronNeverFires(parseCron(v));
    if (never) out.push({ path: `${at}.${key}`, value: v, message: `KEDA's parser accepts it, but ${never}` });
  }
  if (metadata.start !== undefined && metadata.start === metadata.end) {
    out.push({ path: `${at}.end`, value: metadata.end, message: 'start and end can not be the same' });
  }
  const d = metadata.desiredReplicas;
  if (d !== undefined && d !== '' && (!/^[+-]?\d+$/.test(d) || Number(d) === 0)) {
    out.push({ path: `${at}.desiredReplicas`, value: d, message: 'must be a whole number other than 0' });
  }
  return out;
}
