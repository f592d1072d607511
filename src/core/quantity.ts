/**
 * Kubernetes quantities and int32 bounds as the library writes them. Plain functions,
 * no constructs: shared by the HPA and KEDA renderers and the rule engine.
 */
import { INT32_MAX } from './int32';

/**
 * Renders a number as a Kubernetes quantity string in canonical form: integers as
 * decimal ("10"), fractions in milli-units when exact ("500m"), else decimal ("0.0005").
 */
export function quantityString(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const milli = Math.round(value * 1000);
  if (Math.abs(milli / 1000 - value) < 1e-12) return `${milli}m`;
  return String(value);
}

/**
 * The rule for an HPA scaling direction's `tolerance` (autoscaling/v2
 * `HPAScalingRules.tolerance`, beta from Kubernetes 1.35): a quantity >= 0, given here
 * as a fraction (0.05 is 5%). What is wrong with `value`, or undefined when it is fine.
 * Shared by `HpaAutoscaler` and KEDA's `advanced.horizontalPodAutoscalerConfig.behavior`.
 */
export function toleranceProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return 'must be a number >= 0 (a fraction: 0.05 is 5%)';
  }
  return undefined;
}

export { INT32_MAX };

/** The problem with `value` as an int32 field with a lower bound, or undefined. */
export function int32Problem(value: unknown, min: number, max: number = INT32_MAX): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return max === INT32_MAX ? `must be an integer from ${min} to ${INT32_MAX} (int32)` : `must be an integer from ${min} to ${max}`;
  }
  return undefined;
}
