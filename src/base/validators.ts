/**
 * The checks every construct makes on its props, written once: integers, numbers,
 * enums, Kubernetes names and Durations. Each throws `invalid(...)` with the construct
 * path (or API name), the field, the value and what is allowed, in one wording across
 * the library. `requireInteger` lets undefined pass (an optional prop left out); every
 * other check refuses it, so an optional prop is checked as `if (v !== undefined) ...`.
 */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeDuration, describeValue, invalid } from './errors';
import { INT32_MAX } from '../core/int32';
import { DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX, isDnsLabelName, isDnsSubdomainName } from '../core/names';

type Scope = IConstruct | string;

/**
 * The largest int32 (see core/int32): the bound of every replica count, period and window.
 * @internal
 */
export const MAX_INT32 = INT32_MAX;

/**
 * An integer from `min` to `max`; `max` defaults to the int32 limit, since every
 * integer field this library renders is an int32 on the wire. Undefined passes.
 * @internal
 */
export function requireInteger(scope: Scope, field: string, value: number | undefined, min: number, max?: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw invalid(scope, field, value, `must be ${range}`);
  }
  if (value > MAX_INT32) {
    throw invalid(scope, field, value, `must be an integer >= ${min} and at most ${MAX_INT32}: Kubernetes types it as int32`);
  }
}

/** A TCP port: an integer from 1 to 65535. @internal */
export function requirePort(scope: Scope, field: string, value: unknown): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return;
  throw invalid(scope, field, value, 'must be an integer from 1 to 65535');
}

/** Bounds of a number; each is exclusive unless named `atLeast`. */
export interface NumberBounds {
  /** The number must be greater than this. */
  readonly above?: number;
  /** The number must be at least this. */
  readonly atLeast?: number;
  /** The number must be less than this. */
  readonly below?: number;
  /** Appended to the rule, e.g. ` (a factor of the current replica count)`. */
  readonly note?: string;
}

/**
 * A finite number within `bounds`: `must be a number > 0`, `must be a number >= 0`,
 * `must be a number strictly between 0 and 1`.
 * @internal
 */
export function requireNumber(scope: Scope, field: string, value: unknown, bounds: NumberBounds = {}): void {
  const { above, atLeast, below } = bounds;
  if (typeof value === 'number' && Number.isFinite(value)
    && (above === undefined || value > above) && (atLeast === undefined || value >= atLeast) && (below === undefined || value < below)) {
    return;
  }
  let range = '';
  if (above !== undefined && below !== undefined) range = ` strictly between ${above} and ${below}`;
  else if (above !== undefined) range = ` > ${above}`;
  else if (atLeast !== undefined) range = ` >= ${atLeast}${below !== undefined ? ` and < ${below}` : ''}`;
  else if (below !== undefined) range = ` < ${below}`;
  throw invalid(scope, field, value, `must be a number${range}${bounds.note ?? ''}`);
}

/** A number > 0. @internal */
export function requirePositive(scope: Scope, field: string, value: unknown): void {
  requireNumber(scope, field, value, { above: 0 });
}

/**
 * One of an enum's values (or of a list): `must be one of a, b, c`, with `note`
 * appended (e.g. ` (HpaScalingStrategy)`), or the given `rule` in its place.
 * @internal
 */
export function requireOneOf(scope: Scope, field: string, value: unknown, allowed: object | readonly string[], note: string = '', rule?: string): void {
  const values = (Array.isArray(allowed) ? allowed : Object.values(allowed)) as unknown[];
  if (!values.includes(value)) throw invalid(scope, field, value, rule ?? `must be one of ${values.join(', ')}${note}`);
}

/**
 * A Kubernetes object name (DNS subdomain). `what` names the object the field refers
 * to, e.g. `a Secret`.
 * @internal
 */
export function requireDnsSubdomain(scope: Scope, field: string, value: unknown, what?: string): void {
  if (isDnsSubdomainName(value)) return;
  throw invalid(scope, field, value, what
    ? `must be the name of ${what} (a DNS subdomain)`
    : `must be a DNS subdomain: at most ${DNS_SUBDOMAIN_MAX} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
}

/** A DNS label, e.g. a qualifier of a derived name. @internal */
export function requireDnsLabel(scope: Scope, field: string, value: unknown): void {
  if (isDnsLabelName(value)) return;
  throw invalid(scope, field, value, typeof value === 'string' && value.length > DNS_LABEL_MAX
    ? `must be a DNS label of at most ${DNS_LABEL_MAX} characters (this one has ${value.length})`
    : `must be a DNS label: lower-case letters, digits and '-', at most ${DNS_LABEL_MAX}, starting and ending with a letter or digit`);
}

/**
 * Milliseconds of a Duration, fractional ones included (cdk8s throws on those by default).
 * @internal
 */
export function durationMillis(d: { toMilliseconds(opts?: { integral?: boolean }): number }): number {
  return d.toMilliseconds({ integral: false });
}

/** How a Duration field is rendered and bounded. */
export interface DurationRule {
  /** The unit the field is rendered in; the Duration must be a whole number of it. */
  readonly unit: 'seconds' | 'milliseconds';
  /** The least whole amount allowed. @default - no bound */
  readonly min?: number;
  /** The greatest whole amount allowed. @default - no bound */
  readonly max?: number;
  /** What to say when the value is not a Duration at all. @default - an example for a number */
  readonly notDuration?: (value: unknown) => string;
  /** The rule to state when the Duration is out of bounds. @default - from the unit and bounds */
  readonly rule?: string;
}

/**
 * A cdk8s Duration that is a whole number of `rule.unit` within its bounds; returns that
 * number. Messages: `must be a cdk8s Duration (e.g. Duration.seconds(300))`, `must be a
 * whole number of seconds, at least 1 second`, `..., 0 or more`, `..., at least 1 and at
 * most 2147483647 (int32)`.
 * @internal
 */
export function requireDuration(scope: Scope, field: string, d: Duration, rule: DurationRule): number {
  if (!(d instanceof Duration)) {
    const hint = rule.notDuration ? rule.notDuration(d) : typeof d === 'number' ? ` (e.g. Duration.seconds(${describeValue(d)}))` : '';
    throw invalid(scope, field, d, `must be a cdk8s Duration${hint}`);
  }
  const ms = durationMillis(d);
  const amount = rule.unit === 'seconds' ? ms / 1000 : ms;
  const { min, max } = rule;
  if (Number.isInteger(amount) && (min === undefined || amount >= min) && (max === undefined || amount <= max)) return amount;
  throw invalid(scope, field, describeDuration(d), rule.rule ?? `must be a whole number of ${rule.unit}${durationRange(rule)}`);
}

function durationRange({ unit, min, max }: DurationRule): string {
  if (min === undefined && max === undefined) return '';
  if (max !== undefined) {
    return `, ${min !== undefined ? `at least ${min} and ` : ''}at most ${max}${max === INT32_MAX ? ' (int32)' : ''}`;
  }
  if (min === 0) return ', 0 or more';
  const short = unit === 'seconds' ? (min === 1 ? 'second' : 'seconds') : 'ms';
  return `, at least ${min} ${short}`;
}

/**
 * A cdk8s Duration longer than zero, fractions of a millisecond included; returns its
 * milliseconds.
 * @internal
 */
export function requirePositiveDuration(scope: Scope, field: string, d: Duration): number {
  if (!(d instanceof Duration)) throw invalid(scope, field, d, 'must be a cdk8s Duration');
  const ms = durationMillis(d);
  if (!Number.isFinite(ms) || ms <= 0) throw invalid(scope, field, describeDuration(d), 'must be longer than 0 ms');
  return ms;
}
