import { ApiObject, Chart, Duration } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { describeDuration, durationMillis, invalid, invalidMessage, requireInteger } from '../errors';
import { DynamoNames, isDnsLabel, isDnsSubdomain, MAX_SUBDOMAIN_LENGTH } from '../naming';
import { quantityString } from './quantity';
import { attachAutoscaler, AutoscalerRegistry, defaultAutoscalerName, IScaleTarget } from './scale-target';

const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };
/** Kubernetes' default period of a scaling policy when none is given. */
const DEFAULT_POLICY_PERIOD = Duration.seconds(15);

/**
 * Properties of an `HpaAutoscaler`.
 */
export interface HpaAutoscalerProps {
  /**
   * What to scale: a Dynamo service's adapter (`service.adapter`), a cdk8s-plus-28
   * workload (`ScaleTarget.fromWorkload`), or any /scale resource
   * (`ScaleTarget.fromReference`).
   */
  readonly target: IScaleTarget;

  /** Upper bound of replicas (>= 1 and >= minReplicas). */
  readonly maxReplicas: number;

  /**
   * Lower bound of replicas. 0 needs `allowScaleToZero` and an Object or External metric.
   * @default 1
   */
  readonly minReplicas?: number;

  /**
   * The metrics to scale on, in cdk8s-plus-28's vocabulary (`Metric.resourceCpu`,
   * `Metric.pods`, `Metric.external`, ...). At least one, for every kind of target:
   * Kubernetes' implicit fallback (80% CPU utilization) would be invisible in the
   * manifest and fails on pods without CPU requests. Resource metrics are cpu or memory
   * (all the resource metrics API serves); a Utilization target on a cdk8s-plus workload
   * needs that resource's request (or limit) on the containers it measures.
   */
  readonly metrics: plus.Metric[];

  /**
   * Scale-up behavior. Only what is given is rendered; Kubernetes defaults the rest
   * (no stabilization, 4 pods or 100% per 15 s, whichever is more).
   * @default - Kubernetes defaults
   */
  readonly scaleUp?: plus.ScalingRules;

  /**
   * Scale-down behavior. Only what is given is rendered; Kubernetes defaults the rest
   * (300 s stabilization, 100% per 15 s).
   * @default - Kubernetes defaults
   */
  readonly scaleDown?: plus.ScalingRules;

  /**
   * Name of the HPA.
   * @default - `<dgd>-<service>[-<qualifier>]-hpa` for a Dynamo service, else `<target>[-<qualifier>]-hpa`
   */
  readonly name?: string;

  /**
   * Distinguishes variants in the default name, e.g. `queue` gives `<dgd>-<service>-queue-hpa`.
   * @default - none
   */
  readonly qualifier?: string;

  /**
   * Namespace of the HPA; must be the target's.
   * @default - the target's namespace, else the chart's
   */
  readonly namespace?: string;

  /**
   * Allow `minReplicas: 0`. Needs the HPAScaleToZero feature gate (alpha) on the
   * cluster and at least one Object or External metric.
   * @default false
   */
  readonly allowScaleToZero?: boolean;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on a scale target, written with
 * cdk8s-plus-28's metric and scaling vocabulary and checked against the Kubernetes
 * validation rules at construction.
 *
 * The autoscaler is its own ApiObject (rather than a construct wrapping one): cdk8s
 * walks every construct of the app once per chart, so fewer constructs keep fleets of
 * many charts fast.
 */
export class HpaAutoscaler extends ApiObject {
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

    attachAutoscaler(this, props.target, HPA.kind, this.name, this.namespace);
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
  const minReplicas = props.minReplicas ?? 1;
  const namespace = props.namespace ?? props.target.scaleTargetRef.namespace ?? Chart.of(scope).namespace;
  if (props.qualifier !== undefined && !isDnsLabel(props.qualifier)) {
    throw invalid(at, 'qualifier', props.qualifier, "must be lower-case letters, digits and '-'");
  }
  const name = props.name ?? defaultAutoscalerName(props.target, props.qualifier, DynamoNames.hpaName, DynamoNames.workloadHpaName);
  if (!isDnsSubdomain(name)) {
    throw invalid(at, 'name', name, `must be a DNS subdomain of at most ${MAX_SUBDOMAIN_LENGTH} characters`);
  }
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
    if (!metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
      throw invalid(at, 'minReplicas', 0, 'scaling to zero needs at least one Object or External metric: with Resource or Pods metrics there are no pods to measure at zero');
    }
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

function renderMetrics(scope: IConstruct | string, metrics: plus.Metric[] | undefined): any[] {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw invalid(scope, 'metrics', metrics ?? [],
      "needs at least one metric (e.g. Metric.resourceCpu(MetricTarget.averageUtilization(70))); Kubernetes' implicit 80% CPU fallback is not offered: it is invisible in the manifest and needs CPU requests on every pod");
  }
  return metrics.map((m, i) => {
    if (!(m instanceof plus.Metric)) {
      throw invalid(scope, `metrics[${i}]`, m, 'must be a cdk8s-plus-28 Metric (Metric.resourceCpu, Metric.pods, Metric.external, ...)');
    }
    const spec: any = plus.k8s.toJson_MetricSpecV2(m._toKube());
    const source = spec[SOURCE_KEY[spec.type]];
    const target = source.target;
    const allowed = ALLOWED_TARGETS[spec.type];
    if (!allowed.includes(target.type)) {
      throw invalid(scope, `metrics[${i}].target`, target.type,
        `a ${spec.type} metric takes ${allowed.join(' or ')} targets (MetricTarget.${allowed.map(targetFactory).join(' / MetricTarget.')})`);
    }
    if (target.type === 'Utilization' && !(Number.isInteger(target.averageUtilization) && target.averageUtilization >= 1)) {
      throw invalid(scope, `metrics[${i}].target.averageUtilization`, target.averageUtilization, 'must be an integer >= 1 (percent)');
    }
    for (const key of ['value', 'averageValue']) {
      if (target[key] === undefined) continue;
      const n = target[key];
      if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
        throw invalid(scope, `metrics[${i}].target.${key}`, n, 'must be a number > 0');
      }
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

/** @internal */
export function renderScalingRules(scope: IConstruct | string, direction: string, rules: plus.ScalingRules | undefined): any {
  if (rules === undefined) return undefined;
  const out: any = {};
  if (rules.stabilizationWindow !== undefined) {
    const s = wholeSeconds(scope, `${direction}.stabilizationWindow`, rules.stabilizationWindow);
    if (s < 0 || s > 3600) {
      throw invalid(scope, `${direction}.stabilizationWindow`, describeDuration(rules.stabilizationWindow), 'must be between 0 seconds and 1 hour');
    }
    out.stabilizationWindowSeconds = s;
  }
  if (rules.strategy !== undefined) {
    if (!Object.values(plus.ScalingStrategy).includes(rules.strategy)) {
      throw invalid(scope, `${direction}.strategy`, rules.strategy, `must be one of ${Object.values(plus.ScalingStrategy).join(', ')}`);
    }
    out.selectPolicy = rules.strategy;
  }
  if (rules.policies !== undefined) {
    if (rules.policies.length === 0) {
      throw invalid(scope, `${direction}.policies`, [], 'must not be empty (Kubernetes rejects an empty list); leave it out for the defaults');
    }
    out.policies = rules.policies.map((p, i) => {
      const kube = p.replicas._toKube();
      if (!(Number.isInteger(kube.value) && kube.value > 0)) {
        throw invalid(scope, `${direction}.policies[${i}].replicas`, kube.value, 'must be an integer > 0');
      }
      const period = wholeSeconds(scope, `${direction}.policies[${i}].duration`, p.duration ?? DEFAULT_POLICY_PERIOD);
      if (period < 1 || period > 1800) {
        throw invalid(scope, `${direction}.policies[${i}].duration`, describeDuration(p.duration ?? DEFAULT_POLICY_PERIOD), 'must be between 1 second and 30 minutes');
      }
      return { type: kube.type, value: kube.value, periodSeconds: period };
    });
  }
  // Empty rules mean "Kubernetes defaults", which is what leaving the direction out says.
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The cdk8s-plus workload behind a target from `ScaleTarget.fromWorkload`, when the
 * target really is that workload (a reference target may merely be scoped to one).
 */
function workloadOf(target: IScaleTarget): plus.Workload | undefined {
  if (target.isDynamoAdapter || !(target.scope instanceof plus.Workload)) return undefined;
  const workload = target.scope;
  const ref = target.scaleTargetRef;
  return ref.kind === workload.kind && ref.name === workload.name ? workload : undefined;
}

/**
 * Utilization is a percentage of the containers' requests: the HPA controller reports
 * "missing request" and never scales when a container has no request for the resource.
 * A limit alone is enough, Kubernetes then defaults the request to it.
 */
function resourceRequestErrors(hpa: HpaAutoscaler, workload: plus.Workload, metrics: any[]): string[] {
  const errors: string[] = [];
  metrics.forEach((m, i) => {
    const source = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!source || source.target.type !== 'Utilization') return;
    const containers = m.type === 'Resource' ? workload.containers : workload.containers.filter((c) => c.name === source.container);
    if (containers.length === 0) {
      errors.push(invalidMessage(hpa, `metrics[${i}].container`, source.container,
        `${workload.kind} '${workload.name}' has no container of that name; it has ${workload.containers.map((c) => c.name).join(', ') || 'none'}`));
      return;
    }
    for (const c of containers) {
      const r = source.name === 'cpu' ? c.resources?.cpu : c.resources?.memory;
      if (r?.request === undefined && r?.limit === undefined) {
        errors.push(invalidMessage(hpa, `metrics[${i}].target`, `${source.name} Utilization`,
          `container '${c.name}' of ${workload.kind} '${workload.name}' has no ${source.name} request, so utilization is undefined and the HPA never scales; set resources.${source.name}.request or use MetricTarget.averageValue`));
      }
    }
  });
  return errors;
}

function wholeSeconds(scope: IConstruct | string, field: string, d: Duration): number {
  if (!(d instanceof Duration)) throw invalid(scope, field, d, 'must be a cdk8s Duration');
  const ms = durationMillis(d);
  if (ms % 1000 !== 0) throw invalid(scope, field, describeDuration(d), 'must be a whole number of seconds');
  return ms / 1000;
}
