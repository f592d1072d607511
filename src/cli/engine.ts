import { CheckOptions, CheckResult, ManifestInput, RuleInfo } from '../rules/types';

/** The rule engine as the commands use it (the tests hand in their own). */
export interface RuleEngine {
  checkManifests(inputs: ManifestInput[], options?: CheckOptions): CheckResult;
  listRules(): RuleInfo[];
}

/**
 * The library's rule engine (src/rules), loaded on first use: `--help`, `--version` and
 * usage errors do not pay for loading the rules and the CRD schemas.
 */
export function defaultEngine(): RuleEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rules: typeof import('../rules') = require('../rules');
  return { checkManifests: rules.checkManifests, listRules: rules.listRules };
}
