/**
 * The scale-target contract and the app-wide autoscaler registry: what an autoscaler
 * (autoscaling/) binds to and what a target (a Dynamo adapter in dynamo/, a cdk8s-plus
 * workload, a reference) offers. Below both folders, so neither imports the other.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidMessage } from './errors';
import { identityErrors, identityKey, ObjectIdentity } from './identity';
import { manifestIdentities } from '../core/identity';
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
 * What kind of autoscaler a binding comes from. The app-wide checks tell sources apart by
 * this, never by kinds or construct paths.
 */
export enum AutoscalerSource {
  /** This library's `HpaAutoscaler`. */
  HPA = 'HPA',
  /** This library's `KedaAutoscaler` (a KEDA ScaledObject). */
  KEDA = 'KEDA',
  /** This library's `AibrixAutoscaler` (an AIBrix PodAutoscaler). */
  AIBRIX = 'AIBRIX',
  /** The Dynamo Planner: it owns its services' replicas, so no other autoscaler may bind to them. */
  PLANNER = 'PLANNER',
  /** A cdk8s-plus HorizontalPodAutoscaler (any cdk8s-plus version), through `markHasAutoscaler()`. */
  CDK8S_PLUS_HPA = 'CDK8S_PLUS_HPA',
  /** An autoscaler outside this library that calls `bindAutoscaler` itself. */
  CUSTOM = 'CUSTOM',
}

/**
 * What an autoscaler tells its target when it takes ownership of the target's replicas.
 */
export interface AutoscalerBinding {
  /** Kind of the autoscaler, e.g. `HorizontalPodAutoscaler`, `ScaledObject`, `Planner` (for messages). */
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
  /**
   * Where the binding comes from.
   * @default AutoscalerSource.CUSTOM
   */
  readonly source?: AutoscalerSource;
  /**
   * Why this binding owns the target, in the linter's words, when it is no autoscaler
   * object of its own (the Planner: "service 'decode' (decode) is scaled by the Planner
   * ..."); a conflict with it is reported with rule DYN603 and this text.
   * @default - the conflict message names the binding's kind, name and path
   */
  readonly ownership?: string;
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
   * The handshake: an autoscaler owns this target's replicas from now on. Called by
   * every autoscaler of this library; order-independent.
   */
  bindAutoscaler(binding: AutoscalerBinding): void;
}

/**
 * Rules a target adds for the autoscalers bound to it, beyond the app-wide ones: a
 * capability a target provides (`provideTargetRules`), found by `targetRulesOf`. A
 * Dynamo adapter provides one (its metrics carry its DGD's `dynamo_namespace` label);
 * other targets provide none.
 * @internal
 */
export interface ScaleTargetRules {
  /**
   * What is wrong when an autoscaler's metric queries select these `dynamo_namespace`
   * label values (never empty); undefined when they fit the target.
   */
  dynamoNamespaceProblem(selected: string[]): string | undefined;
}

const TARGET_RULES = new WeakMap<IScaleTarget, ScaleTargetRules>();

/** Gives `target` the capability `rules`. @internal */
export function provideTargetRules(target: IScaleTarget, rules: ScaleTargetRules): void {
  TARGET_RULES.set(target, rules);
}

/** The rules `target` provides, if any. @internal */
export function targetRulesOf(target: IScaleTarget): ScaleTargetRules | undefined {
  return TARGET_RULES.get(target);
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

/** One autoscaler on one target, with the target's namespace resolved. */
interface BindingEntry {
  readonly binding: AutoscalerBinding;
  readonly source: AutoscalerSource;
  readonly ref: ScaleTargetReference;
  readonly key: string;
}

/** The objects an operator creates from a construct's rendered object (adapters, KEDA's HPA). */
type DerivedObjects = () => ObjectIdentity[];

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
  private readonly derived = new Map<IConstruct, DerivedObjects>();
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

  /**
   * Declares what the operators create from the object `owner` renders (`owner` is the
   * ApiObject itself or the construct whose default child it is), for the identity
   * check. A library construct always declares it (an empty list included), so its
   * object is never read back as a manifest; objects nobody declares for are read as
   * plain manifests (core/identity).
   */
  public deriveObjects(owner: IConstruct, objects: () => ObjectIdentity[]): void {
    this.derived.set(owner, objects);
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
    const scan = scanApp(this.root.node.findAll(), this.derived);
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
   * The bindings, with the placeholders that cdk8s-plus HPAs leave through
   * `markHasAutoscaler()` (which does not say who calls it) replaced by the cdk8s-plus
   * HPAs found in the tree, so that their errors name them.
   */
  private resolveEntries(plusAutoscalers: BindingEntry[]): BindingEntry[] {
    const found = new Set(plusAutoscalers.map((e) => e.key));
    const kept = this.entries.filter((e) => !(e.source === AutoscalerSource.CDK8S_PLUS_HPA && found.has(e.key)));
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
  return { binding, source: binding.source ?? AutoscalerSource.CUSTOM, ref: resolved, key: targetKey(resolved) };
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
      if (self.source === AutoscalerSource.PLANNER) continue;
      for (const other of list) {
        if (other === self) continue;
        const s = self.binding;
        const o = other.binding;
        errors.push(other.source === AutoscalerSource.PLANNER
          ? ruleViolationMessage(s.path, {
            ruleId: 'DYN603',
            object: objectRef('', s.kind, s.name, s.namespace),
            path: SCALE_TARGET_NAME_PATH,
            text: o.ownership ?? `${self.ref.kind} ${self.ref.name} is scaled by the Planner`,
            value: self.ref.name,
          }, `(the Planner is at ${o.path}; a service the Planner scales cannot have another autoscaler)`)
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
function scanApp(constructs: IConstruct[], derived: Map<IConstruct, DerivedObjects>): { objects: ObjectIdentity[]; plusAutoscalers: BindingEntry[] } {
  const objects: ObjectIdentity[] = [];
  const plusAutoscalers: BindingEntry[] = [];
  for (const c of constructs) {
    if (c instanceof ApiObject) {
      identitiesOf(c, derived, objects);
      continue;
    }
    const plusHpa = cdk8sPlusHpaEntry(c);
    if (plusHpa) plusAutoscalers.push(plusHpa);
  }
  return { objects, plusAutoscalers };
}

/**
 * The construct that stands for an ApiObject: the construct whose default child it is
 * (the cdk8s way: `ApiObject.of(owner)` returns it), else the ApiObject itself.
 */
function ownerOf(o: ApiObject): IConstruct {
  const scope = o.node.scope;
  if (!scope) return o;
  let child: IConstruct | undefined;
  try {
    child = scope.node.defaultChild;
  } catch {
    // constructs refuses to pick between a 'Resource' and a 'Default' child.
    child = undefined;
  }
  return child === o ? scope : o;
}

/** API groups and kinds from which an operator creates further objects (core/identity). */
const DERIVING_KINDS = new Set(['nvidia.com|DynamoGraphDeployment', 'keda.sh|ScaledObject', 'autoscaling.aibrix.ai|PodAutoscaler']);

function identitiesOf(o: ApiObject, derived: Map<IConstruct, DerivedObjects>, out: ObjectIdentity[]): void {
  const owner = ownerOf(o);
  const path = owner.node.path;
  out.push({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.name, path });
  const declared = derived.get(owner);
  if (declared) {
    out.push(...declared());
  } else if (DERIVING_KINDS.has(`${o.apiVersion.split('/')[0]}|${o.kind}`)) {
    // An ApiObject the library did not render (an Include, a hand-made object): read it
    // as the rule engine reads a manifest.
    out.push(...manifestIdentities(o.toJson(), path).slice(1));
  }
}

/**
 * A cdk8s-plus HorizontalPodAutoscaler (any version): a construct with an HPA ApiObject
 * and a `target` that takes part in the handshake. Its binding, as this library's
 * autoscalers record theirs. cdk8s-plus is not a dependency of this library (each app
 * brings its own version), so it is recognised by shape.
 */
function cdk8sPlusHpaEntry(c: IConstruct): BindingEntry | undefined {
  const api = (c as any).apiObject;
  const target = (c as any).target;
  if (!(api instanceof ApiObject) || api.kind !== 'HorizontalPodAutoscaler' || api === c) return undefined;
  if (!target || typeof target.markHasAutoscaler !== 'function') return undefined;
  let ref: ScaleTargetReference;
  if (target.scaleTargetRef && typeof target.bindAutoscaler === 'function') {
    // A scale target of this library (a Dynamo adapter): its own reference.
    ref = target.scaleTargetRef;
  } else if (typeof target.toScalingTarget === 'function') {
    const t = target.toScalingTarget();
    ref = { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: target.metadata?.namespace };
  } else {
    return undefined;
  }
  return entryOf(ref, {
    kind: 'HorizontalPodAutoscaler', name: api.name, path: c.node.path, namespace: api.metadata.namespace, source: AutoscalerSource.CDK8S_PLUS_HPA,
  });
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
