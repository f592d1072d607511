/**
 * Kubernetes quantities the library renders from numbers. Plain functions, shared by the
 * HPA and KEDA renderers and the rule engine.
 */

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
 * The problem with a per-direction HPA tolerance (`behavior.scaleUp/scaleDown.tolerance`,
 * a quantity >= 0: the fraction of the target within which the HPA does not scale, e.g.
 * 0.05 for 5%), or undefined. The type is a plain number (a fraction), rendered with
 * `quantityString`; the HPA and KEDA's `horizontalPodAutoscalerConfig.behavior` share it.
 */
export function toleranceProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return 'must be a number >= 0 (a fraction of the target, e.g. 0.05 for 5%)';
  }
  return undefined;
}

/** The largest int32, the bound of every replica count, period and window Kubernetes and the CRDs type as int32. */
export const INT32_MAX = 2147483647;

/** The problem with `value` as an int32 field with a lower bound, or undefined. */
export function int32Problem(value: unknown, min: number, max: number = INT32_MAX): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return max === INT32_MAX ? `must be an integer from ${min} to ${INT32_MAX} (int32)` : `must be an integer from ${min} to ${max}`;
  }
  return undefined;
}
