/**
 * The HPA controller's normalization of a metric proposal: stabilization windows,
 * scaling policies over their periods, selectPolicy, and the min/max clamp. Re-implemented
 * from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (release 1.35) and
 * the API defaults in pkg/apis/autoscaling/v2/defaults.go. Times are seconds.
 */

export type PolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  readonly type: PolicyType;
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  /** Undefined only for scale-down rules before the controller fills in its default. */
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: readonly ScalingPolicy[];
  /** Per-HPA tolerance (HPAConfigurableTolerance). */
  readonly tolerance?: number;
}

export interface Behavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

export interface PartialScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: SelectPolicy;
  readonly policies?: readonly ScalingPolicy[];
  readonly tolerance?: number;
}

/** `GenerateHPAScaleUpRules`: 0 s window, Max of 4 pods and 100 % per 15 s. */
export function generateScaleUpRules(r?: PartialScalingRules): ScalingRules {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? 0,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies ?? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
    tolerance: r?.tolerance,
  };
}

/** `GenerateHPAScaleDownRules`: window left to the controller (300 s), 100 % per 15 s. */
export function generateScaleDownRules(r?: PartialScalingRules): ScalingRules {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    tolerance: r?.tolerance,
  };
}

export interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

export interface Recommendation {
  recommendation: number;
  timestamp: number;
}

/** The controller's per-HPA memory (`recommendations`, `scaleUpEvents`, `scaleDownEvents`). */
export class HpaHistory {
  public recommendations: Recommendation[] = [];
  public scaleUpEvents: ScaleEvent[] = [];
  public scaleDownEvents: ScaleEvent[] = [];
  public initialized = false;
}

export interface LimitResult {
  readonly replicas: number;
  readonly reason: string;
  readonly message: string;
}

/** `getReplicasChangePerPeriod`: the sum of changes strictly after now - period. */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

function int32(x: number): number {
  return Math.trunc(x);
}

/** `calculateScaleUpLimitWithScalingRules`. */
export function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? 2147483647 : -2147483648;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now);
    // Percent rounds up: otherwise a small percentage might never add a pod.
    const proposed = p.type === 'Pods' ? start + p.value : int32(Math.ceil(start * (1 + p.value / 100)));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** `calculateScaleDownLimitWithBehaviors`. */
export function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? -2147483648 : 2147483647;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now);
    const proposed = p.type === 'Pods' ? start - p.value : int32(start * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface NormalizationArgs {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
}

/** `stabilizeRecommendationWithBehaviors`: records the proposal and returns the stabilized one. */
export function stabilizeWithBehaviors(h: HpaHistory, a: NormalizationArgs, now: number): LimitResult {
  let foundOld = false;
  let oldIndex = 0;
  let upRec = a.desiredReplicas;
  const upCutoff = now - (a.scaleUp.stabilizationWindowSeconds ?? 0);
  let downRec = a.desiredReplicas;
  const downCutoff = now - (a.scaleDown.stabilizationWindowSeconds ?? 0);
  h.recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) upRec = Math.min(rec.recommendation, upRec);
    if (rec.timestamp > downCutoff) downRec = Math.max(rec.recommendation, downRec);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) {
      foundOld = true;
      oldIndex = i;
    }
  });
  let recommendation = a.currentReplicas;
  if (recommendation < upRec) recommendation = upRec;
  if (recommendation > downRec) recommendation = downRec;
  const entry = { recommendation: a.desiredReplicas, timestamp: now };
  if (foundOld) h.recommendations[oldIndex] = entry;
  else h.recommendations.push(entry);
  return a.desiredReplicas >= a.currentReplicas
    ? { replicas: recommendation, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas: recommendation, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** `convertDesiredReplicasWithBehaviorRate`: policies, then min/max. */
export function convertWithBehaviorRate(h: HpaHistory, a: NormalizationArgs, now: number): LimitResult {
  if (a.desiredReplicas > a.currentReplicas) {
    let limit = scaleUpLimit(a.currentReplicas, h.scaleUpEvents, h.scaleDownEvents, a.scaleUp, now);
    if (limit < a.currentReplicas) limit = a.currentReplicas; // no further scale-up until events age out
    let maximum = a.maxReplicas;
    let reason: string;
    let message: string;
    if (maximum > limit) {
      maximum = limit;
      reason = 'ScaleUpLimit';
      message = 'the desired replica count is increasing faster than the maximum scale rate';
    } else {
      reason = 'TooManyReplicas';
      message = 'the desired replica count is more than the maximum replica count';
    }
    if (a.desiredReplicas > maximum) return { replicas: maximum, reason, message };
  } else if (a.desiredReplicas < a.currentReplicas) {
    let limit = scaleDownLimit(a.currentReplicas, h.scaleUpEvents, h.scaleDownEvents, a.scaleDown, now);
    if (limit > a.currentReplicas) limit = a.currentReplicas;
    let minimum = a.minReplicas;
    let reason: string;
    let message: string;
    if (minimum < limit) {
      minimum = limit;
      reason = 'ScaleDownLimit';
      message = 'the desired replica count is decreasing faster than the maximum scale rate';
    } else {
      reason = 'TooFewReplicas';
      message = 'the desired replica count is less than the minimum replica count';
    }
    if (a.desiredReplicas < minimum) return { replicas: minimum, reason, message };
  }
  return { replicas: a.desiredReplicas, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** `calculateScaleUpLimit` (no behavior): max(factor x current, minimum). */
export function legacyScaleUpLimit(current: number, factor = 2, minimum = 4): number {
  return int32(Math.max(factor * current, minimum));
}

/** `convertDesiredReplicasWithRules` (no behavior). */
export function convertWithRules(current: number, desired: number, min: number, max: number, factor = 2): LimitResult {
  const limit = legacyScaleUpLimit(current, factor);
  let maximum: number;
  let reason: string;
  let message: string;
  if (max > limit) {
    maximum = limit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximum = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maximum) return { replicas: maximum, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** `stabilizeRecommendation` (no behavior): the max over the downscale stabilization window. */
export function stabilizeLegacy(h: HpaHistory, desired: number, window: number, now: number): number {
  let max = desired;
  let foundOld = false;
  let oldIndex = 0;
  const cutoff = now - window;
  h.recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) {
      foundOld = true;
      oldIndex = i;
    } else if (rec.recommendation > max) {
      max = rec.recommendation;
    }
  });
  const entry = { recommendation: desired, timestamp: now };
  if (foundOld) h.recommendations[oldIndex] = entry;
  else h.recommendations.push(entry);
  return max;
}

function longestPolicyPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

function markOutdated(events: ScaleEvent[], longest: number, now: number): void {
  const cutoff = now - longest;
  for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
}

/** `storeScaleEvent`: only with a behavior; reuses the last outdated slot. */
export function storeScaleEvent(h: HpaHistory, behavior: Behavior | undefined, prev: number, next: number, now: number): void {
  if (!behavior) return;
  const up = next > prev;
  const events = up ? h.scaleUpEvents : h.scaleDownEvents;
  markOutdated(events, longestPolicyPeriod(up ? behavior.scaleUp : behavior.scaleDown), now);
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.outdated) oldIndex = i;
  });
  const event: ScaleEvent = { replicaChange: up ? next - prev : prev - next, timestamp: now, outdated: false };
  if (oldIndex >= 0) events[oldIndex] = event;
  else events.push(event);
}
