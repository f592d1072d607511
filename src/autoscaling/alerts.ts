import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from '../base/errors';
import { DynamoResource } from '../base/resource';
import { requireDuration, requireInteger } from '../base/validators';
import { nameProblem } from '../core/names';
import { escapePromLabelValue, promDuration } from '../dynamo/metrics';

/** apiVersion and kind of the prometheus-operator rule object. */
const PROMETHEUS_RULE = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' };

/**
 * Properties of `AutoscalerAlerts`.
 */
export interface AutoscalerAlertsProps {
  /**
   * Name of the HorizontalPodAutoscaler to watch: an `HpaAutoscaler`'s `name`, a
   * `KedaAutoscaler`'s `hpaName` (the HPA KEDA creates), or an AIBrix HPA-strategy
   * PodAutoscaler's HPA.
   */
  readonly hpaName: string;

  /**
   * Name of the KEDA ScaledObject behind the HPA, to alert on scaler errors too.
   * @default - no KEDA scaler-error alert
   */
  readonly scaledObjectName?: string;

  /**
   * Namespace of the autoscaler (and of the PrometheusRule).
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Name of the PrometheusRule.
   * @default `<hpaName>-alerts`
   */
  readonly name?: string;

  /**
   * How long the target must sit at maxReplicas before `AutoscalerPinnedAtMax` fires.
   * @default Duration.minutes(15)
   */
  readonly pinnedAtMaxFor?: Duration;

  /**
   * Window over which replica changes are counted for `AutoscalerFlapping`.
   * @default Duration.minutes(30)
   */
  readonly flappingWindow?: Duration;

  /**
   * Number of desired-replica changes within `flappingWindow` that counts as flapping.
   * @default 6
   */
  readonly flappingChanges?: number;

  /**
   * How long a scaling error must last before the error alerts fire.
   * @default Duration.minutes(5)
   */
  readonly errorsFor?: Duration;

  /**
   * The `severity` label of every alert.
   * @default 'warning'
   */
  readonly severity?: string;

  /**
   * Labels on the PrometheusRule object, e.g. what the Prometheus `ruleSelector` matches.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A PrometheusRule (monitoring.coreos.com/v1) with the alerts every autoscaler needs:
 * the target pinned at maxReplicas, flapping (rapid up/down), and scaling errors (HPA
 * unable to scale or its metrics unavailable; KEDA scaler errors). Built on
 * kube-state-metrics' `kube_horizontalpodautoscaler_*` series and KEDA's
 * `keda_scaled_object_errors_total`.
 */
export class AutoscalerAlerts extends DynamoResource {
  /** The underlying ApiObject. */
  public readonly apiObject: ApiObject;

  private readonly props: AutoscalerAlertsProps;

  public constructor(scope: Construct, id: string, props: AutoscalerAlertsProps) {
    super(scope, id);
    this.props = props;
    const hpaProblem = nameProblem('HorizontalPodAutoscaler', props.hpaName);
    if (hpaProblem) throw invalid(this, 'hpaName', props.hpaName, `must be the name of an HPA: it ${hpaProblem.message}`);
    if (props.scaledObjectName !== undefined) {
      const soProblem = nameProblem('ScaledObject', props.scaledObjectName);
      if (soProblem) throw invalid(this, 'scaledObjectName', props.scaledObjectName, `must be the name of a ScaledObject: it ${soProblem.message}`);
    }
    const name = props.name ?? `${props.hpaName}-alerts`;
    const ruleProblem = nameProblem('PrometheusRule', name);
    if (ruleProblem) {
      throw invalid(this, 'name', name, props.name === undefined
        ? `the default name '<hpaName>-alerts' ${ruleProblem.message}; set 'name'`
        : ruleProblem.message);
    }
    requireInteger(this, 'flappingChanges', props.flappingChanges, 2);
    for (const field of ['pinnedAtMaxFor', 'flappingWindow', 'errorsFor'] as const) {
      const d = props[field];
      if (d !== undefined) requireDuration(this, field, d, { unit: 'seconds', min: 1, rule: 'must be a Duration of whole seconds, at least 1 second' });
    }
    if (props.severity !== undefined && !/^[a-zA-Z0-9_-]+$/.test(props.severity)) {
      throw invalid(this, 'severity', props.severity, 'must be a label value of letters, digits, - and _');
    }
    this.apiObject = new ApiObject(this, 'Resource', {
      ...PROMETHEUS_RULE,
      metadata: { name, namespace: props.namespace, labels: props.labels },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
  }

  private renderSpec(): any {
    const p = this.props;
    const namespace = p.namespace ?? Chart.of(this).namespace;
    const hpa = selector({ namespace, horizontalpodautoscaler: p.hpaName });
    const severity = p.severity ?? 'warning';
    const labels = { severity };
    const errorsFor = promDuration(p.errorsFor ?? Duration.minutes(5));
    const rules: any[] = [
      {
        alert: 'AutoscalerPinnedAtMax',
        expr: `kube_horizontalpodautoscaler_status_current_replicas${hpa} >= on(namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas${hpa}`,
        for: promDuration(p.pinnedAtMaxFor ?? Duration.minutes(15)),
        labels,
        annotations: {
          summary: `HPA ${p.hpaName} has been at maxReplicas`,
          description: `HPA ${p.hpaName} has run at its maxReplicas for a while: demand may exceed the configured maximum.`,
        },
      },
      {
        alert: 'AutoscalerFlapping',
        expr: `changes(kube_horizontalpodautoscaler_status_desired_replicas${hpa}[${promDuration(p.flappingWindow ?? Duration.minutes(30))}]) >= ${p.flappingChanges ?? 6}`,
        labels,
        annotations: {
          summary: `HPA ${p.hpaName} is flapping`,
          description: `HPA ${p.hpaName} changed its desired replicas many times in a short window; widen stabilization windows or cooldowns.`,
        },
      },
      {
        alert: 'AutoscalerUnableToScale',
        expr: `kube_horizontalpodautoscaler_status_condition${selector({ namespace, horizontalpodautoscaler: p.hpaName, condition: 'AbleToScale', status: 'false' })} == 1`
          + ` or kube_horizontalpodautoscaler_status_condition${selector({ namespace, horizontalpodautoscaler: p.hpaName, condition: 'ScalingActive', status: 'false' })} == 1`,
        for: errorsFor,
        labels,
        annotations: {
          summary: `HPA ${p.hpaName} cannot scale`,
          description: `HPA ${p.hpaName} reports AbleToScale or ScalingActive false: its target or its metrics are unavailable.`,
        },
      },
    ];
    if (p.scaledObjectName !== undefined) {
      rules.push({
        alert: 'KedaScalerErrors',
        expr: `sum(rate(keda_scaled_object_errors_total${selector({ namespace, scaledObject: p.scaledObjectName })}[5m])) > 0`,
        for: errorsFor,
        labels,
        annotations: {
          summary: `ScaledObject ${p.scaledObjectName} has scaler errors`,
          description: `KEDA fails to read the triggers of ScaledObject ${p.scaledObjectName}; it falls back (if configured) or stops scaling.`,
        },
      });
    }
    return { groups: [{ name: `${this.name}.rules`, rules }] };
  }
}

/** A PromQL label selector with escaped values; undefined values are left out. */
function selector(labels: { [key: string]: string | undefined }): string {
  const parts = Object.entries(labels)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${escapePromLabelValue(v!)}"`);
  return `{${parts.join(',')}}`;
}
