/**
 * DYN0xx: schema validation. Custom resources against the bundled CRD schemas of the
 * chosen Dynamo release (and KEDA 2.20, AIBrix v0.7.0), HPAs against Kubernetes'
 * autoscaling/v2 validation.
 */
import { Obj, Rule, ruleInfo, Run } from './engine';
import { Severity } from './types';
import type { SchemaViolation } from '../validate';
import { bundledKinds, crdVersions, dynamoSchemaSource } from '../validate/schemas';

/**
 * The schema validators (ajv, CEL) load on the first schema check, not when the library
 * is imported: a cdk8s app that never lints does not pay for them.
 */
function schemaViolations(manifest: any, release: Run['release']): SchemaViolation[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../validate') as typeof import('../validate')).schemaViolations(manifest, release);
}

const HPA = 'autoscaling|HorizontalPodAutoscaler';

let kinds: string[] | undefined;
/** Every kind schema validation knows. */
function schemaKinds(): string[] {
  kinds ??= [...bundledKinds(), HPA];
  return kinds;
}

/** Violations per object, computed once per run (four rules share them). */
const cache = new WeakMap<Run, Map<Obj, SchemaViolation[] | undefined>>();
function violations(run: Run): Map<Obj, SchemaViolation[] | undefined> {
  let found = cache.get(run);
  if (found) return found;
  found = new Map();
  for (const key of schemaKinds()) {
    for (const obj of run.of(key)) {
      if (key === HPA && obj.version !== 'v2') continue;
      found.set(obj, schemaViolations(obj.m, run.release));
    }
  }
  cache.set(run, found);
  return found;
}

function schemaRule(id: string, title: string, description: string, fix: string, pick: (obj: Obj, v: SchemaViolation) => boolean): Rule {
  return {
    info: ruleInfo(id, Severity.ERROR, title, description, fix),
    kinds: schemaKinds(),
    schema: true,
    check: (run) => {
      for (const [obj, found] of violations(run)) {
        for (const v of found ?? []) if (pick(obj, v)) run.report(obj, v.path, v.message, v.value);
      }
    },
  };
}

const isHpa = (obj: Obj) => obj.group === 'autoscaling' && obj.kind === 'HorizontalPodAutoscaler';

/**
 * Fields Dynamo 1.5 GA added after the CRD snapshot in crds/dynamo/v1.5 (crds/SOURCES.md):
 * not pruned by a 1.5 cluster, so not reported as pruned.
 */
const GA_FIELDS = [/^spec\.components\[\d+\]\.roles$/];
const isGaField = (obj: Obj, v: SchemaViolation) => obj.group === 'nvidia.com' && obj.kind === 'DynamoGraphDeployment' && obj.version === 'v1beta1'
  && v.kind === 'pruned' && GA_FIELDS.some((re) => re.test(v.path));

/** The schema rules. */
export const SCHEMA_RULES: Rule[] = [
  schemaRule('DYN001', 'Object does not match its CRD schema',
    'The object breaks its CustomResourceDefinition\'s structural schema (a type, bound, pattern, enum or required field, an int32 out of range, a duplicate list-map key or invalid metadata): the API server refuses it.',
    'Change the field to what the schema allows (the message says what that is).',
    (obj, v) => !isHpa(obj) && v.kind === 'schema'),
  schemaRule('DYN002', 'Field is pruned by the API server',
    'The field is not in the CRD\'s structural schema, so the API server silently drops it: the setting has no effect. Usually a typo or a field of another version.',
    'Remove the field, or spell it as the schema of this apiVersion does.',
    (obj, v) => !isHpa(obj) && v.kind === 'pruned' && !isGaField(obj, v)),
  schemaRule('DYN003', 'CRD validation rule (CEL) fails',
    'One of the CRD\'s `x-kubernetes-validations` CEL rules evaluates to false on create: the API server refuses the object.',
    'Change the object so the rule holds (the message is the CRD\'s own).',
    (obj, v) => !isHpa(obj) && v.kind === 'cel'),
  schemaRule('DYN004', 'HorizontalPodAutoscaler fails Kubernetes validation',
    'The autoscaling/v2 HPA breaks Kubernetes\' own validation (replica bounds, metric targets, behavior policies, unknown fields): the API server refuses it.',
    'Fix the field as the message says (see the Kubernetes HPA API reference).',
    (obj) => isHpa(obj)),
  {
    info: ruleInfo('DYN005', Severity.ERROR, 'API version not served',
      'The object\'s kind is known but its apiVersion is not served by the CRDs of the chosen release (e.g. DynamoGraphDeployment nvidia.com/v1beta1 before Dynamo 1.5): the API server refuses it.',
      'Use an apiVersion the release serves, or pick the release you run with the release option.'),
    kinds: schemaKinds(),
    schema: true,
    check: (run) => {
      const served = crdVersions(run.release);
      for (const key of bundledKinds()) {
        const objs = run.of(key);
        if (objs.length === 0) continue;
        const versions = [...served.values()].filter((v) => `${v.group}|${v.kind}` === key).map((v) => `${v.group}/${v.version}`);
        for (const obj of objs) {
          if (served.has(`${obj.group}/${obj.version}|${obj.kind}`)) continue;
          const dynamo = obj.group === 'nvidia.com' ? ` with Dynamo ${run.release.version} (CRDs ${dynamoSchemaSource(run.release)})` : '';
          run.report(obj, 'apiVersion', `${obj.kind} is not served at this apiVersion${dynamo}: use ${versions.join(' or ') || 'a newer release'}`, `${obj.group}/${obj.version}`);
        }
      }
      for (const obj of run.of(HPA)) {
        if (obj.version.startsWith('v2beta')) run.report(obj, 'apiVersion', 'autoscaling/v2beta1 and v2beta2 are no longer served (removed in Kubernetes 1.25 and 1.26): use autoscaling/v2', `autoscaling/${obj.version}`);
      }
    },
  },
];
