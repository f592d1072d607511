import { Duration } from 'cdk8s';
import { describeDuration, durationMillis, invalid } from '../errors';
import type { DynamoGraphDeployment } from './deployment';

/**
 * A PromQL expression, for KEDA prometheus triggers and alert rules.
 */
export class PromQuery {
  /** Any PromQL, as written. */
  public static raw(expr: string): PromQuery {
    if (typeof expr !== 'string' || expr.trim().length === 0) {
      throw invalid('PromQuery.raw', 'expr', expr, 'must be a non-empty PromQL expression');
    }
    return new PromQuery(expr);
  }

  /** @internal */
  public static _of(expr: string): PromQuery {
    return new PromQuery(expr);
  }

  private constructor(public readonly expr: string) {}

  /** The PromQL text. */
  public toString(): string {
    return this.expr;
  }
}

/**
 * Escapes a label value for a PromQL double-quoted string.
 */
export function escapePromLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A Duration in Prometheus range syntax, in the largest whole unit (`5m`, `30s`, `1h`).
 */
export function promDuration(d: Duration): string {
  const ms = durationMillis(d);
  if (ms % 1000 !== 0 || ms <= 0) {
    throw invalid('promDuration', 'window', describeDuration(d), 'must be a whole number of seconds, at least 1 second');
  }
  const s = ms / 1000;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Which form of queue-depth query to build. */
export enum QueueDepthSource {
  /** `dynamo_frontend_queued_requests` (deprecated since 2026-04, still emitted). */
  QUEUED_REQUESTS_GAUGE = 'queued_requests',
  /** `dynamo_frontend_stage_requests` in the preprocess, route and dispatch stages. */
  STAGE_REQUESTS = 'stage_requests',
}

/**
 * Which Dynamo deployment a query selects.
 */
export interface DynamoMetricSelector {
  /**
   * The DGD whose metrics to select; its `dynamoNamespaceLabel` is used.
   * @default - `dynamoNamespace` must be given
   */
  readonly deployment?: DynamoGraphDeployment;

  /**
   * An explicit `dynamo_namespace` label value (for a DGD not defined in this app).
   * @default - from `deployment`
   */
  readonly dynamoNamespace?: string;

  /**
   * Only this served model (`model` label).
   * @default - every model
   */
  readonly model?: string;
}

/** Options of a latency quantile query. */
export interface DynamoQuantileOptions extends DynamoMetricSelector {
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

/** Options of a rate query. */
export interface DynamoRateOptions extends DynamoMetricSelector {
  /**
   * The rate window.
   * @default Duration.minutes(1)
   */
  readonly window?: Duration;
}

/** Options of a queue-depth query. */
export interface DynamoQueueDepthOptions extends DynamoMetricSelector {
  /**
   * Which metric to read.
   * @default QueueDepthSource.QUEUED_REQUESTS_GAUGE
   */
  readonly source?: QueueDepthSource;
}

/**
 * Typed PromQL for the Dynamo frontend metrics (prefix `dynamo_frontend_`), filtered by
 * the DGD's `dynamo_namespace` label and optionally by model, with label values escaped.
 *
 * The KV-cache gauge `kvstats_gpu_cache_usage_percent` that older guides use was removed
 * from Dynamo; scale decode on inter-token latency instead.
 */
export class DynamoMetrics {
  /** Metric name prefix of every frontend metric. */
  public static readonly PREFIX = 'dynamo_frontend_';

  /** Time-to-first-token quantile (seconds) over a window. */
  public static ttftQuantile(options: DynamoQuantileOptions): PromQuery {
    return quantile('time_to_first_token_seconds', options);
  }

  /** Inter-token latency quantile (seconds) over a window. */
  public static itlQuantile(options: DynamoQuantileOptions): PromQuery {
    return quantile('inter_token_latency_seconds', options);
  }

  /** Request duration quantile (seconds) over a window. */
  public static requestDurationQuantile(options: DynamoQuantileOptions): PromQuery {
    return quantile('request_duration_seconds', options);
  }

  /** Requests per second over a window. */
  public static requestRate(options: DynamoRateOptions): PromQuery {
    const window = promDuration(options.window ?? Duration.minutes(1));
    return PromQuery._of(`sum(rate(${DynamoMetrics.PREFIX}requests_total${selector(options)}[${window}]))`);
  }

  /** Requests waiting in the frontend, in the legacy gauge or the stage form. */
  public static queueDepth(options: DynamoQueueDepthOptions): PromQuery {
    const source = options.source ?? QueueDepthSource.QUEUED_REQUESTS_GAUGE;
    if (source === QueueDepthSource.STAGE_REQUESTS) {
      return PromQuery._of(`sum(${DynamoMetrics.PREFIX}stage_requests${selector(options, 'stage=~"preprocess|route|dispatch"')})`);
    }
    if (source !== QueueDepthSource.QUEUED_REQUESTS_GAUGE) {
      throw invalid('DynamoMetrics.queueDepth', 'source', source, `must be one of ${Object.values(QueueDepthSource).join(', ')}`);
    }
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}queued_requests${selector(options)})`);
  }

  /** Requests being processed by the engines (`inflight_requests` gauge). */
  public static inflightRequests(options: DynamoMetricSelector): PromQuery {
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}inflight_requests${selector(options)})`);
  }

  /** Active requests (`active_requests` gauge). */
  public static activeRequests(options: DynamoMetricSelector): PromQuery {
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}active_requests${selector(options)})`);
  }

  /**
   * The `dynamo_namespace` label value a selector resolves to.
   */
  public static dynamoNamespaceOf(options: DynamoMetricSelector): string {
    if (options.dynamoNamespace !== undefined && options.deployment !== undefined) {
      throw invalid('DynamoMetrics', 'dynamoNamespace', options.dynamoNamespace, "give either 'deployment' or 'dynamoNamespace', not both");
    }
    if (options.dynamoNamespace !== undefined) {
      if (typeof options.dynamoNamespace !== 'string' || options.dynamoNamespace.length === 0) {
        throw invalid('DynamoMetrics', 'dynamoNamespace', options.dynamoNamespace, 'must be a non-empty label value');
      }
      return options.dynamoNamespace;
    }
    if (options.deployment === undefined) {
      throw invalid('DynamoMetrics', 'deployment', undefined, "give the DGD ('deployment') or its label value ('dynamoNamespace')");
    }
    return options.deployment.dynamoNamespaceLabel;
  }

  private constructor() {}
}

function selector(options: DynamoMetricSelector, extra?: string): string {
  const parts = [`dynamo_namespace="${escapePromLabelValue(DynamoMetrics.dynamoNamespaceOf(options))}"`];
  if (options.model !== undefined) {
    if (typeof options.model !== 'string' || options.model.length === 0) {
      throw invalid('DynamoMetrics', 'model', options.model, 'must be a non-empty model name');
    }
    parts.push(`model="${escapePromLabelValue(options.model)}"`);
  }
  if (extra) parts.push(extra);
  return `{${parts.join(',')}}`;
}

function quantile(metric: string, options: DynamoQuantileOptions): PromQuery {
  const q = options.quantile ?? 0.95;
  if (typeof q !== 'number' || !(q > 0 && q < 1)) {
    throw invalid('DynamoMetrics', 'quantile', q, 'must be a number strictly between 0 and 1, e.g. 0.95');
  }
  const window = promDuration(options.window ?? Duration.minutes(5));
  return PromQuery._of(`histogram_quantile(${q}, sum(rate(${DynamoMetrics.PREFIX}${metric}_bucket${selector(options)}[${window}])) by (le))`);
}
