import { IScaleTarget } from './scale-target';

/**
 * What every autoscaler of this library is given, documented once: its target, its
 * lower replica bound, and how its object is named and placed. `HpaAutoscalerProps`,
 * `KedaAutoscalerProps` and `AibrixAutoscalerProps` extend it (each adds its upper
 * bound, `maxReplicas`, whose default differs: KEDA has one, HPA and AIBrix need it).
 */
export interface BaseAutoscalerProps {
  /**
   * What to scale: a Dynamo service's adapter (`service.adapter`), a cdk8s-plus
   * Deployment or StatefulSet of any version from 28 to 33 (`ScaleTarget.fromWorkload`),
   * or any /scale resource (`ScaleTarget.fromReference`).
   */
  readonly target: IScaleTarget;

  /**
   * Lower bound of replicas (rendered). 0 (scale to zero) needs the autoscaler's
   * `allowScaleToZero` and a metric that has a value at zero replicas.
   * @default 1
   */
  readonly minReplicas?: number;

  /**
   * Name of the autoscaler's object.
   * @default - `<target>[-<qualifier>]-<suffix>`, the suffix being `hpa`, `scaler` (KEDA) or `pa` (AIBrix); for a Dynamo service's adapter, whose name is `<dgd>-<service lowercased>`, that is `<dgd>-<service>[-<qualifier>]-<suffix>` (`DynamoNames`)
   */
  readonly name?: string;

  /**
   * Distinguishes variants in the default name, e.g. `queue` gives `<dgd>-<service>-queue-hpa`.
   * @default - none
   */
  readonly qualifier?: string;

  /**
   * Namespace of the autoscaler; must be the target's.
   * @default - the target's namespace, else the chart's
   */
  readonly namespace?: string;
}
