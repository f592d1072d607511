import { Duration } from 'cdk8s';
import { KedaAuthentication } from './trigger-authentication';
import { invalid } from '../../base/errors';
import { requireDuration, requireInteger, requireNumber, requireOneOf, requirePositive } from '../../base/validators';
import { cronNeverFires, cronProblem, normalizeCron, parseCron } from '../../core/cron';
import { PromQuery } from '../../dynamo/metrics';

/** A trigger name: an identifier or a DNS-style name. */
const TRIGGER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** How a KEDA metric is compared with its target. */
export enum KedaMetricType {
  /** Target per pod (the default for most scalers). */
  AVERAGE_VALUE = 'AverageValue',
  /** Target for the whole metric. */
  VALUE = 'Value',
  /** Target as a percentage of the pods' requests (cpu/memory only). */
  UTILIZATION = 'Utilization',
}

/** Authentication modes of the prometheus scaler. */
export enum PrometheusAuthMode {
  /** Bearer token. */
  BEARER = 'bearer',
  /** Basic auth. */
  BASIC = 'basic',
  /** TLS client certificate. */
  TLS = 'tls',
  /** Custom header. */
  CUSTOM = 'custom',
  /** API key. */
  API_KEY = 'apiKey',
  /** OAuth2. */
  OAUTH = 'oauth',
}
/** Options of a prometheus trigger. */
export interface PrometheusTriggerOptions {
  /** Prometheus URL, e.g. `http://prometheus-operated.monitoring.svc:9090`. */
  readonly serverAddress: string;
  /** The query; it must return a single series. */
  readonly query: PromQuery;
  /** Target value (per pod for AverageValue). */
  readonly threshold: number;
  /**
   * Value above which the scaler is active (scales from zero).
   * @default - KEDA's default (0)
   */
  readonly activationThreshold?: number;
  /**
   * Trigger name (unique within the ScaledObject); the variable a scalingModifiers formula uses.
   * @default - none
   */
  readonly name?: string;
  /**
   * AverageValue or Value; Utilization is rejected for prometheus.
   * @default KedaMetricType.AVERAGE_VALUE (KEDA's default, not rendered)
   */
  readonly metricType?: KedaMetricType;
  /**
   * Tenant namespace for multi-tenant Prometheus (Thanos, Cortex).
   * @default - none
   */
  readonly namespace?: string;
  /**
   * Extra HTTP headers.
   * @default - none
   */
  readonly customHeaders?: { [key: string]: string };
  /**
   * Extra query parameters.
   * @default - none
   */
  readonly queryParameters?: { [key: string]: string };
  /**
   * Treat an empty result as 0 rather than an error.
   * @default - KEDA's default (true)
   */
  readonly ignoreNullValues?: boolean;
  /**
   * Skip TLS verification.
   * @default - KEDA's default (false)
   */
  readonly unsafeSsl?: boolean;
  /**
   * HTTP timeout of the query.
   * @default - KEDA's global default
   */
  readonly timeout?: Duration;
  /**
   * Authentication modes; needs `authentication`.
   * @default - none
   */
  readonly authModes?: PrometheusAuthMode[];
  /**
   * Where the credentials come from.
   * @default - no authentication
   */
  readonly authentication?: KedaAuthentication;
}

/** Options of a cpu or memory trigger. */
export interface ResourceTriggerOptions {
  /** Utilization (percent of requests) or AverageValue. */
  readonly metricType: KedaMetricType;
  /** Target value. */
  readonly value: number;
  /**
   * Only this container's usage.
   * @default - the whole pod
   */
  readonly containerName?: string;
  /**
   * Trigger name.
   * @default - none
   */
  readonly name?: string;
}

/** Options of a cron trigger. */
export interface CronTriggerOptions {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timezone: string;
  /**
   * Cron expression for the start of the window, as KEDA's cron scaler parses it
   * (robfig/cron v3): 5 fields, minute (0-59) hour (0-23) day-of-month (1-31) month (1-12
   * or JAN-DEC) day-of-week (0-6 or SUN-SAT); lists, ranges and steps; an optional
   * `TZ=<zone> ` prefix; no `@daily`-style descriptors.
   */
  readonly start: string;
  /** Cron expression for the end of the window, as for `start` (and different from it). */
  readonly end: string;
  /** Replicas during the window (> 0). */
  readonly desiredReplicas: number;
  /**
   * Trigger name.
   * @default - none
   */
  readonly name?: string;
}

/** Options of a scheduled-scaling preset. */
export interface ScheduleOptions {
  /** IANA time zone, e.g. `America/New_York`. */
  readonly timezone: string;
  /** Replicas during the window (> 0). */
  readonly desiredReplicas: number;
  /**
   * Trigger name.
   * @default - none
   */
  readonly name?: string;
}

/** Options of the business-hours preset. */
export interface BusinessHoursOptions extends ScheduleOptions {
  /**
   * Hour the window opens (0-23).
   * @default 8
   */
  readonly startHour?: number;
  /**
   * Hour the window closes (0-23).
   * @default 18
   */
  readonly endHour?: number;
  /**
   * Cron day-of-week field.
   * @default '1-5' (Monday to Friday)
   */
  readonly days?: string;
}


/**
 * A KEDA trigger (scaler) of a ScaledObject.
 */
export class KedaTrigger {
  /** A prometheus scaler. */
  public static prometheus(options: PrometheusTriggerOptions): KedaTrigger {
    const where = 'KedaTrigger.prometheus';
    if (typeof options.serverAddress !== 'string' || !/^https?:\/\/[^\s]+$/.test(options.serverAddress)) {
      throw invalid(where, 'serverAddress', options.serverAddress, 'must be an http(s) URL of the Prometheus server');
    }
    if (!(options.query instanceof PromQuery)) {
      throw invalid(where, 'query', options.query, 'must be a PromQuery (PromQuery.raw(...) or a DynamoMetrics builder)');
    }
    requirePositive(where, 'threshold', options.threshold);
    if (options.activationThreshold !== undefined) requireNumber(where, 'activationThreshold', options.activationThreshold, { atLeast: 0 });
    if (options.metricType === KedaMetricType.UTILIZATION) {
      throw invalid(where, 'metricType', options.metricType, 'prometheus triggers take AverageValue or Value; Utilization is only for cpu and memory');
    }
    if (options.metricType !== undefined) requireOneOf(where, 'metricType', options.metricType, [KedaMetricType.AVERAGE_VALUE, KedaMetricType.VALUE], '', 'must be AverageValue or Value');
    const modes = options.authModes ?? [];
    for (const m of modes) {
      requireOneOf(where, 'authModes', m, PrometheusAuthMode, '', `must be among ${Object.values(PrometheusAuthMode).join(', ')}`);
    }
    const exclusive = modes.filter((m) => m === PrometheusAuthMode.BEARER || m === PrometheusAuthMode.BASIC || m === PrometheusAuthMode.OAUTH);
    if (exclusive.length > 1) {
      throw invalid(where, 'authModes', modes, 'bearer, basic and oauth exclude each other');
    }
    if (modes.length > 0 && options.authentication === undefined) {
      throw invalid(where, 'authModes', modes, "needs 'authentication' (a TriggerAuthentication with the credentials); credentials are never rendered inline");
    }
    let timeout: string | undefined;
    if (options.timeout !== undefined) {
      timeout = String(requireDuration(where, 'timeout', options.timeout, { unit: 'milliseconds', min: 1, rule: 'must be a positive whole number of milliseconds' }));
    }
    const metadata: { [key: string]: string | undefined } = {
      serverAddress: options.serverAddress,
      query: options.query.expr,
      threshold: decimalString(options.threshold),
      activationThreshold: options.activationThreshold === undefined ? undefined : decimalString(options.activationThreshold),
      namespace: options.namespace,
      customHeaders: keyValues(where, 'customHeaders', options.customHeaders),
      queryParameters: keyValues(where, 'queryParameters', options.queryParameters),
      ignoreNullValues: options.ignoreNullValues === undefined ? undefined : String(options.ignoreNullValues),
      unsafeSsl: options.unsafeSsl === undefined ? undefined : String(options.unsafeSsl),
      timeout,
      authModes: modes.length ? modes.join(',') : undefined,
    };
    return new KedaTrigger('prometheus', metadata, {
      name: options.name,
      metricType: options.metricType,
      authentication: options.authentication,
      threshold: options.threshold,
      activationThreshold: options.activationThreshold,
    });
  }

  /** A cpu scaler. */
  public static cpu(options: ResourceTriggerOptions): KedaTrigger {
    return KedaTrigger.resource('cpu', options);
  }

  /** A memory scaler. */
  public static memory(options: ResourceTriggerOptions): KedaTrigger {
    return KedaTrigger.resource('memory', options);
  }

  /** A cron scaler: `desiredReplicas` between `start` and `end`. */
  public static cron(options: CronTriggerOptions): KedaTrigger {
    const where = 'KedaTrigger.cron';
    if (typeof options.timezone !== 'string' || !isTimeZone(options.timezone)) {
      throw invalid(where, 'timezone', options.timezone, "must be an IANA time zone such as 'Europe/Berlin' or 'UTC'");
    }
    // Whitespace-normalized, so that '0 8  * * *' and '0 8 * * *' count as the same schedule.
    const schedule: { start: string; end: string } = { start: '', end: '' };
    for (const field of ['start', 'end'] as const) {
      const v = options[field];
      const problem = cronProblem(v);
      if (problem) throw invalid(where, field, v, problem.message);
      const never = cronNeverFires(parseCron(v));
      if (never) throw invalid(where, field, v, `KEDA's parser accepts it, but ${never}`);
      schedule[field] = normalizeCron(v);
    }
    if (schedule.start === schedule.end) {
      throw invalid(where, 'end', options.end, "must differ from 'start'");
    }
    requireInteger(where, 'desiredReplicas', options.desiredReplicas, 1);
    return new KedaTrigger('cron', {
      timezone: options.timezone,
      start: schedule.start,
      end: schedule.end,
      desiredReplicas: String(options.desiredReplicas),
    }, { name: options.name });
  }

  /**
   * Scheduled scaling preset: `desiredReplicas` on business hours (default Monday to
   * Friday, 08:00 to 18:00) in a time zone. Combine with a metric trigger: KEDA scales
   * to the highest replica count any trigger asks for.
   */
  public static businessHours(options: BusinessHoursOptions): KedaTrigger {
    const start = options.startHour ?? 8;
    const end = options.endHour ?? 18;
    const days = options.days ?? '1-5';
    requireInteger('KedaTrigger.businessHours', 'startHour', start, 0, 23);
    requireInteger('KedaTrigger.businessHours', 'endHour', end, 0, 23);
    if (start === end) throw invalid('KedaTrigger.businessHours', 'endHour', end, "must differ from 'startHour'");
    return KedaTrigger.cron({
      timezone: options.timezone,
      start: `0 ${start} * * ${days}`,
      end: `0 ${end} * * ${days}`,
      desiredReplicas: options.desiredReplicas,
      name: options.name,
    });
  }

  /**
   * Scheduled scaling preset: `desiredReplicas` from Saturday 00:00 to Monday 00:00 in a
   * time zone.
   */
  public static weekends(options: ScheduleOptions): KedaTrigger {
    return KedaTrigger.cron({
      timezone: options.timezone,
      start: '0 0 * * 6',
      end: '0 0 * * 1',
      desiredReplicas: options.desiredReplicas,
      name: options.name,
    });
  }

  private static resource(type: string, options: ResourceTriggerOptions): KedaTrigger {
    const where = `KedaTrigger.${type}`;
    if (options.metricType !== KedaMetricType.UTILIZATION && options.metricType !== KedaMetricType.AVERAGE_VALUE) {
      throw invalid(where, 'metricType', options.metricType, 'must be Utilization or AverageValue');
    }
    requirePositive(where, 'value', options.value);
    if (options.metricType === KedaMetricType.UTILIZATION) requireInteger(where, 'value', options.value, 1);
    return new KedaTrigger(type, {
      value: decimalString(options.value),
      containerName: options.containerName,
    }, { name: options.name, metricType: options.metricType });
  }

  /** The scaler type, e.g. `prometheus`. */
  public readonly type: string;
  /** The trigger name, if any. */
  public readonly name?: string;
  /** The metadata, as rendered. */
  public readonly metadata: { [key: string]: string };
  /** @internal */
  public readonly _info: TriggerInfo;

  private constructor(type: string, metadata: { [key: string]: string | undefined }, info: TriggerInfo) {
    this.type = type;
    this.name = info.name;
    // KEDA sets no format; a name a formula can refer to is an identifier, so '_' is allowed.
    if (info.name !== undefined && !(typeof info.name === 'string' && TRIGGER_NAME.test(info.name) && info.name.length <= 253)) {
      throw invalid(`KedaTrigger.${type}`, 'name', info.name,
        "must be letters, digits, '_', '-' and '.', starting with a letter, digit or '_' (a variable in scalingModifiers.formula takes letters, digits and '_')");
    }
    const clean: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(metadata)) if (v !== undefined) clean[k] = v;
    this.metadata = clean;
    this._info = info;
  }

  /** Whether this is a cpu or memory trigger. */
  public get isResourceTrigger(): boolean {
    return this.type === 'cpu' || this.type === 'memory';
  }

  /** @internal */
  public _toKube(): any {
    return {
      type: this.type,
      name: this.name,
      metricType: this._info.metricType,
      metadata: { ...this.metadata },
      authenticationRef: this._info.authentication?._toKube(),
    };
  }
}

/** @internal */
interface TriggerInfo {
  readonly name?: string;
  readonly metricType?: KedaMetricType;
  readonly authentication?: KedaAuthentication;
  readonly threshold?: number;
  readonly activationThreshold?: number;
}

function keyValues(where: string, field: string, map: { [key: string]: string } | undefined): string | undefined {
  if (map === undefined) return undefined;
  const entries = Object.entries(map);
  for (const [k, v] of entries) {
    if (/[=,]/.test(k) || typeof v !== 'string' || /[,]/.test(v)) {
      throw invalid(where, `${field}.${k}`, v, "keys may not contain '=' or ',' and values may not contain ','");
    }
  }
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** KEDA parses scaler numbers as plain decimals ("0.5"), not Kubernetes quantities ("500m"). */
function decimalString(n: number): string {
  return String(n);
}
