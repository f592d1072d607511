/**
 * Validates manifests against the served version's openAPIV3Schema of the real CRDs in
 * crds/ (vendored, see crds/SOURCES.md), with ajv. Fields that the API server would prune (not in a structural
 * schema, no x-kubernetes-preserve-unknown-fields) are errors: a pruned field is a field
 * the cluster silently ignores.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The vendored CRDs (crds/SOURCES.md says where each comes from). */
export const CRD_DIR = path.join(ROOT, 'crds');
/** Test fixtures copied from upstream and from the seed documents (test/fixtures/SOURCES.md). */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

const CRD_FILES = [
  'dynamo/v1.5/nvidia.com_dynamographdeployments.yaml',
  'dynamo/v1.5/nvidia.com_dynamographdeploymentscalingadapters.yaml',
  'dynamo/v1.5/nvidia.com_dynamographdeploymentrequests.yaml',
  'keda/v2.20/keda.sh_scaledobjects.yaml',
  'keda/v2.20/keda.sh_triggerauthentications.yaml',
  'keda/v2.20/keda.sh_clustertriggerauthentications.yaml',
  'aibrix/v0.7.0/autoscaling.aibrix.ai_podautoscalers.yaml',
];

export interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
  readonly schema: any;
}

let crdCache: Map<string, CrdVersion> | undefined;

/** Every served version of every CRD, keyed by `apiVersion|kind`. */
export function crdVersions(): Map<string, CrdVersion> {
  if (crdCache) return crdCache;
  crdCache = new Map();
  for (const f of CRD_FILES) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, f), 'utf8'))) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        crdCache.set(`${crd.spec.group}/${v.name}|${crd.spec.names.kind}`, {
          group: crd.spec.group,
          kind: crd.spec.names.kind,
          version: v.name,
          served: v.served,
          schema: v.schema.openAPIV3Schema,
        });
      }
    }
  }
  return crdCache;
}

/**
 * Turns a Kubernetes structural schema into a JSON schema that rejects what the API
 * server would reject or prune.
 */
export function toJsonSchema(node: any, isRoot = true): any {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, false));
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-') || k === 'description' || k === 'format' || k === 'default' || k === 'example') continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as any).map(([pk, pv]) => [pk, toJsonSchema(pv, false)]));
    } else if (k === 'nullable') {
      continue;
    } else if (typeof v === 'object') {
      out[k] = toJsonSchema(v, false);
    } else {
      out[k] = v;
    }
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable && out.type) out.type = [out.type, 'null'];
  // Lists the API server treats as sets or maps: duplicates are rejected at admission.
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (node['x-kubernetes-list-type'] === 'map') {
    const keys: string[] = node['x-kubernetes-list-map-keys'] ?? [];
    // Missing key fields are defaulted before the uniqueness check (ports' protocol: TCP).
    const defaults = Object.fromEntries(keys.map((k) => [k, node.items?.properties?.[k]?.default]));
    out[LIST_MAP_KEYWORD] = { keys, defaults };
  }
  const preserves = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  if (node.type === 'object' && !preserves && node.additionalProperties === undefined) {
    // Pruning: unknown fields of a structural object are dropped by the API server.
    out.additionalProperties = false;
    if (!out.properties) out.properties = {};
    if (isRoot) {
      out.properties.apiVersion ??= { type: 'string' };
      out.properties.kind ??= { type: 'string' };
      out.properties.metadata ??= { type: 'object' };
    }
  }
  if (embedded) {
    // An embedded object (even one preserving unknown fields) is a Kubernetes object:
    // apiVersion and kind are required and metadata is validated as ObjectMeta.
    out.properties = {
      ...out.properties,
      apiVersion: { type: 'string', minLength: 1 },
      kind: { type: 'string', minLength: 1 },
      metadata: EMBEDDED_OBJECT_META,
    };
    out.required = [...new Set([...(out.required ?? []), 'apiVersion', 'kind'])];
  }
  if (isRoot && out.properties?.metadata) {
    out.properties.metadata = OBJECT_META;
  }
  return out;
}

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A label value: empty, or at most 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
/** A qualified name with an optional DNS-subdomain prefix (label and annotation keys). */
const QUALIFIED_KEY = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$';
const META_PROPERTIES = {
  name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
  namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
  labels: { type: 'object', propertyNames: { pattern: QUALIFIED_KEY }, additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE } },
  annotations: { type: 'object', propertyNames: { pattern: QUALIFIED_KEY }, additionalProperties: { type: 'string' } },
};
const OBJECT_META = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: META_PROPERTIES,
};
/** ObjectMeta of an embedded object: the name may be left to the controller that creates it. */
const EMBEDDED_OBJECT_META = {
  type: 'object',
  additionalProperties: false,
  properties: { ...META_PROPERTIES, generateName: { type: 'string' } },
};

/** ajv keyword for `x-kubernetes-list-type: map`: no two items share their key fields. */
const LIST_MAP_KEYWORD = 'k8sListMapKeys';

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addKeyword({
  keyword: LIST_MAP_KEYWORD,
  type: 'array',
  errors: true,
  validate: function listMapKeys(this: any, schema: { keys: string[]; defaults: Record<string, unknown> }, data: any[]): boolean {
    const seen = new Set<string>();
    for (const item of data) {
      if (item === null || typeof item !== 'object') continue;
      const key = JSON.stringify(schema.keys.map((k) => item[k] ?? schema.defaults[k] ?? null));
      if (seen.has(key)) {
        (listMapKeys as any).errors = [{
          keyword: LIST_MAP_KEYWORD,
          message: `has two items with the same ${schema.keys.join('+')} ${key} (x-kubernetes-list-type: map; rejected by the API server)`,
          params: { keys: schema.keys },
        }];
        return false;
      }
      seen.add(key);
    }
    return true;
  },
});
const validators = new Map<string, ValidateFunction>();

/** Compiles a Kubernetes structural schema (a CRD version's openAPIV3Schema) into a validator. */
export function compileCrdSchema(schema: any): ValidateFunction {
  return ajv.compile(toJsonSchema(schema));
}

/** The validator of `apiVersion` / `kind`, or undefined when no CRD here defines it. */
export function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion}|${kind}`;
  let v = validators.get(key);
  if (v) return v;
  const crd = crdVersions().get(key);
  if (!crd) return undefined;
  if (!crd.served) throw new Error(`${key} is not served by its CRD`);
  v = compileCrdSchema(crd.schema);
  validators.set(key, v);
  return v;
}

/**
 * Schema errors of one manifest against its CRD, as readable strings; throws when the
 * manifest's kind has no CRD here (so a test can never pass by validating nothing).
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

/** Whether a CRD in crds/ defines this manifest's kind. */
export function hasCrd(manifest: any): boolean {
  return crdVersions().has(`${manifest.apiVersion}|${manifest.kind}`);
}
