/**
 * Upstream test tables ported as data and run through the rule engine.
 *
 * KEDA: kedacore/keda, apis/keda/v1alpha1/scaledobject_types_test.go at commit
 * 6d65650b300ea3879e64bb8faa2896869a6613b3: `TestCheckFallbackValid` (rule DYN204) and
 * `TestCheckReplicaCountBoundsAreValid` (DYN202, DYN203). Each row keeps its upstream name
 * and expectation; the trigger types and metric types are as upstream (couchdb stands for
 * any scaler other than cpu/memory).
 */
import { checkManifests } from '../src/rules';

function scaledObject(spec: any): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'so', namespace: 'keda' },
    spec: { scaleTargetRef: { name: 'app' }, ...spec },
  };
}

const ids = (spec: any, rules: string[]) => checkManifests([{ manifest: scaledObject(spec) }], { enable: rules }).findings.map((f) => f.ruleId);

const trigger = (type: string, metricType?: string) => ({ type, metadata: {}, ...(metricType === undefined ? {} : { metricType }) });
const FALLBACK = { failureThreshold: 3, replicas: 1 };

/** [upstream name, spec, expected error]. */
const FALLBACK_TABLE: Array<[string, any, boolean]> = [
  ['No fallback configured', { triggers: [trigger('couchdb')] }, false],
  ['Explicit AverageValue metricType - valid', { fallback: FALLBACK, triggers: [trigger('couchdb', 'AverageValue')] }, false],
  ['Implicit AverageValue metricType (empty string) - valid', { fallback: FALLBACK, triggers: [trigger('couchdb')] }, false],
  ['Value metricType - invalid', { fallback: FALLBACK, triggers: [trigger('couchdb', 'Value')] }, true],
  ['Multiple triggers with one valid AverageValue - valid', { fallback: FALLBACK, triggers: [trigger('prometheus', 'Value'), trigger('couchdb', 'AverageValue')] }, false],
  ['CPU trigger - invalid', { fallback: FALLBACK, triggers: [trigger('cpu', 'AverageValue')] }, true],
  ['Memory trigger - invalid', { fallback: FALLBACK, triggers: [trigger('memory', 'AverageValue')] }, true],
  ['Multiple triggers with one CPU and one valid - valid', { fallback: FALLBACK, triggers: [trigger('cpu', 'Utilization'), trigger('couchdb', 'AverageValue')] }, false],
  ['Negative FailureThreshold - invalid', { fallback: { failureThreshold: -1, replicas: 1 }, triggers: [trigger('couchdb', 'AverageValue')] }, true],
  ['Negative Replicas - invalid', { fallback: { failureThreshold: 3, replicas: -1 }, triggers: [trigger('couchdb', 'AverageValue')] }, true],
  ['Using ScalingModifiers with AverageValue MetricType - valid', { fallback: FALLBACK, advanced: { scalingModifiers: { metricType: 'AverageValue', formula: 'x * 2' } }, triggers: [trigger('couchdb')] }, false],
  ['Using ScalingModifiers with Value MetricType - invalid', { fallback: FALLBACK, advanced: { scalingModifiers: { metricType: 'Value', formula: 'x * 2' } }, triggers: [trigger('couchdb')] }, true],
];

/** [upstream name, min, max, idle, expected error]. */
const BOUNDS_TABLE: Array<[string, number | undefined, number | undefined, number | undefined, boolean]> = [
  ['Valid: min 1, max 5, no idle', 1, 5, undefined, false],
  ['Valid: min 1, max 5, idle 0', 1, 5, 0, false],
  ['Invalid: min 2 > max 1', 2, 1, undefined, true],
  ['Invalid: idle 1 == min 1', 1, 5, 1, true],
  ['Invalid: idle 2 > min 1', 1, 5, 2, true],
];

describe('KEDA TestCheckFallbackValid (DYN204)', () => {
  test.each(FALLBACK_TABLE)('%s', (_, spec, error) => {
    expect(ids(spec, ['DYN204'])).toEqual(error ? ['DYN204'] : []);
  });
});

describe('KEDA TestCheckReplicaCountBoundsAreValid (DYN202, DYN203)', () => {
  test.each(BOUNDS_TABLE)('%s', (_, min, max, idle, error) => {
    const spec = {
      triggers: [trigger('couchdb')],
      ...(min === undefined ? {} : { minReplicaCount: min }),
      ...(max === undefined ? {} : { maxReplicaCount: max }),
      ...(idle === undefined ? {} : { idleReplicaCount: idle }),
    };
    expect(ids(spec, ['DYN202', 'DYN203']).length > 0).toBe(error);
  });

  test('min unset counts as 0 (idle 0 refused); an explicit min 0 counts as 1 (GetHPAMinReplicas)', () => {
    expect(ids({ triggers: [trigger('couchdb')], idleReplicaCount: 0 }, ['DYN203'])).toEqual(['DYN203']);
    expect(ids({ triggers: [trigger('couchdb')], minReplicaCount: 0, idleReplicaCount: 0 }, ['DYN203'])).toEqual([]);
  });
});
