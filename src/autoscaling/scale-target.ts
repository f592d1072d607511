import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../base/errors';
import {
  AutoscalerBinding, AutoscalerRegistry, AutoscalerSource, IScaleTarget, ScaleTargetReference, targetRulesOf, WorkloadScalingTarget,
} from '../base/scale-target';

/**
 * A scale target that is only a reference: the autoscaler renders it, conflicts are
 * still tracked app-wide, and no handshake reaches the object itself.
 */
class ReferenceScaleTarget implements IScaleTarget {
  public constructor(public readonly scope: IConstruct, public readonly scaleTargetRef: ScaleTargetReference) {}
  public bindAutoscaler(binding: AutoscalerBinding): void {
    AutoscalerRegistry.of(this.scope).bind(this.scaleTargetRef, binding);
  }
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
 * The default name of an autoscaler: the target's name, a qualifier and a suffix, by
 * the given `DynamoNames` function. For a Dynamo adapter, whose name is
 * `<dgd>-<service lowercased>`, that is `DynamoNames.hpaName(dgd, service, qualifier)`
 * and its kin: one rule for every target.
 * @internal
 */
export function defaultAutoscalerName(
  target: IScaleTarget,
  qualifier: string | undefined,
  forTarget: (targetName: string, qualifier?: string) => string,
): string {
  return forTarget(target.scaleTargetRef.name, qualifier);
}

/**
 * Binds an autoscaler construct to its target; the app-wide checks (one autoscaler per
 * target, same namespace as the target, object identity) then cover it.
 * @internal
 */
export function attachAutoscaler(
  autoscaler: IConstruct, target: IScaleTarget, source: AutoscalerSource, kind: string, name: string, namespace: string | undefined,
): AutoscalerBinding {
  const binding: AutoscalerBinding = { kind, name, path: autoscaler.node.path, namespace, source };
  AutoscalerRegistry.of(autoscaler);
  target.bindAutoscaler(binding);
  return binding;
}

/**
 * When a metric query selects `dynamo_namespace` values that the target's rules refuse
 * (a Dynamo adapter: values other than its DGD's), what is wrong; undefined when they
 * fit, when the target has no such rules, or when nothing is selected. Shared by every
 * autoscaler whose metrics name a Dynamo deployment.
 * @internal
 */
export function dynamoNamespaceMismatch(target: IScaleTarget, selected: string[]): string | undefined {
  if (selected.length === 0) return undefined;
  return targetRulesOf(target)?.dynamoNamespaceProblem(selected);
}
