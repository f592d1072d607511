import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Duration, Testing } from 'cdk8s';
import { AutoscalerAlerts } from '../src';
import { only } from './support';

function synthAlerts(props: any, namespace = 'llm-serving'): any {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  new AutoscalerAlerts(chart, 'alerts', props);
  return only(Testing.synth(chart), 'PrometheusRule');
}

/** Validates against the prometheus-operator PrometheusRule schema; throws if invalid. */
function validatePrometheusRule(manifest: any): void {
  new PrometheusRule(manifest).validate();
}

describe('AutoscalerAlerts', () => {
  test('HPA alerts: pinned at max, flapping, unable to scale', () => {
    const rule = synthAlerts({ hpaName: 'my-llm-frontend-hpa', labels: { release: 'prometheus' } });
    expect(() => validatePrometheusRule(rule)).not.toThrow();
    expect(rule.metadata).toEqual({ name: 'my-llm-frontend-hpa-alerts', namespace: 'llm-serving', labels: { release: 'prometheus' } });
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['AutoscalerPinnedAtMax', 'AutoscalerFlapping', 'AutoscalerUnableToScale']);
    const sel = '{namespace="llm-serving",horizontalpodautoscaler="my-llm-frontend-hpa"}';
    expect(rules[0].expr).toBe(`kube_horizontalpodautoscaler_status_current_replicas${sel} >= on(namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas${sel}`);
    expect(rules[0].for).toBe('15m');
    expect(rules[1].expr).toBe(`changes(kube_horizontalpodautoscaler_status_desired_replicas${sel}[30m]) >= 6`);
    expect(rules[2].expr).toContain('condition="AbleToScale",status="false"');
    expect(rules[2].expr).toContain('condition="ScalingActive",status="false"');
    expect(rules.every((r: any) => r.labels.severity === 'warning')).toBe(true);
  });

  test('KEDA: the HPA KEDA creates plus scaler errors of the ScaledObject', () => {
    const rule = synthAlerts({
      hpaName: 'keda-hpa-sglang-agg-decode-scaler',
      scaledObjectName: 'sglang-agg-decode-scaler',
      pinnedAtMaxFor: Duration.minutes(30),
      flappingWindow: Duration.hours(1),
      flappingChanges: 10,
      errorsFor: Duration.seconds(90),
      severity: 'critical',
    }, 'default');
    expect(() => validatePrometheusRule(rule)).not.toThrow();
    const rules = rule.spec.groups[0].rules;
    const keda = rules.find((r: any) => r.alert === 'KedaScalerErrors');
    expect(keda.expr).toBe('sum(rate(keda_scaled_object_errors_total{namespace="default",scaledObject="sglang-agg-decode-scaler"}[5m])) > 0');
    expect(keda.for).toBe('90s');
    expect(rules.find((r: any) => r.alert === 'AutoscalerPinnedAtMax').for).toBe('30m');
    expect(rules.find((r: any) => r.alert === 'AutoscalerFlapping').expr).toContain('[1h]) >= 10');
    expect(rules.every((r: any) => r.labels.severity === 'critical')).toBe(true);
  });

  test('the schema check can fail', () => {
    const rule = synthAlerts({ hpaName: 'x-hpa' });
    rule.spec.groups[0].rules[0].for = 15;
    expect(() => validatePrometheusRule(rule)).toThrow();
  });

  test.each([
    [{ hpaName: 'Bad_Name' }, /'hpaName' \("Bad_Name"\): must be the name of an HPA/],
    [{ hpaName: 'ok', scaledObjectName: 'no spaces' }, /'scaledObjectName' \("no spaces"\)/],
    [{ hpaName: 'ok', name: 'UPPER' }, /'name' \("UPPER"\): must be a DNS subdomain/],
    [{ hpaName: 'ok', flappingChanges: 1 }, /'flappingChanges' \(1\): must be an integer >= 2/],
    [{ hpaName: 'ok', pinnedAtMaxFor: Duration.millis(500) }, /'pinnedAtMaxFor' \("500ms"\): must be a Duration of whole seconds/],
    [{ hpaName: 'ok', severity: 'very bad' }, /'severity' \("very bad"\)/],
    [{ hpaName: 'a'.repeat(254) }, /'hpaName' \("a{254}"\): must be the name of an HPA: it is 254 characters; at most 253/],
    [{ hpaName: 'ok', scaledObjectName: 's'.repeat(64) }, /'scaledObjectName' \("s{64}"\): must be the name of a ScaledObject: it is 64 characters; at most 63/],
    [{ hpaName: 'a'.repeat(250) }, /'name' \("a{250}-alerts"\): the default name '<hpaName>-alerts' is 257 characters; at most 253 .*; set 'name'/],
  ])('rejects %j', (props, message) => {
    expect(() => synthAlerts(props)).toThrow(message);
  });
});
