/**
 * KEDA's side of a ScaledObject (KEDA 2.20): the operator's scale loop that activates
 * and deactivates the target (pkg/scaling/executor/scale_scaledobjects.go RequestScale),
 * the metrics server's fallback (pkg/fallback/fallback.go), and scalingModifiers
 * formulas (pkg/scaling/modifiers). The HPA that KEDA generates is a plain HPA and is
 * simulated by the HPA controller.
 */
import { CompiledFormula, compileFormula, FormulaError } from '../../core/expr';
import { KedaSpec } from '../policy';

/** The operator's memory of one ScaledObject. */
export interface KedaState {
  lastActiveTime?: number;
  /** metadata.creationTimestamp, for initialCooldownPeriod. */
  readonly creationTime: number;
  /** status.health[metric].numberOfFailures. */
  readonly failures: Map<string, number>;
}

export interface RequestScaleResult {
  /** The replica count KEDA writes to the scale subresource, if it writes one. */
  readonly scaleTo?: number;
  readonly reason: string;
}

/** `scaleExecutor.RequestScale` for a ScaledObject (no pause annotations). */
export function requestScale(
  spec: KedaSpec, state: KedaState, currentReplicas: number, isActive: boolean, isError: boolean, now: number,
): RequestScaleResult {
  const minReplicas = spec.minReplicaCount;
  const idle = spec.idleReplicaCount;
  if (isActive) {
    if ((idle !== undefined && currentReplicas < minReplicas) || currentReplicas === 0) {
      // scaleFromZeroOrIdle
      const replicas = minReplicas > 0 ? minReplicas : 1;
      state.lastActiveTime = now;
      return { scaleTo: replicas, reason: `KEDA: triggers active, scaling from ${currentReplicas} to ${replicas}` };
    }
    if (isError) return { reason: 'KEDA: PartialTriggerError' };
    state.lastActiveTime = now;
    return { reason: 'KEDA: triggers active' };
  }
  if (isError && spec.fallback && spec.fallback.replicas !== 0) return { reason: 'KEDA: scaler error, HPA will fall back after failureThreshold' };
  if (isError && !spec.fallback) return { reason: 'KEDA: TriggerError' };
  if ((idle !== undefined && currentReplicas > idle) || (currentReplicas > 0 && minReplicas === 0)) {
    // scaleToZeroOrIdle
    const cooled = state.lastActiveTime === undefined
      ? state.creationTime + spec.initialCooldownPeriod < now
      : state.lastActiveTime + spec.cooldownPeriod < now;
    if (!cooled) return { reason: 'KEDA: ScalerCooldown' };
    const to = idle ?? minReplicas;
    return { scaleTo: to, reason: `KEDA: triggers not active for cooldownPeriod, scaling to ${idle !== undefined ? 'idleReplicaCount' : 'minReplicaCount'} ${to}` };
  }
  if (idle === undefined && currentReplicas < minReplicas) return { scaleTo: minReplicas, reason: `KEDA: below minReplicaCount, scaling to ${minReplicas}` };
  return { reason: 'KEDA: triggers not active' };
}

export type FallbackOutcome = { readonly value: number } | { readonly error: string };

/**
 * `GetMetricsWithFallback` + `doFallback` for one metric query of the HPA: counts the
 * failure, and past failureThreshold returns a value that makes the HPA compute the
 * fallback replica count.
 */
export function metricWithFallback(
  spec: KedaSpec, state: KedaState, metricName: string, value: number | undefined, error: string | undefined,
  target: { readonly type: 'AverageValue' | 'Value'; readonly value: number }, currentReplicas: number, readyReplicas: number,
): FallbackOutcome {
  const fb = spec.fallback;
  const valid = fb !== undefined && fb.failureThreshold >= 0 && fb.replicas >= 0
    && (!spec.modifiers || (Number.isInteger(spec.modifiers.target) && spec.modifiers.target > 0));
  if (error === undefined) {
    if (valid) state.failures.set(metricName, 0);
    return { value: value ?? 0 };
  }
  if (!fb || !valid) return { error };
  const failures = (state.failures.get(metricName) ?? 0) + 1;
  state.failures.set(metricName, failures);
  if (failures <= fb.failureThreshold) return { error };
  let replicas: number;
  switch (fb.behavior) {
    case 'currentReplicas': replicas = currentReplicas; break;
    case 'currentReplicasIfHigher': replicas = Math.max(currentReplicas, fb.replicas); break;
    case 'currentReplicasIfLower': replicas = Math.min(currentReplicas, fb.replicas); break;
    default: replicas = fb.replicas;
  }
  const metricType = spec.modifiers ? spec.modifiers.metricType : target.type;
  if (metricType === 'Value') {
    if (readyReplicas === 0) return { error: 'error performing fallback' };
    replicas /= readyReplicas;
  }
  const normalisation = spec.modifiers ? spec.modifiers.target : target.value;
  return { value: Math.trunc(normalisation * 1000 * replicas) / 1000 };
}

/**
 * A scalingModifiers formula, evaluated as KEDA evaluates it: compiled with expr-lang
 * (src/core/expr.ts checks it as KEDA's webhook does, then evaluates its parse tree with
 * expr's semantics), the trigger values as float64, the result as `float(<formula>)`.
 */
export class ScalingFormula {
  private readonly compiled: CompiledFormula;
  public constructor(public readonly formula: string, triggerNames: readonly string[]) {
    try {
      this.compiled = compileFormula(formula, triggerNames);
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      const unsimulated = e.message.startsWith('KEDA accepts');
      const why = e.message.replace(/^does not compile as KEDA compiles it \(expr-lang\): /, '');
      throw new Error(`scalingModifiers.formula ${JSON.stringify(formula)} ${unsimulated ? 'cannot be simulated' : 'does not parse as KEDA compiles it (expr-lang)'}: ${why}`);
    }
  }
  /** The composite value for trigger values by trigger name. */
  public evaluate(values: Readonly<Record<string, number>>): number {
    try {
      return this.compiled.evaluate(values);
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      throw new Error(`scalingModifiers.formula ${JSON.stringify(this.formula)} failed to evaluate (KEDA would report a metrics error): ${e.message} at position ${e.position}`);
    }
  }
}
