import { Duration } from 'cdk8s';
import type { DynamoGraphDeployment } from './deployment';
import { invalid } from '../base/errors';
import { requireDuration, requireNumber, requireOneOf } from '../base/validators';

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
  return promWindow('promDuration', 'd', d);
}

/**
 * A window in Prometheus range syntax, checked as the argument `field` of the public
 * API `api` (so errors name what the user called, not this helper).
 * @internal
 */
export function promWindow(api: string, field: string, d: Duration): string {
  const s = requireDuration(api, field, d, {
    unit: 'seconds',
    min: 1,
    notDuration: (v) => typeof v === 'number' ? ` such as Duration.seconds(${v}) or Duration.minutes(5)` : ' such as Duration.minutes(5)',
  });
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
    return quantile('DynamoMetrics.ttftQuantile', 'time_to_first_token_seconds', options);
  }

  /** Inter-token latency quantile (seconds) over a window. */
  public static itlQuantile(options: DynamoQuantileOptions): PromQuery {
    return quantile('DynamoMetrics.itlQuantile', 'inter_token_latency_seconds', options);
  }

  /** Request duration quantile (seconds) over a window. */
  public static requestDurationQuantile(options: DynamoQuantileOptions): PromQuery {
    return quantile('DynamoMetrics.requestDurationQuantile', 'request_duration_seconds', options);
  }

  /** Requests per second over a window. */
  public static requestRate(options: DynamoRateOptions): PromQuery {
    const api = 'DynamoMetrics.requestRate';
    requireOptions(api, options);
    const window = promWindow(api, 'window', options.window ?? Duration.minutes(1));
    return PromQuery._of(`sum(rate(${DynamoMetrics.PREFIX}requests_total${selector(api, options)}[${window}]))`);
  }

  /** Requests waiting in the frontend, in the legacy gauge or the stage form. */
  public static queueDepth(options: DynamoQueueDepthOptions): PromQuery {
    const api = 'DynamoMetrics.queueDepth';
    requireOptions(api, options);
    const source = options.source ?? QueueDepthSource.QUEUED_REQUESTS_GAUGE;
    if (source === QueueDepthSource.STAGE_REQUESTS) {
      return PromQuery._of(`sum(${DynamoMetrics.PREFIX}stage_requests${selector(api, options, 'stage=~"preprocess|route|dispatch"')})`);
    }
    requireOneOf(api, 'source', source, QueueDepthSource);
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}queued_requests${selector(api, options)})`);
  }

  /** Requests being processed by the engines (`inflight_requests` gauge). */
  public static inflightRequests(options: DynamoMetricSelector): PromQuery {
    requireOptions('DynamoMetrics.inflightRequests', options);
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}inflight_requests${selector('DynamoMetrics.inflightRequests', options)})`);
  }

  /** Active requests (`active_requests` gauge). */
  public static activeRequests(options: DynamoMetricSelector): PromQuery {
    requireOptions('DynamoMetrics.activeRequests', options);
    return PromQuery._of(`sum(${DynamoMetrics.PREFIX}active_requests${selector('DynamoMetrics.activeRequests', options)})`);
  }

  /**
   * The `dynamo_namespace` label value a selector resolves to.
   */
  public static dynamoNamespaceOf(options: DynamoMetricSelector): string {
    requireOptions('DynamoMetrics.dynamoNamespaceOf', options);
    return dynamoNamespaceFor('DynamoMetrics.dynamoNamespaceOf', options);
  }

  private constructor() {}
}

function requireOptions(api: string, options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw invalid(api, 'options', options, "must be an options object, e.g. { deployment: dgd } or { dynamoNamespace: 'team-llm' }");
  }
}

/**
 * The `dynamo_namespace` label value of a selector, with errors naming the public API
 * the user called.
 * @internal
 */
export function dynamoNamespaceFor(api: string, options: DynamoMetricSelector): string {
  if (options.dynamoNamespace !== undefined && options.deployment !== undefined) {
    throw invalid(api, 'dynamoNamespace', options.dynamoNamespace, "give either 'deployment' or 'dynamoNamespace', not both");
  }
  if (options.dynamoNamespace !== undefined) {
    if (typeof options.dynamoNamespace !== 'string' || options.dynamoNamespace.length === 0) {
      throw invalid(api, 'dynamoNamespace', options.dynamoNamespace, 'must be a non-empty label value');
    }
    return options.dynamoNamespace;
  }
  if (options.deployment === undefined) {
    throw invalid(api, 'deployment', undefined, "give the DGD ('deployment') or its label value ('dynamoNamespace')");
  }
  const d: any = options.deployment;
  if (d === null || typeof d !== 'object' || typeof d.node?.path !== 'string' || !('dynamoNamespaceLabel' in d)) {
    throw invalid(api, 'deployment', d !== null && typeof d === 'object' ? d.constructor?.name ?? d : d, 'must be a DynamoGraphDeployment (or give its label value as dynamoNamespace)');
  }
  return d.dynamoNamespaceLabel;
}

/**
 * The `dynamo_namespace` label values a PromQL query selects by equality
 * (`dynamo_namespace="..."`), unescaped. Used to check that a query is about the
 * deployment it scales.
 * @internal
 */
export function dynamoNamespacesIn(query: string): string[] {
  const out: string[] = [];
  const re = /dynamo_namespace\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(query); m !== null; m = re.exec(query)) {
    out.push(m[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
  }
  return [...new Set(out)];
}

function selector(api: string, options: DynamoMetricSelector, extra?: string): string {
  const parts = [`dynamo_namespace="${escapePromLabelValue(dynamoNamespaceFor(api, options))}"`];
  if (options.model !== undefined) {
    if (typeof options.model !== 'string' || options.model.length === 0) {
      throw invalid(api, 'model', options.model, 'must be a non-empty model name');
    }
    parts.push(`model="${escapePromLabelValue(options.model)}"`);
  }
  if (extra) parts.push(extra);
  return `{${parts.join(',')}}`;
}

function quantile(api: string, metric: string, options: DynamoQuantileOptions): PromQuery {
  requireOptions(api, options);
  const q = options.quantile ?? 0.95;
  requireNumber(api, 'quantile', q, { above: 0, below: 1, note: ', e.g. 0.95' });
  const window = promWindow(api, 'window', options.window ?? Duration.minutes(5));
  return PromQuery._of(`histogram_quantile(${q}, sum(rate(${DynamoMetrics.PREFIX}${metric}_bucket${selector(api, options)}[${window}])) by (le))`);
}
