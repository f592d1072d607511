import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  OBJECT_FIELDS, V1ALPHA1_SERVICE_FIELDS, V1ALPHA1_SPEC_FIELDS, V1BETA1_COMPONENT_FIELDS, V1BETA1_SPEC_FIELDS,
} from './fields';
import { jsonEqual } from './json';
import { invalid } from '../base/errors';
import { DynamoGraphDeployment, DGD_KIND, DynamoGraphDeploymentProps } from '../dynamo/deployment';
import { isPlainObject } from '../dynamo/model';
import { DynamoPlanner, plannerServiceMode, servicesForMode } from '../dynamo/planner';
import { V1ALPHA1_RENDERER, V1BETA1_RENDERER } from '../dynamo/render';
import { DynamoServiceOptions } from '../dynamo/service';
import { DynamoApiVersion, ResourceAmounts, ServiceResources, ServiceRole } from '../dynamo/types';

/** The API versions of a DGD this library reads, by `apiVersion` string. */
export const DGD_API_VERSIONS: Record<string, DynamoApiVersion> = {
  'nvidia.com/v1alpha1': DynamoApiVersion.V1ALPHA1,
  'nvidia.com/v1beta1': DynamoApiVersion.V1BETA1,
};

const MAIN_CONTAINER = 'main';
const GPU_RESOURCE = 'nvidia.com/gpu';
/** v1beta1 resource names with a typed field of their own (or refused as custom names). */
const TYPED_RESOURCE_NAMES = new Set(['cpu', 'memory', GPU_RESOURCE, 'gpu']);
/** A GPU count exactly as the renderers write it back (`String(n)`). */
const GPU_COUNT = /^(0|[1-9][0-9]*)$/;
/** Metadata the API server writes (what `kubectl get -o yaml` shows), never applied. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
/** Service fields that follow the adapter (autoscalers attach later): never patched raw. */
const DYNAMIC_SERVICE_FIELDS = new Set(['replicas', 'scalingAdapter']);

/**
 * One import: the DGD it built and the library's documented changes it made
 * (each naming the field).
 * @internal
 */
export interface ImportedDeployment {
  readonly deployment: DynamoGraphDeployment;
  readonly warnings: string[];
  /** What was built, for code generation: the props, each service's options, the raw patches. */
  readonly plan: ImportPlan;
}

/** The calls that rebuild an imported DGD. @internal */
export interface ImportPlan {
  readonly props: DynamoGraphDeploymentProps;
  readonly services: Array<{ readonly name: string; readonly options: DynamoServiceOptions }>;
  readonly patches: RawPatch[];
  /** Each Planner service and the services its mode scales (`DynamoPlanner.adoptService`). */
  readonly planners: Array<{ readonly service: string; readonly mode: string; readonly how: string; readonly manages: string[] }>;
}

/** One JSON patch, as data. @internal */
export interface RawPatch {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

/** Where a manifest came from, for messages (`file.yaml, document 2`). @internal */
export interface ImportSource {
  readonly where?: string;
}

const WARNINGS = new WeakMap<DynamoGraphDeployment, string[]>();

/** The warnings recorded when `deployment` was imported (empty for code-built DGDs). @internal */
export function importWarningsOf(deployment: DynamoGraphDeployment): string[] {
  return [...(WARNINGS.get(deployment) ?? [])];
}

/**
 * The DGD apiVersion of `manifest`, or undefined when it is not a DGD.
 * @internal
 */
export function dgdVersionOf(manifest: any): DynamoApiVersion | undefined {
  if (!isPlainObject(manifest) || manifest.kind !== DGD_KIND) return undefined;
  return DGD_API_VERSIONS[manifest.apiVersion];
}

/**
 * Parses a v1alpha1 or v1beta1 DGD manifest into the library's model under `scope`.
 * Typed where the model has a field, escape hatches (podSpec, mainContainer,
 * podMetadata, raw JSON patches) for the rest, so that the DGD synthesizes back to
 * `manifest` except for the documented changes listed in the warnings.
 * @internal
 */
export function importDeployment(scope: Construct, id: string, manifest: any, source: ImportSource = {}): ImportedDeployment {
  const doc = source.where ?? `${scope.node.path ? scope.node.path + '/' : ''}${id}`;
  const version = checkEnvelope(doc, manifest);
  const warnings: string[] = [];
  const spec = structuredClone(manifest.spec ?? {});
  const meta = structuredClone(manifest.metadata);
  const at = `${doc} (${DGD_KIND} ${JSON.stringify(meta.name)})`;
  if (manifest.status !== undefined) {
    warnings.push(`${at}: 'status' left out: it is written by the operator, not applied`);
  }

  const entries = serviceEntries(at, version, spec);
  for (const e of entries) dropDocumentedChanges(at, version, e, warnings);

  const global = entries.length > 0 && entries.every((e) => e.raw.globalDynamoNamespace === true);
  const envKey = version === DynamoApiVersion.V1ALPHA1 ? 'envs' : 'env';
  const env = plainEnv(spec[envKey]);
  const props: DynamoGraphDeploymentProps = {
    name: meta.name,
    namespace: meta.namespace,
    apiVersion: version,
    backendFramework: spec.backendFramework,
    labels: meta.labels,
    annotations: meta.annotations,
    env,
    globalDynamoNamespace: global || undefined,
    pvcs: version === DynamoApiVersion.V1ALPHA1 && Array.isArray(spec.pvcs) && spec.pvcs.length ? spec.pvcs : undefined,
  };
  const deployment = new DynamoGraphDeployment(scope, id, props);
  const services: ImportPlan['services'] = [];
  for (const e of entries) {
    const options = version === DynamoApiVersion.V1ALPHA1 ? alphaServiceOptions(at, e) : betaComponentOptions(at, e);
    deployment.addService(e.name, options);
    services.push({ name: e.name, options });
  }

  // Everything the typed model did not reproduce is kept raw, field by field.
  const patches: RawPatch[] = [];
  for (const [k, v] of Object.entries(meta)) {
    if (['name', 'namespace', 'labels', 'annotations'].includes(k)) continue;
    if (SERVER_METADATA.includes(k)) {
      warnings.push(`${at}: 'metadata.${k}' left out: written by the API server, not applied`);
      continue;
    }
    patches.push({ op: 'add', path: `/metadata/${pointer(k)}`, value: v });
  }
  const rendered = (version === DynamoApiVersion.V1ALPHA1 ? V1ALPHA1_RENDERER : V1BETA1_RENDERER).renderSpec(deployment._toModel());
  const listKey = version === DynamoApiVersion.V1ALPHA1 ? 'services' : 'components';
  diffInto(patches, '/spec', spec, rendered, (k) => k === listKey);
  entries.forEach((e, i) => {
    const base = version === DynamoApiVersion.V1ALPHA1 ? `/spec/services/${pointer(e.name)}` : `/spec/components/${i}`;
    const out = version === DynamoApiVersion.V1ALPHA1 ? rendered.services[e.name] : rendered.components[i];
    diffInto(patches, base, e.raw, out, (k) => DYNAMIC_SERVICE_FIELDS.has(k));
    for (const k of DYNAMIC_SERVICE_FIELDS) {
      if (!jsonEqual(e.raw[k], out[k])) {
        // Cannot happen for input that passed the checks above; a raw patch here would
        // fight the scaling adapter, so say so rather than emit a wrong DGD.
        throw invalid(`${at} ${listKey}.${e.name}`, k, e.raw[k], `could not be imported (the library renders ${JSON.stringify(out[k])})`);
      }
    }
  });
  if (patches.length) {
    deployment.apiObject.addJsonPatch(...patches.map((p) => (p.op === 'remove' ? JsonPatch.remove(p.path) : JsonPatch[p.op](p.path, p.value))));
  }
  const planners = adoptPlanners(deployment, at, warnings);
  WARNINGS.set(deployment, warnings);
  warnWhenAutoscaled(deployment, at, entries, warnings);
  return { deployment, warnings, plan: { props: compactProps(props), services, patches, planners } };
}

/**
 * Each Planner service scales the services its mode names (the `mode` of its
 * `--config`, or `--mode`; disagg when it has none): they become the Planner's, so the
 * library refuses another autoscaler on them, as the lint rule DYN603 does on YAML.
 */
function adoptPlanners(deployment: DynamoGraphDeployment, at: string, warnings: string[]): ImportPlan['planners'] {
  const out: Array<ImportPlan['planners'][number]> = [];
  for (const planner of deployment.services.filter((s) => s.role === ServiceRole.PLANNER)) {
    const { mode, how } = plannerServiceMode(planner);
    const manages = servicesForMode(deployment, mode);
    try {
      DynamoPlanner.adoptService(planner, manages);
      out.push({ service: planner.serviceName, mode, how, manages: manages.map((s) => s.serviceName) });
    } catch (e: any) {
      warnings.push(`${at}: the Planner '${planner.serviceName}' runs mode ${mode} (${how}), but the DGD's services of the roles it scales are ${manages.length ? manages.map((s) => `'${s.serviceName}' (${s.role})`).join(', ') : 'none'}: no service is marked as the Planner's (${String(e?.message ?? e).replace(/^\[[^\]]*\] /, '')})`);
    }
  }
  return out;
}

/**
 * An autoscaler bound after the import takes `replicas` out of the manifest (the
 * library's rule for adapter-owned services): say so at synth, naming the field.
 */
function warnWhenAutoscaled(deployment: DynamoGraphDeployment, at: string, entries: ServiceEntry[], warnings: string[]): void {
  const replicas = entries.filter((e) => e.raw.replicas !== undefined);
  if (replicas.length === 0) return;
  deployment.node.addValidation({
    validate: () => {
      for (const e of replicas) {
        if (deployment.service(e.name).renderedReplicas !== undefined) continue;
        const message = `${at}: '${e.field}.replicas' (${e.raw.replicas}) left out: an autoscaler now owns the count through the service's scaling adapter`;
        if (warnings.includes(message)) continue;
        warnings.push(message);
        // cdk8s has no warning channel (the library prints its other synth-time warnings the same way).
        console.warn(`[cdk8s-dynamo] warning: ${message}`);
      }
      return [];
    },
  });
}

function compactProps<T extends object>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as T;
}

/** One service of the input, whatever the version, with its own copy of the fields. @internal */
export interface ServiceEntry {
  readonly name: string;
  readonly raw: { [key: string]: any };
  readonly field: string;
}

/** Checks that `manifest` is a DGD of a known version without unknown fields. @internal */
export function checkEnvelope(doc: string, manifest: any): DynamoApiVersion {
  if (!isPlainObject(manifest)) {
    throw invalid(doc, 'document', manifest, `is not a Kubernetes object; expected a ${DGD_KIND}`);
  }
  if (manifest.kind !== DGD_KIND) {
    throw invalid(doc, 'kind', manifest.kind, `is not a ${DGD_KIND} (apiVersion ${JSON.stringify(manifest.apiVersion)})`);
  }
  const version = DGD_API_VERSIONS[manifest.apiVersion];
  if (version === undefined) {
    throw invalid(doc, 'apiVersion', manifest.apiVersion, `must be one of ${Object.keys(DGD_API_VERSIONS).join(', ')}`);
  }
  const meta = manifest.metadata;
  if (!isPlainObject(meta) || typeof meta.name !== 'string') {
    throw invalid(doc, 'metadata.name', meta?.name, 'a DGD needs a name');
  }
  const at = `${doc} (${DGD_KIND} ${JSON.stringify(meta.name)})`;
  unknownFields(at, '', manifest, OBJECT_FIELDS, 'a Kubernetes object');
  if (manifest.spec !== undefined && !isPlainObject(manifest.spec)) throw invalid(at, 'spec', manifest.spec, 'must be an object');
  const specFields = version === DynamoApiVersion.V1ALPHA1 ? V1ALPHA1_SPEC_FIELDS : V1BETA1_SPEC_FIELDS;
  unknownFields(at, 'spec.', manifest.spec ?? {}, specFields, `the spec of a ${manifest.apiVersion} ${DGD_KIND}`);
  return version;
}

function unknownFields(at: string, prefix: string, obj: { [key: string]: any }, known: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) {
      throw invalid(at, `${prefix}${k}`, obj[k], `unknown field: ${what} has ${known.join(', ')}`);
    }
  }
}

/** The services (v1alpha1) or components (v1beta1) of a DGD spec, checked for unknown fields. @internal */
export function serviceEntries(at: string, version: DynamoApiVersion, spec: { [key: string]: any }): ServiceEntry[] {
  if (version === DynamoApiVersion.V1ALPHA1) {
    const services = spec.services ?? {};
    if (!isPlainObject(services)) throw invalid(at, 'spec.services', services, 'must be a map of service name to service');
    return Object.entries(services).map(([name, raw]) => {
      const field = `spec.services.${name}`;
      if (!isPlainObject(raw)) throw invalid(at, field, raw, 'must be an object');
      unknownFields(at, `${field}.`, raw, V1ALPHA1_SERVICE_FIELDS, 'a v1alpha1 service');
      return { name, raw, field };
    });
  }
  const components = spec.components ?? [];
  if (!Array.isArray(components)) throw invalid(at, 'spec.components', components, 'must be a list of components');
  return components.map((raw, i) => {
    const field = `spec.components[${i}]`;
    if (!isPlainObject(raw)) throw invalid(at, field, raw, 'must be an object');
    unknownFields(at, `${field}.`, raw, V1BETA1_COMPONENT_FIELDS, 'a v1beta1 component');
    if (typeof raw.name !== 'string') throw invalid(at, `${field}.name`, raw.name, 'every component needs a name');
    return { name: raw.name, raw, field };
  });
}

/**
 * The library's documented changes: deprecated fields the operator ignores, a disabled
 * adapter spelled out, and `replicas` on a service whose adapter owns the count.
 */
function dropDocumentedChanges(at: string, version: DynamoApiVersion, e: ServiceEntry, warnings: string[]): void {
  const raw = e.raw;
  for (const k of ['autoscaling', 'dynamoNamespace']) {
    if (raw[k] !== undefined) {
      warnings.push(`${at}: '${e.field}.${k}' left out: deprecated and ignored by the operator (attach an autoscaler to the service's adapter instead${k === 'dynamoNamespace' ? '; the Dynamo namespace is derived from the DGD' : ''})`);
      delete raw[k];
    }
  }
  if (version === DynamoApiVersion.V1ALPHA1 && isPlainObject(raw.scalingAdapter) && raw.scalingAdapter.enabled !== true
    && Object.keys(raw.scalingAdapter).every((k) => k === 'enabled')) {
    warnings.push(`${at}: '${e.field}.scalingAdapter' (${JSON.stringify(raw.scalingAdapter)}) left out: it means disabled, the default`);
    delete raw.scalingAdapter;
  }
  const adapterOn = version === DynamoApiVersion.V1ALPHA1
    ? isPlainObject(raw.scalingAdapter) && raw.scalingAdapter.enabled === true
    : raw.scalingAdapter !== undefined;
  if (adapterOn && raw.replicas !== undefined) {
    warnings.push(`${at}: '${e.field}.replicas' (${raw.replicas}) left out: the scaling adapter owns the count, and the operator's webhook rejects a later apply once an autoscaler has moved it`);
    delete raw.replicas;
  }
}

function alphaRole(at: string, e: ServiceEntry): ServiceRole {
  const { componentType: type, subComponentType: sub } = e.raw;
  const allowed = "componentType frontend, worker, planner or epp (worker with subComponentType prefill or decode for a disaggregated worker): the library's typed roles";
  if (sub !== undefined) {
    if (type === 'worker' && (sub === 'prefill' || sub === 'decode')) return sub === 'prefill' ? ServiceRole.PREFILL : ServiceRole.DECODE;
    throw invalid(at, `${e.field}.subComponentType`, sub, `with componentType ${JSON.stringify(type)} is not a role; use ${allowed}`);
  }
  const roles: Record<string, ServiceRole> = {
    frontend: ServiceRole.FRONTEND, worker: ServiceRole.WORKER, planner: ServiceRole.PLANNER, epp: ServiceRole.EPP,
  };
  const role = typeof type === 'string' ? roles[type] : undefined;
  if (role === undefined) throw invalid(at, `${e.field}.componentType`, type, `must be ${allowed}`);
  return role;
}

function betaRole(at: string, e: ServiceEntry): ServiceRole {
  const role = Object.values(ServiceRole).find((r) => r === e.raw.type);
  if (role === undefined) {
    throw invalid(at, `${e.field}.type`, e.raw.type, `must be one of ${Object.values(ServiceRole).join(', ')}`);
  }
  return role;
}

function alphaServiceOptions(at: string, e: ServiceEntry): DynamoServiceOptions {
  const raw = e.raw;
  const eps = isPlainObject(raw.extraPodSpec) ? raw.extraPodSpec : {};
  const { podSpec, ...main } = splitAlphaPod(eps);
  return {
    role: alphaRole(at, e),
    runtimeVersionOverride: raw.runtimeVersionOverride,
    replicas: raw.replicas,
    envFromSecret: raw.envFromSecret,
    env: plainEnv(raw.envs),
    resources: alphaResources(raw.resources),
    multinodeNodeCount: nodeCount(raw.multinode),
    scalingAdapter: jsonEqual(raw.scalingAdapter, { enabled: true }) || undefined,
    podMetadata: podMetadata(raw.extraPodMetadata),
    volumeMounts: Array.isArray(raw.volumeMounts) && raw.volumeMounts.length ? raw.volumeMounts : undefined,
    podSpec,
    ...main,
  };
}

/** `extraPodSpec`: the main container's typed fields, its other fields, and the pod spec. */
function splitAlphaPod(eps: { [key: string]: any }): Partial<DynamoServiceOptions> {
  const { mainContainer, ...pod } = eps;
  const out: { [key: string]: any } = containerOptions(isPlainObject(mainContainer) ? mainContainer : {});
  if (mainContainer !== undefined && !isPlainObject(mainContainer)) pod.mainContainer = mainContainer;
  if (Object.keys(pod).length && !hasMainContainer(pod.containers) && !('mainContainer' in pod)) out.podSpec = pod;
  return out;
}

/**
 * Main-container fields the library renders from its own options: the mainContainer
 * hatch may not set them, so values the options cannot express are kept by raw patches.
 */
const MANAGED_MAIN_FIELDS = ['name', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'resources'];

/** Image, working dir, command and args typed; the rest of the container through the hatch. */
function containerOptions(container: { [key: string]: any }): Partial<DynamoServiceOptions> {
  const rest: { [key: string]: any } = { ...container };
  const out: { [key: string]: any } = {};
  for (const k of ['image', 'workingDir'] as const) {
    if (typeof rest[k] === 'string' && rest[k] !== '') {
      out[k] = rest[k];
      delete rest[k];
    }
  }
  for (const k of ['command', 'args'] as const) {
    if (Array.isArray(rest[k]) && rest[k].length && rest[k].every((x: unknown) => typeof x === 'string')) {
      out[k] = rest[k];
      delete rest[k];
    }
  }
  for (const k of MANAGED_MAIN_FIELDS) delete rest[k];
  if (Object.keys(rest).length) out.mainContainer = rest;
  return out;
}

function betaComponentOptions(at: string, e: ServiceEntry): DynamoServiceOptions {
  const raw = e.raw;
  const base: DynamoServiceOptions = {
    role: betaRole(at, e),
    runtimeVersionOverride: raw.runtimeVersionOverride,
    replicas: raw.replicas,
    multinodeNodeCount: nodeCount(raw.multinode),
    scalingAdapter: jsonEqual(raw.scalingAdapter, {}) || undefined,
  };
  const tpl = raw.podTemplate;
  if (!isPlainObject(tpl) || !Object.keys(tpl).every((k) => k === 'metadata' || k === 'spec')) return base;
  const spec = tpl.spec;
  const containers = isPlainObject(spec) ? spec.containers : undefined;
  // One `main` container, wherever it is (the renderer writes it first; patches restore
  // another order).
  const mainIndex = Array.isArray(containers) ? containers.findIndex((c: any) => c?.name === MAIN_CONTAINER) : -1;
  if (mainIndex < 0 || hasMainContainer(containers.slice(mainIndex + 1)) || !isPlainObject(containers[mainIndex])) return base;
  const others = containers.filter((_: unknown, i: number) => i !== mainIndex);
  const { name: _name, env, envFrom, resources, ...main } = containers[mainIndex];
  const rest: { [key: string]: any } = { ...main };
  const out: { [key: string]: any } = { ...base };
  const typedEnv = plainEnv(env);
  if (typedEnv) out.env = typedEnv;
  const secret = envFromSecret(envFrom);
  if (secret) out.envFromSecret = secret;
  const typedResources = betaResources(resources);
  if (typedResources) out.resources = typedResources;
  Object.assign(out, containerOptions(rest));
  const { containers: _containers, ...pod } = spec;
  if (others.length) pod.containers = others;
  if (Object.keys(pod).length && !('mainContainer' in pod)) out.podSpec = pod;
  const metadata = podMetadata(tpl.metadata);
  if (metadata) out.podMetadata = metadata;
  return out as DynamoServiceOptions;
}

function hasMainContainer(containers: unknown): boolean {
  return Array.isArray(containers) && containers.some((c) => c?.name === MAIN_CONTAINER);
}

/** `[{secretRef: {name}}]` exactly: the one envFrom shape `envFromSecret` renders. */
function envFromSecret(envFrom: unknown): string | undefined {
  if (!Array.isArray(envFrom) || envFrom.length !== 1) return undefined;
  const ref = envFrom[0];
  if (!isPlainObject(ref) || Object.keys(ref).length !== 1 || !isPlainObject(ref.secretRef)) return undefined;
  const keys = Object.keys(ref.secretRef);
  return keys.length === 1 && typeof ref.secretRef.name === 'string' && ref.secretRef.name !== '' ? ref.secretRef.name : undefined;
}

/** `[{name, value}]` with string values and unique names, as a map; else undefined (kept raw). */
function plainEnv(list: unknown): { [name: string]: string } | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: { [name: string]: string } = {};
  for (const e of list) {
    if (!isPlainObject(e) || Object.keys(e).length !== 2 || typeof e.name !== 'string' || typeof e.value !== 'string') return undefined;
    if (Object.prototype.hasOwnProperty.call(out, e.name) || e.name === '__proto__') return undefined;
    out[e.name] = e.value;
  }
  return out;
}

function nodeCount(multinode: unknown): number | undefined {
  return isPlainObject(multinode) && Object.keys(multinode).length === 1 && typeof multinode.nodeCount === 'number' ? multinode.nodeCount : undefined;
}

function podMetadata(meta: unknown): { [key: string]: any } | undefined {
  if (!isPlainObject(meta) || Object.keys(meta).length === 0) return undefined;
  return Object.keys(meta).every((k) => k === 'labels' || k === 'annotations') ? meta : undefined;
}

/** v1alpha1 `resources`, typed only when the renderer writes it back exactly. */
function alphaResources(res: unknown): ServiceResources | undefined {
  if (!isPlainObject(res) || Object.keys(res).length === 0) return undefined;
  const out: { [key: string]: ResourceAmounts } = {};
  for (const [k, item] of Object.entries(res)) {
    if (k !== 'requests' && k !== 'limits') return undefined;
    if (!isPlainObject(item) || Object.keys(item).length === 0) return undefined;
    const amounts: { [key: string]: any } = {};
    for (const [field, v] of Object.entries(item)) {
      if (field === 'cpu' || field === 'memory') {
        if (typeof v !== 'string') return undefined;
        amounts[field] = v;
      } else if (field === 'gpu') {
        if (typeof v !== 'string' || !GPU_COUNT.test(v)) return undefined;
        amounts.gpu = Number(v);
      } else if (field === 'custom') {
        if (!isPlainObject(v) || Object.keys(v).length === 0) return undefined;
        if (Object.entries(v).some(([name, q]) => TYPED_RESOURCE_NAMES.has(name) || typeof q !== 'string')) return undefined;
        amounts.custom = v;
      } else {
        return undefined;
      }
    }
    out[k] = amounts;
  }
  return out;
}

/** v1beta1 main-container `resources`, typed only when the renderer writes it back exactly. */
function betaResources(res: unknown): ServiceResources | undefined {
  if (!isPlainObject(res) || Object.keys(res).length === 0) return undefined;
  const out: { [key: string]: ResourceAmounts } = {};
  for (const [k, list] of Object.entries(res)) {
    if (k !== 'requests' && k !== 'limits') return undefined;
    if (!isPlainObject(list) || Object.keys(list).length === 0) return undefined;
    const amounts: { [key: string]: any } = {};
    const custom: { [key: string]: string } = {};
    for (const [name, v] of Object.entries(list)) {
      if (typeof v !== 'string') return undefined;
      if (name === 'cpu' || name === 'memory') {amounts[name] = v;} else if (name === GPU_RESOURCE) {
        if (!GPU_COUNT.test(v)) return undefined;
        amounts.gpu = Number(v);
      } else if (name === 'gpu') {return undefined;} else {custom[name] = v;}
    }
    if (Object.keys(custom).length) amounts.custom = custom;
    out[k] = amounts;
  }
  return out;
}

/** JSON-pointer escaping of one path segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Patches that turn `rendered` into `expected`, as deep as both sides have the same
 * shape, so that each patch names the one field the typed API does not cover.
 */
function diffInto(
  patches: RawPatch[], base: string, expected: { [key: string]: any }, rendered: { [key: string]: any }, skip: (k: string) => boolean,
): void {
  for (const k of new Set([...Object.keys(expected), ...Object.keys(rendered ?? {})])) {
    if (!skip(k)) diffValue(patches, `${base}/${pointer(k)}`, expected[k], rendered?.[k]);
  }
}

function diffValue(patches: RawPatch[], path: string, want: unknown, have: unknown): void {
  if (jsonEqual(want, have)) return;
  if (want === undefined) {
    patches.push({ op: 'remove', path });
  } else if (isPlainObject(want) && isPlainObject(have)) {
    for (const k of new Set([...Object.keys(want), ...Object.keys(have)])) diffValue(patches, `${path}/${pointer(k)}`, want[k], have[k]);
  } else if (Array.isArray(want) && Array.isArray(have) && want.length === have.length) {
    want.forEach((w, i) => {
      if (jsonEqual(w, have[i])) return;
      if (isPlainObject(w) && isPlainObject(have[i])) diffValue(patches, `${path}/${i}`, w, have[i]);
      else patches.push({ op: 'replace', path: `${path}/${i}`, value: w });
    });
  } else {
    patches.push({ op: 'add', path, value: want });
  }
}
