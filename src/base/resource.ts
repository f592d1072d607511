import { ApiObject, ApiObjectMetadataDefinition } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * The one shape of every construct of this library that renders one Kubernetes object
 * (a DGD, a DGDR, an HPA, a KEDA ScaledObject or TriggerAuthentication, an AIBrix
 * PodAutoscaler, a Prometheus Adapter ConfigMap, a PrometheusRule): a construct whose
 * default child is that object's `ApiObject`, the way cdk8s-plus builds its resources.
 * So `ApiObject.of(construct)` returns the object, and raw edits (`addJsonPatch`,
 * `addDependency`, `toJson`) go through `apiObject`.
 *
 * The members below read the ApiObject, so they always agree with what is rendered.
 * Named so as not to clash with cdk8s-plus's `Resource` in an app that uses both.
 * There is no `apiVersion` member: `DynamoGraphDeployment.apiVersion` is the
 * `DynamoApiVersion` it renders; the wire string is `apiObject.apiVersion`.
 */
export abstract class DynamoResource extends Construct {
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
