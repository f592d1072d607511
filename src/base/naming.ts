/**
 * Every name this library derives lives here, computed from the domain (DGD name,
 * service name, Kubernetes namespace), never from a construct path. Runbooks,
 * dashboards and the Dynamo operator itself refer to these names, so they must be
 * deterministic and stable when constructs move around in the tree.
 */

import { scalingAdapterName } from '../core/identity';
import { aibrixHpaName, DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX, isDnsSubdomainName, KEDA_HPA_NAME_PREFIX, kedaHpaName } from '../core/names';

/** A DGD component name, as the v1beta1 CRD constrains it (upper case allowed). */
const COMPONENT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** Longest Kubernetes object name (DNS subdomain). */
export const MAX_SUBDOMAIN_LENGTH = DNS_SUBDOMAIN_MAX;
/** Longest DNS label; also KEDA's limit for ScaledObject and HPA names. */
export const MAX_LABEL_LENGTH = DNS_LABEL_MAX;
/** Longest component name in a DGD. */
export const MAX_COMPONENT_NAME_LENGTH = 63;
/** Grove's limit on DGD name + service name for multinode services. */
export const GROVE_NAME_BUDGET = 45;
/** Length of KEDA's `keda-hpa-` prefix on the HPA it creates. */
export const KEDA_HPA_PREFIX = KEDA_HPA_NAME_PREFIX;

/**
 * Names derived from a DynamoGraphDeployment and its services.
 */
export class DynamoNames {
  /**
   * The name of the DynamoGraphDeploymentScalingAdapter the operator creates for a
   * service: `<dgd>-<service lowercased>`. Nothing else is sanitised.
   */
  public static adapterName(dgdName: string, serviceName: string): string {
    return scalingAdapterName(dgdName, serviceName);
  }

  /**
   * The `dynamo_namespace` label value on the DGD's metrics, as the operator computes
   * it: `<kubernetes namespace>-<DGD name with '.' turned into '-'>`, or `dynamo` when
   * the global Dynamo namespace is used.
   */
  public static dynamoNamespaceLabel(kubernetesNamespace: string, dgdName: string, globalNamespace?: boolean): string {
    if (globalNamespace) return 'dynamo';
    return `${kubernetesNamespace}-${dgdName.replace(/\./g, '-')}`;
  }

  /**
   * The name of an HPA for a DGD service: `<dgd>-<service>[-<qualifier>]-hpa`.
   */
  public static hpaName(dgdName: string, serviceName: string, qualifier?: string): string {
    return join(dgdName, serviceName.toLowerCase(), qualifier, 'hpa');
  }

  /**
   * The name of a KEDA ScaledObject for a DGD service: `<dgd>-<service>[-<qualifier>]-scaler`.
   */
  public static scaledObjectName(dgdName: string, serviceName: string, qualifier?: string): string {
    return join(dgdName, serviceName.toLowerCase(), qualifier, 'scaler');
  }

  /**
   * The name of an AIBrix PodAutoscaler for a DGD service: `<dgd>-<service>[-<qualifier>]-pa`.
   */
  public static podAutoscalerName(dgdName: string, serviceName: string, qualifier?: string): string {
    return join(dgdName, serviceName.toLowerCase(), qualifier, 'pa');
  }

  /** The HPA name for a plain workload: `<workload>[-<qualifier>]-hpa`. */
  public static workloadHpaName(workloadName: string, qualifier?: string): string {
    return join(workloadName, qualifier, 'hpa');
  }

  /** The ScaledObject name for a plain workload: `<workload>[-<qualifier>]-scaler`. */
  public static workloadScaledObjectName(workloadName: string, qualifier?: string): string {
    return join(workloadName, qualifier, 'scaler');
  }

  /** The PodAutoscaler name for a plain workload: `<workload>[-<qualifier>]-pa`. */
  public static workloadPodAutoscalerName(workloadName: string, qualifier?: string): string {
    return join(workloadName, qualifier, 'pa');
  }

  /**
   * The HPA that KEDA creates for a ScaledObject: `keda-hpa-<scaledobject>` unless the
   * ScaledObject overrides it in `advanced.horizontalPodAutoscalerConfig.name`.
   */
  public static kedaHpaName(scaledObjectName: string, override?: string): string {
    return kedaHpaName(scaledObjectName, override);
  }

  /** The native HPA that AIBrix creates for a PodAutoscaler with the HPA strategy. */
  public static aibrixHpaName(podAutoscalerName: string): string {
    return aibrixHpaName(podAutoscalerName);
  }

  /** The TriggerAuthentication name for a ScaledObject: `<scaledobject>-auth`. */
  public static triggerAuthenticationName(scaledObjectName: string): string {
    return `${scaledObjectName}-auth`;
  }

  private constructor() {}
}

function join(...parts: Array<string | undefined>): string {
  return parts.filter((p) => p !== undefined && p !== '').join('-');
}

/** @internal */
export function isComponentName(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_COMPONENT_NAME_LENGTH && COMPONENT_NAME.test(value);
}

/** A label or annotation key: optional DNS-subdomain prefix and '/', then a name of at most 63. */
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A label value: empty, or at most 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Whether `key` is a valid label or annotation key (`[prefix/]name`). @internal */
export function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0 && !isDnsSubdomainName(key.slice(0, slash))) return false;
  return name.length <= MAX_LABEL_LENGTH && QUALIFIED_NAME.test(name);
}

/** Whether `value` is a valid label value. @internal */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= MAX_LABEL_LENGTH && LABEL_VALUE.test(value);
}
