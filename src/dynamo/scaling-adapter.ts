import { IConstruct } from 'constructs';
import type { DynamoGraphDeployment } from './deployment';
import type { DynamoService } from './service';
import type { ObjectIdentity } from '../base/identity';
import { DynamoNames } from '../base/naming';
import {
  AutoscalerBinding, AutoscalerRegistry, AutoscalerSource, describeTarget, ICdk8sPlusScalable, IScaleTarget, PlusScalingTarget, provideTargetRules,
  ScaleTargetReference,
} from '../base/scale-target';

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
    // The Dynamo rules for the autoscalers bound to an adapter, as a capability of the
    // target (the autoscalers know no Dynamo type).
    provideTargetRules(this, { dynamoNamespaceProblem: (selected) => dynamoNamespaceProblem(this, selected) });
  }

  /** The adapter's name: `<dgd>-<service lowercased>`. */
  public get name(): string {
    return DynamoNames.adapterName(this.service.deploymentName, this.service.serviceName);
  }

  /** The construct the adapter belongs to (its service's DGD). */
  public get scope(): IConstruct {
    return this.service.deployment;
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
      source: AutoscalerSource.CDK8S_PLUS_HPA,
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

/**
 * When metric queries select `dynamo_namespace` values other than the adapter's DGD's,
 * what is wrong; undefined when they match or when the DGD's label cannot be known (no
 * namespace).
 */
function dynamoNamespaceProblem(adapter: DynamoScalingAdapter, selected: string[]): string | undefined {
  const deployment = adapter.service.deployment;
  let own: string;
  try {
    own = deployment.dynamoNamespaceLabel;
  } catch {
    return undefined;
  }
  const others = selected.filter((v) => v !== own);
  if (others.length === 0) return undefined;
  return `the query selects dynamo_namespace ${others.map((v) => `'${v}'`).join(', ')}, but the target ${describeTarget(adapter.scaleTargetRef)} belongs to DGD '${deployment.name}', whose metrics carry dynamo_namespace '${own}': it would scale this service on another deployment's traffic`;
}

/**
 * The scaling adapters the Dynamo operator creates from a DGD: one per service whose
 * adapter is enabled, for the app-wide identity check (`AutoscalerRegistry.deriveObjects`).
 * @internal
 */
export function adapterIdentities(deployment: DynamoGraphDeployment): ObjectIdentity[] {
  const out: ObjectIdentity[] = [];
  for (const s of deployment.services) {
    if (!s.scalingAdapterEnabled) continue;
    const ref = s.adapter.scaleTargetRef;
    out.push({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
      path: s.path,
      origin: `the scaling adapter the Dynamo operator creates for service '${s.serviceName}' of DGD '${deployment.name}'`,
    });
  }
  return out;
}
