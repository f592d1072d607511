/**
 * Offline conversion of DynamoGraphDeployments between nvidia.com/v1alpha1 and
 * nvidia.com/v1beta1, following the Dynamo operator's conversion webhook (ai-dynamo/dynamo
 * deploy/operator/api/v1alpha1/dynamographdeployment_conversion.go and
 * shared_spec_conversion.go, read at 2a6da14c83617f5412caba5777dbf0e2399e9c5f). Plain
 * functions over parsed manifests.
 *
 * Where the operator keeps a field that has no place in the target version in its
 * `nvidia.com/dgd-spec` annotation, this converter reports it as a loss instead: the
 * annotation is the operator's private record, and a file meant for review should say
 * what it drops. Deliberate differences from the webhook, each lossless:
 * - components keep the input's order (the webhook sorts v1alpha1 services by name);
 * - v1beta1 -> v1alpha1 keeps an `envFrom` of one Secret as `envFromSecret`, and
 *   volume mounts with more than a name and a path (readOnly, subPath, ...) in
 *   `extraPodSpec.mainContainer.volumeMounts` rather than flattening them;
 * - `serviceName` equal to the map key is not written back (it is redundant).
 */
import { DynamoNames } from '../base/naming';
import { deepMerge, isPlainObject } from '../dynamo/model';
import { DynamoApiVersion } from '../dynamo/types';
import { checkEnvelope, serviceEntries } from '../importer/from-manifest';

/** A field that has no place in the target version. @internal */
export interface ConversionLoss {
  /** The document, e.g. `file.yaml, document 2 (line 7)`. */
  readonly where: string;
  /** The field path in the input, e.g. `spec.services.Frontend.ingress`. */
  readonly path: string;
  /** The value dropped. */
  readonly value: unknown;
  /** Why, and what to do instead. */
  readonly reason: string;
}

type Json = { [key: string]: any };
type Lose = (path: string, value: unknown, reason: string) => void;

const MAIN = 'main';
const GPU = 'nvidia.com/gpu';
const FRONTEND_SIDECAR = 'sidecar-frontend';
const SCALING_ADAPTER_KIND = 'DynamoGraphDeploymentScalingAdapter';
const API_VERSION: Record<DynamoApiVersion, string> = {
  [DynamoApiVersion.V1ALPHA1]: 'nvidia.com/v1alpha1',
  [DynamoApiVersion.V1BETA1]: 'nvidia.com/v1beta1',
};
/** Kinds whose `spec.scaleTargetRef` may point at a DGD's scaling adapter. */
const AUTOSCALER_KINDS = new Set(['HorizontalPodAutoscaler', 'ScaledObject', 'PodAutoscaler']);
/** GPU memory service and failover modes: v1alpha1 camelCase, v1beta1 PascalCase. */
const GMS_MODE_TO_BETA: Record<string, string> = { intraPod: 'IntraPod', interPod: 'InterPod' };
const GMS_MODE_TO_ALPHA: Record<string, string> = { IntraPod: 'intraPod', InterPod: 'interPod' };
/** Fields of the same name and shape in both versions, spec level. */
const SPEC_COMMON = ['annotations', 'labels', 'priorityClassName', 'backendFramework', 'restart', 'experimental', 'providerOverride'];
/** Fields of the same name and shape in both versions, service/component level. */
const SERVICE_COMMON = [
  'runtimeVersionOverride', 'globalDynamoNamespace', 'replicas', 'minAvailable', 'multinode', 'modelRef',
  'topologyConstraint', 'eppConfig', 'providerOverride',
];
/** v1alpha1 service fields v1beta1 removed, and what to do instead. */
const ALPHA_ONLY: Record<string, string> = {
  autoscaling: "deprecated and ignored by the operator; v1beta1 removed it (attach an HPA, KEDA ScaledObject or the Planner to the component's scaling adapter)",
  dynamoNamespace: 'deprecated and ignored by the operator; v1beta1 removed it (the Dynamo namespace is derived from the DGD)',
  ingress: 'v1beta1 removed it; expose the frontend with your own Service, Ingress or Gateway route',
  annotations: "v1beta1 has no component-level annotations; put pod annotations in 'podTemplate.metadata.annotations'",
  labels: "v1beta1 has no component-level labels; put pod labels in 'podTemplate.metadata.labels'",
};

/**
 * Converts one DGD to `to`; a DGD already in `to` is returned unchanged. Fields with no
 * place in the target are reported through `losses`, never dropped silently.
 * @internal
 */
export function convertDgd(manifest: any, to: DynamoApiVersion, where: string, losses: ConversionLoss[]): any {
  const from = checkEnvelope(where, manifest);
  if (from === to) return manifest;
  const at = `${where} (DynamoGraphDeployment ${JSON.stringify(manifest.metadata.name)})`;
  const lose: Lose = (path, value, reason) => losses.push({ where: at, path, value, reason });
  const spec: Json = manifest.spec ?? {};
  const entries = serviceEntries(at, from, spec);
  const metadata = convertMetadata(manifest.metadata, lose);
  const out: Json = { apiVersion: API_VERSION[to], kind: manifest.kind, metadata };
  if (manifest.spec !== undefined) {
    out.spec = to === DynamoApiVersion.V1BETA1
      ? alphaSpecToBeta(spec, entries.map((e) => alphaServiceToBeta(e.name, e.raw, e.field, lose)), lose)
      : betaSpecToAlpha(spec, entries.map((e) => [e.name, betaComponentToAlpha(e.raw, e.field, lose)] as [string, Json]), lose);
  }
  if (manifest.status !== undefined) lose('status', manifest.status, 'status is written by the operator; a converted manifest has none');
  return out;
}

function convertMetadata(meta: Json, lose: Lose): Json {
  const out = structuredClone(meta);
  for (const key of Object.keys(meta.annotations ?? {})) {
    if (key.startsWith('nvidia.com/dgd-')) {
      // The webhook's record of the other version's fields: stale once converted offline.
      lose(`metadata.annotations.${key}`, meta.annotations[key], "the operator's conversion record; offline conversion does not read it");
      delete out.annotations[key];
    }
  }
  if (out.annotations && Object.keys(out.annotations).length === 0) delete out.annotations;
  return out;
}

function copyDefined(from: Json, to: Json, keys: readonly string[]): void {
  for (const k of keys) if (from[k] !== undefined) to[k] = structuredClone(from[k]);
}

// ---------------------------------------------------------------- v1alpha1 -> v1beta1

function alphaSpecToBeta(spec: Json, components: Json[], lose: Lose): Json {
  const out: Json = {};
  copyDefined(spec, out, SPEC_COMMON);
  if (spec.topologyConstraint !== undefined) {
    const { topologyProfile, ...rest } = spec.topologyConstraint;
    out.topologyConstraint = { ...structuredClone(rest), ...(topologyProfile !== undefined ? { clusterTopologyName: topologyProfile } : {}) };
  }
  if (spec.envs !== undefined) out.env = structuredClone(spec.envs);
  if (spec.pvcs !== undefined) {
    lose('spec.pvcs', spec.pvcs, "v1beta1 removed it: create the PersistentVolumeClaims yourself and mount them through 'podTemplate.spec.volumes' and the main container's volumeMounts");
  }
  if (spec.services !== undefined) out.components = components;
  return out;
}

function alphaServiceToBeta(name: string, s: Json, field: string, lose: Lose): Json {
  const c: Json = { name };
  const promoted = s.componentType === 'worker' && (s.subComponentType === 'prefill' || s.subComponentType === 'decode');
  if (promoted) c.type = s.subComponentType;
  else if (s.componentType !== undefined) c.type = s.componentType;
  if (s.subComponentType !== undefined && !promoted) {
    lose(`${field}.subComponentType`, s.subComponentType, `v1beta1 has only 'type'; subComponentType ${JSON.stringify(s.subComponentType)} with componentType ${JSON.stringify(s.componentType)} has no type of its own`);
  }
  if (s.serviceName !== undefined && s.serviceName !== name) {
    lose(`${field}.serviceName`, s.serviceName, `v1beta1 names the component by its key ('${name}')`);
  }
  copyDefined(s, c, SERVICE_COMMON);
  for (const [k, reason] of Object.entries(ALPHA_ONLY)) if (s[k] !== undefined) lose(`${field}.${k}`, s[k], reason);
  if (s.sharedMemory !== undefined) {
    if (s.sharedMemory.disabled === true) c.sharedMemorySize = '0';
    else if (s.sharedMemory.size !== undefined) c.sharedMemorySize = s.sharedMemory.size;
  }
  const mounts: Json[] = Array.isArray(s.volumeMounts) ? s.volumeMounts : [];
  const caches = mounts.filter((m) => m.useAsCompilationCache === true);
  if (caches.length) {
    c.compilationCache = { pvcName: caches[0].name, ...(caches[0].mountPoint !== undefined ? { mountPath: caches[0].mountPoint } : {}) };
    caches.slice(1).forEach((m) => lose(`${field}.volumeMounts[${mounts.indexOf(m)}].useAsCompilationCache`, true,
      'v1beta1 has one compilationCache per component; the mount is kept, its cache flag is not'));
  }
  // Present means enabled in v1beta1; a disabled v1alpha1 adapter is simply absent.
  if (s.scalingAdapter?.enabled === true) c.scalingAdapter = {};
  const experimental = alphaExperimental(s);
  if (experimental) c.experimental = experimental;
  const podTemplate = alphaPodTemplate(s, field, lose);
  if (podTemplate) {
    c.podTemplate = podTemplate;
    if (s.frontendSidecar !== undefined) c.frontendSidecar = FRONTEND_SIDECAR;
  }
  return c;
}

function alphaExperimental(s: Json): Json | undefined {
  const exp: Json = {};
  for (const k of ['gpuMemoryService', 'failover'] as const) {
    if (s[k]?.enabled === true) {
      const { enabled: _enabled, mode, ...rest } = s[k];
      exp[k] = { ...structuredClone(rest), ...(mode !== undefined ? { mode: GMS_MODE_TO_BETA[mode] ?? mode } : {}) };
    }
  }
  if (s.checkpoint !== undefined) exp.checkpoint = structuredClone(s.checkpoint);
  return Object.keys(exp).length ? exp : undefined;
}

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** The operator's buildSharedPodTemplateFromAlpha: dedicated fields, then extraPodSpec on top. */
function alphaPodTemplate(s: Json, field: string, lose: Lose): Json | undefined {
  const mounts: Json[] = Array.isArray(s.volumeMounts) ? s.volumeMounts : [];
  const eps: Json = isPlainObject(s.extraPodSpec) ? s.extraPodSpec : {};
  const hasContent = s.resources !== undefined || nonEmpty(s.envs) || nonEmpty(s.envFromSecret)
    || mounts.some((m) => m.useAsCompilationCache !== true) || s.livenessProbe !== undefined || s.readinessProbe !== undefined
    || Object.keys(eps).length > 0 || s.extraPodMetadata !== undefined || s.frontendSidecar !== undefined;
  if (!hasContent) return undefined;

  const metadata: Json = {};
  for (const k of ['annotations', 'labels'] as const) {
    if (nonEmpty(s.extraPodMetadata?.[k])) metadata[k] = structuredClone(s.extraPodMetadata[k]);
  }
  const { mainContainer, ...pod } = structuredClone(eps);
  let main: Json = { name: MAIN };
  const resources = alphaResourcesToNative(s.resources);
  if (resources) main.resources = resources;
  if (nonEmpty(s.envs)) main.env = structuredClone(s.envs);
  if (nonEmpty(s.envFromSecret)) main.envFrom = [{ secretRef: { name: s.envFromSecret } }];
  if (s.livenessProbe !== undefined) main.livenessProbe = structuredClone(s.livenessProbe);
  if (s.readinessProbe !== undefined) main.readinessProbe = structuredClone(s.readinessProbe);
  const dedicatedMounts = mounts.map((m) => ({ name: m.name, ...(m.mountPoint !== undefined ? { mountPath: m.mountPoint } : {}) }));
  if (isPlainObject(mainContainer)) {
    const { name: _name, env, volumeMounts, ...rest } = mainContainer;
    if (nonEmpty(rest.envFrom) && main.envFrom) {
      lose(`${field}.envFromSecret`, s.envFromSecret,
        "extraPodSpec.mainContainer.envFrom replaces it in the operator's merge; add the Secret to that envFrom list to keep it");
    }
    // extraPodSpec.mainContainer wins, except env (merged by name) and volume mounts (added).
    main = deepMerge(main, Object.fromEntries(Object.entries(rest).filter(([, v]) => nonEmpty(v))));
    const mergedEnv = mergeEnvs(main.env ?? [], Array.isArray(env) ? env : []);
    if (mergedEnv.length) main.env = mergedEnv;
    const allMounts = [...(Array.isArray(volumeMounts) ? structuredClone(volumeMounts) : []), ...dedicatedMounts];
    if (allMounts.length) main.volumeMounts = allMounts;
  } else if (dedicatedMounts.length) {
    main.volumeMounts = dedicatedMounts;
  }
  main.name = MAIN;
  const others: Json[] = Array.isArray(pod.containers) ? pod.containers : [];
  others.forEach((c, i) => {
    if (c?.name === MAIN) {
      lose(`${field}.extraPodSpec.containers[${i}]`, c, "a container named 'main' is replaced by the main container in v1beta1 (as the operator does); configure it through extraPodSpec.mainContainer");
    }
  });
  const containers = [main, ...others.filter((c) => c?.name !== MAIN)];
  if (s.frontendSidecar !== undefined && !containers.some((c) => c.name === FRONTEND_SIDECAR)) {
    const fs = s.frontendSidecar;
    const sidecar: Json = { name: FRONTEND_SIDECAR, image: fs.image };
    if (nonEmpty(fs.args)) sidecar.args = structuredClone(fs.args);
    if (nonEmpty(fs.envs)) sidecar.env = structuredClone(fs.envs);
    if (nonEmpty(fs.envFromSecret)) sidecar.envFrom = [{ secretRef: { name: fs.envFromSecret } }];
    containers.push(sidecar);
  }
  const tpl: Json = {};
  if (Object.keys(metadata).length) tpl.metadata = metadata;
  const { containers: _replaced, ...podRest } = pod;
  tpl.spec = { containers: containers.map((c) => (c.name === MAIN ? ordered(c, MAIN_KEY_ORDER) : c)), ...podRest };
  return tpl;
}

/** The main container's keys in the order people write them. */
const MAIN_KEY_ORDER = ['name', 'image', 'workingDir', 'command', 'args', 'env', 'envFrom', 'resources'];

/** `obj` with `order`'s keys first (those present), then the rest as they were. */
function ordered(obj: Json, order: readonly string[]): Json {
  const out: Json = {};
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out;
}

/** Dedicated env first, the main container's on top by name (the operator's mergeEnvs). */
function mergeEnvs(common: Json[], specific: Json[]): Json[] {
  const out: Json[] = [];
  const seen = new Map<string, number>();
  for (const e of [...common, ...specific]) {
    const i = seen.get(e?.name);
    if (i !== undefined) {
      out[i] = structuredClone(e);
      continue;
    }
    seen.set(e?.name, out.length);
    out.push(structuredClone(e));
  }
  return out;
}

function alphaResourcesToNative(res: unknown): Json | undefined {
  if (!isPlainObject(res)) return undefined;
  const out: Json = {};
  if (nonEmpty(res.claims)) out.claims = structuredClone(res.claims);
  for (const k of ['requests', 'limits'] as const) {
    const item = res[k];
    if (!isPlainObject(item)) continue;
    const list: Json = {};
    if (nonEmpty(item.cpu)) list.cpu = item.cpu;
    if (nonEmpty(item.memory)) list.memory = item.memory;
    if (nonEmpty(item.gpu)) list[nonEmpty(item.gpuType) ? item.gpuType : GPU] = item.gpu;
    for (const [name, q] of Object.entries(item.custom ?? {})) list[name] = q;
    if (Object.keys(list).length) out[k] = list;
  }
  return Object.keys(out).length ? out : undefined;
}

// ---------------------------------------------------------------- v1beta1 -> v1alpha1

function betaSpecToAlpha(spec: Json, services: Array<[string, Json]>, _lose: Lose): Json {
  const out: Json = {};
  copyDefined(spec, out, SPEC_COMMON);
  if (spec.topologyConstraint !== undefined) {
    const { clusterTopologyName, ...rest } = spec.topologyConstraint;
    out.topologyConstraint = { ...structuredClone(rest), ...(clusterTopologyName !== undefined ? { topologyProfile: clusterTopologyName } : {}) };
  }
  if (spec.env !== undefined) out.envs = structuredClone(spec.env);
  if (spec.components !== undefined) out.services = Object.fromEntries(services);
  return out;
}

const QUANTITY_ZERO = /^[+-]?(0+\.?0*|\.0+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

function betaComponentToAlpha(c: Json, field: string, lose: Lose): Json {
  const s: Json = {};
  if (c.type === 'prefill' || c.type === 'decode') {
    s.componentType = 'worker';
    s.subComponentType = c.type;
  } else if (c.type !== undefined) {
    s.componentType = c.type;
  }
  copyDefined(c, s, SERVICE_COMMON);
  if (c.sharedMemorySize !== undefined) {
    s.sharedMemory = c.sharedMemorySize === 0 || QUANTITY_ZERO.test(String(c.sharedMemorySize)) ? { disabled: true } : { size: c.sharedMemorySize };
  }
  const flatMounts: Json[] = [];
  if (c.compilationCache !== undefined) {
    const cc = c.compilationCache;
    flatMounts.push({ name: cc.pvcName, ...(cc.mountPath !== undefined ? { mountPoint: cc.mountPath } : {}), useAsCompilationCache: true });
  }
  if (c.scalingAdapter !== undefined) s.scalingAdapter = { enabled: true };
  if (c.experimental !== undefined) {
    const { gpuMemoryService, failover, checkpoint, ...rest } = c.experimental;
    for (const [k, v] of [['gpuMemoryService', gpuMemoryService], ['failover', failover]] as const) {
      if (v === undefined) continue;
      const { mode, ...fields } = v;
      s[k] = { enabled: true, ...structuredClone(fields), ...(mode !== undefined ? { mode: GMS_MODE_TO_ALPHA[mode] ?? mode } : {}) };
    }
    if (checkpoint !== undefined) s.checkpoint = structuredClone(checkpoint);
    for (const [k, v] of Object.entries(rest)) lose(`${field}.experimental.${k}`, v, 'v1alpha1 has no such field');
  }
  betaPodTemplate(c, s, flatMounts, field, lose);
  if (flatMounts.length) s.volumeMounts = flatMounts;
  return s;
}

/** The operator's decomposePodTemplateFromHub. */
function betaPodTemplate(c: Json, s: Json, flatMounts: Json[], field: string, lose: Lose): void {
  const tpl = c.podTemplate;
  if (!isPlainObject(tpl)) {
    if (c.frontendSidecar !== undefined) lose(`${field}.frontendSidecar`, c.frontendSidecar, 'names no container of the pod template');
    return;
  }
  const { metadata = {}, spec = {}, ...tplRest } = structuredClone(tpl);
  for (const [k, v] of Object.entries(tplRest)) lose(`${field}.podTemplate.${k}`, v, 'v1alpha1 has no such field');
  const podMeta: Json = {};
  for (const [k, v] of Object.entries(metadata)) {
    if ((k === 'labels' || k === 'annotations')) {
      if (nonEmpty(v)) podMeta[k] = v;
    } else {
      lose(`${field}.podTemplate.metadata.${k}`, v, "v1alpha1's extraPodMetadata has only labels and annotations");
    }
  }
  if (Object.keys(podMeta).length) s.extraPodMetadata = podMeta;
  const containers: Json[] = Array.isArray(spec.containers) ? spec.containers : [];
  const mainIndex = containers.findIndex((x) => x?.name === MAIN);
  let others = containers.filter((_, i) => i !== mainIndex);
  if (c.frontendSidecar !== undefined) {
    const i = others.findIndex((x) => x?.name === c.frontendSidecar);
    if (i >= 0) {
      const { name, image, args, env, envFrom, ...rest } = others[i];
      const fs: Json = { image };
      if (args !== undefined) fs.args = args;
      if (env !== undefined) fs.envs = env;
      const secret = oneSecret(envFrom);
      if (secret !== undefined) fs.envFromSecret = secret;
      else if (envFrom !== undefined) lose(`${field}.podTemplate.spec.containers[${containers.indexOf(others[i])}].envFrom`, envFrom, "v1alpha1's frontendSidecar takes one Secret (envFromSecret)");
      for (const [k, v] of Object.entries(rest)) lose(`${field}.podTemplate.spec.containers[${containers.indexOf(others[i])}].${k}`, v, "v1alpha1's frontendSidecar has only image, args, envs and envFromSecret");
      if (name !== FRONTEND_SIDECAR) lose(`${field}.frontendSidecar`, name, `v1alpha1 names the frontend sidecar container '${FRONTEND_SIDECAR}'`);
      s.frontendSidecar = fs;
      others = others.filter((_, j) => j !== i);
    } else {
      lose(`${field}.frontendSidecar`, c.frontendSidecar, 'names no container of the pod template');
    }
  }
  const eps: Json = {};
  const { containers: _containers, ...podRest } = spec;
  Object.assign(eps, podRest);
  if (others.length) eps.containers = others;
  if (mainIndex >= 0) {
    const { name: _name, resources, volumeMounts, env, envFrom, livenessProbe, readinessProbe, ...rest } = containers[mainIndex];
    const res = nativeResourcesToAlpha(resources);
    if (res) s.resources = res;
    else if (resources !== undefined && nonEmpty(resources)) rest.resources = resources;
    if (nonEmpty(env)) s.envs = env;
    const secret = oneSecret(envFrom);
    if (secret !== undefined) s.envFromSecret = secret;
    else if (envFrom !== undefined) rest.envFrom = envFrom;
    if (livenessProbe !== undefined) s.livenessProbe = livenessProbe;
    if (readinessProbe !== undefined) s.readinessProbe = readinessProbe;
    const kept: Json[] = [];
    for (const m of Array.isArray(volumeMounts) ? volumeMounts : []) {
      const plain = isPlainObject(m) && Object.keys(m).every((k) => k === 'name' || k === 'mountPath');
      if (!plain) {
        kept.push(m);
        continue;
      }
      if (!flatMounts.some((f) => f.name === m.name && f.mountPoint === m.mountPath)) {
        flatMounts.push({ name: m.name, ...(m.mountPath !== undefined ? { mountPoint: m.mountPath } : {}) });
      }
    }
    if (kept.length) rest.volumeMounts = kept;
    if (Object.keys(rest).length) eps.mainContainer = rest;
  }
  if (Object.keys(eps).length) s.extraPodSpec = eps;
}

function oneSecret(envFrom: unknown): string | undefined {
  if (!Array.isArray(envFrom) || envFrom.length !== 1) return undefined;
  const e = envFrom[0];
  if (!isPlainObject(e) || Object.keys(e).length !== 1 || !isPlainObject(e.secretRef)) return undefined;
  return Object.keys(e.secretRef).length === 1 && typeof e.secretRef.name === 'string' && e.secretRef.name !== '' ? e.secretRef.name : undefined;
}

function nativeResourcesToAlpha(res: unknown): Json | undefined {
  if (!isPlainObject(res)) return undefined;
  if (Object.keys(res).some((k) => k !== 'requests' && k !== 'limits' && k !== 'claims')) return undefined;
  const out: Json = {};
  for (const k of ['requests', 'limits'] as const) {
    const list = res[k];
    if (!isPlainObject(list) || Object.keys(list).length === 0) continue;
    const item: Json = {};
    for (const [name, q] of Object.entries(list)) {
      const v = String(q);
      if (name === 'cpu' || name === 'memory') item[name] = v;
      else if (name === GPU) item.gpu = v;
      else (item.custom ??= {})[name] = v;
    }
    out[k] = item;
  }
  if (nonEmpty(res.claims)) out.claims = res.claims;
  return Object.keys(out).length ? out : undefined;
}

// ---------------------------------------------------------------- autoscalers

/** `namespace/adapter name` of every service of the DGDs, with the DGD's apiVersion. @internal */
export function adapterVersions(dgds: any[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of dgds) {
    const names: string[] = Array.isArray(d.spec?.components)
      ? d.spec.components.map((c: any) => c?.name)
      : Object.keys(d.spec?.services ?? {});
    for (const n of names) {
      if (typeof n === 'string') out.set(`${d.metadata?.namespace ?? ''}/${DynamoNames.adapterName(d.metadata?.name, n)}`, d.apiVersion);
    }
  }
  return out;
}

/**
 * The apiVersion an autoscaler's `scaleTargetRef` should carry so it follows the DGD
 * whose adapter it targets, or undefined when it targets no adapter of `adapters`.
 * @internal
 */
export function retargetedApiVersion(manifest: any, adapters: Map<string, string>): string | undefined {
  if (!isPlainObject(manifest) || !AUTOSCALER_KINDS.has(manifest.kind)) return undefined;
  const ref = manifest.spec?.scaleTargetRef;
  if (!isPlainObject(ref) || ref.kind !== SCALING_ADAPTER_KIND) return undefined;
  const version = adapters.get(`${manifest.metadata?.namespace ?? ''}/${ref.name}`);
  return version !== undefined && version !== ref.apiVersion ? version : undefined;
}
