/**
 * Kubernetes and the CRDs type replica counts, node counts, periods and windows as int32
 * (`format: int32`): a larger number is refused by the API server, or by the operator
 * when it decodes the object. Plain data, no constructs.
 */

/** Largest int32. */
export const INT32_MAX = 2147483647;

/** Whether `value` is an integer that fits an int32 and is at least `min`. */
export function isInt32(value: unknown, min: number = -INT32_MAX - 1): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= INT32_MAX;
}
