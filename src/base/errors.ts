import { IConstruct } from 'constructs';

/**
 * Every error a user can cause reads the same way: where (construct path), which
 * field, the value given, and what is allowed. Internal to the library (jsii cannot
 * export an Error subclass); users match on `name === 'DynamoValidationError'`.
 * @internal
 */
export class DynamoValidationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DynamoValidationError';
  }
}

/**
 * Recognise the library's validation errors (from any jsii language, where the error
 * class itself cannot be exported).
 */
export class DynamoErrors {
  /**
   * Whether `error` is a validation error thrown by this library: a bad prop, a
   * cross-construct conflict at synth, or a rule the Dynamo, KEDA, AIBrix or Kubernetes
   * admission would enforce. Its message names the construct path, the field, the value
   * and what is allowed.
   */
  public static isValidationError(error: any): boolean {
    return error instanceof Error && error.name === 'DynamoValidationError';
  }

  private constructor() {}
}

/** @internal */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(value);
  }
}

/** @internal */
export function where(scope: IConstruct | string): string {
  return typeof scope === 'string' ? scope : scope.node.path || '<root>';
}

/**
 * The message for one invalid field: `[path] field (value): rule`.
 * @internal
 */
export function invalidMessage(scope: IConstruct | string, field: string, value: unknown, rule: string): string {
  return `[${where(scope)}] '${field}' (${describeValue(value)}): ${rule}`;
}

/** @internal */
export function invalid(scope: IConstruct | string, field: string, value: unknown, rule: string): DynamoValidationError {
  return new DynamoValidationError(invalidMessage(scope, field, value, rule));
}

/**
 * A Duration as a user reads it in an error: whole seconds as `90s`, else milliseconds
 * (cdk8s's own `toHumanString` writes 2 hours as "1 hour 60 minutes").
 * @internal
 */
export function describeDuration(d: { toMilliseconds(opts?: { integral?: boolean }): number }): string {
  const ms = d.toMilliseconds({ integral: false });
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
