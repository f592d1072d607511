import { invalid } from '../base/errors';

/**
 * A metric an `HpaAutoscaler` scales on: an `HpaMetric` of this library, or a cdk8s-plus
 * `Metric` of any version from cdk8s-plus-28 to cdk8s-plus-33 (structurally, the one
 * public member they share; the library reads either through its rendering).
 */
export interface IHpaMetric {
  /** The metric source type: `Resource`, `ContainerResource`, `Pods`, `Object` or `External`. */
  readonly type: string;
}

/**
 * A metric target: an `HpaMetricTarget` of this library, or a cdk8s-plus `MetricTarget`
 * of any version (its members are private, so any value type-checks here and the
 * library checks it when it reads it).
 */
export interface IHpaMetricTarget {}

/**
 * The target value of an HPA metric, in the library's own vocabulary (the same choices
 * as cdk8s-plus's `MetricTarget`).
 */
export class HpaMetricTarget implements IHpaMetricTarget {
  /** The metric's value itself (Object and External metrics). */
  public static value(value: number): HpaMetricTarget {
    return new HpaMetricTarget({ type: 'Value', value });
  }

  /** The metric's value divided by the number of pods. */
  public static averageValue(averageValue: number): HpaMetricTarget {
    return new HpaMetricTarget({ type: 'AverageValue', averageValue });
  }

  /** Percent of the pods' resource request (Resource and ContainerResource metrics). */
  public static averageUtilization(averageUtilization: number): HpaMetricTarget {
    return new HpaMetricTarget({ type: 'Utilization', averageUtilization });
  }

  private constructor(private readonly target: { [key: string]: any }) {}

  /** @internal */
  public _toKube(): any {
    return { ...this.target };
  }
}

/** Options of a container resource metric. */
export interface HpaContainerMetricOptions {
  /** The container whose resource usage counts. */
  readonly container: string;
  /** The target. */
  readonly target: IHpaMetricTarget;
}

/** Options of a Pods or External metric. */
export interface HpaNamedMetricOptions {
  /** The metric name, as the metrics adapter serves it. */
  readonly name: string;
  /** The target. */
  readonly target: IHpaMetricTarget;
  /**
   * Labels that select the metric's series (`selector.matchLabels`).
   * @default - no selector
   */
  readonly matchLabels?: { [key: string]: string };
}

/** The object an Object metric describes. */
export interface HpaDescribedObject {
  /** API version, e.g. `networking.k8s.io/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `Ingress`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
}

/** Options of an Object metric. */
export interface HpaObjectMetricOptions extends HpaNamedMetricOptions {
  /** The object the metric describes (in the HPA's namespace). */
  readonly describedObject: HpaDescribedObject;
}

/**
 * A metric of a HorizontalPodAutoscaler (autoscaling/v2 `MetricSpec`), in the library's
 * own vocabulary, so an app on any cdk8s-plus version (or none) can write HPA metrics.
 * `HpaAutoscaler` also takes cdk8s-plus `Metric` values directly.
 */
export class HpaMetric implements IHpaMetric {
  /** CPU of the pods (Resource metric). */
  public static resourceCpu(target: IHpaMetricTarget): HpaMetric {
    return new HpaMetric('Resource', { resource: { name: 'cpu', target: targetOf('HpaMetric.resourceCpu', target) } });
  }

  /** Memory of the pods (Resource metric). */
  public static resourceMemory(target: IHpaMetricTarget): HpaMetric {
    return new HpaMetric('Resource', { resource: { name: 'memory', target: targetOf('HpaMetric.resourceMemory', target) } });
  }

  /** CPU of one container of the pods (ContainerResource metric). */
  public static containerCpu(options: HpaContainerMetricOptions): HpaMetric {
    return HpaMetric.container('HpaMetric.containerCpu', 'cpu', options);
  }

  /** Memory of one container of the pods (ContainerResource metric). */
  public static containerMemory(options: HpaContainerMetricOptions): HpaMetric {
    return HpaMetric.container('HpaMetric.containerMemory', 'memory', options);
  }

  /** A per-pod custom metric (Pods metric), averaged over the pods. */
  public static pods(options: HpaNamedMetricOptions): HpaMetric {
    return new HpaMetric('Pods', { pods: named('HpaMetric.pods', options) });
  }

  /** A metric of another Kubernetes object in the namespace (Object metric). */
  public static object(options: HpaObjectMetricOptions): HpaMetric {
    const api = 'HpaMetric.object';
    const o = options?.describedObject;
    for (const field of ['apiVersion', 'kind', 'name'] as const) {
      if (typeof o?.[field] !== 'string' || o[field].length === 0) {
        throw invalid(api, `describedObject.${field}`, o?.[field], 'must be a non-empty string');
      }
    }
    return new HpaMetric('Object', { object: { describedObject: { apiVersion: o.apiVersion, kind: o.kind, name: o.name }, ...named(api, options) } });
  }

  /** A metric from outside the cluster (External metric), e.g. served by Prometheus Adapter. */
  public static external(options: HpaNamedMetricOptions): HpaMetric {
    return new HpaMetric('External', { external: named('HpaMetric.external', options) });
  }

  private static container(api: string, resource: string, options: HpaContainerMetricOptions): HpaMetric {
    if (typeof options?.container !== 'string' || options.container.length === 0) {
      throw invalid(api, 'container', options?.container, 'must be a non-empty container name');
    }
    return new HpaMetric('ContainerResource', {
      containerResource: { name: resource, container: options.container, target: targetOf(api, options.target) },
    });
  }

  /** The metric source type. */
  public readonly type: string;
  private readonly source: { [key: string]: any };

  private constructor(type: string, source: { [key: string]: any }) {
    this.type = type;
    this.source = source;
  }

  /** @internal */
  public _toKube(): any {
    return { type: this.type, ...this.source };
  }
}

function targetOf(api: string, target: IHpaMetricTarget): any {
  if (typeof (target as any)?._toKube !== 'function') {
    throw invalid(api, 'target', target, 'must be an HpaMetricTarget (HpaMetricTarget.value, .averageValue, .averageUtilization) or a cdk8s-plus MetricTarget');
  }
  return (target as any)._toKube();
}

function named(api: string, options: HpaNamedMetricOptions): any {
  if (typeof options?.name !== 'string' || options.name.length === 0) {
    throw invalid(api, 'name', options?.name, 'must be a non-empty metric name');
  }
  const labels = options.matchLabels;
  if (labels !== undefined && (labels === null || typeof labels !== 'object' || Object.values(labels).some((v) => typeof v !== 'string'))) {
    throw invalid(api, 'matchLabels', labels, 'must map label names to string values');
  }
  return {
    metric: { name: options.name, selector: labels ? { matchLabels: { ...labels } } : undefined },
    target: targetOf(api, options.target),
  };
}

/**
 * The wire form (autoscaling/v2 `MetricSpec` JSON) of any accepted metric: an
 * `HpaMetric`, or a cdk8s-plus `Metric` of any version, read through its own
 * `_toKube()` (cdk8s-plus's generated structs hold quantities as `Quantity` objects;
 * they become their values here). Undefined when `metric` is neither.
 * @internal
 */
export function metricWireForm(metric: IHpaMetric): any | undefined {
  const toKube = (metric as any)?._toKube;
  if (typeof toKube !== 'function') return undefined;
  const spec = toWire(toKube.call(metric));
  return spec && typeof spec === 'object' && typeof spec.type === 'string' ? spec : undefined;
}

/** Plain JSON of a generated-struct value: undefined dropped, quantities unwrapped. */
function toWire(value: any): any {
  if (Array.isArray(value)) return value.map(toWire);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  // cdk8s-plus's k8s.Quantity: a class whose only field is `value`.
  if (value.constructor?.name === 'Quantity' && keys.length === 1 && keys[0] === 'value') return value.value;
  const out: any = {};
  for (const k of keys) {
    const v = toWire(value[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * The wire form of a target given as an `HpaMetricTarget` or a cdk8s-plus `MetricTarget`.
 * @internal
 */
export function targetWireForm(target: IHpaMetricTarget): any | undefined {
  const toKube = (target as any)?._toKube;
  return typeof toKube === 'function' ? toWire(toKube.call(target)) : undefined;
}

/** Metrics known to be latency quantiles (from `DynamoExternalMetric.ttftQuantile` and the like). */
const LATENCY_QUANTILES = new WeakSet<object>();
/** The names `DynamoExternalMetric` gives latency quantiles by default. */
const LATENCY_QUANTILE_NAME = /^dynamo_(ttft|itl|request_duration)_p\d+(_\d+)?_seconds$/;

/**
 * Marks a metric as a latency quantile: at zero replicas it has no value.
 * @internal
 */
export function markLatencyQuantile<T extends object>(metric: T): T {
  LATENCY_QUANTILES.add(metric);
  return metric;
}

/**
 * Whether a metric is a latency quantile: marked so by the library, or an External
 * metric named as the library names them (a cdk8s-plus Metric built from
 * `DynamoExternalMetric.metricName`).
 * @internal
 */
export function isLatencyQuantile(metric: IHpaMetric, spec: any): boolean {
  if (LATENCY_QUANTILES.has(metric)) return true;
  const name = spec?.external?.metric?.name;
  return spec?.type === 'External' && typeof name === 'string' && LATENCY_QUANTILE_NAME.test(name);
}
