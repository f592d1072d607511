import { ApiObject, Duration, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { HpaMetric, IHpaMetricTarget, markLatencyQuantile, targetWireForm } from './hpa-metric';
import { invalid } from '../base/errors';
import { DynamoResource } from '../base/resource';
import { AutoscalerRegistry } from '../base/scale-target';
import { requireDnsSubdomain, requireNumber, requirePort } from '../base/validators';
import { DynamoMetrics, DynamoMetricSelector, dynamoNamespaceFor, promWindow } from '../dynamo/metrics';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** A Kubernetes label value (matchLabels of the HPA's External metric selector). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * One Prometheus Adapter rule (`rules` or `externalRules` entry): which series to
 * discover, how to map them to Kubernetes resources, what to call the metric and how
 * to query it (a Go template over `<<.Series>>`, `<<.LabelMatchers>>`, `<<.GroupBy>>`).
 */
export interface PrometheusAdapterRuleProps {
  /** Series discovery query, e.g. `dynamo_frontend_queued_requests{namespace!=""}`. */
  readonly seriesQuery: string;
  /** The metric name the adapter serves (`name.as`); an HPA asks for this name. */
  readonly metricName: string;
  /** The metrics query template. */
  readonly metricsQuery: string;
}

/**
 * A Prometheus Adapter external rule. External rules always map the `namespace` label
 * to the namespace resource: without that mapping the adapter cannot answer a
 * namespaced external metrics request and the HPA sees no metric.
 */
export class PrometheusAdapterRule {
  /** An external rule (for HPA External metrics), namespace mapped. */
  public static external(props: PrometheusAdapterRuleProps): PrometheusAdapterRule {
    return new PrometheusAdapterRule(props, true);
  }

  /**
   * A custom-metrics rule (for HPA Pods metrics): the `namespace` and `pod` labels map to
   * their resources, so the adapter can answer per-pod requests.
   */
  public static pods(props: PrometheusAdapterRuleProps): PrometheusAdapterRule {
    return new PrometheusAdapterRule(props, false);
  }

  /** The metric name the rule serves. */
  public readonly metricName: string;
  /** Whether this is an external rule (`externalRules`) rather than a custom one (`rules`). */
  public readonly isExternal: boolean;
  private readonly props: PrometheusAdapterRuleProps;

  private constructor(props: PrometheusAdapterRuleProps, external: boolean) {
    this.isExternal = external;
    const where = `PrometheusAdapterRule.${external ? 'external' : 'pods'}`;
    if (typeof props.metricName !== 'string' || !METRIC_NAME.test(props.metricName)) {
      throw invalid(where, 'metricName', props.metricName, 'must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    }
    for (const field of ['seriesQuery', 'metricsQuery'] as const) {
      if (typeof props[field] !== 'string' || props[field].trim().length === 0) {
        throw invalid(where, field, props[field], 'must be a non-empty query');
      }
    }
    if (!props.metricsQuery.includes('<<.LabelMatchers>>')) {
      throw invalid(where, 'metricsQuery', props.metricsQuery,
        'must use <<.LabelMatchers>>, or the HPA\'s selector and namespace are ignored and every namespace\'s series are mixed');
    }
    this.metricName = props.metricName;
    this.props = props;
  }

  /** @internal */
  public _toConfig(): any {
    return {
      seriesQuery: this.props.seriesQuery,
      resources: {
        overrides: this.isExternal
          ? { namespace: { resource: 'namespace' } }
          : { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } },
      },
      name: { as: this.props.metricName },
      metricsQuery: this.props.metricsQuery,
    };
  }
}

function requireOptions(api: string, options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw invalid(api, 'options', options, 'must be an options object, e.g. { deployment: dgd, target: HpaMetricTarget.value(10) }');
  }
}

/** Options of a Dynamo external metric. */
export interface DynamoExternalMetricOptions extends DynamoMetricSelector {
  /**
   * The HPA target, e.g. `HpaMetricTarget.value(0.5)` (a cdk8s-plus `MetricTarget` of
   * any version is accepted too).
   */
  readonly target: IHpaMetricTarget;
  /**
   * The external metric name (HPA `metric.name` and rule `name.as`).
   * @default - e.g. `dynamo_ttft_p95_seconds`, `dynamo_queued_requests`
   */
  readonly metricName?: string;
}

/** Options of a Dynamo latency external metric. */
export interface DynamoExternalQuantileOptions extends DynamoExternalMetricOptions {
  /**
   * The quantile, strictly between 0 and 1.
   * @default 0.95
   */
  readonly quantile?: number;
  /**
   * The rate window.
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
}

/**
 * An HPA External metric backed by a Dynamo frontend metric through Prometheus Adapter:
 * one object gives both the HPA metric (`metric`, selecting the DGD by its
 * `dynamo_namespace` label) and the adapter rule (`rule`) that serves it, so the HPA's
 * metric name and the rule's `name.as` are equal by construction. The selector's `model`
 * is rejected: an HPA selects External series by matchLabels only, and model names are
 * rarely valid label values.
 */
export class DynamoExternalMetric {
  /** TTFT quantile, as `dynamo_ttft_p<NN>_seconds`. */
  public static ttftQuantile(options: DynamoExternalQuantileOptions): DynamoExternalMetric {
    return DynamoExternalMetric.quantile('DynamoExternalMetric.ttftQuantile', 'time_to_first_token_seconds', 'ttft', options);
  }

  /** Inter-token latency quantile, as `dynamo_itl_p<NN>_seconds`. */
  public static itlQuantile(options: DynamoExternalQuantileOptions): DynamoExternalMetric {
    return DynamoExternalMetric.quantile('DynamoExternalMetric.itlQuantile', 'inter_token_latency_seconds', 'itl', options);
  }

  /** Queued requests (legacy gauge), as `dynamo_queued_requests`. */
  public static queuedRequests(options: DynamoExternalMetricOptions): DynamoExternalMetric {
    const api = 'DynamoExternalMetric.queuedRequests';
    requireOptions(api, options);
    const series = `${DynamoMetrics.PREFIX}queued_requests`;
    return new DynamoExternalMetric(api, options, options.metricName ?? 'dynamo_queued_requests', false, PrometheusAdapterRule.external({
      seriesQuery: `${series}{namespace!=""}`,
      metricName: options.metricName ?? 'dynamo_queued_requests',
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (namespace, dynamo_namespace)',
    }));
  }

  private static quantile(api: string, metric: string, short: string, options: DynamoExternalQuantileOptions): DynamoExternalMetric {
    requireOptions(api, options);
    const q = options.quantile ?? 0.95;
    requireNumber(api, 'quantile', q, { above: 0, below: 1, note: ', e.g. 0.95' });
    // toPrecision drops float noise (0.29 * 100 = 28.999...) without rounding 0.9999 up to 'p100'.
    const percent = String(Number((q * 100).toPrecision(12))).replace('.', '_');
    const name = options.metricName ?? `dynamo_${short}_p${percent}_seconds`;
    const bucket = `${DynamoMetrics.PREFIX}${metric}_bucket`;
    const window = promWindow(api, 'window', options.window ?? Duration.minutes(5));
    return new DynamoExternalMetric(api, options, name, true, PrometheusAdapterRule.external({
      seriesQuery: `${bucket}{namespace!=""}`,
      metricName: name,
      metricsQuery: `histogram_quantile(${q}, sum(rate(${bucket}{<<.LabelMatchers>>}[${window}])) by (le, namespace, dynamo_namespace))`,
    }));
  }

  /** The metric name shared by the HPA and the rule. */
  public readonly metricName: string;
  /** The HPA metric (External, selected by `dynamo_namespace`), for `HpaAutoscaler`. */
  public readonly metric: HpaMetric;
  /** The `dynamo_namespace` label value the metric selects. */
  public readonly dynamoNamespace: string;
  /** The Prometheus Adapter rule that serves it. */
  public readonly rule: PrometheusAdapterRule;

  private constructor(api: string, options: DynamoExternalMetricOptions, metricName: string, latency: boolean, rule: PrometheusAdapterRule) {
    const targetType = targetWireForm(options.target)?.type;
    if (targetType !== 'Value' && targetType !== 'AverageValue') {
      throw invalid(api, 'target', targetType ?? options.target,
        'must be HpaMetricTarget.value(...) or .averageValue(...) (or a cdk8s-plus MetricTarget of those; External metrics take no Utilization target)');
    }
    if (options.model !== undefined) {
      // The HPA can only select by its matchLabels, and model names ('Qwen/Qwen3-0.6B') are rarely valid label values.
      throw invalid(api, 'model', options.model,
        'is not supported for HPA External metrics (selected by dynamo_namespace only); use a KEDA prometheus trigger with DynamoMetrics for a per-model query');
    }
    const dynamoNamespace = dynamoNamespaceFor(api, options);
    if (!LABEL_VALUE.test(dynamoNamespace) || dynamoNamespace.length > 63) {
      throw invalid(api, 'dynamoNamespace', dynamoNamespace,
        "must be a valid Kubernetes label value (at most 63 letters, digits, '-', '_', '.'), since the HPA selects it in matchLabels; shorten the namespace or DGD name");
    }
    this.metricName = metricName;
    this.rule = rule;
    this.dynamoNamespace = dynamoNamespace;
    const metric = HpaMetric.external({ name: metricName, matchLabels: { dynamo_namespace: dynamoNamespace }, target: options.target });
    // A latency quantile has no value while no requests are served: it cannot wake a service from zero.
    this.metric = latency ? markLatencyQuantile(metric) : metric;
  }
}

/**
 * Properties of `PrometheusAdapterConfig`.
 */
export interface PrometheusAdapterConfigProps {
  /** Prometheus URL without port, e.g. `http://prometheus-kube-prometheus-prometheus.monitoring.svc`. */
  readonly prometheusUrl: string;
  /**
   * Prometheus port.
   * @default 9090
   */
  readonly prometheusPort?: number;
  /**
   * Name of the adapter's ConfigMap.
   * @default 'prometheus-adapter'
   */
  readonly configMapName?: string;
  /**
   * Namespace the adapter runs in.
   * @default 'monitoring'
   */
  readonly namespace?: string;
}

/**
 * The Prometheus Adapter configuration for a set of external rules, both as the Helm
 * chart's values (`helmValues()`, YAML) and as the adapter's ConfigMap (synthesized).
 */
export class PrometheusAdapterConfig extends DynamoResource {
  /** The ConfigMap's name. */
  public readonly configMapName: string;
  /** The ConfigMap. */
  public readonly apiObject: ApiObject;
  private readonly props: PrometheusAdapterConfigProps;
  private readonly rules: PrometheusAdapterRule[] = [];

  public constructor(scope: Construct, id: string, props: PrometheusAdapterConfigProps) {
    super(scope, id);
    this.props = props;
    if (typeof props.prometheusUrl !== 'string' || !/^https?:\/\/[^\s:]+(\/[^\s]*)?$/.test(props.prometheusUrl)) {
      throw invalid(this, 'prometheusUrl', props.prometheusUrl, "must be an http(s) URL without a port (the port goes in 'prometheusPort')");
    }
    if (props.prometheusPort !== undefined) requirePort(this, 'prometheusPort', props.prometheusPort);
    this.configMapName = props.configMapName ?? 'prometheus-adapter';
    requireDnsSubdomain(this, 'configMapName', this.configMapName);
    AutoscalerRegistry.of(this).useExternalMetrics('Prometheus Adapter', this);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.configMapName, namespace: props.namespace ?? 'monitoring' },
      data: Lazy.any({ produce: () => ({ 'config.yaml': Yaml.stringify(this.renderConfig()) }) }),
    });
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (this.rules.length === 0) errors.push(invalid(this, 'rules', [], 'add at least one rule (addMetric or addRule)').message);
        return errors;
      },
    });
  }

  /** Adds the rule that serves a Dynamo external metric. */
  public addMetric(metric: DynamoExternalMetric): void {
    this.addRule(metric.rule);
  }

  /** Adds an external rule. Metric names must be unique. */
  public addRule(rule: PrometheusAdapterRule): void {
    if (!(rule instanceof PrometheusAdapterRule)) {
      throw invalid(this, 'rules', rule, 'must be a PrometheusAdapterRule (PrometheusAdapterRule.external or .pods)');
    }
    if (this.rules.some((r) => r.metricName === rule.metricName)) {
      throw invalid(this, 'rules', rule.metricName, 'another rule already serves this metric name');
    }
    this.rules.push(rule);
  }

  /** The Helm chart values (`prometheus.url/port`, `rules.external`), as YAML. */
  public helmValues(): string {
    const custom = this.rules.filter((r) => !r.isExternal).map((r) => r._toConfig());
    const external = this.rules.filter((r) => r.isExternal).map((r) => r._toConfig());
    return Yaml.stringify({
      prometheus: { url: this.props.prometheusUrl, port: this.props.prometheusPort ?? 9090 },
      rules: { ...(custom.length ? { custom } : {}), ...(external.length ? { external } : {}) },
    });
  }

  private renderConfig(): any {
    const custom = this.rules.filter((r) => !r.isExternal).map((r) => r._toConfig());
    const external = this.rules.filter((r) => r.isExternal).map((r) => r._toConfig());
    return { ...(custom.length ? { rules: custom } : {}), ...(external.length ? { externalRules: external } : {}) };
  }
}
