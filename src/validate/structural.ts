/**
 * Validates manifests against a CRD version's openAPIV3Schema with ajv, the way the API
 * server does: fields it would prune (not in a structural schema, no
 * x-kubernetes-preserve-unknown-fields) are errors, because a pruned field is a field
 * the cluster silently ignores; list-map keys must be unique; int32 fields hold int32s;
 * metadata is checked as ObjectMeta. Compiled validators are cached per schema.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

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
  // The API server decodes int32 fields into int32: a larger number is refused.
  if (node.type === 'integer' && node.format === 'int32') {
    out.minimum = Math.max(out.minimum ?? INT32.min, INT32.min);
    out.maximum = Math.min(out.maximum ?? INT32.max, INT32.max);
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

let ajv: Ajv | undefined;

function theAjv(): Ajv {
  if (ajv) return ajv;
  // Without code optimisation ajv compiles the big DGD schemas (embedded pod specs) in
  // about 40% of the time, and validation stays as fast: a lint run pays the compile once.
  ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
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
  return ajv;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a Kubernetes structural schema (a CRD version's openAPIV3Schema) into a validator; cached per schema object. */
export function compileCrdSchema(schema: any): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = theAjv().compile(toJsonSchema(schema));
    compiled.set(schema, v);
  }
  return v;
}

/** One schema violation of one manifest. */
export interface SchemaViolation {
  /** `schema` (type, bound, pattern, enum, required), `pruned` (unknown field) or `cel`. */
  readonly kind: 'schema' | 'pruned' | 'cel';
  /** The field path, e.g. `spec.services.decode.replicas` or `spec.components[0]`. */
  readonly path: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Turns a JSON pointer into a field path, using the data to tell list indexes from keys. */
export function pointerToPath(pointer: string, data: any): string {
  if (!pointer) return '';
  let out = '';
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) out += `[${token}]`;
    else out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(token) ? `${out ? '.' : ''}${token}` : `[${JSON.stringify(token)}]`;
    cur = cur?.[token];
  }
  return out;
}

function valueAt(pointer: string, data: any): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) cur = cur?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

/** ajv's errors as violations, with paths and values. */
export function toViolations(errors: ErrorObject[] | null | undefined, data: any): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  for (const e of errors ?? []) {
    const where = pointerToPath(e.instancePath, data);
    if (e.keyword === 'additionalProperties') {
      const field = (e.params as any).additionalProperty;
      const p = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(field) ? `${where ? `${where}.` : ''}${field}` : `${where}[${JSON.stringify(field)}]`;
      out.push({ kind: 'pruned', path: p, value: valueAt(`${e.instancePath}/${field}`, data), message: `unknown field '${field}' (the API server prunes it: it would be silently ignored)` });
      continue;
    }
    if (e.keyword === 'anyOf' || e.keyword === 'if') continue; // the branch errors say more
    let message = e.message ?? e.keyword;
    if (e.keyword === 'enum') message += `: ${((e.params as any).allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    if (e.keyword === 'required') {
      const field = (e.params as any).missingProperty;
      out.push({ kind: 'schema', path: `${where ? `${where}.` : ''}${field}`, message: `required field '${field}' is missing` });
      continue;
    }
    out.push({ kind: 'schema', path: where, value: valueAt(e.instancePath, data), message });
  }
  return out;
}
