/**
 * Cron expressions exactly as KEDA's cron scaler parses them. Plain functions, no
 * constructs, so that the rule engine checks hand-written ScaledObjects the same way.
 *
 * KEDA 2.20 (kedacore/keda v2.20.2, `pkg/scalers/cron_scaler.go`) parses `start` and
 * `end` with robfig/cron v3.0.1 (`go.mod`) as
 * `cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)`:
 * - exactly 5 whitespace-separated fields; no seconds field, and no `Descriptor` option,
 *   so `@daily`, `@hourly`, `@every 5m` and the like are refused;
 * - an optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix (the parser handles it before
 *   the options are looked at);
 * - each field a comma-separated list (empty items are skipped) of `*` or `?`, a number
 *   or name, or a range `a-b`, each optionally with a step `/n` (`a/n` means `a-max/n`);
 * - numbers as Go's `strconv.Atoi` reads them (a leading `+` is accepted), names
 *   case-insensitive (`JAN`-`DEC`, `SUN`-`SAT`, three letters only);
 * - ranges: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-6
 *   (7 is not Sunday here).
 * The parser's own quirks are kept (`*-5` reads as `*`), since the point is to accept
 * exactly what KEDA accepts.
 */

/** One field of a cron expression. */
export interface CronField {
  /** The field's name in messages, e.g. `hour`. */
  readonly name: string;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Names accepted for values (lower-case), if any. */
  readonly names?: { readonly [name: string]: number };
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** The 5 fields, in order (robfig/cron v3.0.1 `spec.go` bounds). */
export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 6, names: DAY_NAMES },
];

/** What the 5 fields take, for messages. */
export const CRON_FORMAT = '5 fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-6 or SUN-SAT)';

/** A cron expression that KEDA would refuse: what is wrong. */
export interface CronProblem {
  /** The field at fault (`minute` ... `day-of-week`), when one is. */
  readonly field?: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** The values one field selects, and whether it was written as `*`/`?` (without a step > 1). */
export interface CronFieldValues {
  /** The values selected. */
  readonly values: number[];
  /** Whether the field is unrestricted (robfig's star bit). */
  readonly star: boolean;
}

/** A parsed schedule: the time zone prefix, if any, and each field's values. */
export interface CronSchedule {
  /** The zone of a `TZ=`/`CRON_TZ=` prefix, if any. */
  readonly timeZone?: string;
  /** The fields, in `CRON_FIELDS` order. */
  readonly fields: CronFieldValues[];
  /** The fields as written (split on whitespace). */
  readonly text: string[];
}

/** Go's `unicode.IsSpace` (what `strings.Fields` splits on). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/;
const GO_TRIM = new RegExp(`^${GO_SPACE.source}|${GO_SPACE.source}$`, 'g');

class CronError extends Error {
  public constructor(public readonly field: string | undefined, message: string) {
    super(message);
  }
}

/** Go `strconv.Atoi` over a base-10 integer, then robfig's non-negative check. */
function mustParseInt(field: CronField, expr: string, whole: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new CronError(field.name, `${field.name} field: '${expr}' in '${whole}' is not a number${field.names ? ` or a name (${namesText(field)})` : ''}`);
  }
  const n = Number(expr);
  if (n < 0) throw new CronError(field.name, `${field.name} field: '${whole}' has a negative number (${expr})`);
  return n;
}

function namesText(field: CronField): string {
  const names = Object.keys(field.names ?? {}).map((n) => n.toUpperCase());
  return `${names[0]}-${names[names.length - 1]}`;
}

function parseIntOrName(field: CronField, expr: string, whole: string): number {
  const named = field.names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(field, expr, whole);
}

function rangeText(field: CronField): string {
  return `${field.min}-${field.max}${field.names ? ` or ${namesText(field)}` : ''}`;
}

/** robfig's `getRange`: one item of a field's comma list. */
function parseRange(field: CronField, expr: string): { values: number[]; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = field.min;
    end = field.max;
    star = true;
  } else {
    start = parseIntOrName(field, lowAndHigh[0], expr);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(field, lowAndHigh[1], expr);
    else throw new CronError(field.name, `${field.name} field: '${expr}' has too many hyphens`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(field, rangeAndStep[1], expr);
    if (single) end = field.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(field.name, `${field.name} field: '${expr}' has too many slashes`);
  }
  if (start < field.min) {
    throw new CronError(field.name, `${field.name} field: '${expr}' starts below ${field.min}; the ${field.name} field takes ${rangeText(field)}`);
  }
  if (end > field.max) {
    throw new CronError(field.name, `${field.name} field: '${expr}' goes above ${field.max}; the ${field.name} field takes ${rangeText(field)}`);
  }
  if (start > end) {
    throw new CronError(field.name, `${field.name} field: '${expr}' starts at ${start}, after its end ${end}`);
  }
  if (step === 0) {
    throw new CronError(field.name, `${field.name} field: '${expr}' has step 0; a step must be a positive number`);
  }
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

/** robfig's `getField`: a comma-separated list; empty items are skipped. */
function parseField(field: CronField, text: string): CronFieldValues {
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',').filter((s) => s !== '')) {
    const r = parseRange(field, item);
    r.values.forEach((v) => values.add(v));
    star = star || r.star;
  }
  return { values: [...values].sort((a, b) => a - b), star };
}

/**
 * Parses a schedule as KEDA's cron scaler does. Throws an Error whose message names the
 * field and what it takes; `cronProblem` is the non-throwing form.
 * @param isTimeZone whether a `TZ=` zone is known (Go's `time.LoadLocation`); defaults to
 * the zones this JavaScript runtime knows, plus `Local` and the empty zone (UTC).
 */
export function parseCron(spec: unknown, isTimeZone: (tz: string) => boolean = knownTimeZone): CronSchedule {
  if (typeof spec !== 'string' || spec.length === 0) {
    throw new CronError(undefined, `must be a cron expression of ${CRON_FORMAT}`);
  }
  let rest = spec;
  let timeZone: string | undefined;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    if (space < 0) throw new CronError(undefined, `has a time zone prefix but no schedule; write '${rest} <${CRON_FORMAT}>'`);
    timeZone = rest.slice(rest.indexOf('=') + 1, space);
    if (!isTimeZone(timeZone)) {
      throw new CronError(undefined, `prefix '${rest.slice(0, space)}': '${timeZone}' is not a time zone KEDA can load (an IANA name such as 'Europe/Berlin')`);
    }
    rest = rest.slice(space).replace(GO_TRIM, '');
  }
  if (rest.startsWith('@')) {
    throw new CronError(undefined,
      `descriptors such as @daily, @hourly or @every are not accepted: KEDA's cron parser is built without them; write the ${CRON_FORMAT}`);
  }
  const text = rest.split(GO_SPACE).filter((s) => s !== '');
  if (text.length !== CRON_FIELDS.length) {
    throw new CronError(undefined, `has ${text.length} field${text.length === 1 ? '' : 's'}; KEDA's cron scaler takes exactly ${CRON_FORMAT}`);
  }
  return { timeZone, fields: CRON_FIELDS.map((f, i) => parseField(f, text[i])), text };
}

/** The problem with `spec` as a KEDA cron schedule, or undefined when KEDA's parser accepts it. */
export function cronProblem(spec: unknown, isTimeZone?: (tz: string) => boolean): CronProblem | undefined {
  try {
    parseCron(spec, isTimeZone);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return { field: e.field, message: e.message };
    throw e;
  }
}

/** The problem with a single item of a field (robfig's `getRange`), for ported tests. */
export function cronRangeProblem(expr: string, field: CronField): string | undefined {
  try {
    parseRange(field, expr);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/** The values a field's text selects (robfig's `getField`), for ported tests. */
export function cronFieldValues(text: string, field: CronField): CronFieldValues {
  return parseField(field, text);
}

/** Days in each month of a leap year (the parser looks five years ahead, so 29 February occurs). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why a schedule KEDA's parser accepts never fires, or undefined when it fires. The
 * parser accepts a field that selects nothing (`,`) and days that no selected month
 * has (`0 0 30 2 *`); robfig's `Next` then finds no time, and the window never opens.
 */
export function cronNeverFires(schedule: CronSchedule): string | undefined {
  const empty = schedule.fields.findIndex((f) => f.values.length === 0);
  if (empty >= 0) return `the ${CRON_FIELDS[empty].name} field '${schedule.text[empty]}' selects no value, so the schedule never fires`;
  const [, , dom, month, dow] = schedule.fields;
  // robfig matches a day when day-of-month AND day-of-week match if either is '*', else when
  // either matches: only a restricted day-of-month with a '*' day-of-week can rule out every day.
  if (dow.star && !dom.values.some((d) => month.values.some((m) => d <= MONTH_DAYS[m - 1]))) {
    return `no selected month has day ${dom.values.join(',')}, so the schedule never fires`;
  }
  return undefined;
}

/** `spec` in the form the library renders: fields (and a zone prefix) separated by single spaces. */
export function normalizeCron(spec: string): string {
  const s = parseCron(spec, () => true);
  return [...(s.timeZone !== undefined ? [spec.slice(0, spec.indexOf(' '))] : []), ...s.text].join(' ');
}

function knownTimeZone(tz: string): boolean {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
