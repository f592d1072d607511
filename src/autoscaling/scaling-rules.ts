import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeDuration, invalid } from '../base/errors';
import { MAX_INT32, requireDuration, requireOneOf } from '../base/validators';
import { quantityString, toleranceProblem } from '../core/quantity';

/**
 * Scaling behavior of one direction of a HorizontalPodAutoscaler
 * (`spec.behavior.scaleUp` / `scaleDown`), shared by `HpaAutoscaler` and by KEDA's
 * `advanced.horizontalPodAutoscalerConfig.behavior`.
 *
 * Structurally a superset of cdk8s-plus's `ScalingRules` (any of cdk8s-plus-28 to -33):
 * a value written with cdk8s-plus's vocabulary (`Replicas.absolute(4)`,
 * `ScalingStrategy.MAX_CHANGE`) is accepted as it is, and so is the library's own
 * (`HpaReplicas.absolute(4)`, `HpaScalingStrategy.MAX_CHANGE`).
 */
export interface HpaScalingRules {
  /**
   * How long past recommendations are considered (0 to 1 hour, whole seconds).
   * @default - Kubernetes: 0 for scale-up, 300 seconds for scale-down
   */
  readonly stabilizationWindow?: Duration;

  /**
   * Which policy wins when several apply: an `HpaScalingStrategy` value or a cdk8s-plus
   * `ScalingStrategy` value (`Max`, `Min` or `Disabled`).
   * @default - Kubernetes: `Max`
   */
  readonly strategy?: string;

  /**
   * The scaling policies. Leave out for Kubernetes' defaults; an empty list is refused
   * (Kubernetes rejects it).
   * @default - Kubernetes: scale-up 4 pods or 100% per 15 s, scale-down 100% per 15 s
   */
  readonly policies?: HpaScalingPolicy[];

  /**
   * The tolerance on the ratio of current to desired metric value under which this
   * direction does not scale, e.g. 0.05 for 5%; a number >= 0, rendered as a Kubernetes
   * quantity (`50m`). Needs the HPAConfigurableTolerance feature gate (beta and on by
   * default from Kubernetes 1.35; without it the field is dropped).
   * @default - the cluster-wide tolerance (0.1)
   */
  readonly tolerance?: number;
}

/**
 * One scaling policy: how many replicas may change within a period.
 */
export interface HpaScalingPolicy {
  /**
   * The amount: `HpaReplicas.absolute(n)` or `.percent(p)`, or a cdk8s-plus `Replicas`.
   */
  readonly replicas: IHpaReplicas;

  /**
   * The period the amount applies to (1 second to 30 minutes, whole seconds).
   * @default Duration.seconds(15)
   */
  readonly duration?: Duration;
}

/**
 * A replica amount of a scaling policy. Implemented by `HpaReplicas`; cdk8s-plus's
 * `Replicas` (any version) is accepted too and read through its own rendering.
 */
export interface IHpaReplicas {}

/**
 * A replica amount of a scaling policy, in the library's own vocabulary.
 */
export class HpaReplicas implements IHpaReplicas {
  /** A fixed number of pods (policy type `Pods`). */
  public static absolute(value: number): HpaReplicas {
    return new HpaReplicas('Pods', value);
  }

  /** A percentage of the current replicas (policy type `Percent`). */
  public static percent(value: number): HpaReplicas {
    return new HpaReplicas('Percent', value);
  }

  private constructor(private readonly type: string, private readonly value: number) {}

  /** @internal */
  public _toKube(): { type: string; value: number } {
    return { type: this.type, value: this.value };
  }
}

/**
 * Which policy wins when several apply (`selectPolicy`). The same strings as
 * cdk8s-plus's `ScalingStrategy`.
 */
export enum HpaScalingStrategy {
  /** The policy that allows the largest change. */
  MAX_CHANGE = 'Max',
  /** The policy that allows the smallest change. */
  MIN_CHANGE = 'Min',
  /** No scaling in this direction. */
  DISABLED = 'Disabled',
}

/** Kubernetes' default period of a scaling policy when none is given. */
const DEFAULT_POLICY_PERIOD = Duration.seconds(15);
const RULE_KEYS = ['stabilizationWindow', 'strategy', 'policies', 'tolerance'];

/**
 * Renders one direction's rules in Kubernetes' wire form (`HPAScalingRules`), checked
 * against Kubernetes' validation: stabilization 0..3600 s, selectPolicy Max|Min|Disabled,
 * non-empty policies of type Pods|Percent with value > 0 and period 1..1800 s,
 * tolerance >= 0. Returns undefined when nothing is set (Kubernetes defaults).
 * @internal
 */
export function renderScalingRules(scope: IConstruct | string, direction: string, rules: HpaScalingRules | undefined): any {
  if (rules === undefined) return undefined;
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw invalid(scope, direction, rules, `must be scaling rules ({ ${RULE_KEYS.join(', ')} })`);
  }
  const unknown = Object.keys(rules).filter((k) => !RULE_KEYS.includes(k) && (rules as any)[k] !== undefined);
  if (unknown.length > 0) {
    throw invalid(scope, `${direction}.${unknown[0]}`, (rules as any)[unknown[0]], `is not a scaling rule; the rules are ${RULE_KEYS.join(', ')}`);
  }
  const out: any = {};
  if (rules.stabilizationWindow !== undefined) {
    const s = wholeSeconds(scope, `${direction}.stabilizationWindow`, rules.stabilizationWindow);
    if (s < 0 || s > 3600) {
      throw invalid(scope, `${direction}.stabilizationWindow`, describeDuration(rules.stabilizationWindow), 'must be between 0 seconds and 1 hour');
    }
    out.stabilizationWindowSeconds = s;
  }
  if (rules.strategy !== undefined) {
    requireOneOf(scope, `${direction}.strategy`, rules.strategy, HpaScalingStrategy, ' (HpaScalingStrategy)');
    out.selectPolicy = rules.strategy;
  }
  if (rules.policies !== undefined) {
    if (!Array.isArray(rules.policies)) {
      throw invalid(scope, `${direction}.policies`, rules.policies, 'must be a list of scaling policies ({ replicas, duration })');
    }
    if (rules.policies.length === 0) {
      throw invalid(scope, `${direction}.policies`, [], 'must not be empty (Kubernetes rejects an empty list); leave it out for the defaults');
    }
    out.policies = rules.policies.map((p, i) => renderPolicy(scope, `${direction}.policies[${i}]`, p));
  }
  if (rules.tolerance !== undefined) {
    const problem = toleranceProblem(rules.tolerance);
    if (problem) throw invalid(scope, `${direction}.tolerance`, rules.tolerance, problem);
    out.tolerance = quantityString(rules.tolerance);
  }
  // Empty rules mean "Kubernetes defaults", which is what leaving the direction out says.
  return Object.keys(out).length > 0 ? out : undefined;
}

function renderPolicy(scope: IConstruct | string, at: string, p: HpaScalingPolicy): any {
  const toKube = (p as any)?.replicas?._toKube;
  if (p === null || typeof p !== 'object' || typeof toKube !== 'function') {
    throw invalid(scope, `${at}.replicas`, p?.replicas ?? p,
      'must be HpaReplicas.absolute(n) or HpaReplicas.percent(p) (or a cdk8s-plus Replicas)');
  }
  const kube = (p.replicas as any)._toKube();
  if (kube?.type !== 'Pods' && kube?.type !== 'Percent') {
    throw invalid(scope, `${at}.replicas`, kube?.type, 'must be a Pods or Percent amount (HpaReplicas.absolute or HpaReplicas.percent)');
  }
  if (!(Number.isInteger(kube.value) && kube.value > 0 && kube.value <= MAX_INT32)) {
    throw invalid(scope, `${at}.replicas`, kube.value, `must be an integer > 0 and at most ${MAX_INT32} (int32)`);
  }
  const period = wholeSeconds(scope, `${at}.duration`, p.duration ?? DEFAULT_POLICY_PERIOD);
  if (period < 1 || period > 1800) {
    throw invalid(scope, `${at}.duration`, describeDuration(p.duration ?? DEFAULT_POLICY_PERIOD), 'must be between 1 second and 30 minutes');
  }
  return { type: kube.type, value: kube.value, periodSeconds: period };
}

/**
 * Whole seconds of a Duration; anything else (a number of seconds, a fraction) is a
 * clear error.
 * @internal
 */
export function wholeSeconds(scope: IConstruct | string, field: string, d: Duration): number {
  return requireDuration(scope, field, d, { unit: 'seconds' });
}
