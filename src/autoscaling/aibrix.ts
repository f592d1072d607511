import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { attachAutoscaler, defaultAutoscalerName, requireScaleTarget } from './scale-target';
import { BaseAutoscalerProps } from '../base/autoscaler-props';
import { invalid } from '../base/errors';
import { DynamoNames } from '../base/naming';
import { DynamoResource } from '../base/resource';
import { AutoscalerRegistry, AutoscalerSource, IScaleTarget } from '../base/scale-target';
import { requireDnsLabel, requireDuration, requireNumber, requireOneOf, requirePort, requirePositive } from '../base/validators';
import { podAutoscalerNameProblems } from '../core/names';
import { int32Problem } from '../core/quantity';

const POD_AUTOSCALER = { apiVersion: 'autoscaling.aibrix.ai/v1alpha1', kind: 'PodAutoscaler' };
/** Prefix of the tuning annotations current AIBrix reads (never `kpa.`/`apa.`: ignored). */
const ANNOTATION_PREFIX = 'autoscaling.aibrix.ai/';
/** Names of latency metrics: they get samples only when a replica serves a request. */
const LATENCY_METRIC = /time_to_first_token|inter_token_latency|request_duration|latency|(^|[^a-z])(ttft|itl|tpot)([^a-z]|$)/i;
/** Path of the AIBrix samples' pod metric sources (joined to the pod address by AIBrix). */
const DEFAULT_METRICS_PATH = 'metrics';

/** How AIBrix computes the replica count. */
export enum AibrixScalingStrategy {
  /** Knative-style: stable and panic windows, metrics fetched by AIBrix itself. */
  KPA = 'KPA',
  /** A native HorizontalPodAutoscaler that AIBrix creates and owns (`<name>-hpa`). */
  HPA = 'HPA',
  /** AIBrix's own autoscaler with fluctuation tolerances, tailored to LLM serving. */
  APA = 'APA',
}

/** Protocol AIBrix uses to fetch a metric. */
export enum AibrixProtocol {
  /** Plain HTTP. */
  HTTP = 'http',
  /** HTTPS. */
  HTTPS = 'https',
}

/** The pod resources AIBrix can scale on. */
export enum AibrixResource {
  /** CPU usage. */
  CPU = 'cpu',
  /** Memory usage. */
  MEMORY = 'memory',
}

/** A metric scraped from every pod of the target. */
export interface AibrixPodMetricOptions {
  /** Name of the metric in the pods' exposition, e.g. `vllm:num_requests_waiting`. */
  readonly metric: string;
  /** Target value per pod (> 0). */
  readonly targetValue: number;
  /** Port of the pods' metrics endpoint. */
  readonly port: number;
  /**
   * Path of the metrics endpoint.
   * @default 'metrics'
   */
  readonly path?: string;
  /**
   * Protocol of the metrics endpoint.
   * @default AibrixProtocol.HTTP
   */
  readonly protocol?: AibrixProtocol;
}

/** Resource usage of the target's pods. */
export interface AibrixResourceMetricOptions {
  /** CPU or memory. */
  readonly resource: AibrixResource;
  /** Target value (> 0). */
  readonly targetValue: number;
}

/** A metric fetched from one HTTP endpoint outside the target's pods. */
export interface AibrixEndpointMetricOptions {
  /** Name of the metric in the endpoint's response. */
  readonly metric: string;
  /** Target value (> 0). */
  readonly targetValue: number;
  /** Host (and optionally `:port`) of the endpoint, e.g. `aibrix-gpu-optimizer.aibrix-system.svc:8080`. */
  readonly endpoint: string;
  /** Path on the endpoint, e.g. `/metrics/default/llama2-7b`. */
  readonly path: string;
  /**
   * Protocol of the endpoint.
   * @default AibrixProtocol.HTTP
   */
  readonly protocol?: AibrixProtocol;
}

/** A metric of a custom source, as AIBrix's `custom` metric source type reads it. */
export interface AibrixCustomMetricOptions {
  /** Name of the metric. */
  readonly metric: string;
  /** Target value (> 0). */
  readonly targetValue: number;
  /**
   * Endpoint of the source.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * Path on the source.
   * @default - none
   */
  readonly path?: string;
  /**
   * Port of the source.
   * @default - none
   */
  readonly port?: number;
  /**
   * Protocol of the source.
   * @default - none
   */
  readonly protocol?: AibrixProtocol;
}

/**
 * One entry of a PodAutoscaler's `metricsSources`, built so that what AIBrix's
 * admission rules demand is always there: pod sources carry protocol, port and path;
 * resource sources are cpu or memory without an endpoint; target values are numbers > 0
 * (rendered as the strings the CRD wants).
 */
export class AibrixMetricSource {
  /** A metric scraped from each pod of the target. */
  public static pod(options: AibrixPodMetricOptions): AibrixMetricSource {
    const where = 'AibrixMetricSource.pod';
    return new AibrixMetricSource('pod', {
      protocolType: protocol(where, options.protocol),
      path: nonEmpty(where, 'path', options.path ?? DEFAULT_METRICS_PATH),
      port: port(where, options.port),
      targetMetric: nonEmpty(where, 'metric', options.metric),
      targetValue: targetValue(where, options.targetValue),
    });
  }

  /** CPU or memory usage of the target's pods. */
  public static resource(options: AibrixResourceMetricOptions): AibrixMetricSource {
    const where = 'AibrixMetricSource.resource';
    requireOneOf(where, 'resource', options.resource, AibrixResource);
    return new AibrixMetricSource('resource', {
      targetMetric: options.resource,
      targetValue: targetValue(where, options.targetValue),
    });
  }

  /** A metric served by one HTTP endpoint (e.g. the AIBrix GPU optimizer). */
  public static external(options: AibrixEndpointMetricOptions): AibrixMetricSource {
    const where = 'AibrixMetricSource.external';
    return new AibrixMetricSource('external', {
      protocolType: protocol(where, options.protocol),
      endpoint: nonEmpty(where, 'endpoint', options.endpoint),
      path: nonEmpty(where, 'path', options.path),
      targetMetric: nonEmpty(where, 'metric', options.metric),
      targetValue: targetValue(where, options.targetValue),
    });
  }

  /** A metric of AIBrix's `custom` source type. */
  public static custom(options: AibrixCustomMetricOptions): AibrixMetricSource {
    const where = 'AibrixMetricSource.custom';
    return new AibrixMetricSource('custom', {
      protocolType: options.protocol === undefined ? undefined : protocol(where, options.protocol),
      endpoint: options.endpoint === undefined ? undefined : nonEmpty(where, 'endpoint', options.endpoint),
      path: options.path === undefined ? undefined : nonEmpty(where, 'path', options.path),
      port: options.port === undefined ? undefined : port(where, options.port),
      targetMetric: nonEmpty(where, 'metric', options.metric),
      targetValue: targetValue(where, options.targetValue),
    });
  }

  private constructor(
    /** The `metricSourceType`: pod, resource, custom or external. */
    public readonly sourceType: string,
    private readonly fields: { [key: string]: string | undefined },
  ) {}

  /** The metric's name (`targetMetric`). */
  public get metric(): string {
    return this.fields.targetMetric ?? '';
  }

  /** Whether the metric is a latency (time to first token, inter-token latency, request duration): no samples without served requests. */
  public get isLatency(): boolean {
    return LATENCY_METRIC.test(this.metric);
  }

  /** Whether the metric is read from the target's own pods (so it vanishes at zero pods). */
  public get readsPods(): boolean {
    return this.sourceType === 'pod' || this.sourceType === 'resource';
  }

  /** @internal */
  public _toKube(): { [key: string]: string } {
    const out: { [key: string]: string } = { metricSourceType: this.sourceType };
    for (const [k, v] of Object.entries(this.fields)) if (v !== undefined) out[k] = v;
    return out;
  }
}

/**
 * Properties of an `AibrixAutoscaler`.
 */
export interface AibrixAutoscalerProps extends BaseAutoscalerProps {
  /** KPA, HPA or APA. */
  readonly strategy: AibrixScalingStrategy;

  /** Upper bound of replicas (> 0 and >= minReplicas). */
  readonly maxReplicas: number;

  /** The metrics to scale on (at least one); AIBrix follows the one asking for most replicas. */
  readonly metrics: AibrixMetricSource[];

  /**
   * Scale to zero replicas when idle (KPA and APA only; needs `minReplicas: 0` and a
   * metric that does not come from the target's pods). Renders
   * `autoscaling.aibrix.ai/scale-to-zero: "true"`.
   * @default false
   */
  readonly allowScaleToZero?: boolean;

  /**
   * Largest factor by which one decision may grow the replica count (> 1).
   * @default - AIBrix's default (2)
   */
  readonly maxScaleUpRate?: number;

  /**
   * Largest factor by which one decision may shrink the replica count (> 1).
   * @default - AIBrix's default (2)
   */
  readonly maxScaleDownRate?: number;

  /**
   * Fraction above the target the metric must exceed before scaling up (>= 0; KPA, APA).
   * @default - AIBrix's default (0.1)
   */
  readonly scaleUpTolerance?: number;

  /**
   * Fraction below the target the metric must fall before scaling down (>= 0; KPA, APA).
   * @default - AIBrix's default (0.1)
   */
  readonly scaleDownTolerance?: number;

  /**
   * Ratio of panic-window to stable-window demand that enters panic mode (> 1; KPA only).
   * @default - AIBrix's default (2.0)
   */
  readonly panicThreshold?: number;

  /**
   * Stabilization window for scale-up recommendations.
   * @default - AIBrix's default (0s)
   */
  readonly scaleUpCooldownWindow?: Duration;

  /**
   * Stabilization window for scale-down recommendations.
   * @default - AIBrix's default (300s)
   */
  readonly scaleDownCooldownWindow?: Duration;

}

/**
 * An AIBrix PodAutoscaler (`autoscaling.aibrix.ai/v1alpha1`) on a scale target, with
 * its tuning in the `autoscaling.aibrix.ai/*` annotations that current AIBrix reads.
 */
export class AibrixAutoscaler extends DynamoResource {
  /** The scale target. */
  public readonly target: IScaleTarget;
  /** The scaling strategy. */
  public readonly strategy: AibrixScalingStrategy;
  /** Lower bound of replicas. */
  public readonly minReplicas: number;
  /** Upper bound of replicas. */
  public readonly maxReplicas: number;
  /**
   * The HorizontalPodAutoscaler AIBrix creates for the HPA strategy (`<name>-hpa`);
   * undefined for KPA and APA.
   */
  public readonly hpaName?: string;
  /** The underlying ApiObject. */
  public readonly apiObject: ApiObject;

  private readonly metrics: AibrixMetricSource[];

  public constructor(scope: Construct, id: string, props: AibrixAutoscalerProps) {
    super(scope, id);
    requireScaleTarget(this, props?.target);
    this.target = props.target;
    this.strategy = props.strategy;
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas;
    const namespace = props.namespace ?? props.target.scaleTargetRef.namespace ?? Chart.of(this).namespace;

    requireOneOf(this, 'strategy', props.strategy, AibrixScalingStrategy);
    if (props.qualifier !== undefined) requireDnsLabel(this, 'qualifier', props.qualifier);
    const name = props.name ?? defaultAutoscalerName(props.target, props.qualifier, DynamoNames.workloadPodAutoscalerName);
    for (const p of podAutoscalerNameProblems(name, props.strategy === AibrixScalingStrategy.HPA)) {
      throw invalid(this, 'name', p.value, p.message);
    }
    if (props.strategy === AibrixScalingStrategy.HPA) this.hpaName = DynamoNames.aibrixHpaName(name);

    // int32 in the CRD.
    for (const [field, value, min] of [['maxReplicas', props.maxReplicas, 1], ['minReplicas', props.minReplicas, 0]] as const) {
      if (field === 'maxReplicas' || value !== undefined) {
        const problem = int32Problem(value, min);
        if (problem) throw invalid(this, field, value, problem);
      }
    }
    if (this.minReplicas > this.maxReplicas) {
      throw invalid(this, 'minReplicas', this.minReplicas, `must be less than or equal to 'maxReplicas' (${this.maxReplicas})`);
    }

    if (!Array.isArray(props.metrics) || props.metrics.length === 0) {
      throw invalid(this, 'metrics', props.metrics ?? [],
        'needs at least one metric source (AibrixMetricSource.pod, .resource, .external or .custom)');
    }
    props.metrics.forEach((m, i) => {
      if (!(m instanceof AibrixMetricSource)) {
        throw invalid(this, `metrics[${i}]`, m, 'must be an AibrixMetricSource (AibrixMetricSource.pod, .resource, .external or .custom)');
      }
    });
    this.metrics = [...props.metrics];

    this.validateScaleToZero(props);
    const annotations = this.tuningAnnotations(props);

    attachAutoscaler(this, props.target, AutoscalerSource.AIBRIX, POD_AUTOSCALER.kind, name, namespace);

    this.apiObject = new ApiObject(this, 'Resource', {
      ...POD_AUTOSCALER,
      metadata: {
        name,
        namespace,
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    const hpaName = this.hpaName;
    AutoscalerRegistry.of(this).deriveObjects(this, () => hpaName === undefined ? [] : [{
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace: this.apiObject.metadata.namespace,
      name: hpaName,
      path: this.node.path,
      origin: `the HPA AIBrix creates for PodAutoscaler '${this.name}'`,
    }]);
  }

  private validateScaleToZero(props: AibrixAutoscalerProps): void {
    const allow = props.allowScaleToZero ?? false;
    if (this.minReplicas === 0 && !allow) {
      throw invalid(this, 'minReplicas', 0, "must be >= 1; scaling to zero is opt-in: set 'allowScaleToZero' as well");
    }
    if (!allow) return;
    if (this.strategy === AibrixScalingStrategy.HPA) {
      throw invalid(this, 'allowScaleToZero', true, 'applies to the KPA and APA strategies only; the HPA strategy cannot scale to zero');
    }
    if (this.minReplicas !== 0) {
      throw invalid(this, 'allowScaleToZero', true,
        `needs 'minReplicas' 0 (got ${this.minReplicas}): AIBrix never goes below minReplicas`);
    }
    if (this.metrics.every((m) => m.readsPods)) {
      throw invalid(this, 'metrics', this.metrics.map((m) => m.sourceType),
        'scaling to zero needs at least one external or custom metric: pod and resource metrics come from the pods, and at zero there are none to wake the target');
    }
    if (this.metrics.every((m) => m.readsPods || m.isLatency)) {
      throw invalid(this, 'metrics', this.metrics.map((m) => m.metric),
        'scaling to zero needs a metric with a signal at zero replicas: a latency metric (TTFT, ITL, request duration) has no samples when no replica serves requests, so nothing would scale the target back up (ai-dynamo/dynamo #10751); add a queue-depth or request-rate metric measured in front of the workers');
    }
  }

  private tuningAnnotations(props: AibrixAutoscalerProps): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    const kpaOrApa = this.strategy !== AibrixScalingStrategy.HPA;
    const factor = (field: string, key: string, v: number | undefined) => {
      if (v === undefined) return;
      requireNumber(this, field, v, { above: 1, note: ' (a factor of the current replica count)' });
      out[ANNOTATION_PREFIX + key] = String(v);
    };
    const tolerance = (field: string, key: string, v: number | undefined) => {
      if (v === undefined) return;
      if (!kpaOrApa) throw invalid(this, field, v, 'applies to the KPA and APA strategies only; AIBrix ignores it for HPA');
      requireNumber(this, field, v, { atLeast: 0, note: ' (a fraction of the target, e.g. 0.1)' });
      out[ANNOTATION_PREFIX + key] = String(v);
    };
    const window = (field: string, key: string, d: Duration | undefined) => {
      if (d === undefined) return;
      out[ANNOTATION_PREFIX + key] = `${requireDuration(this, field, d, { unit: 'seconds', min: 0 })}s`;
    };
    factor('maxScaleUpRate', 'max-scale-up-rate', props.maxScaleUpRate);
    factor('maxScaleDownRate', 'max-scale-down-rate', props.maxScaleDownRate);
    tolerance('scaleUpTolerance', 'scale-up-tolerance', props.scaleUpTolerance);
    tolerance('scaleDownTolerance', 'scale-down-tolerance', props.scaleDownTolerance);
    if (props.panicThreshold !== undefined) {
      if (this.strategy !== AibrixScalingStrategy.KPA) {
        throw invalid(this, 'panicThreshold', props.panicThreshold, `applies to the KPA strategy only; AIBrix ignores it for ${this.strategy}`);
      }
      factor('panicThreshold', 'panic-threshold', props.panicThreshold);
    }
    window('scaleUpCooldownWindow', 'scale-up-cooldown-window', props.scaleUpCooldownWindow);
    window('scaleDownCooldownWindow', 'scale-down-cooldown-window', props.scaleDownCooldownWindow);
    if (props.allowScaleToZero) out[`${ANNOTATION_PREFIX}scale-to-zero`] = 'true';
    return out;
  }

  private renderSpec(): any {
    const ref = this.target.scaleTargetRef;
    return {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      scalingStrategy: this.strategy,
      metricsSources: this.metrics.map((m) => m._toKube()),
    };
  }
}

function nonEmpty(where: string, field: string, v: string | undefined): string {
  if (typeof v !== 'string' || v.trim().length === 0) throw invalid(where, field, v, 'must be a non-empty string');
  return v;
}

function protocol(where: string, p: AibrixProtocol | undefined): string {
  const v = p ?? AibrixProtocol.HTTP;
  requireOneOf(where, 'protocol', v, AibrixProtocol);
  return v;
}

function port(where: string, p: number): string {
  requirePort(where, 'port', p);
  return String(p);
}

function targetValue(where: string, v: number): string {
  requirePositive(where, 'targetValue', v);
  return String(v);
}
