/**
 * AIBrix PodAutoscaler KPA and APA, re-implemented from vllm-project/aibrix v0.7.0
 * pkg/controller/podautoscaler (algorithm/kpa.go, algorithm/apa.go, context/context.go,
 * metrics/client.go, podautoscaler_controller.go).
 */

/** `scalingctx.ScalingContext` as the algorithms read it. */
export interface AibrixContext {
  targetValue: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  upFluctuationTolerance: number;
  downFluctuationTolerance: number;
  panicThreshold: number;
  activationScale: number;
  inPanicMode: boolean;
  maxPanicPods: number;
  stableValue: number;
  panicValue: number;
  currentUsePerPod: number;
  minReplicas: number;
  maxReplicas: number;
}

/** `NewBaseScalingContext` defaults (annotations `autoscaling.aibrix.ai/*` override them). */
export const AIBRIX_DEFAULTS = {
  maxScaleUpRate: 2,
  maxScaleDownRate: 2,
  upFluctuationTolerance: 0.1,
  downFluctuationTolerance: 0.1,
  scaleUpCooldownWindow: 0,
  scaleDownCooldownWindow: 300,
  panicThreshold: 2.0,
  /** metrics/client.go window lengths. */
  stableWindow: 180,
  panicWindow: 60,
  /** DefaultResyncInterval of the PodAutoscaler controller. */
  resyncInterval: 10,
};

function int32(x: number): number {
  return Math.trunc(x);
}

/** `KPAAlgorithm.computeTargetReplicas`. */
export function kpaTargetReplicas(currentPodCount: number, c: AibrixContext): number {
  const target = c.targetValue;
  const ready = Math.max(0, currentPodCount);
  const maxScaleUp = Math.max(1, Math.ceil(c.maxScaleUpRate * ready));
  const maxScaleDown = Math.floor(ready / c.maxScaleDownRate);
  const upThreshold = target * (1 + c.upFluctuationTolerance);
  const downThreshold = target * (1 - c.downFluctuationTolerance);
  const dspc = c.stableValue > upThreshold || c.stableValue < downThreshold ? Math.ceil(c.stableValue / target) : currentPodCount;
  const dppc = c.panicValue > upThreshold || c.panicValue < downThreshold ? Math.ceil(c.panicValue / target) : currentPodCount;
  let desiredStable = int32(Math.min(Math.max(dspc, maxScaleDown), maxScaleUp));
  let desiredPanic = int32(Math.min(Math.max(dppc, maxScaleDown), maxScaleUp));
  if (c.activationScale > 1) {
    if (c.activationScale > desiredStable && desiredStable > 0) desiredStable = c.activationScale;
    if (c.activationScale > desiredPanic && desiredPanic > 0) desiredPanic = c.activationScale;
  }
  let desired = desiredStable;
  if (c.inPanicMode) {
    if (desired < desiredPanic) desired = desiredPanic;
    if (desired > c.maxPanicPods) c.maxPanicPods = desired;
    desired = c.maxPanicPods;
  }
  return desired;
}

/** `KPAAlgorithm.shouldEnterPanicMode`. */
export function kpaShouldPanic(stable: number, panic: number, threshold: number): boolean {
  if (stable <= 0) return true;
  return panic / stable > threshold;
}

/** `APAAlgorithm.computeTargetReplicas`. */
export function apaTargetReplicas(currentPodCount: number, c: AibrixContext): number {
  const expected = c.targetValue;
  if (!(expected > 0)) return int32(currentPodCount);
  const ratio = c.currentUsePerPod / expected;
  if (ratio > 1 + c.upFluctuationTolerance) {
    const maxScaleUp = int32(Math.ceil(c.maxScaleUpRate * currentPodCount));
    const pods = int32(Math.ceil(currentPodCount * ratio));
    return pods > maxScaleUp ? maxScaleUp : pods;
  } else if (ratio < 1 - c.downFluctuationTolerance) {
    const maxScaleDown = int32(Math.floor(currentPodCount / c.maxScaleDownRate));
    const pods = int32(Math.ceil(currentPodCount * ratio));
    return pods < maxScaleDown ? maxScaleDown : pods;
  }
  return int32(currentPodCount);
}

/** `applyConstraints`. */
export function applyConstraints(replicas: number, min: number, max: number): number {
  if (replicas < min) return min;
  if (replicas > max) return max;
  return replicas;
}

/** metrics/client.go `TimeWindow` with 1 s buckets: the mean of the bucket values in the window. */
export class TimeWindow {
  private readonly buckets = new Map<number, number>();
  public constructor(private readonly duration: number) {}
  public record(t: number, value: number): void {
    this.buckets.set(Math.floor(t), value);
    const cutoff = Math.floor(t - this.duration);
    for (const b of this.buckets.keys()) if (b < cutoff) this.buckets.delete(b);
  }
  public avg(): number {
    if (this.buckets.size === 0) return 0;
    let sum = 0;
    for (const v of this.buckets.values()) sum += v;
    return sum / this.buckets.size;
  }
}

/** podautoscaler_controller.go `stabilizeRecommendation`: cooldown windows. */
export class CooldownHistory {
  private recs: Array<{ recommendation: number; timestamp: number }> = [];
  public stabilize(recommendation: number, current: number, upWindow: number, downWindow: number, now: number): number {
    this.recs.push({ recommendation, timestamp: now });
    const maxWindow = Math.max(upWindow, downWindow);
    this.recs = this.recs.filter((r) => r.timestamp > now - maxWindow);
    if (recommendation === current) return current;
    const selectMax = recommendation > current;
    const cutoff = now - (selectMax ? upWindow : downWindow);
    let stabilized: number | undefined;
    for (const r of this.recs) {
      if (r.timestamp > cutoff) {
        if (stabilized === undefined) stabilized = r.recommendation;
        else if (selectMax && r.recommendation > stabilized) stabilized = r.recommendation;
        else if (!selectMax && r.recommendation < stabilized) stabilized = r.recommendation;
      }
    }
    return stabilized ?? recommendation;
  }
}
