/**
 * Name rules of the objects the library emits or derives, as the systems that admit
 * them state them: which name format and which length each kind takes. Plain functions
 * over strings, so that the constructs and the rule engine (over plain manifests) apply
 * the same rules.
 *
 * Sources (read, not copied):
 * - Kubernetes `pkg/apis/autoscaling/validation`: `ValidateHorizontalPodAutoscalerName =
 *   apimachineryvalidation.NameIsDNSSubdomain` (253 characters, no per-label limit);
 *   custom resources are validated with `NameIsDNSSubdomain` by the API server; ConfigMaps
 *   likewise (`ValidateConfigMapName`).
 * - KEDA 2.20 (kedacore/keda v2.20.2, `apis/keda/v1alpha1/scaledobject_webhook.go`,
 *   `verifyName`): the ScaledObject name is at most 63 characters (it is the value of the
 *   `scaledobject.keda.sh/name` label on the HPA KEDA creates), and the HPA name
 *   (`spec.advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<scaledobject>`)
 *   at most 63.
 * - AIBrix v0.7.0 (`pkg/controller/podautoscaler/hpa_resources.go`): the HPA strategy
 *   creates an HPA named `<podautoscaler>-hpa`; AIBrix has no PodAutoscaler webhook.
 */

/** RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: dot-separated RFC 1123 labels. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Longest RFC 1123 subdomain (Kubernetes object names). */
export const DNS_SUBDOMAIN_MAX = 253;
/** Longest RFC 1123 label, and longest label value. */
export const DNS_LABEL_MAX = 63;
/** The prefix of the HPA KEDA creates for a ScaledObject without a name override. */
export const KEDA_HPA_NAME_PREFIX = 'keda-hpa-';
/** The suffix of the HPA AIBrix creates for a PodAutoscaler with the HPA strategy. */
export const AIBRIX_HPA_NAME_SUFFIX = '-hpa';

/** Whether `value` is an RFC 1123 label of at most 63 characters. */
export function isDnsLabelName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= DNS_LABEL_MAX && DNS_LABEL.test(value);
}

/** Whether `value` is an RFC 1123 subdomain of at most 253 characters. */
export function isDnsSubdomainName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(value);
}

/** The name formats Kubernetes uses for object names. */
export type NameFormat = 'dns-subdomain' | 'dns-label';

/** What one kind of object accepts as its name. */
export interface NameRule {
  /** The format (Kubernetes' name validation function). */
  readonly format: NameFormat;
  /** The longest name the real system accepts (may be below the format's own limit). */
  readonly maxLength: number;
  /** Who sets the limit, and why, for error messages. */
  readonly why: string;
}

const SUBDOMAIN: NameRule = { format: 'dns-subdomain', maxLength: DNS_SUBDOMAIN_MAX, why: 'a Kubernetes object name (DNS subdomain)' };

/**
 * The name rule of each kind the library emits or derives. `KedaHorizontalPodAutoscaler`
 * and `AibrixHorizontalPodAutoscaler` are the HPAs KEDA and AIBrix create (kind
 * HorizontalPodAutoscaler, with the creator's extra limit).
 */
export const NAME_RULES: { readonly [kind: string]: NameRule } = {
  HorizontalPodAutoscaler: { ...SUBDOMAIN, why: "Kubernetes' HPA name validation (NameIsDNSSubdomain)" },
  ScaledObject: {
    format: 'dns-subdomain',
    maxLength: DNS_LABEL_MAX,
    why: "KEDA's webhook: the name is the 'scaledobject.keda.sh/name' label value on the HPA it creates",
  },
  KedaHorizontalPodAutoscaler: { format: 'dns-subdomain', maxLength: DNS_LABEL_MAX, why: "KEDA's webhook limit on the name of the HPA it creates" },
  TriggerAuthentication: SUBDOMAIN,
  ClusterTriggerAuthentication: SUBDOMAIN,
  PodAutoscaler: SUBDOMAIN,
  AibrixHorizontalPodAutoscaler: { ...SUBDOMAIN, why: "Kubernetes' HPA name validation (NameIsDNSSubdomain)" },
  PrometheusRule: SUBDOMAIN,
  ConfigMap: SUBDOMAIN,
  DynamoGraphDeploymentScalingAdapter: SUBDOMAIN,
};

/** A name that breaks its kind's rule: which rule, and the message. */
export interface NameProblem {
  /** `format` (characters) or `length`. */
  readonly rule: 'format' | 'length';
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** What the format allows, for messages. */
function formatText(format: NameFormat): string {
  return format === 'dns-label'
    ? "a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit"
    : "a DNS subdomain: lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
}

/**
 * The problem with `name` as the name of a `kind` (a key of `NAME_RULES`), or undefined
 * when the real system accepts it. The length rule is reported before the format rule
 * when both are broken, so that a long but otherwise valid derived name is reported as
 * too long.
 */
export function nameProblem(kind: string, name: unknown): NameProblem | undefined {
  const rule = NAME_RULES[kind];
  if (rule === undefined) throw new Error(`no name rule for kind ${kind}`);
  if (typeof name !== 'string' || name.length === 0) {
    return { rule: 'format', message: `must be ${formatText(rule.format)}` };
  }
  if (name.length > rule.maxLength) {
    return { rule: 'length', message: `is ${name.length} characters; at most ${rule.maxLength} (${rule.why})` };
  }
  const ok = rule.format === 'dns-label' ? DNS_LABEL.test(name) : DNS_SUBDOMAIN.test(name);
  return ok ? undefined : { rule: 'format', message: `must be ${formatText(rule.format)}` };
}

/** The HPA KEDA creates for a ScaledObject: the override, else `keda-hpa-<scaledobject>`. */
export function kedaHpaName(scaledObjectName: string, override?: string): string {
  return override !== undefined && override !== '' ? override : `${KEDA_HPA_NAME_PREFIX}${scaledObjectName}`;
}

/** The HPA AIBrix creates for a PodAutoscaler with the HPA strategy. */
export function aibrixHpaName(podAutoscalerName: string): string {
  return `${podAutoscalerName}${AIBRIX_HPA_NAME_SUFFIX}`;
}

/** One broken name rule of an object or of a name derived from it. */
export interface DerivedNameProblem extends NameProblem {
  /** The field the name comes from: `metadata.name`, or the field that overrides a derived name. */
  readonly field: string;
  /** The value of that field. */
  readonly value: string;
}

/** The longest ScaledObject name whose default HPA name `keda-hpa-<name>` KEDA still accepts (54). */
export const MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA = DNS_LABEL_MAX - KEDA_HPA_NAME_PREFIX.length;

/**
 * The name problems of a ScaledObject, as KEDA's webhook checks them (`verifyName`): its
 * own name, then the name of the HPA it makes KEDA create (the override in
 * `spec.advanced.horizontalPodAutoscalerConfig.name`, else `keda-hpa-<name>`).
 */
export function scaledObjectNameProblems(name: string, hpaNameOverride?: string): DerivedNameProblem[] {
  const own = nameProblem('ScaledObject', name);
  if (own) return [{ ...own, field: 'metadata.name', value: name }];
  if (hpaNameOverride !== undefined && hpaNameOverride !== '') {
    const p = nameProblem('KedaHorizontalPodAutoscaler', hpaNameOverride);
    return p ? [{ ...p, field: 'spec.advanced.horizontalPodAutoscalerConfig.name', value: hpaNameOverride }] : [];
  }
  const hpa = kedaHpaName(name);
  if (hpa.length <= DNS_LABEL_MAX) return [];
  return [{
    rule: 'length',
    field: 'metadata.name',
    value: name,
    message: `is ${name.length} characters; KEDA's webhook rejects a ScaledObject whose HPA name '${KEDA_HPA_NAME_PREFIX}<name>' exceeds ${DNS_LABEL_MAX}, so at most ${MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA}`,
  }];
}

/** The longest PodAutoscaler name whose `<name>-hpa` is still a valid HPA name (249). */
export const MAX_POD_AUTOSCALER_NAME_WITH_HPA = DNS_SUBDOMAIN_MAX - AIBRIX_HPA_NAME_SUFFIX.length;

/**
 * The name problems of an AIBrix PodAutoscaler: its own name and, for the HPA strategy,
 * the `<name>-hpa` HPA AIBrix creates.
 */
export function podAutoscalerNameProblems(name: string, hpaStrategy: boolean): DerivedNameProblem[] {
  const own = nameProblem('PodAutoscaler', name);
  if (own) return [{ ...own, field: 'metadata.name', value: name }];
  if (!hpaStrategy || aibrixHpaName(name).length <= DNS_SUBDOMAIN_MAX) return [];
  return [{
    rule: 'length',
    field: 'metadata.name',
    value: name,
    message: `is ${name.length} characters; AIBrix's HPA strategy creates the HPA '<name>${AIBRIX_HPA_NAME_SUFFIX}', and an HPA name is at most ${DNS_SUBDOMAIN_MAX}, so at most ${MAX_POD_AUTOSCALER_NAME_WITH_HPA}`,
  }];
}
