/**
 * The Dynamo runtime version of a component, as the Dynamo 1.5 operator resolves it at
 * admission: from `runtimeVersionOverride` when set, otherwise from the semantic-version
 * tag of the component's runtime image. Plain functions, no constructs, so that the
 * constructs and the rule engine (hand-written YAML) apply the same rule.
 *
 * Behaviour follows ai-dynamo/dynamo `deploy/operator/internal/runtimeversion`
 * (runtimeversion.go at 903a137d8430136c31c0f47e18d6a85a075609b8 and 373eb716, which
 * agree on everything used here) and the webhook's `runtimeVersionOverrideRequired` /
 * `runtimeVersionImageAndPath` (deploy/operator/internal/webhook/validation).
 */

/**
 * `runtimeVersionOverride` as the v1.5 CRD constrains it (both DGD API versions and DGDR):
 * `MAJOR.MINOR.PATCH`, each part 0 or 1-4 digits without a leading zero.
 * Source: crds/dynamo/v1.5/nvidia.com_dynamographdeployments.yaml.
 */
export const RUNTIME_VERSION_OVERRIDE_PATTERN = /^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$/;

/**
 * The tag shape the operator accepts as a runtime version: an optional `v`/`V`, a
 * semantic-version core, optional pre-release and build parts (the pattern of the
 * operator's `imageTagPattern`, which is SemVer 2.0.0's grammar with the prefix).
 */
const IMAGE_TAG_PATTERN = /^[vV]?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Largest value of a Go uint64: the operator's semver parser refuses larger parts. */
const UINT64_MAX = BigInt('18446744073709551615');

/** Go's `strings.TrimSpace`: Unicode white space at both ends. */
function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '');
}

/** A runtime compatibility version: the semantic-version core. */
export interface RuntimeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The outcome of parsing: a version, or why there is none. */
export type RuntimeVersionResult =
  | { readonly version: RuntimeVersion; readonly error?: undefined }
  | { readonly version?: undefined; readonly error: string };

/**
 * The tag of an image reference as the operator reads it: a digest (`@...`) is cut off
 * first, then the tag is what follows the last ':' after the last '/'. `''` when there
 * is none (a digest-only reference, a bare repository, a registry port without a tag).
 */
export function imageTag(image: string): string {
  let ref = trimSpace(image);
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  if (lastColon <= lastSlash) return '';
  return ref.slice(lastColon + 1);
}

function core(major: string, minor: string, patch: string): RuntimeVersion | undefined {
  const parts = [major, minor, patch].map((p) => BigInt(p));
  if (parts.some((p) => p > UINT64_MAX)) return undefined;
  // Parts above 2^53 cannot be compared exactly as numbers, but the CRD limits an
  // override to 4 digits and no Dynamo release comes near; keep them as numbers.
  return { major: Number(parts[0]), minor: Number(parts[1]), patch: Number(parts[2]) };
}

/**
 * The runtime version in an image's tag (`nvcr.io/.../vllm-runtime:1.5.0`,
 * `...:v1.2.3-cuda13`), or why there is none (no tag, `latest`, `my-tag`, `1.5`).
 */
export function parseImageRuntimeVersion(image: string): RuntimeVersionResult {
  // A fleet uses a handful of images thousands of times: parse each once. The results
  // are immutable; the cache is bounded (cleared when full) so that it cannot grow
  // without limit in a long-lived process.
  let result = PARSED.get(image);
  if (result === undefined) {
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    result = Object.freeze(parseUncached(image));
    PARSED.set(image, result);
  }
  return result;
}

const PARSED = new Map<string, RuntimeVersionResult>();
const PARSED_MAX = 1024;

function parseUncached(image: string): RuntimeVersionResult {
  const tag = imageTag(image);
  if (tag === '') return { error: `image ${JSON.stringify(image)} does not contain a tag` };
  const m = IMAGE_TAG_PATTERN.exec(trimSpace(tag));
  const version = m ? core(m[1], m[2], m[3]) : undefined;
  if (!version) return { error: `image tag ${JSON.stringify(tag)} must contain a semantic version such as "1.1.0"` };
  return { version: Object.freeze(version) };
}

/** Whether `value` is a valid `runtimeVersionOverride` (the CRD's pattern). */
export function isRuntimeVersionOverride(value: unknown): value is string {
  return typeof value === 'string' && RUNTIME_VERSION_OVERRIDE_PATTERN.test(value);
}

/**
 * The runtime version of a component: the override when given (authoritative), else the
 * image tag's.
 */
export function resolveRuntimeVersion(image: string, override?: string): RuntimeVersionResult {
  if (override !== undefined && override !== '') {
    const m = RUNTIME_VERSION_OVERRIDE_PATTERN.exec(override);
    if (!m) return { error: 'must be a semantic version such as "1.1.0"' };
    return { version: core(m[1], m[2], m[3])! };
  }
  return parseImageRuntimeVersion(image);
}

/** The name of the init container that carries the Dynamo runtime in sidecar mode. */
export const RUNTIME_SIDECAR_CONTAINER = 'runtime';

/** What the 1.5 runtime-version admission rule looks at, for one component. */
export interface RuntimeVersionInput {
  /** The `main` container's image (empty or undefined: none). */
  readonly mainImage?: string;
  /**
   * The image of the `runtime` init container, when the component declares one (Dynamo's
   * sidecar mode); undefined when there is no such container.
   */
  readonly sidecarRuntimeImage?: string;
  /** `runtimeVersionOverride`, if set. */
  readonly override?: string;
}

/** One admission problem: the field (relative to the component) and what is wrong. */
export interface RuntimeVersionProblem {
  readonly field: 'image' | 'runtimeVersionOverride' | 'sidecarImage';
  readonly value: unknown;
  readonly message: string;
}

/**
 * The problems a Dynamo 1.5 operator's admission finds with a new component's runtime
 * version: the `main` container needs a non-empty image; the override, when set, must
 * match the CRD's pattern; and without an override the runtime image (the `runtime` init
 * container's in sidecar mode, else `main`'s) must carry a parseable semantic-version tag.
 */
export function runtimeVersionProblems(input: RuntimeVersionInput): RuntimeVersionProblem[] {
  const problems: RuntimeVersionProblem[] = [];
  const override = input.override;
  if (override !== undefined && !isRuntimeVersionOverride(override)) {
    problems.push({
      field: 'runtimeVersionOverride',
      value: override,
      message: 'must be MAJOR.MINOR.PATCH, each part 0-9999 without leading zeros (e.g. "1.5.0")',
    });
  }
  if (input.mainImage === undefined || input.mainImage === '') {
    problems.push({
      field: 'image',
      value: input.mainImage,
      message: "Dynamo 1.5 admits a component only when its 'main' container has a non-empty image",
    });
    return problems;
  }
  if (override !== undefined) return problems;
  const sidecar = input.sidecarRuntimeImage !== undefined;
  const runtimeImage = sidecar ? input.sidecarRuntimeImage! : input.mainImage;
  const parsed = parseImageRuntimeVersion(runtimeImage);
  if (parsed.error !== undefined) {
    problems.push({
      field: sidecar ? 'sidecarImage' : 'image',
      value: runtimeImage,
      message: `${parsed.error}; Dynamo 1.5 requires 'runtimeVersionOverride' (MAJOR.MINOR.PATCH) when the ${sidecar ? "'runtime' init container's (sidecar mode)" : "'main' container's"} image has no parseable semantic-version tag (a digest, 'latest', a custom tag)`,
    });
  }
  return problems;
}

/** The first runtime version with the native (Rust) EPP, which takes no `eppConfig`. */
export const NATIVE_EPP_RUNTIME: RuntimeVersion = { major: 1, minor: 5, patch: 0 };

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b`. */
export function compareRuntimeVersions(a: RuntimeVersion, b: RuntimeVersion): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
}

/**
 * A 1.5 operator's EPP contract (`eppRuntimeCompatibilityError` in the webhook): an EPP
 * component whose runtime resolves to 1.5.0 or later must omit `eppConfig`; an older one
 * (the legacy Go EPP) must have it. Returns the problem, or undefined. An unresolvable
 * version is reported by `runtimeVersionProblems` instead.
 */
export function eppConfigProblem(version: RuntimeVersion, hasEppConfig: boolean): string | undefined {
  const native = compareRuntimeVersions(version, NATIVE_EPP_RUNTIME) >= 0;
  const v = `${version.major}.${version.minor}.${version.patch}`;
  if (native && hasEppConfig) return `an EPP with runtime ${v} (1.5.0 or later, the native EPP) must not have eppConfig`;
  if (!native && !hasEppConfig) return `an EPP with runtime ${v} (earlier than 1.5.0, the legacy Go EPP) requires eppConfig`;
  return undefined;
}
