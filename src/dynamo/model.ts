import { BackendFramework, ServiceRole, ServiceResources } from './types';

/**
 * The version-neutral model of a DGD: what the constructs collect and what each
 * per-version renderer turns into a manifest spec. Plain data, no constructs.
 * @internal
 */
export interface DeploymentModel {
  readonly name: string;
  readonly backendFramework?: BackendFramework;
  readonly env: ReadonlyArray<EnvVarModel>;
  readonly services: ReadonlyArray<ServiceModel>;
  readonly globalDynamoNamespace: boolean;
  /** v1alpha1 only: spec.pvcs, raw. */
  readonly pvcs?: ReadonlyArray<{ [key: string]: any }>;
}

/** @internal */
export interface EnvVarModel {
  readonly name: string;
  readonly value: string;
}

/** @internal */
export interface ServiceModel {
  readonly name: string;
  readonly role: ServiceRole;
  readonly image?: string;
  /** `runtimeVersionOverride`: service level in v1alpha1, component level in v1beta1. */
  readonly runtimeVersionOverride?: string;
  readonly command?: ReadonlyArray<string>;
  readonly args?: ReadonlyArray<string>;
  readonly workingDir?: string;
  readonly env: ReadonlyArray<EnvVarModel>;
  readonly envFromSecret?: string;
  readonly resources?: ServiceResources;
  /** Rendered `replicas`, already resolved against the adapter (undefined = omit). */
  readonly replicas?: number;
  readonly multinodeNodeCount?: number;
  readonly scalingAdapterEnabled: boolean;
  /** Raw pod spec fields merged last (wire format). */
  readonly podSpec?: { [key: string]: any };
  /** Raw main-container fields merged last (wire format). */
  readonly mainContainer?: { [key: string]: any };
  /** Raw pod metadata (labels, annotations). */
  readonly podMetadata?: { [key: string]: any };
  /** v1alpha1 only: service-level volumeMounts, raw. */
  readonly volumeMounts?: ReadonlyArray<{ [key: string]: any }>;
}

/**
 * Deep merge for escape hatches: objects merge key by key, anything else (arrays
 * included) from `override` replaces what is in `base`.
 * @internal
 */
export function deepMerge(base: { [key: string]: any }, override: { [key: string]: any } | undefined): { [key: string]: any } {
  if (!override) return base;
  const out: { [key: string]: any } = { ...base };
  for (const [k, v] of Object.entries(override)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** @internal */
export function isPlainObject(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops keys whose value is undefined, so renderers can write fields inline. @internal */
export function compact<T extends { [key: string]: any }>(obj: T): T {
  // A fresh object rather than `delete`: deleting keys turns V8 objects into slow
  // dictionaries, and every rendered manifest goes through here.
  const out: { [key: string]: any } = {};
  for (const k in obj) {
    const v = obj[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** The object, or undefined when it has no keys (so renderers can leave it out). @internal */
export function nonEmpty<T extends object>(obj: T): T | undefined {
  return Object.keys(obj).length ? obj : undefined;
}
