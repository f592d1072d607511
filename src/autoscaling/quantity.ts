/**
 * Renders a number as a Kubernetes quantity string in canonical form: integers as
 * decimal ("10"), fractions in milli-units when exact ("500m"), else decimal ("0.0005").
 * @internal
 */
export function quantityString(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const milli = Math.round(value * 1000);
  if (Math.abs(milli / 1000 - value) < 1e-12) return `${milli}m`;
  return String(value);
}
