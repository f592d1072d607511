import { IConstruct } from 'constructs';
import { AutoscalerBinding, AutoscalerRegistry, ICdk8sPlusScalable, IScaleTarget, PlusScalingTarget, ScaleTargetReference } from '../autoscaling/scale-target';
import { DynamoNames } from '../naming';
import type { DynamoService } from './service';

/** Kind of the adapter object the Dynamo operator creates per enabled service. */
export const SCALING_ADAPTER_KIND = 'DynamoGraphDeploymentScalingAdapter';


/**
 * The DynamoGraphDeploymentScalingAdapter (DGDSA) of one DGD service, as a scale target.
 *
 * The Dynamo operator creates and owns the adapter object once the service's adapter is
 * enabled; this library never emits it, it only references it. Binding an autoscaler to
 * the adapter enables it, and from then on the service's `replicas` is left out of the
 * DGD: the operator's webhook rejects replica changes by anyone but the operator and the
 * Planner once the adapter owns them.
 *
 * The adapter also takes part in cdk8s-plus's handshake (`IScalable`, structurally, for
 * any cdk8s-plus version), so cdk8s-plus's own HorizontalPodAutoscaler can target it.
 */
export class DynamoScalingAdapter implements IScaleTarget, ICdk8sPlusScalable {
  /** The service whose replicas the adapter owns. */
  public readonly service: DynamoService;
  /** Whether a cdk8s-plus autoscaler has bound to the adapter (`IScalable`). */
  public hasAutoscaler = false;
  private readonly bindings: AutoscalerBinding[] = [];
  private plusAutoscalers = 0;

  public constructor(service: DynamoService) {
    this.service = service;
  }

  /** The adapter's name: `<dgd>-<service lowercased>`. */
  public get name(): string {
    return DynamoNames.adapterName(this.service.deploymentName, this.service.serviceName);
  }

  /** The construct the adapter belongs to (its service's DGD). */
  public get scope(): IConstruct {
    return this.service.deployment;
  }

  /** Always true: Dynamo metric and Planner rules apply. */
  public get isDynamoAdapter(): boolean {
    return true;
  }

  /** The scale-target reference of the adapter, in the DGD's API version. */
  public get scaleTargetRef(): ScaleTargetReference {
    return {
      apiVersion: this.service.deploymentApiVersion,
      kind: SCALING_ADAPTER_KIND,
      name: this.name,
      namespace: this.service.deploymentNamespace,
    };
  }

  /** The autoscalers bound to this adapter, in binding order. */
  public get autoscalers(): AutoscalerBinding[] {
    return [...this.bindings];
  }

  /**
   * The handshake: an autoscaler now owns the service's replicas. Enables the adapter
   * and records the binding for the app-wide conflict check.
   */
  public bindAutoscaler(binding: AutoscalerBinding): void {
    this.bindings.push(binding);
    this.service.enableScalingAdapter();
    AutoscalerRegistry.of(this.service.deployment).bind(this.scaleTargetRef, binding);
  }

  /**
   * cdk8s-plus's handshake (`IScalable`), called by its HorizontalPodAutoscaler.
   */
  public markHasAutoscaler(): void {
    this.hasAutoscaler = true;
    this.plusAutoscalers += 1;
    this.bindAutoscaler({
      kind: 'HorizontalPodAutoscaler',
      name: `(cdk8s-plus HorizontalPodAutoscaler #${this.plusAutoscalers})`,
      path: `${this.service.path} (via cdk8s-plus)`,
    });
  }

  /**
   * cdk8s-plus's view of the target. The adapter has no containers of its own, so
   * a cdk8s-plus HPA on it needs explicit metrics (cdk8s-plus checks that).
   */
  public toScalingTarget(): PlusScalingTarget {
    const ref = this.scaleTargetRef;
    return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, containers: [] };
  }
}
