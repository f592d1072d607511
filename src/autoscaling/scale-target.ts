import { ApiObject, ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { DynamoScalingAdapter } from '../dynamo/scaling-adapter';
import { invalid, invalidMessage } from '../errors';
import { KEDA_HPA_PREFIX } from '../naming';
import { identityErrors, identityKey, ObjectIdentity } from './identity';
import { SCALE_TARGET_NAME_PATH, secondAutoscalerText } from '../rules/cross';
import { objectRef, ruleViolationMessage } from '../rules/synth';

/**
 * A reference to an object that exposes the /scale subresource.
 */
export interface ScaleTargetReference {
  /** API version of the target, e.g. `nvidia.com/v1alpha1` or `apps/v1`. */
  readonly apiVersion: string;
  /** Kind of the target, e.g. `DynamoGraphDeploymentScalingAdapter`. */
  readonly kind: string;
  /** Name of the target. */
  readonly name: string;
  /**
   * Namespace of the target. Autoscalers must live in the same namespace.
   * @default - the namespace the manifests are applied to
   */
  readonly namespace?: string;
}

/**
 * What an autoscaler tells its target when it takes ownership of the target's replicas.
 */
export interface AutoscalerBinding {
  /** Kind of the autoscaler, e.g. `HorizontalPodAutoscaler`, `ScaledObject`, `Planner`. */
  readonly kind: string;
  /** Name of the autoscaler object (or a description when it has none). */
  readonly name: string;
  /** Construct path of the autoscaler, for error messages. */
  readonly path: string;
  /**
   * Namespace of the autoscaler; a target reference without a namespace resolves to it.
   * @default - the target's namespace
   */
  readonly namespace?: string;
}

/**
 * Something an autoscaler can scale: a scale-target reference plus the handshake
 * that tells the target an autoscaler owns its replicas.
 *
 * Implemented by Dynamo service adapters (`DynamoService.adapter`), by cdk8s-plus
 * Deployments and StatefulSets of any version from 28 to 33 (`ScaleTarget.fromWorkload`)
 * and by plain references to any other /scale resource (`ScaleTarget.fromReference`).
 * Use one of these rather than implementing the interface: the app-wide checks
 * (one autoscaler per target, namespaces, identity) know these three.
 */
export interface IScaleTarget {
  /** The reference an autoscaler renders in `scaleTargetRef`. */
  readonly scaleTargetRef: ScaleTargetReference;

  /** The construct the target belongs to; conflicts are tracked across its whole app. */
  readonly scope: IConstruct;

  /**
   * Whether the target is a Dynamo service adapter; those have extra rules
   * (metric labels, Planner ownership).
   */
  readonly isDynamoAdapter: boolean;

  /**
   * The handshake: an autoscaler owns this target's replicas from now on. Called by
   * every autoscaler of this library; order-independent.
   */
  bindAutoscaler(binding: AutoscalerBinding): void;
}

/**
 * The identity of a target across API versions: group, kind, namespace, name (the same
 * key as every object's identity, `identityKey`).
 * @internal
 */
export function targetKey(ref: ScaleTargetReference): string {
  return identityKey(ref);
}

/** @internal */
export function describeTarget(ref: ScaleTargetReference): string {
  return `${ref.kind} '${ref.namespace ? ref.namespace + '/' : ''}${ref.name}'`;
}

/** Path suffix of the placeholder binding a cdk8s-plus HPA leaves through `markHasAutoscaler()`. */
const VIA_CDK8S_PLUS = ' (via cdk8s-plus)';

/** One autoscaler on one target, with the target's namespace resolved. */
interface BindingEntry {
  readonly binding: AutoscalerBinding;
  readonly ref: ScaleTargetReference;
  readonly key: string;
}

/**
 * App-wide record of which autoscalers own which targets, and the one place where the
 * checks across the whole app run: object identity (no two objects, including those
 * the operators create, share kind, namespace and name), one autoscaler per target,
 * autoscaler and target in one namespace, and the checks constructs register
 * (`addCheck`). Linear in the app's size: one map insertion per binding, one walk of
 * the construct tree per synth that has something new to check.
 * @internal
 */
export class AutoscalerRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): AutoscalerRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new AutoscalerRegistry(root);
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  /**
   * Bumped on every binding. cdk8s validates the whole app once per chart it
   * synthesizes, so the checks remember the revision they passed at and skip the
   * repeats: without this, an app of N charts runs every check N+1 times.
   */
  public revision = 0;

  private readonly entries: BindingEntry[] = [];
  private readonly byKey = new Map<string, BindingEntry[]>();
  private readonly externalMetricProviders = new Map<string, string>();
  private readonly checks: Array<() => string[]> = [];
  private checksPassedAt?: string;
  private warned = false;
  private watchingExternalMetrics = false;

  private constructor(private readonly root: IConstruct) {
    // On the root itself rather than on a construct of the library's own: any id such
    // a construct took could be the id a user picks for a chart. cdk8s prints the
    // root's errors under `[]`; each message carries its own construct path.
    root.node.addValidation({ validate: () => this.runChecks() });
  }

  /**
   * Registers a synth-time check whose outcome depends only on the app's bindings and
   * services (empty DGDs and the like). Each check's messages carry their own
   * construct path.
   */
  public addCheck(_scope: IConstruct, check: () => string[]): void {
    this.checks.push(check);
  }

  /** Something the checks depend on changed (a binding, a service). */
  public touch(): void {
    this.revision += 1;
  }

  private runChecks(): string[] {
    // Keyed on the bindings and checks alone, not on the tree's size: counting the tree
    // would walk the whole app once per chart, quadratic in a fleet of charts. Every
    // library construct that the checks depend on changes one of the two.
    const stamp = `${this.revision}|${this.checks.length}`;
    if (this.checksPassedAt === stamp) return [];
    const scan = scanApp(this.root.node.findAll());
    const identity = identityErrors(scan.objects);
    const entries = this.resolveEntries(scan.plusAutoscalers);
    const errors = [
      ...identity.errors,
      ...conflictErrors(entries, identity.sharedKeys),
      ...namespaceErrors(entries),
      ...this.checks.flatMap((check) => check()),
    ];
    if (errors.length === 0) this.checksPassedAt = stamp;
    return errors;
  }

  /**
   * The bindings, with the placeholders that cdk8s-plus HPAs leave on Dynamo adapters
   * (`markHasAutoscaler()` does not say who calls it) replaced by the cdk8s-plus HPAs
   * found in the tree, so that their errors name them.
   */
  private resolveEntries(plusAutoscalers: BindingEntry[]): BindingEntry[] {
    const found = new Set(plusAutoscalers.map((e) => e.key));
    const kept = this.entries.filter((e) => !(e.binding.path.endsWith(VIA_CDK8S_PLUS) && found.has(e.key)));
    return [...kept, ...plusAutoscalers];
  }

  /**
   * Records that `binding` owns the target `ref`. A reference without a namespace
   * resolves to the autoscaler's.
   */
  public bind(ref: ScaleTargetReference, binding: AutoscalerBinding): void {
    this.revision += 1;
    const entry = entryOf(ref, binding);
    this.entries.push(entry);
    const list = this.byKey.get(entry.key);
    if (list) list.push(entry);
    else this.byKey.set(entry.key, [entry]);
  }

  /** Every binding of the target `ref`. */
  public bindingsOf(ref: ScaleTargetReference): readonly AutoscalerBinding[] {
    return (this.byKey.get(targetKey(ref)) ?? []).map((e) => e.binding);
  }

  /**
   * Notes that `user` provides (or consumes) the external metrics API through `provider`
   * (`KEDA` or `Prometheus Adapter`). The first user in the app carries the one synth-time
   * check that prints `externalMetricsWarning`: one check per app rather than one per
   * user, since cdk8s runs every check once per chart it synthesizes.
   */
  public useExternalMetrics(provider: string, user: IConstruct): void {
    if (!this.externalMetricProviders.has(provider)) this.externalMetricProviders.set(provider, user.node.path);
    if (this.watchingExternalMetrics) return;
    this.watchingExternalMetrics = true;
    user.node.addValidation({
      validate: () => {
        const warning = this.externalMetricsWarning();
        // cdk8s has no warning channel: print once per app at synth.
        if (warning) console.warn(`[cdk8s-dynamo] warning: ${warning}`);
        return [];
      },
    });
  }

  /**
   * A warning, once per app, when KEDA and Prometheus Adapter external metrics are both
   * used: both register v1beta1.external.metrics.k8s.io and a cluster runs only one.
   */
  public externalMetricsWarning(): string | undefined {
    if (this.warned || this.externalMetricProviders.size < 2) return undefined;
    this.warned = true;
    const parts = [...this.externalMetricProviders.entries()].map(([p, path]) => `${p} (${path})`);
    return `KEDA and Prometheus Adapter both serve the external metrics API (v1beta1.external.metrics.k8s.io); a cluster runs only one of them, but this app uses both: ${parts.join(', ')}`;
  }
}

const REGISTRIES = new WeakMap<IConstruct, AutoscalerRegistry>();

function entryOf(ref: ScaleTargetReference, binding: AutoscalerBinding): BindingEntry {
  const resolved = { ...ref, namespace: ref.namespace ?? binding.namespace };
  return { binding, ref: resolved, key: targetKey(resolved) };
}

/**
 * One autoscaler per target: for each autoscaler on a target that has several, one
 * message under its path naming each other one. Identities that several objects share
 * (two adapters called `a-b-c`) are left to the identity rule, which names the cause.
 */
function conflictErrors(entries: BindingEntry[], sharedKeys: Set<string>): string[] {
  const byKey = new Map<string, BindingEntry[]>();
  for (const e of entries) {
    const list = byKey.get(e.key);
    if (list) list.push(e);
    else byKey.set(e.key, [e]);
  }
  const errors: string[] = [];
  for (const [key, list] of byKey) {
    if (list.length < 2 || sharedKeys.has(key)) continue;
    for (const self of list) {
      if (self.binding.kind === 'Planner') continue;
      for (const other of list) {
        if (other === self) continue;
        const s = self.binding;
        const o = other.binding;
        errors.push(o.kind === 'Planner'
          ? invalidMessage(s.path, 'target', describeTarget(self.ref),
            `the Dynamo Planner (${o.path}) already manages this service; a service the Planner scales cannot have another autoscaler`)
          : ruleViolationMessage(s.path, {
            ruleId: 'DYN603',
            object: objectRef('', s.kind, s.name, s.namespace),
            path: SCALE_TARGET_NAME_PATH,
            text: secondAutoscalerText(`${o.kind} ${o.namespace ?? 'default'}/${o.name}`, self.ref.kind, self.ref.name),
            value: self.ref.name,
          }, `(the other is at ${o.path}; at most one autoscaler per target)`));
      }
    }
  }
  return errors;
}

/** An autoscaler only scales objects in its own namespace. */
function namespaceErrors(entries: BindingEntry[]): string[] {
  const errors: string[] = [];
  for (const { binding, ref } of entries) {
    if (binding.namespace === undefined || ref.namespace === undefined || binding.namespace === ref.namespace) continue;
    errors.push(invalidMessage(binding.path, 'namespace', binding.namespace,
      `must equal the namespace of its target ${describeTarget(ref)}; an autoscaler only scales objects in its own namespace, so nothing would ever scale this target`));
  }
  return errors;
}

/**
 * What one walk of the construct tree finds: the identity of every object the app
 * emits and of those the operators will create from them, and the cdk8s-plus
 * HorizontalPodAutoscalers (any cdk8s-plus version), which know their target but never
 * tell this library who they are.
 */
function scanApp(constructs: IConstruct[]): { objects: ObjectIdentity[]; plusAutoscalers: BindingEntry[] } {
  const objects: ObjectIdentity[] = [];
  const plusAutoscalers: BindingEntry[] = [];
  for (const c of constructs) {
    if (c instanceof ApiObject) {
      objects.push(...identitiesOf(c));
      continue;
    }
    const plusHpa = cdk8sPlusHpaEntry(c);
    if (plusHpa) plusAutoscalers.push(plusHpa);
  }
  return { objects, plusAutoscalers };
}

/** The construct that stands for an ApiObject in messages: a wrapper's, when it is one. */
function ownerPath(o: ApiObject): string {
  const id = o.node.id;
  return (id === 'Resource' || id === '#Resource') && o.node.scope ? o.node.scope.node.path : o.node.path;
}

function identitiesOf(o: ApiObject): ObjectIdentity[] {
  const path = ownerPath(o);
  const namespace = o.metadata.namespace;
  const own: ObjectIdentity = { apiVersion: o.apiVersion, kind: o.kind, namespace, name: o.name, path };
  const out = [own];
  if (o.kind === 'DynamoGraphDeployment') {
    // The operator creates one adapter per service whose adapter is enabled.
    const services: any[] = (o.node.scope as any)?.services ?? [];
    for (const s of services) {
      if (!s?.scalingAdapterEnabled || !s.adapter?.scaleTargetRef) continue;
      const ref: ScaleTargetReference = s.adapter.scaleTargetRef;
      out.push({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        path: s.path ?? path,
        origin: `the scaling adapter the Dynamo operator creates for service '${s.serviceName}' of DGD '${o.name}'`,
      });
    }
  } else if (o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/')) {
    // A KedaAutoscaler knows its HPA's name; rendering a hand-made ScaledObject is the fallback.
    const known = (o as any).hpaName;
    const name = typeof known === 'string' ? known
      : o.toJson().spec?.advanced?.horizontalPodAutoscalerConfig?.name ?? `${KEDA_HPA_PREFIX}${o.name}`;
    out.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace, name, path, origin: `the HPA KEDA creates for ScaledObject '${o.name}'` });
  } else if (o.kind === 'PodAutoscaler' && o.apiVersion.startsWith('autoscaling.aibrix.ai/')) {
    const known = (o.node.scope as any)?.strategy;
    if ((typeof known === 'string' ? known : o.toJson().spec?.scalingStrategy) === 'HPA') {
      out.push({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace,
        name: `${o.name}-hpa`,
        path,
        origin: `the HPA AIBrix creates for PodAutoscaler '${o.name}'`,
      });
    }
  }
  return out;
}

/**
 * A cdk8s-plus HorizontalPodAutoscaler (any version): a construct with an HPA ApiObject
 * and a `target` that takes part in the handshake. Its binding, as this library's
 * autoscalers record theirs.
 */
function cdk8sPlusHpaEntry(c: IConstruct): BindingEntry | undefined {
  const api = (c as any).apiObject;
  const target = (c as any).target;
  if (!(api instanceof ApiObject) || api.kind !== 'HorizontalPodAutoscaler' || api === c) return undefined;
  if (!target || typeof target.markHasAutoscaler !== 'function') return undefined;
  let ref: ScaleTargetReference;
  if (target.isDynamoAdapter && target.scaleTargetRef) {
    ref = target.scaleTargetRef;
  } else if (typeof target.toScalingTarget === 'function') {
    const t = target.toScalingTarget();
    ref = { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: target.metadata?.namespace };
  } else {
    return undefined;
  }
  return entryOf(ref, { kind: 'HorizontalPodAutoscaler', name: api.name, path: c.node.path, namespace: api.metadata.namespace });
}

/**
 * A scale target that is only a reference: the autoscaler renders it, conflicts are
 * still tracked app-wide, and no handshake reaches the object itself.
 */
class ReferenceScaleTarget implements IScaleTarget {
  public readonly isDynamoAdapter = false;
  public constructor(public readonly scope: IConstruct, public readonly scaleTargetRef: ScaleTargetReference) {}
  public bindAutoscaler(binding: AutoscalerBinding): void {
    AutoscalerRegistry.of(this.scope).bind(this.scaleTargetRef, binding);
  }
}

/**
 * What a cdk8s-plus workload's `toScalingTarget()` returns, as far as this library
 * reads it (cdk8s-plus's `ScalingTarget`, any version from 28 to 33).
 */
export interface WorkloadScalingTarget {
  /** API version of the workload, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind of the workload, e.g. `Deployment`. */
  readonly kind: string;
  /** Name of the workload. */
  readonly name: string;
}

/**
 * What a cdk8s-plus HorizontalPodAutoscaler reads from its target (cdk8s-plus's
 * `ScalingTarget`). `containers` is typed loosely so that the value fits every
 * cdk8s-plus version's own `Container` class.
 */
export interface PlusScalingTarget extends WorkloadScalingTarget {
  /** The target's containers (none for a Dynamo adapter). */
  readonly containers: any[];
  /**
   * A fixed replica count, which cdk8s-plus refuses on an autoscaled target.
   * @default - none
   */
  readonly replicas?: number;
}

/**
 * cdk8s-plus's `IScalable`, structurally, so that a value implementing it can be the
 * target of a cdk8s-plus HorizontalPodAutoscaler of any version from 28 to 33.
 */
export interface ICdk8sPlusScalable {
  /** Whether an autoscaler owns the replicas. */
  hasAutoscaler: boolean;
  /** The handshake a cdk8s-plus HPA calls. */
  markHasAutoscaler(): void;
  /** The target as a cdk8s-plus HPA renders and checks it. */
  toScalingTarget(): PlusScalingTarget;
}

/**
 * A workload that takes part in cdk8s-plus's autoscaler handshake: a cdk8s-plus
 * `Deployment` or `StatefulSet` of any version from cdk8s-plus-28 to cdk8s-plus-33
 * matches this structurally, so an app passes its own workloads whatever cdk8s-plus it
 * uses.
 */
export interface IScalableWorkload extends IConstruct {
  /** The workload's metadata (its namespace is the target's). */
  readonly metadata: ApiObjectMetadataDefinition;
  /** cdk8s-plus's handshake: from now on the workload leaves `replicas` out. */
  markHasAutoscaler(): void;
  /** The workload's reference, as cdk8s-plus computes it. */
  toScalingTarget(): WorkloadScalingTarget;
}

/**
 * A cdk8s-plus Deployment or StatefulSet as a scale target: the handshake is
 * cdk8s-plus's own `markHasAutoscaler()`, after which the workload leaves `replicas` out.
 * @internal
 */
export class WorkloadScaleTarget implements IScaleTarget {
  public readonly isDynamoAdapter = false;
  public constructor(public readonly workload: IScalableWorkload) {}
  public get scope(): IConstruct {
    return this.workload;
  }
  public get scaleTargetRef(): ScaleTargetReference {
    const t = this.workload.toScalingTarget();
    return { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: this.workload.metadata.namespace };
  }
  public bindAutoscaler(binding: AutoscalerBinding): void {
    this.workload.markHasAutoscaler();
    AutoscalerRegistry.of(this.workload).bind(this.scaleTargetRef, binding);
  }
}

/**
 * Factories for scale targets that are not Dynamo adapters (for those, use
 * `DynamoService.adapter`).
 */
export class ScaleTarget {
  /**
   * A cdk8s-plus Deployment or StatefulSet, from any cdk8s-plus version 28 to 33.
   * Binding an autoscaler calls the workload's `markHasAutoscaler()`, so it stops
   * rendering `replicas`.
   */
  public static fromWorkload(workload: IScalableWorkload): IScaleTarget {
    const w = workload as Partial<IScalableWorkload> | undefined;
    if (w === null || typeof w !== 'object' || typeof w.markHasAutoscaler !== 'function' || typeof w.toScalingTarget !== 'function'
      || typeof w.node?.path !== 'string' || typeof w.metadata !== 'object') {
      throw invalid('ScaleTarget.fromWorkload', 'workload', describeShape(workload),
        'must be a cdk8s-plus Deployment or StatefulSet (any cdk8s-plus from 28 to 33); for a Dynamo service use service.adapter, for other /scale resources ScaleTarget.fromReference');
    }
    return new WorkloadScaleTarget(workload);
  }

  /**
   * Any object with a /scale subresource, by reference. `scope` is any construct of
   * the app (for app-wide conflict checks).
   */
  public static fromReference(scope: IConstruct, ref: ScaleTargetReference): IScaleTarget {
    if (typeof (scope as any)?.node?.path !== 'string') {
      throw invalid('ScaleTarget.fromReference', 'scope', describeShape(scope), 'must be a construct of the app (e.g. the chart)');
    }
    if (ref === null || typeof ref !== 'object') {
      throw invalid(scope, 'ScaleTarget.fromReference(ref)', ref, 'must be a reference { apiVersion, kind, name, namespace? }');
    }
    for (const field of ['apiVersion', 'kind', 'name'] as const) {
      if (typeof ref[field] !== 'string' || ref[field].length === 0) {
        throw invalid(scope, `scaleTargetRef.${field}`, ref[field], 'must be a non-empty string');
      }
    }
    if (ref.namespace !== undefined && (typeof ref.namespace !== 'string' || ref.namespace.length === 0)) {
      throw invalid(scope, 'scaleTargetRef.namespace', ref.namespace, 'must be a non-empty namespace, or left out');
    }
    return new ReferenceScaleTarget(scope, { ...ref });
  }

  private constructor() {}
}

/**
 * A short description of a value of the wrong shape, for errors: its class name (a
 * construct also by path) rather than a dump of its fields.
 * @internal
 */
export function describeShape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const name = (value as any).constructor?.name;
  const path = (value as any).node?.path ?? (value as any).path;
  if (name && name !== 'Object') return `${name}${typeof path === 'string' ? ` at ${path || '<root>'}` : ''}`;
  return value;
}

/**
 * Checks that an autoscaler's `target` is a scale target, and says what to pass when it
 * is not (a Dynamo service instead of its adapter, a cdk8s-plus workload instead of
 * `ScaleTarget.fromWorkload(...)`).
 * @internal
 */
export function requireScaleTarget(at: IConstruct | string, target: unknown): asserts target is IScaleTarget {
  const t = target as any;
  if (t !== null && typeof t === 'object' && typeof t.bindAutoscaler === 'function' && t.scaleTargetRef
    && typeof t.scaleTargetRef.name === 'string' && typeof t.scope?.node?.path === 'string') {
    return;
  }
  let hint = "an IScaleTarget: a Dynamo service's adapter (service.adapter), ScaleTarget.fromWorkload(deployment) or ScaleTarget.fromReference(scope, ref)";
  if (t?.adapter && typeof t.adapter.bindAutoscaler === 'function') {
    hint = `the service's scaling adapter: pass 'service.adapter' (here ${t.adapter.name ? `'${t.adapter.name}'` : 'its adapter'}), not the service`;
  } else if (t && typeof t.markHasAutoscaler === 'function' && typeof t.toScalingTarget === 'function') {
    hint = 'a scale target: wrap the cdk8s-plus workload as ScaleTarget.fromWorkload(workload)';
  }
  throw invalid(at, 'target', describeShape(target), `must be ${hint}`);
}

/**
 * The default name of an autoscaler: from the DGD and service for a Dynamo adapter,
 * from the target's name otherwise, each with the given `DynamoNames` function.
 * @internal
 */
export function defaultAutoscalerName(
  target: IScaleTarget,
  qualifier: string | undefined,
  forService: (dgdName: string, serviceName: string, qualifier?: string) => string,
  forWorkload: (workloadName: string, qualifier?: string) => string,
): string {
  if (target.isDynamoAdapter) {
    const service = (target as DynamoScalingAdapter).service;
    return forService(service.deploymentName, service.serviceName, qualifier);
  }
  return forWorkload(target.scaleTargetRef.name, qualifier);
}

/**
 * Binds an autoscaler construct to its target; the app-wide checks (one autoscaler per
 * target, same namespace as the target, object identity) then cover it.
 * @internal
 */
export function attachAutoscaler(
  autoscaler: IConstruct, target: IScaleTarget, kind: string, name: string, namespace: string | undefined,
): AutoscalerBinding {
  const binding: AutoscalerBinding = { kind, name, path: autoscaler.node.path, namespace };
  AutoscalerRegistry.of(autoscaler);
  target.bindAutoscaler(binding);
  return binding;
}

/**
 * When `target` is a Dynamo adapter and a metric query selects `dynamo_namespace`
 * values other than its DGD's, what is wrong; undefined when they match, when the
 * target is not a Dynamo adapter, or when the DGD's label cannot be known (no
 * namespace). Shared by every autoscaler whose metrics name a Dynamo deployment.
 * @internal
 */
export function dynamoNamespaceMismatch(target: IScaleTarget, selected: string[]): string | undefined {
  if (!target.isDynamoAdapter || selected.length === 0) return undefined;
  const deployment: any = (target as DynamoScalingAdapter).service?.deployment;
  let own: string;
  try {
    own = deployment.dynamoNamespaceLabel;
  } catch {
    return undefined;
  }
  const others = selected.filter((v) => v !== own);
  if (others.length === 0) return undefined;
  return `the query selects dynamo_namespace ${others.map((v) => `'${v}'`).join(', ')}, but the target ${describeTarget(target.scaleTargetRef)} belongs to DGD '${deployment.name}', whose metrics carry dynamo_namespace '${own}': it would scale this service on another deployment's traffic`;
}
