import { checkManifests, listRules } from '../rules';
import { CheckOptions, CheckResult, ManifestInput, RuleInfo } from '../rules/types';

/** The rule engine as the commands use it (the tests hand in their own). */
export interface RuleEngine {
  checkManifests(inputs: ManifestInput[], options?: CheckOptions): CheckResult;
  listRules(): RuleInfo[];
}

/** The library's rule engine (src/rules). */
export function defaultEngine(): RuleEngine {
  return { checkManifests, listRules };
}
