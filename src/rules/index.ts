/**
 * The rule engine's public entry points. Every rule is a pure function over plain
 * manifests; docs/rules.md is generated from `listRules()`.
 */
import { RULES } from './catalog';
import { runRules } from './engine';
import { CheckOptions, CheckResult, ManifestInput, RuleInfo } from './types';

export * from './types';

/**
 * Checks a set of manifests (one app, one directory, one Helm release) against every
 * enabled rule, single-object and cross-object, and (unless `schema: false`) against
 * the bundled CRD schemas and Kubernetes' HPA validation. Linear in the number of
 * objects. Throws only for bad options (an unknown release or rule id).
 */
export function checkManifests(inputs: ManifestInput[], options: CheckOptions = {}): CheckResult {
  return runRules(RULES, inputs, options);
}

/** The documentation of every rule, in id order. */
export function listRules(): RuleInfo[] {
  return RULES.map((r) => r.info);
}

/**
 * The rule engine for jsii languages (and anyone who prefers a class): the same as
 * `checkManifests` and `listRules`.
 */
export class DynamoRules {
  /**
   * Checks manifests against every enabled rule (see `checkManifests`).
   * @param inputs the parsed objects, with where they came from
   * @param options release, default namespace, rules to enable or disable, schema validation
   */
  public static check(inputs: ManifestInput[], options?: CheckOptions): CheckResult {
    return checkManifests(inputs, options ?? {});
  }

  /** The documentation of every rule, in id order. */
  public static list(): RuleInfo[] {
    return listRules();
  }

  private constructor() {}
}
