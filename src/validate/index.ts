/**
 * Schema validation of plain manifests: custom resources against the bundled CRD
 * schemas (structural schema, pruned fields, list-map keys, CEL rules), HPAs against
 * Kubernetes' autoscaling/v2 validation. Used by the rule engine (rules DYN001-DYN004).
 */
import { ValidateFunction } from 'ajv';
import { evaluateOnCreate } from './cel';
import { hpaViolations } from './hpa';
import { crdVersions } from './schemas';
import { compileCrdSchema, SchemaViolation, toViolations } from './structural';
import { DynamoRelease } from '../core/release';

export * from './cel';
export * from './hpa';
export * from './schemas';
export * from './structural';

/** The validator of `apiVersion` / `kind`, or undefined when no bundled CRD defines it. */
export function validatorFor(apiVersion: string, kind: string, release: DynamoRelease = DynamoRelease.LATEST): ValidateFunction | undefined {
  const crd = crdVersions(release).get(`${apiVersion}|${kind}`);
  return crd ? compileCrdSchema(crd.schema) : undefined;
}

/**
 * Whether a bundled CRD defines this manifest's apiVersion and kind (newest release).
 * One argument only, so `manifests.filter(hasCrd)` works; see `hasCrdAt` for a release.
 */
export function hasCrd(manifest: any): boolean {
  return hasCrdAt(manifest, DynamoRelease.LATEST);
}

/** Whether a bundled CRD of `release` defines this manifest's apiVersion and kind. */
export function hasCrdAt(manifest: any, release: DynamoRelease): boolean {
  return crdVersions(release).has(`${manifest?.apiVersion}|${manifest?.kind}`);
}

/**
 * Schema errors of one manifest against its CRD, as readable strings
 * (`Kind/name/json/pointer: message`); throws when the manifest's kind has no CRD here
 * (so a test can never pass by validating nothing). CEL rules are not run here (see
 * `schemaViolations`). One argument only, so `manifests.map(crdErrors)` works.
 */
export function crdErrors(manifest: any): string[] {
  const validate = validatorFor(manifest.apiVersion, manifest.kind);
  if (!validate) throw new Error(`no CRD for ${manifest.apiVersion} ${manifest.kind}`);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as any).additionalProperty}' (pruned by the API server)` : '';
    return `${manifest.kind}/${manifest.metadata?.name}${e.instancePath}: ${e.message}${extra}`;
  });
}

/**
 * Every schema violation of one manifest: against its CRD (structure, pruned fields,
 * CEL rules as on create) or, for an autoscaling/v2 HPA, Kubernetes' HPA validation.
 * Undefined when nothing here knows the manifest's apiVersion and kind.
 */
export function schemaViolations(manifest: any, release: DynamoRelease = DynamoRelease.LATEST): SchemaViolation[] | undefined {
  if (manifest?.apiVersion === 'autoscaling/v2' && manifest?.kind === 'HorizontalPodAutoscaler') return hpaViolations(manifest);
  const crd = crdVersions(release).get(`${manifest?.apiVersion}|${manifest?.kind}`);
  if (!crd) return undefined;
  const validate = compileCrdSchema(crd.schema);
  const out = validate(manifest) ? [] : toViolations(validate.errors, manifest);
  // CEL runs on structurally valid objects only, so one type error is not reported again as a CEL evaluation error.
  if (out.length === 0) {
    for (const f of evaluateOnCreate(crd.schema, manifest).failures) {
      out.push({
        kind: 'cel',
        path: f.at === '.' ? '' : f.at.slice(1),
        message: `${f.rule.message ?? `rule '${f.rule.rule}' failed`}${f.result === 'false' ? '' : ` (${f.result})`}`,
      });
    }
  }
  return out;
}
