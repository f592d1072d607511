/**
 * Evaluates a CRD's `x-kubernetes-validations` (CEL) rules against a manifest, as the
 * API server does on create, with @bufbuild/cel. Rules are collected by walking the
 * schema, so a rule added upstream is evaluated without a change here.
 *
 * On create there is no old object: transition rules (those that mention `oldSelf`)
 * are skipped, except `optionalOldSelf` rules, which run with `oldSelf.hasValue()`
 * false. Each expression is parsed and planned once and reused (a lint run evaluates
 * the same few rules on thousands of objects).
 */
import { celEnv, celFunc, celMethod, CelScalar, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** One CEL rule of a structural schema. */
export interface CelRule {
  /** Schema path, e.g. `.spec.components[]` (`[]` list items, `{}` map values). */
  readonly path: string;
  /** The CEL expression. */
  readonly rule: string;
  /** The CRD's message for a violation. */
  readonly message?: string;
  /** Whether the rule also runs on create with `oldSelf` absent. */
  readonly optionalOldSelf: boolean;
}

/** Every CEL rule of a structural schema, with where it applies. */
export function collectRules(schema: any, path = ''): CelRule[] {
  if (!schema || typeof schema !== 'object') return [];
  const rules: CelRule[] = (schema['x-kubernetes-validations'] ?? []).map((v: any) => ({
    path: path || '.',
    rule: v.rule,
    message: v.message,
    optionalOldSelf: v.optionalOldSelf === true,
  }));
  for (const [name, sub] of Object.entries(schema.properties ?? {})) rules.push(...collectRules(sub, `${path}.${name}`));
  if (schema.items) rules.push(...collectRules(schema.items, `${path}[]`));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    rules.push(...collectRules(schema.additionalProperties, `${path}{}`));
  }
  return rules;
}

/** Whether the rule compares the object with its previous version. */
export function isTransitionRule(rule: CelRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}

/** The expression that runs on create, or undefined when the rule does not run then. */
export function onCreate(rule: CelRule): string | undefined {
  if (!isTransitionRule(rule)) return rule.rule;
  if (!rule.optionalOldSelf) return undefined;
  const expr = rule.rule.replace(/\boldSelf\.hasValue\(\)/g, 'false');
  if (/\boldSelf\b/.test(expr)) throw new Error(`cannot evaluate ${rule.path} '${rule.rule}' on create: oldSelf is used beyond hasValue()`);
  return expr;
}

/** A Kubernetes quantity as a number, for the `quantity()` shim below. */
export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(q);
  if (!m) throw new Error(`invalid quantity '${q}'`);
  return Number(m[1] + (m[2] ?? '')) * (m[3] ? QUANTITY_SCALE[m[3]] : 1);
}

const QUANTITY_SCALE: Record<string, number> = Object.fromEntries([
  ...['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'].map((s, i) => [s, 10 ** (3 * (i - 3))]),
  ...['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].map((s, i) => [s, 2 ** (10 * (i + 1))]),
]);

/**
 * Functions beyond standard CEL: the strings extension (`lowerAscii`, `split`, ...)
 * and a shim of Kubernetes' quantity library, which @bufbuild/cel does not have.
 * The shim models a quantity as a double, enough for `quantity(x).isGreaterThan(...)`
 * and friends; it is exact only for values a double holds exactly.
 */
const FUNCS = [
  ...strings,
  celFunc('quantity', [CelScalar.STRING], CelScalar.DOUBLE, (q: string) => quantityValue(q)),
  celMethod('isGreaterThan', CelScalar.DOUBLE, [CelScalar.DOUBLE], CelScalar.BOOL, function (this: number, o: number) { return this > o; }),
  celMethod('isLessThan', CelScalar.DOUBLE, [CelScalar.DOUBLE], CelScalar.BOOL, function (this: number, o: number) { return this < o; }),
  celMethod('compareTo', CelScalar.DOUBLE, [CelScalar.DOUBLE], CelScalar.INT, function (this: number, o: number) {
    return BigInt(Math.sign(this - o));
  }),
];

let env: ReturnType<typeof celEnv> | undefined;
const programs = new Map<string, ((bindings: any) => unknown) | Error>();

/** Runs one expression with `self` bound; parse errors come back as an Error. */
function evaluate(expr: string, self: unknown): unknown {
  let program = programs.get(expr);
  if (program === undefined) {
    env ??= celEnv({ funcs: FUNCS });
    try {
      program = plan(env, parse(expr)) as (bindings: any) => unknown;
    } catch (e) {
      program = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expr, program);
  }
  if (program instanceof Error) return program;
  try {
    return program({ self });
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * A JSON value as CEL sees it under `schema`: integers typed `integer` (or
 * int-or-string) become CEL ints, other numbers doubles; objects become maps.
 */
export function toCel(value: any, schema: any, cache?: WeakMap<object, { schema: any; out: any }>): any {
  if (value !== null && typeof value === 'object') {
    // One object under one schema node converts once per evaluation (rules nest). A
    // YAML alias may put one object under two schema nodes: the node is part of the key.
    const hit = cache?.get(value);
    if (hit !== undefined && hit.schema === schema) return hit.out;
    let out: any;
    if (Array.isArray(value)) {
      out = value.map((v) => toCel(v, schema?.items, cache));
    } else {
      out = {};
      for (const [k, v] of Object.entries(value)) {
        const sub = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        out[k] = toCel(v, sub, cache);
      }
    }
    cache?.set(value, { schema, out });
    return out;
  }
  if (typeof value === 'number' && Number.isInteger(value) && (schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'])) {
    return BigInt(value);
  }
  return value;
}

/** One rule that evaluated to false (or could not be evaluated) at one place. */
export interface CelFailure {
  /** Where in the object, e.g. `.spec.components[1]`. */
  readonly at: string;
  /** The rule. */
  readonly rule: CelRule;
  /** `false` when the rule evaluated to false, otherwise the evaluation error. */
  readonly result: string;
}

/** What evaluating a schema's rules on one object found. */
export interface CelReport {
  /** Rules that evaluated to false or could not be evaluated. */
  readonly failures: CelFailure[];
  /** How many rule evaluations ran (one per rule per matching node). */
  readonly evaluated: number;
  /** Transition rules that do not run on create, with where they would have applied. */
  readonly skipped: CelRule[];
}

/** Runs every rule of `schema` on `object` as on create. */
export function evaluateOnCreate(schema: any, object: any): CelReport {
  const report: MutableReport = { failures: [], evaluated: 0, skipped: [], cache: new WeakMap() };
  walk(schema, object, '', '', report);
  return { failures: report.failures, evaluated: report.evaluated, skipped: report.skipped };
}

type MutableReport = { failures: CelFailure[]; evaluated: number; skipped: CelRule[]; cache: WeakMap<object, { schema: any; out: any }> };

function walk(schema: any, value: any, schemaPath: string, at: string, report: MutableReport): void {
  if (!schema || value === undefined || value === null) return;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    const rule: CelRule = { path: schemaPath || '.', rule: v.rule, message: v.message, optionalOldSelf: v.optionalOldSelf === true };
    const expr = onCreate(rule);
    if (expr === undefined) {
      report.skipped.push(rule);
      continue;
    }
    report.evaluated += 1;
    const result = evaluate(expr, toCel(value, schema, report.cache));
    if (result !== true) {
      const text = result instanceof Error ? `error: ${result.message}` : isCelError(result as any) ? `error: ${(result as any).message}` : String(result);
      report.failures.push({ at: at || '.', rule, result: text });
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(schema.items, item, `${schemaPath}[]`, `${at}[${i}]`, report));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) walk(schema.properties[k], v, `${schemaPath}.${k}`, `${at}.${k}`, report);
      else if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, v, `${schemaPath}{}`, `${at}.${k}`, report);
    }
  }
}

/** Whether any node of `schema` carries CEL rules (objects of such kinds need a CEL walk). */
export function hasCelRules(schema: any): boolean {
  return collectRules(schema).length > 0;
}
