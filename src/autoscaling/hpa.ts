import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IHpaMetric, isLatencyQuantile, metricWireForm } from './hpa-metric';
import { quantityString } from './quantity';
import { attachAutoscaler, defaultAutoscalerName, dynamoNamespaceMismatch, requireScaleTarget, WorkloadScaleTarget } from './scale-target';
import { HpaScalingRules, renderScalingRules } from './scaling-rules';
import { BaseAutoscalerProps } from '../base/autoscaler-props';
import { invalid, invalidMessage } from '../base/errors';
import { DynamoNames } from '../base/naming';
import { IDynamoResource } from '../base/resource';
import { AutoscalerRegistry, AutoscalerSource, IScaleTarget } from '../base/scale-target';
import { requireDnsLabel, requireDnsSubdomain, requireInteger, requirePositive } from '../base/validators';


const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };

/**
 * Properties of an `HpaAutoscaler`.
 */
export interface HpaAutoscalerProps extends BaseAutoscalerProps {
  /** Upper bound of replicas (>= 1 and >= minReplicas). */
  readonly maxReplicas: number;

  /**
   * The metrics to scale on: `HpaMetric` values (`HpaMetric.resourceCpu`,
   * `HpaMetric.external`, ...), `DynamoExternalMetric.metric`, or cdk8s-plus `Metric`
   * values of any version from cdk8s-plus-28 to -33. At least one, for every kind of target:
   * Kubernetes' implicit fallback (80% CPU utilization) would be invisible in the
   * manifest and fails on pods without CPU requests. Resource metrics are cpu or memory
   * (all the resource metrics API serves); a Utilization target on a cdk8s-plus workload
   * needs that resource's request (or limit) on the containers it measures.
   */
  readonly metrics: IHpaMetric[];

  /**
   * Scale-up behavior (`HpaScalingRules`; a cdk8s-plus `ScalingRules` of any version is
   * accepted as it is). Only what is given is rendered; Kubernetes defaults the rest
   * (no stabilization, 4 pods or 100% per 15 s, whichever is more).
   * @default - Kubernetes defaults
   */
  readonly scaleUp?: HpaScalingRules;

  /**
   * Scale-down behavior (`HpaScalingRules`, or a cdk8s-plus `ScalingRules`). Only what
   * is given is rendered; Kubernetes defaults the rest (300 s stabilization, 100% per 15 s).
   * @default - Kubernetes defaults
   */
  readonly scaleDown?: HpaScalingRules;

  /**
   * Allow `minReplicas: 0`. Needs the HPAScaleToZero feature gate (alpha up to
   * Kubernetes 1.36) on the cluster and at least one Object or External metric that has
   * a value at zero replicas (not only a latency quantile).
   * @default false
   */
  readonly allowScaleToZero?: boolean;

  /**
   * Allow External metrics that select another Dynamo deployment's `dynamo_namespace`
   * than the target adapter's DGD (scaling one deployment on another's traffic).
   * @default false
   */
  readonly allowCrossDeploymentMetrics?: boolean;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on a scale target, written with the
 * library's metric and scaling vocabulary (or cdk8s-plus's, any version from 28 to 33)
 * and checked against the Kubernetes validation rules at construction.
 *
 * The autoscaler is its own ApiObject (rather than a `DynamoResource` wrapping one, like
 * the library's other constructs): cdk8s walks every construct of the app once per chart,
 * and a wrapper's extra construct made a fleet of 1000 one-DGD charts 30% slower. It has
 * the same members (`IDynamoResource`).
 */
export class HpaAutoscaler extends ApiObject implements IDynamoResource {
  /** The HPA's namespace, if known. */
  public readonly namespace?: string;
  /** The scale target. */
  public readonly target: IScaleTarget;
  /** Lower bound of replicas. */
  public readonly minReplicas: number;
  /** Upper bound of replicas. */
  public readonly maxReplicas: number;

  private readonly metrics: any[];

  public constructor(scope: Construct, id: string, props: HpaAutoscalerProps) {
    const hpa = prepareHpa(scope, childPath(scope, id), props);
    super(scope, id, {
      ...HPA,
      metadata: { name: hpa.name, namespace: hpa.namespace },
      spec: hpa.spec,
    });
    this.target = props.target;
    this.minReplicas = hpa.spec.minReplicas;
    this.maxReplicas = props.maxReplicas;
    this.namespace = hpa.namespace;
    this.metrics = hpa.spec.metrics;

    attachAutoscaler(this, props.target, AutoscalerSource.HPA, HPA.kind, this.name, this.namespace);
    if (this.metrics.some((m) => m.type === 'External')) {
      // A hand-written HPA's External metrics come from an external metrics adapter such
      // as Prometheus Adapter, which competes with KEDA for the external metrics API.
      AutoscalerRegistry.of(this).useExternalMetrics('Prometheus Adapter', this);
    }
    const workload = workloadOf(props.target);
    if (workload) {
      // Containers can still be added after the HPA, so the check waits for synth.
      this.node.addValidation({ validate: () => resourceRequestErrors(this, workload, this.metrics) });
    }
  }

  /** The underlying ApiObject: the autoscaler itself (kept for `addJsonPatch` and the like). */
  public get apiObject(): ApiObject {
    return this;
  }
}

/**
 * Checks the props and renders the spec before the ApiObject exists; errors name the
 * autoscaler by the path it is about to have.
 */
function prepareHpa(scope: Construct, at: string, props: HpaAutoscalerProps): { name: string; namespace?: string; spec: any } {
  if (props === null || typeof props !== 'object') {
    throw invalid(at, 'props', props, 'must be HpaAutoscalerProps ({ target, maxReplicas, metrics, ... })');
  }
  requireScaleTarget(at, props.target);
  const minReplicas = props.minReplicas ?? 1;
  const namespace = props.namespace ?? props.target.scaleTargetRef.namespace ?? Chart.of(scope).namespace;
  if (props.qualifier !== undefined) requireDnsLabel(at, 'qualifier', props.qualifier);
  const name = props.name ?? defaultAutoscalerName(props.target, props.qualifier, DynamoNames.workloadHpaName);
  requireDnsSubdomain(at, 'name', name);
  if (props.maxReplicas === undefined || props.maxReplicas === null) {
    throw invalid(at, 'maxReplicas', props.maxReplicas, 'is required: an integer >= 1 (Kubernetes has no default)');
  }
  requireInteger(at, 'maxReplicas', props.maxReplicas, 1);
  requireInteger(at, 'minReplicas', props.minReplicas, 0);
  if (minReplicas > props.maxReplicas) {
    throw invalid(at, 'minReplicas', minReplicas, `must be less than or equal to 'maxReplicas' (${props.maxReplicas})`);
  }
  const metrics = renderMetrics(at, props.metrics);
  if (minReplicas === 0) {
    if (!props.allowScaleToZero) {
      throw invalid(at, 'minReplicas', 0, "must be >= 1; 0 needs 'allowScaleToZero' (the HPAScaleToZero feature gate) and an Object or External metric");
    }
    const outside = metrics.filter((m) => m.type === 'Object' || m.type === 'External');
    if (outside.length === 0) {
      throw invalid(at, 'minReplicas', 0, 'scaling to zero needs at least one Object or External metric: with Resource or Pods metrics there are no pods to measure at zero');
    }
    if (outside.every((m) => isLatencyQuantile(props.metrics[metrics.indexOf(m)], m))) {
      throw invalid(at, 'metrics', outside.map((m) => m.external?.metric?.name ?? m.object?.metric?.name),
        'with minReplicas 0 the only External metrics are latency quantiles (TTFT/ITL), which cannot wake the service up: at zero replicas no requests are served, so the quantile has no value and the HPA never scales up again (ai-dynamo/dynamo#10751). '
        + 'Add a metric that has a signal at zero replicas, such as the frontend queue depth (DynamoExternalMetric.queuedRequests), or keep minReplicas >= 1');
    }
  }
  if (!props.allowCrossDeploymentMetrics) {
    const error = crossDeploymentError(at, props.target, metrics);
    if (error) throw error;
  }
  const scaleUp = renderScalingRules(at, 'scaleUp', props.scaleUp);
  const scaleDown = renderScalingRules(at, 'scaleDown', props.scaleDown);
  // A target's reference is fixed once it exists, so the spec is rendered here, once.
  const ref = props.target.scaleTargetRef;
  return {
    name,
    namespace,
    spec: {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
      minReplicas,
      maxReplicas: props.maxReplicas,
      metrics,
      behavior: scaleUp || scaleDown ? { scaleUp, scaleDown } : undefined,
    },
  };
}

/**
 * A Dynamo adapter scaled on an External metric that selects another deployment's
 * `dynamo_namespace`: the metric is about traffic this service does not serve.
 */
function crossDeploymentError(at: string, target: IScaleTarget, metrics: any[]): Error | undefined {
  for (const [i, m] of metrics.entries()) {
    const selected = m.external?.metric?.selector?.matchLabels?.dynamo_namespace;
    if (typeof selected !== 'string') continue;
    const mismatch = dynamoNamespaceMismatch(target, [selected]);
    if (mismatch) {
      return invalid(at, `metrics[${i}]`, `dynamo_namespace=${selected}`, `${mismatch}; set 'allowCrossDeploymentMetrics: true' if scaling on another deployment's traffic is meant`);
    }
  }
  return undefined;
}

/**
 * The path a construct with `id` will have under `scope`, for errors raised before it exists.
 * @internal
 */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/** Which target types each metric source accepts (Kubernetes validation). */
const ALLOWED_TARGETS: Record<string, string[]> = {
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  Pods: ['AverageValue'],
  Object: ['Value', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};
/** What the resource metrics API serves; Metric.resourceStorage and the like never get a value. */
const RESOURCE_METRIC_NAMES = ['cpu', 'memory'];
const SOURCE_KEY: Record<string, string> = {
  Resource: 'resource', ContainerResource: 'containerResource', Pods: 'pods', Object: 'object', External: 'external',
};

function renderMetrics(scope: IConstruct | string, metrics: IHpaMetric[] | undefined): any[] {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw invalid(scope, 'metrics', metrics ?? [],
      "needs at least one metric (e.g. HpaMetric.resourceCpu(HpaMetricTarget.averageUtilization(70))); Kubernetes' implicit 80% CPU fallback is not offered: it is invisible in the manifest and needs CPU requests on every pod");
  }
  return metrics.map((m, i) => {
    const spec = metricWireForm(m);
    if (spec === undefined || !SOURCE_KEY[spec.type] || typeof spec[SOURCE_KEY[spec.type]]?.target !== 'object') {
      throw invalid(scope, `metrics[${i}]`, m,
        'must be an HpaMetric (HpaMetric.resourceCpu, .pods, .external, ...), a DynamoExternalMetric\'s metric, or a cdk8s-plus Metric');
    }
    const source = spec[SOURCE_KEY[spec.type]];
    const target = source.target;
    const allowed = ALLOWED_TARGETS[spec.type];
    if (!allowed.includes(target.type)) {
      throw invalid(scope, `metrics[${i}].target`, target.type,
        `a ${spec.type} metric takes ${allowed.join(' or ')} targets (HpaMetricTarget.${allowed.map(targetFactory).join(' / HpaMetricTarget.')})`);
    }
    if (target.type === 'Utilization' && !(Number.isInteger(target.averageUtilization) && target.averageUtilization >= 1)) {
      // Not requireInteger: the unit is part of the rule here.
      throw invalid(scope, `metrics[${i}].target.averageUtilization`, target.averageUtilization, 'must be an integer >= 1 (percent)');
    }
    for (const key of ['value', 'averageValue']) {
      if (target[key] === undefined) continue;
      const n = target[key];
      requirePositive(scope, `metrics[${i}].target.${key}`, n);
      target[key] = quantityString(n);
    }
    if ((spec.type === 'Resource' || spec.type === 'ContainerResource') && !RESOURCE_METRIC_NAMES.includes(source.name)) {
      throw invalid(scope, `metrics[${i}]`, `${spec.type} ${source.name}`,
        `the resource metrics API (metrics-server) serves only ${RESOURCE_METRIC_NAMES.join(' and ')}; the HPA would never get a value for ${source.name}`);
    }
    const metricName = source.metric?.name;
    if (source.metric && (typeof metricName !== 'string' || metricName.length === 0)) {
      throw invalid(scope, `metrics[${i}].name`, metricName, 'must be a non-empty metric name');
    }
    return spec;
  });
}

function targetFactory(type: string): string {
  return type === 'Utilization' ? 'averageUtilization' : type === 'AverageValue' ? 'averageValue' : 'value';
}

/**
 * The cdk8s-plus workload behind a target from `ScaleTarget.fromWorkload`.
 */
function workloadOf(target: IScaleTarget): WorkloadScaleTarget['workload'] | undefined {
  return target instanceof WorkloadScaleTarget ? target.workload : undefined;
}

/** The containers of a cdk8s-plus workload (any version), as far as the checks read them. */
interface WorkloadContainer {
  readonly name?: string;
  readonly resources?: { readonly cpu?: { request?: unknown; limit?: unknown }; readonly memory?: { request?: unknown; limit?: unknown } };
}

/**
 * Utilization is a percentage of the containers' requests: the HPA controller reports
 * "missing request" and never scales when a container has no request for the resource.
 * A limit alone is enough, Kubernetes then defaults the request to it.
 */
function resourceRequestErrors(hpa: HpaAutoscaler, workload: WorkloadScaleTarget['workload'], metrics: any[]): string[] {
  const errors: string[] = [];
  const all: WorkloadContainer[] = Array.isArray((workload as any).containers) ? (workload as any).containers : [];
  const { kind, name } = workload.toScalingTarget();
  metrics.forEach((m, i) => {
    const source = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!source || source.target.type !== 'Utilization') return;
    const containers = m.type === 'Resource' ? all : all.filter((c) => c.name === source.container);
    if (containers.length === 0) {
      errors.push(invalidMessage(hpa, `metrics[${i}].container`, source.container,
        `${kind} '${name}' has no container of that name; it has ${all.map((c) => c.name).join(', ') || 'none'}`));
      return;
    }
    for (const c of containers) {
      const r = source.name === 'cpu' ? c.resources?.cpu : c.resources?.memory;
      if (r?.request === undefined && r?.limit === undefined) {
        errors.push(invalidMessage(hpa, `metrics[${i}].target`, `${source.name} Utilization`,
          `container '${c.name}' of ${kind} '${name}' has no ${source.name} request, so utilization is undefined and the HPA never scales; set resources.${source.name}.request or use an averageValue target`));
      }
    }
  });
  return errors;
}
