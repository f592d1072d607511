/**
 * Kubernetes resource quantities as the controllers read them (apimachinery
 * resource.Quantity): decimal and binary suffixes and exponents. Only parsing is needed
 * here; `MilliValue()` rounds up, as apimachinery does.
 */
const SUFFIX: Record<string, number> = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 1024,
  'Mi': 1024 ** 2,
  'Gi': 1024 ** 3,
  'Ti': 1024 ** 4,
  'Pi': 1024 ** 5,
  'Ei': 1024 ** 6,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

/** The value of a quantity (number or string); undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ''];
}

/** `Quantity.MilliValue()`: the value in milli-units, rounded up. */
export function milliValue(v: number): number {
  const x = v * 1000;
  const r = Math.round(x);
  // Absorb binary floating-point noise (0.1 * 1000 = 100.00000000000001) before rounding up.
  return Math.abs(x - r) < 1e-6 ? r : Math.ceil(x);
}
