import { ApiObject, Chart, Duration } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PromQuery } from '../dynamo/metrics';
import { describeDuration, durationMillis, invalid, requireInteger } from '../errors';
import { DynamoNames, isDnsLabel, isDnsSubdomain, KEDA_HPA_PREFIX, MAX_LABEL_LENGTH } from '../naming';
import { childPath, renderScalingRules } from './hpa';
import { attachAutoscaler, AutoscalerRegistry, defaultAutoscalerName, IScaleTarget } from './scale-target';

const SCALED_OBJECT = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' };
const TRIGGER_AUTHENTICATION = { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' };
/** The longest ScaledObject name whose `keda-hpa-<name>` still fits in 63 characters. */
export const MAX_SCALED_OBJECT_NAME_LENGTH = MAX_LABEL_LENGTH - KEDA_HPA_PREFIX.length;
const PAUSED_ANNOTATION = 'autoscaling.keda.sh/paused';
const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

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

/**
 * Credentials for a trigger: a reference to a TriggerAuthentication or
 * ClusterTriggerAuthentication. Credentials are never rendered inline.
 */
export class KedaAuthentication {
  /** A TriggerAuthentication (in the ScaledObject's namespace) by name. */
  public static triggerAuthentication(name: string): KedaAuthentication {
    return new KedaAuthentication(name, 'TriggerAuthentication');
  }

  /** A ClusterTriggerAuthentication by name. */
  public static clusterTriggerAuthentication(name: string): KedaAuthentication {
    return new KedaAuthentication(name, 'ClusterTriggerAuthentication');
  }

  private constructor(public readonly name: string, public readonly kind: string) {
    if (typeof name !== 'string' || !isDnsSubdomain(name)) {
      throw invalid(`KedaAuthentication.${kind}`, 'name', name, 'must be the name of the authentication object (a DNS subdomain)');
    }
  }

  /** @internal */
  public _toKube(): any {
    return { name: this.name, kind: this.kind };
  }
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
   * Trigger name (unique within the ScaledObject).
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
  /** 5-field cron expression for the start of the window. */
  readonly start: string;
  /** 5-field cron expression for the end of the window (different from start). */
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

const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

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
    requireNumber(where, 'threshold', options.threshold, false);
    if (options.activationThreshold !== undefined) requireNumber(where, 'activationThreshold', options.activationThreshold, true);
    if (options.metricType === KedaMetricType.UTILIZATION) {
      throw invalid(where, 'metricType', options.metricType, 'prometheus triggers take AverageValue or Value; Utilization is only for cpu and memory');
    }
    if (options.metricType !== undefined && !Object.values(KedaMetricType).includes(options.metricType)) {
      throw invalid(where, 'metricType', options.metricType, 'must be AverageValue or Value');
    }
    const modes = options.authModes ?? [];
    for (const m of modes) {
      if (!Object.values(PrometheusAuthMode).includes(m)) {
        throw invalid(where, 'authModes', m, `must be among ${Object.values(PrometheusAuthMode).join(', ')}`);
      }
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
      const ms = durationMillis(options.timeout);
      if (!(Number.isInteger(ms) && ms > 0)) throw invalid(where, 'timeout', describeDuration(options.timeout), 'must be a positive whole number of milliseconds');
      timeout = String(ms);
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
      const fields = typeof v === 'string' ? v.trim().split(/\s+/) : [];
      if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
        throw invalid(where, field, v, "must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 8 * * 1-5'");
      }
      schedule[field] = fields.join(' ');
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
    requireNumber(where, 'value', options.value, false);
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
    if (info.name !== undefined && !isDnsLabel(info.name)) {
      throw invalid(`KedaTrigger.${type}`, 'name', info.name, "must be lower-case letters, digits and '-' (at most 63)");
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

/** The fallback replica count while triggers fail. */
export interface KedaFallback {
  /** Consecutive failures before the fallback applies. */
  readonly failureThreshold: number;
  /** Replicas to run while failing. */
  readonly replicas: number;
}

/**
 * Properties of a `KedaAutoscaler`.
 */
export interface KedaAutoscalerProps {
  /** What to scale (see `HpaAutoscalerProps.target`). */
  readonly target: IScaleTarget;
  /** The triggers; at least one. */
  readonly triggers: KedaTrigger[];
  /**
   * Lower bound of replicas. 0 (scale to zero) needs `allowScaleToZero`.
   * @default 1 (rendered; KEDA itself would default to 0)
   */
  readonly minReplicas?: number;
  /**
   * Upper bound of replicas.
   * @default 100 (KEDA's default, not rendered)
   */
  readonly maxReplicas?: number;
  /**
   * How often KEDA checks the triggers.
   * @default - KEDA's default (30 s)
   */
  readonly pollingInterval?: Duration;
  /**
   * Wait after the last active trigger before scaling to `idleReplicaCount`/`minReplicas`.
   * @default - KEDA's default (300 s)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Replicas while no trigger is active; KEDA supports only 0, below `minReplicas`.
   * @default - none
   */
  readonly idleReplicaCount?: number;
  /**
   * Replicas to run when the triggers keep failing.
   * @default - none
   */
  readonly fallback?: KedaFallback;
  /**
   * Name of the HPA KEDA creates.
   * @default `keda-hpa-<scaledobject name>`
   */
  readonly hpaName?: string;
  /**
   * Scale-up behavior of the HPA KEDA creates.
   * @default - Kubernetes defaults
   */
  readonly scaleUp?: plus.ScalingRules;
  /**
   * Scale-down behavior of the HPA KEDA creates.
   * @default - Kubernetes defaults
   */
  readonly scaleDown?: plus.ScalingRules;
  /**
   * Pause autoscaling (annotation `autoscaling.keda.sh/paused`).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Pause at this replica count (annotation `autoscaling.keda.sh/paused-replicas`).
   * @default - not paused
   */
  readonly pausedReplicas?: number;
  /**
   * Allow `minReplicas: 0` (scale to zero) or `idleReplicaCount: 0`. Needs a trigger
   * other than cpu/memory, and an `activationThreshold` on every prometheus trigger.
   * @default false
   */
  readonly allowScaleToZero?: boolean;
  /**
   * Name of the ScaledObject.
   * @default - `<dgd>-<service>[-<qualifier>]-scaler` for a Dynamo service, else `<target>[-<qualifier>]-scaler`
   */
  readonly name?: string;
  /**
   * Distinguishes variants in the default name, e.g. `queue`.
   * @default - none
   */
  readonly qualifier?: string;
  /**
   * Namespace; must be the target's.
   * @default - the target's namespace, else the chart's
   */
  readonly namespace?: string;
}

/**
 * A KEDA ScaledObject (keda.sh/v1alpha1) on a scale target. KEDA's admission webhook
 * may not run (its failure policy is Ignore) and its scalers only fail at reconcile
 * time, so every webhook and scaler rule is checked here instead.
 *
 * The autoscaler is its own ApiObject (rather than a construct wrapping one): cdk8s
 * walks every construct of the app once per chart, so fewer constructs keep fleets of
 * many charts fast.
 */
export class KedaAutoscaler extends ApiObject {
  /** The name of the HPA that KEDA creates for it. */
  public readonly hpaName: string;
  /** The namespace, if known. */
  public readonly namespace?: string;
  /** The scale target. */
  public readonly target: IScaleTarget;
  /** Lower bound of replicas. */
  public readonly minReplicas: number;
  /** Upper bound of replicas (KEDA's default 100 when not given). */
  public readonly maxReplicas: number;

  public constructor(scope: Construct, id: string, props: KedaAutoscalerProps) {
    const so = prepareScaledObject(scope, childPath(scope, id), props);
    super(scope, id, {
      ...SCALED_OBJECT,
      metadata: { name: so.name, namespace: so.namespace, annotations: so.annotations },
      spec: so.spec,
    });
    this.target = props.target;
    this.namespace = so.namespace;
    this.hpaName = so.hpaName;
    this.minReplicas = so.minReplicas;
    this.maxReplicas = so.maxReplicas;

    attachAutoscaler(this, props.target, SCALED_OBJECT.kind, this.name, this.namespace);
    AutoscalerRegistry.of(this).useExternalMetrics('KEDA', this);
  }

  /** The underlying ApiObject: the autoscaler itself (kept for `addJsonPatch` and the like). */
  public get apiObject(): ApiObject {
    return this;
  }
}

interface PreparedScaledObject {
  readonly name: string;
  readonly hpaName: string;
  readonly namespace?: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly annotations?: { [key: string]: string };
  readonly spec: any;
}

/**
 * Checks the props against KEDA's webhook and scaler rules and renders the spec before
 * the ApiObject exists; errors name the autoscaler by the path it is about to have.
 */
function prepareScaledObject(scope: Construct, at: string, props: KedaAutoscalerProps): PreparedScaledObject {
  const namespace = props.namespace ?? props.target.scaleTargetRef.namespace ?? Chart.of(scope).namespace;
  if (props.qualifier !== undefined && !isDnsLabel(props.qualifier)) {
    throw invalid(at, 'qualifier', props.qualifier, "must be lower-case letters, digits and '-'");
  }
  const name = props.name ?? defaultAutoscalerName(props.target, props.qualifier, DynamoNames.scaledObjectName, DynamoNames.workloadScaledObjectName);
  if (!isDnsLabel(name)) {
    throw invalid(at, 'name', name, `must be a DNS label: lower-case letters, digits and '-', at most ${MAX_LABEL_LENGTH}`);
  }
  if (props.hpaName === undefined && name.length > MAX_SCALED_OBJECT_NAME_LENGTH) {
    throw invalid(at, 'name', name,
      `is ${name.length} characters; KEDA's webhook rejects a ScaledObject whose HPA name '${KEDA_HPA_PREFIX}<name>' exceeds ${MAX_LABEL_LENGTH}, so at most ${MAX_SCALED_OBJECT_NAME_LENGTH} (or set 'hpaName')`);
  }
  if (props.hpaName !== undefined && !isDnsLabel(props.hpaName)) {
    throw invalid(at, 'hpaName', props.hpaName, `must be a DNS label of at most ${MAX_LABEL_LENGTH} characters`);
  }
  const minReplicas = props.minReplicas ?? 1;
  const maxReplicas = props.maxReplicas ?? 100;
  validateScaledObject(at, props, minReplicas, maxReplicas);
  const scaleUp = renderScalingRules(at, 'scaleUp', props.scaleUp);
  const scaleDown = renderScalingRules(at, 'scaleDown', props.scaleDown);
  const hpaConfig = props.hpaName !== undefined || scaleUp || scaleDown
    ? { name: props.hpaName, behavior: scaleUp || scaleDown ? { scaleUp, scaleDown } : undefined }
    : undefined;

  const annotations: { [key: string]: string } = {};
  if (props.paused) annotations[PAUSED_ANNOTATION] = 'true';
  if (props.pausedReplicas !== undefined) annotations[PAUSED_REPLICAS_ANNOTATION] = String(props.pausedReplicas);

  // A target's reference is fixed once it exists, so the spec is rendered here, once.
  const ref = props.target.scaleTargetRef;
  return {
    name,
    hpaName: DynamoNames.kedaHpaName(name, props.hpaName),
    namespace,
    minReplicas,
    maxReplicas,
    annotations: Object.keys(annotations).length ? annotations : undefined,
    spec: {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
      minReplicaCount: minReplicas,
      maxReplicaCount: props.maxReplicas,
      pollingInterval: seconds(at, 'pollingInterval', props.pollingInterval, 1),
      cooldownPeriod: seconds(at, 'cooldownPeriod', props.cooldownPeriod, 0),
      idleReplicaCount: props.idleReplicaCount,
      fallback: props.fallback ? { failureThreshold: props.fallback.failureThreshold, replicas: props.fallback.replicas } : undefined,
      advanced: hpaConfig ? { horizontalPodAutoscalerConfig: hpaConfig } : undefined,
      triggers: props.triggers.map((t) => t._toKube()),
    },
  };
}

function validateScaledObject(at: string, props: KedaAutoscalerProps, minReplicas: number, maxReplicas: number): void {
  requireInteger(at, 'minReplicas', props.minReplicas, 0);
  requireInteger(at, 'maxReplicas', props.maxReplicas, 1);
  requireInteger(at, 'idleReplicaCount', props.idleReplicaCount, 0);
  requireInteger(at, 'pausedReplicas', props.pausedReplicas, 0);
  if (minReplicas > maxReplicas) {
    throw invalid(at, 'minReplicas', minReplicas, `must be less than or equal to 'maxReplicas' (${maxReplicas}${props.maxReplicas === undefined ? ", KEDA's default" : ''})`);
  }
  const triggers = props.triggers;
  if (!Array.isArray(triggers) || triggers.length === 0) {
    throw invalid(at, 'triggers', triggers ?? [], 'needs at least one trigger (KedaTrigger.prometheus, .cpu, .memory, .cron)');
  }
  triggers.forEach((t, i) => {
    if (!(t instanceof KedaTrigger)) throw invalid(at, `triggers[${i}]`, t, 'must be a KedaTrigger');
  });
  const names = new Set<string>();
  for (const t of triggers) {
    if (t.name === undefined) continue;
    if (names.has(t.name)) throw invalid(at, 'triggers.name', t.name, 'trigger names must be unique within a ScaledObject');
    names.add(t.name);
  }
  const onlyResource = triggers.every((t) => t.isResourceTrigger);
  // Checked before the scale-to-zero opt-in, so that a non-zero value is not reported as scaling to zero.
  if (props.idleReplicaCount !== undefined && props.idleReplicaCount !== 0) {
    throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, 'KEDA supports only 0');
  }
  const scalesToZero = minReplicas === 0 || props.idleReplicaCount !== undefined;
  if (scalesToZero && !props.allowScaleToZero) {
    throw invalid(at, props.idleReplicaCount !== undefined ? 'idleReplicaCount' : 'minReplicas', props.idleReplicaCount ?? 0,
      "scales the target to zero; set 'allowScaleToZero: true' to opt in");
  }
  if (minReplicas === 0 && onlyResource) {
    throw invalid(at, 'minReplicas', 0, 'a ScaledObject with only cpu/memory triggers cannot scale to zero (there are no pods to measure); add another trigger');
  }
  if (props.idleReplicaCount !== undefined) {
    if (!(props.idleReplicaCount < minReplicas)) {
      throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, `must be less than 'minReplicas' (${minReplicas})`);
    }
    if (onlyResource) {
      throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, 'needs a trigger other than cpu/memory to wake the target up');
    }
  }
  if (scalesToZero) {
    for (const t of triggers) {
      if (t.type === 'prometheus' && t._info.activationThreshold === undefined) {
        throw invalid(at, 'triggers.activationThreshold', undefined,
          `scaling to zero needs an activationThreshold on every prometheus trigger${t.name ? ` ('${t.name}')` : ''}, so that noise does not wake the target`);
      }
    }
  }
  if (props.fallback !== undefined) {
    if (onlyResource) {
      throw invalid(at, 'fallback', props.fallback, 'needs at least one trigger other than cpu/memory');
    }
    requireInteger(at, 'fallback.failureThreshold', props.fallback.failureThreshold, 1);
    requireInteger(at, 'fallback.replicas', props.fallback.replicas, 0);
    if (props.fallback.replicas > maxReplicas) {
      throw invalid(at, 'fallback.replicas', props.fallback.replicas, `must not exceed 'maxReplicas' (${maxReplicas})`);
    }
  }
}

function seconds(at: string, field: string, d: Duration | undefined, min: number): number | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Duration)) throw invalid(at, field, d, 'must be a cdk8s Duration');
  const ms = durationMillis(d);
  if (ms % 1000 !== 0 || ms / 1000 < min) {
    throw invalid(at, field, describeDuration(d), `must be a whole number of seconds, at least ${min}`);
  }
  return ms / 1000;
}

/**
 * Properties of a `KedaTriggerAuthentication`.
 */
export interface KedaTriggerAuthenticationProps {
  /** Name of the TriggerAuthentication. */
  readonly name: string;
  /** The Secret that holds the credentials. */
  readonly secretName: string;
  /**
   * Trigger parameter -> key in the Secret, e.g. `{ bearerToken: 'token' }`.
   */
  readonly parameters: { [parameter: string]: string };
  /**
   * Namespace (the ScaledObject's).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * A KEDA TriggerAuthentication whose parameters all come from one Secret
 * (`secretTargetRef`): credentials stay in the Secret, never in the manifests.
 */
export class KedaTriggerAuthentication extends Construct {
  /** Its name. */
  public readonly name: string;
  /** A reference for `PrometheusTriggerOptions.authentication`. */
  public readonly authentication: KedaAuthentication;
  /** The underlying ApiObject. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    if (typeof props.name !== 'string' || !isDnsSubdomain(props.name)) {
      throw invalid(this, 'name', props.name, 'must be a DNS subdomain');
    }
    if (typeof props.secretName !== 'string' || !isDnsSubdomain(props.secretName)) {
      throw invalid(this, 'secretName', props.secretName, 'must be the name of a Secret (a DNS subdomain)');
    }
    const entries = Object.entries(props.parameters ?? {});
    if (entries.length === 0) {
      throw invalid(this, 'parameters', props.parameters, 'needs at least one parameter -> secret key mapping, e.g. { bearerToken: "token" }');
    }
    for (const [param, key] of entries) {
      if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) {
        throw invalid(this, `parameters.${param}`, key, 'must be a key of the Secret (letters, digits, -, _ and .)');
      }
    }
    this.name = props.name;
    this.authentication = KedaAuthentication.triggerAuthentication(props.name);
    this.apiObject = new ApiObject(this, 'Resource', {
      ...TRIGGER_AUTHENTICATION,
      metadata: { name: props.name, namespace: props.namespace },
      spec: { secretTargetRef: entries.map(([parameter, key]) => ({ parameter, name: props.secretName, key })) },
    });
  }
}

function requireNumber(where: string, field: string, value: number, allowZero: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalid(where, field, value, allowZero ? 'must be a number >= 0' : 'must be a number > 0');
  }
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
