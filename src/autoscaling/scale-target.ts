import * as plus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import type { DynamoScalingAdapter } from '../dynamo/scaling-adapter';
import { invalidMessage } from '../errors';

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
}

/**
 * Something an autoscaler can scale: a scale-target reference plus the handshake
 * that tells the target an autoscaler owns its replicas.
 *
 * Implemented by Dynamo service adapters (`DynamoService.adapter`), by cdk8s-plus-28
 * Deployments and StatefulSets (`ScaleTarget.fromScalable`) and by plain references to
 * any other /scale resource (`ScaleTarget.fromReference`).
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
 * The identity of a target across API versions: group, kind, namespace, name.
 * @internal
 */
export function targetKey(ref: ScaleTargetReference): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** @internal */
export function describeTarget(ref: ScaleTargetReference): string {
  return `${ref.kind} '${ref.namespace ? ref.namespace + '/' : ''}${ref.name}'`;
}

/**
 * App-wide record of which autoscalers own which targets, so that conflicts are found
 * across every chart in linear time: one map insertion per binding, one lookup per
 * autoscaler at synth.
 * @internal
 */
export class AutoscalerRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): AutoscalerRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new AutoscalerRegistry();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  /**
   * Bumped on every binding. cdk8s validates the whole app once per chart it
   * synthesizes, so checks that depend only on the bindings remember the revision they
   * passed at and skip the repeats: without this, an app of N charts runs every
   * conflict check N+1 times.
   */
  public revision = 0;

  private readonly bindings = new Map<string, AutoscalerBinding[]>();
  private readonly externalMetricProviders = new Map<string, string>();
  private readonly checks: Array<() => string[]> = [];
  private checksPassedAt?: { revision: number; checks: number };
  private warned = false;
  private watchingExternalMetrics = false;

  /**
   * Registers a synth-time check whose outcome depends only on the app's bindings and
   * services (conflicts, namespaces, empty DGDs). All of them run from one validation on
   * the app's root rather than one per construct: cdk8s validates every construct once
   * per chart it synthesizes, so a fleet of N charts would otherwise call N x (number
   * of autoscalers) checks. They are skipped until a binding or a service changes the
   * revision. Each check's messages carry its own construct path.
   */
  public addCheck(scope: IConstruct, check: () => string[]): void {
    if (this.checks.length === 0) {
      // Carried by a construct of its own so that cdk8s reports these errors under
      // `[cdk8s-dynamo]` rather than the root's empty path; it renders nothing.
      const holder = new Construct(scope.node.root, 'cdk8s-dynamo');
      holder.node.addValidation({ validate: () => this.runChecks() });
    }
    this.checks.push(check);
  }

  /** Something the checks depend on changed (a binding, a service). */
  public touch(): void {
    this.revision += 1;
  }

  private runChecks(): string[] {
    const passed = this.checksPassedAt;
    if (passed && passed.revision === this.revision && passed.checks === this.checks.length) return [];
    const errors = this.checks.flatMap((check) => check());
    if (errors.length === 0) this.checksPassedAt = { revision: this.revision, checks: this.checks.length };
    return errors;
  }

  /** Records that `binding` owns the target `ref`. */
  public bind(ref: ScaleTargetReference, binding: AutoscalerBinding): void {
    this.revision += 1;
    const key = targetKey(ref);
    const list = this.bindings.get(key);
    if (list) list.push(binding);
    else this.bindings.set(key, [binding]);
  }

  /** Every binding of the target `ref`. */
  public bindingsOf(ref: ScaleTargetReference): readonly AutoscalerBinding[] {
    return this.bindings.get(targetKey(ref)) ?? [];
  }

  /**
   * The errors for one autoscaler: every other binding of its target is a conflict.
   */
  public conflictsFor(ref: ScaleTargetReference, self: AutoscalerBinding): string[] {
    const others = this.bindingsOf(ref).filter((b) => b !== self);
    return others.map((other) => {
      if (other.kind === 'Planner') {
        return invalidMessage(self.path, 'target', describeTarget(ref),
          `the Dynamo Planner (${other.path}) already manages this service; a service the Planner scales cannot have another autoscaler`);
      }
      return invalidMessage(self.path, 'target', describeTarget(ref),
        `${other.kind} '${other.name}' (${other.path}) already scales this target; at most one autoscaler per target (${self.kind} '${self.name}' and ${other.kind} '${other.name}' would fight over replicas)`);
    });
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
 * A cdk8s-plus-28 Deployment or StatefulSet as a scale target: the handshake is
 * cdk8s-plus's own `markHasAutoscaler()`, after which the workload leaves `replicas` out.
 */
class WorkloadScaleTarget implements IScaleTarget {
  public readonly isDynamoAdapter = false;
  public constructor(public readonly scope: plus.Workload, private readonly scalable: plus.IScalable) {}
  public get scaleTargetRef(): ScaleTargetReference {
    const t = this.scalable.toScalingTarget();
    return { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: this.scope.metadata.namespace };
  }
  public bindAutoscaler(binding: AutoscalerBinding): void {
    this.scalable.markHasAutoscaler();
    AutoscalerRegistry.of(this.scope).bind(this.scaleTargetRef, binding);
  }
}

/**
 * Factories for scale targets that are not Dynamo adapters (for those, use
 * `DynamoService.adapter`).
 */
export class ScaleTarget {
  /**
   * A cdk8s-plus-28 Deployment or StatefulSet. Binding an autoscaler calls the
   * workload's `markHasAutoscaler()`, so it stops rendering `replicas`.
   */
  public static fromWorkload(workload: plus.Workload): IScaleTarget {
    const scalable = workload as unknown as Partial<plus.IScalable>;
    if (typeof scalable.markHasAutoscaler !== 'function' || typeof scalable.toScalingTarget !== 'function') {
      throw new Error(invalidMessage(workload, 'workload', workload.node.id,
        'is not scalable; use a cdk8s-plus-28 Deployment or StatefulSet, or ScaleTarget.fromReference for other /scale resources'));
    }
    return new WorkloadScaleTarget(workload, scalable as plus.IScalable);
  }

  /**
   * Any object with a /scale subresource, by reference. `scope` is any construct of
   * the app (for app-wide conflict checks).
   */
  public static fromReference(scope: IConstruct, ref: ScaleTargetReference): IScaleTarget {
    for (const field of ['apiVersion', 'kind', 'name'] as const) {
      if (typeof ref[field] !== 'string' || ref[field].length === 0) {
        throw new Error(invalidMessage(scope, `scaleTargetRef.${field}`, ref[field], 'must be a non-empty string'));
      }
    }
    return new ReferenceScaleTarget(scope, { ...ref });
  }

  private constructor() {}
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
 * Binds an autoscaler construct to its target and registers the checks every
 * autoscaler shares: one autoscaler per target (app-wide), same namespace as the target.
 * @internal
 */
export function attachAutoscaler(
  autoscaler: IConstruct, target: IScaleTarget, kind: string, name: string, namespace: string | undefined,
): AutoscalerBinding {
  const binding: AutoscalerBinding = { kind, name, path: autoscaler.node.path };
  target.bindAutoscaler(binding);
  const registry = AutoscalerRegistry.of(autoscaler);
  registry.addCheck(autoscaler, () => {
    const ref = target.scaleTargetRef;
    const errors = registry.conflictsFor(ref, binding);
    if (ref.namespace !== undefined && namespace !== undefined && ref.namespace !== namespace) {
      errors.push(invalidMessage(autoscaler, 'namespace', namespace,
        `must equal the namespace of its target ${describeTarget(ref)}; an autoscaler only scales objects in its own namespace`));
    }
    return errors;
  });
  return binding;
}
