/**
 * The CRD schemas the package validates with, read from the bundle that
 * scripts/bundle-schemas.ts builds from the vendored crds/ (schemas/crd-schemas.json.gz,
 * shipped in the package). Read once per process.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { DynamoRelease } from '../core/release';

/** One served version of one CRD. */
export interface CrdVersion {
  /** API group, e.g. `nvidia.com`. */
  readonly group: string;
  /** Kind, e.g. `DynamoGraphDeployment`. */
  readonly kind: string;
  /** Version, e.g. `v1beta1`. */
  readonly version: string;
  /** Whether the version is served (the bundle holds served versions only). */
  readonly served: boolean;
  /** `Namespaced` or `Cluster`. */
  readonly scope: string;
  /** The bundle source it came from, e.g. `dynamo/v1.5`. */
  readonly source: string;
  /** The version's openAPIV3Schema, without descriptions. */
  readonly schema: any;
}

/** Where the bundle is, from src/validate (ts) or lib/src/validate (compiled). */
const CANDIDATES = [
  path.join(__dirname, '..', '..', 'schemas', 'crd-schemas.json.gz'),
  path.join(__dirname, '..', '..', '..', 'schemas', 'crd-schemas.json.gz'),
];

let bundle: { sources: Record<string, any[]> } | undefined;

function loadBundle(): { sources: Record<string, any[]> } {
  if (bundle) return bundle;
  const file = CANDIDATES.find((f) => fs.existsSync(f));
  if (!file) throw new Error(`cdk8s-dynamo: the CRD schema bundle is missing (looked in ${CANDIDATES.join(', ')}); reinstall the package`);
  bundle = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  return bundle!;
}

/** The bundle source of Dynamo's CRDs for a release: the 1.5 CRDs from 1.5, else 1.0's. */
export function dynamoSchemaSource(release: DynamoRelease = DynamoRelease.LATEST): string {
  return release.atLeast(DynamoRelease.V1_5) ? 'dynamo/v1.5' : 'dynamo/v1.0';
}

const byRelease = new Map<string, Map<string, CrdVersion>>();

/**
 * Every served version of every bundled CRD that applies to `release` (Dynamo's CRDs
 * of that release; KEDA's and AIBrix's always), keyed by `apiVersion|kind`.
 */
export function crdVersions(release: DynamoRelease = DynamoRelease.LATEST): Map<string, CrdVersion> {
  const dynamo = dynamoSchemaSource(release);
  let found = byRelease.get(dynamo);
  if (found) return found;
  found = new Map();
  for (const [source, versions] of Object.entries(loadBundle().sources)) {
    if (source.startsWith('dynamo/') && source !== dynamo) continue;
    for (const v of versions) {
      found.set(`${v.group}/${v.version}|${v.kind}`, { ...v, served: true, source });
    }
  }
  byRelease.set(dynamo, found);
  return found;
}

/** Every kind (`group|kind`) any bundled CRD defines, whatever the release. */
export function bundledKinds(): Set<string> {
  const out = new Set<string>();
  for (const versions of Object.values(loadBundle().sources)) for (const v of versions) out.add(`${v.group}|${v.kind}`);
  return out;
}
