/**
 * Cron expressions as KEDA's cron scaler reads them (5 fields: minute hour
 * day-of-month month day-of-week). Plain functions, no constructs.
 */

const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

/** A cron expression that KEDA would refuse: what is wrong. */
export interface CronProblem {
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** The problem with `spec` as a KEDA cron schedule, or undefined when it parses. */
export function cronProblem(spec: unknown): CronProblem | undefined {
  const fields = typeof spec === 'string' ? spec.trim().split(/\s+/) : [];
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    return { message: "must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 8 * * 1-5'" };
  }
  return undefined;
}

/** `spec` with its fields separated by single spaces (the same schedule). */
export function normalizeCron(spec: string): string {
  return spec.trim().split(/\s+/).join(' ');
}
