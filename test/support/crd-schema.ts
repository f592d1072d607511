/**
 * The CRD validator moved to src/validate (it validates with the bundled schemas,
 * schemas/crd-schemas.json.gz, built from crds/); re-exported for the tests, with the
 * repository paths the tests read fixtures from.
 */
import * as path from 'path';

export type { CrdVersion } from '../../src/validate';
export {
  crdVersions, toJsonSchema, compileCrdSchema, validatorFor, crdErrors, hasCrd, hasCrdAt, hpaRuleErrors, hpaViolations, schemaViolations,
} from '../../src/validate';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The vendored CRDs (crds/SOURCES.md says where each comes from). */
export const CRD_DIR = path.join(ROOT, 'crds');
/** Test fixtures copied from upstream and from the seed documents (test/fixtures/SOURCES.md). */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
