/**
 * KEDA's side of a ScaledObject (KEDA 2.20): the operator's scale loop that activates
 * and deactivates the target (pkg/scaling/executor/scale_scaledobjects.go RequestScale),
 * the metrics server's fallback (pkg/fallback/fallback.go), and scalingModifiers
 * formulas (pkg/scaling/modifiers). The HPA that KEDA generates is a plain HPA and is
 * simulated by the HPA controller.
 */
import type * as MathJs from 'mathjs' with { 'resolution-mode': 'import' };
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

let compileFormula: ((expr: string) => MathJs.EvalFunction) | undefined;

/**
 * mathjs, created on first use (building it costs ~100 ms, which a replay without a
 * formula should not pay). Following mathjs's own hardening advice, the compiler is kept
 * and every function that would let a formula reach beyond arithmetic on the trigger
 * values is disabled.
 */
function formulaCompiler(): (expr: string) => MathJs.EvalFunction {
  if (compileFormula) return compileFormula;
  // mathjs ships ESM types with a CommonJS build (its `require` export); this library is
  // CommonJS, so it loads that build, lazily, and borrows the types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mathjs: typeof MathJs = require('mathjs');
  const math = mathjs.create(mathjs.all, {});
  const compile = math.compile;
  const disabled = (name: string) => () => {
    throw new Error(`${name} is disabled in scalingModifiers formulas`);
  };
  const locked: Record<string, () => never> = {};
  for (const name of ['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve']) locked[name] = disabled(name);
  math.import(locked, { override: true });
  compileFormula = compile;
  return compile;
}

/**
 * A scalingModifiers formula (KEDA compiles it with expr-lang). The common subset is
 * arithmetic, comparisons, `cond ? a : b`, `&&`/`||`/`!` and min/max/abs/floor/ceil; the
 * expr-lang spellings `and`, `or`, `not` and `??` are translated where mathjs differs.
 */
export class ScalingFormula {
  private readonly compiled: MathJs.EvalFunction;
  public constructor(public readonly formula: string, private readonly triggerNames: readonly string[]) {
    const translated = formula.replace(/&&/g, ' and ').replace(/\|\|/g, ' or ').replace(/!(?!=)/g, ' not ');
    try {
      this.compiled = formulaCompiler()(translated);
    } catch (e) {
      throw new Error(`scalingModifiers.formula ${JSON.stringify(formula)} does not parse: ${(e as Error).message}`);
    }
  }
  /** The composite value for trigger values by trigger name. */
  public evaluate(values: Readonly<Record<string, number>>): number {
    const scope = new Map<string, number>();
    for (const n of this.triggerNames) scope.set(n, values[n] ?? 0);
    const out = this.compiled.evaluate(scope);
    const n = typeof out === 'boolean' ? (out ? 1 : 0) : Number(out);
    if (!Number.isFinite(n)) throw new Error(`scalingModifiers.formula ${JSON.stringify(this.formula)} did not give a number (got ${String(out)})`);
    return n;
  }
}
