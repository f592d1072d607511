/**
 * Builds schemas/crd-schemas.json.gz from the vendored CRDs in crds/: the served
 * versions' openAPIV3Schema of every CRD, with the prose (descriptions, examples)
 * dropped and everything validation needs kept (types, bounds, patterns, enums,
 * defaults, x-kubernetes-* markers, CEL rules). The published package validates with
 * this bundle; crds/ itself is not shipped.
 *
 *   ts-node --transpile-only scripts/bundle-schemas.ts          write the bundle
 *   ts-node --transpile-only scripts/bundle-schemas.ts --check  fail if it is stale
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..');
export const CRD_DIR = path.join(ROOT, 'crds');
export const BUNDLE_FILE = path.join(ROOT, 'schemas', 'crd-schemas.json.gz');

/** One served version of one CRD, as the bundle stores it. */
export interface BundledVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly scope: string;
  readonly schema: any;
}

/** The bundle: CRD versions by source folder (`dynamo/v1.5`, `keda/v2.20`, ...). */
export interface SchemaBundle {
  readonly format: 1;
  readonly sources: Record<string, BundledVersion[]>;
}

/** Keys of a schema node that only document it. */
const PROSE = new Set(['description', 'example', 'externalDocs']);

/** A structural schema node without its prose; property maps keep every property name. */
export function stripSchema(node: any): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (PROSE.has(k) && typeof v !== 'object') continue;
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v as any).map(([pk, pv]) => [pk, stripSchema(pv)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
      out[k] = typeof v === 'object' && v !== null ? stripSchema(v) : v;
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = (v as any[]).map(stripSchema);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** The bundle's content, from the CRD files under `crdDir` (sorted, so it is reproducible). */
export function buildSchemaBundle(crdDir = CRD_DIR): SchemaBundle {
  const sources: Record<string, BundledVersion[]> = {};
  for (const product of fs.readdirSync(crdDir).sort()) {
    const productDir = path.join(crdDir, product);
    if (!fs.statSync(productDir).isDirectory()) continue;
    for (const release of fs.readdirSync(productDir).sort()) {
      const dir = path.join(productDir, release);
      const versions: BundledVersion[] = [];
      for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
          const crd = doc.toJS();
          if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
          for (const v of crd.spec.versions) {
            if (!v.served) continue;
            versions.push({
              group: crd.spec.group,
              kind: crd.spec.names.kind,
              version: v.name,
              scope: crd.spec.scope,
              schema: stripSchema(v.schema.openAPIV3Schema),
            });
          }
        }
      }
      sources[`${product}/${release}`] = versions;
    }
  }
  return { format: 1, sources };
}

/** The gzipped, minified bundle. */
export function encodeBundle(bundle: SchemaBundle): Buffer {
  return zlib.gzipSync(Buffer.from(JSON.stringify(bundle)), { level: 9 });
}

if (require.main === module) {
  const fresh = buildSchemaBundle();
  if (process.argv.includes('--check')) {
    const current = JSON.parse(zlib.gunzipSync(fs.readFileSync(BUNDLE_FILE)).toString('utf8'));
    if (JSON.stringify(current) !== JSON.stringify(fresh)) {
      console.error(`${path.relative(ROOT, BUNDLE_FILE)} is stale: run 'npx projen bundle-schemas'`);
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(BUNDLE_FILE), { recursive: true });
    const data = encodeBundle(fresh);
    fs.writeFileSync(BUNDLE_FILE, data);
    console.log(`${path.relative(ROOT, BUNDLE_FILE)}: ${data.length} bytes`);
  }
}
