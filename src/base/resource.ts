import { ApiObject, ApiObjectMetadataDefinition } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/**
 * What every construct of this library that renders one Kubernetes object offers: the
 * object (`apiObject`, which `ApiObject.of(construct)` returns too) and what it is called.
 * Raw edits (`addJsonPatch`, `addDependency`, `toJson`) go through `apiObject`.
 *
 * Implemented by `DynamoResource` (the DGD, DGDR, `AibrixAutoscaler`,
 * `KedaTriggerAuthentication`, `PrometheusAdapterConfig`, `AutoscalerAlerts`) and by
 * `HpaAutoscaler` and `KedaAutoscaler`, which are their own ApiObject (`apiObject`
 * returns the autoscaler itself) so that fleets of many charts stay fast.
 *
 * There is no `apiVersion` member: `DynamoGraphDeployment.apiVersion` is the
 * `DynamoApiVersion` it renders; the wire string is `apiObject.apiVersion`.
 */
export interface IDynamoResource extends IConstruct {
  /** The object this construct renders. */
  readonly apiObject: ApiObject;
  /** The object's metadata (name, namespace, labels, annotations), as cdk8s renders it. */
  readonly metadata: ApiObjectMetadataDefinition;
  /** The object's Kubernetes name (`metadata.name`). */
  readonly name: string;
  /**
   * The object's namespace (`metadata.namespace`).
   * @default - none: the namespace the manifests are applied to
   */
  readonly namespace?: string;
  /** The object's kind, e.g. `DynamoGraphDeployment`. */
  readonly kind: string;
}

/**
 * The shape of the library's one-object constructs, the way cdk8s-plus builds its
 * resources: a construct whose default child is the object's `ApiObject`, so
 * `ApiObject.of(construct)` returns it. The members read the ApiObject, so they always
 * agree with what is rendered. Named so as not to clash with cdk8s-plus's `Resource` in
 * an app that uses both.
 */
export abstract class DynamoResource extends Construct implements IDynamoResource {
  /**
   * The object this construct renders: its default child (`ApiObject.of(this)`), for
   * `addJsonPatch`, `addDependency`, `toJson` and other raw edits.
   */
  public abstract readonly apiObject: ApiObject;

  /** The object's metadata (name, namespace, labels, annotations), as cdk8s renders it. */
  public get metadata(): ApiObjectMetadataDefinition {
    return this.apiObject.metadata;
  }

  /** The object's Kubernetes name (`metadata.name`). */
  public get name(): string {
    return this.apiObject.name;
  }

  /**
   * The object's namespace (`metadata.namespace`): the one given to the construct, else
   * its chart's, else none.
   */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** The object's kind, e.g. `HorizontalPodAutoscaler`. */
  public get kind(): string {
    return this.apiObject.kind;
  }
}
