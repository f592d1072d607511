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

/**
 * Kubernetes: kubernetes/kubernetes, pkg/apis/autoscaling/validation/validation_test.go
 * at commit 001320a9e6bbf2ab66683f652545b3cac29efe9a, `TestValidateHorizontalPodAutoscaler`:
 * its success and error cases, written in the autoscaling/v2 shape (the stored revision
 * predates v2's `target` blocks: `TargetAverageUtilization` is `target.averageUtilization`,
 * `TargetAverageValue` is `target.averageValue`, `TargetValue` is `target.value`,
 * `Object.Target` is `describedObject`). Rule DYN004.
 */
describe('Kubernetes TestValidateHorizontalPodAutoscaler (DYN004)', () => {
  const rc = { kind: 'ReplicationController', name: 'myrc' };
  const cpu = (target: any) => ({ type: 'Resource', resource: { name: 'cpu', target } });
  const hpa = (spec: any) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'myautoscaler', namespace: 'default' }, spec });
  const dyn004 = (spec: any) => checkManifests([{ manifest: hpa(spec) }], { enable: ['DYN004'] }).findings.map((f) => f.message);

  const SUCCESS: Array<[string, any]> = [
    ['cpu utilization 70', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [cpu({ type: 'Utilization', averageUtilization: 70 })] }],
    ['no metrics', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5 }],
    ['cpu average value 300m', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [cpu({ type: 'AverageValue', averageValue: '300m' })] }],
    ['pods metric', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Pods', pods: { metric: { name: 'some/metric' }, target: { type: 'AverageValue', averageValue: '300m' } } }] }],
    ['object metric', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Object', object: { describedObject: rc, metric: { name: 'some/metric' }, target: { type: 'Value', value: '300m' } } }] }],
  ];

  /** [upstream message, spec, our message]. */
  const ERRORS: Array<[string, any, RegExp]> = [
    ['scaleTargetRef.kind: Required', { scaleTargetRef: { name: 'myrc' }, minReplicas: 1, maxReplicas: 5 }, /scaleTargetRef needs kind and name/],
    ['scaleTargetRef.kind: Invalid', { scaleTargetRef: { kind: '..', name: 'myrc' }, minReplicas: 1, maxReplicas: 5 }, /scaleTargetRef.kind may not be/],
    ['scaleTargetRef.name: Required', { scaleTargetRef: { kind: 'ReplicationController' }, minReplicas: 1, maxReplicas: 5 }, /scaleTargetRef needs kind and name/],
    ['scaleTargetRef.name: Invalid', { scaleTargetRef: { kind: 'ReplicationController', name: '..' }, minReplicas: 1, maxReplicas: 5 }, /scaleTargetRef.name may not be/],
    ['must be greater than 0 (minReplicas -1)', { scaleTargetRef: rc, minReplicas: -1, maxReplicas: 5 }, /minReplicas must be an integer >= 0/],
    ['must be greater than or equal to `minReplicas`', { scaleTargetRef: rc, minReplicas: 7, maxReplicas: 5 }, /minReplicas must be <= maxReplicas/],
    ['must be greater than 0 (utilization -70)', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [cpu({ type: 'Utilization', averageUtilization: -70 })] }, /averageUtilization must be >= 1/],
    ['may not set both a target raw value and a target utilization', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [cpu({ type: 'Utilization', averageUtilization: 70, averageValue: '300m' })] }, /must set exactly averageUtilization/],
    ['must specify a resource name', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { target: { type: 'Utilization', averageUtilization: 70 } } }] }, /resource undefined is not served/],
    ['must set either a target raw value or a target utilization', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [cpu(undefined)] }, /cannot take a undefined target/],
    ['must specify a metric name (pods)', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Pods', pods: { target: { type: 'AverageValue', averageValue: '100m' } } }] }, /needs metric.name/],
    ['must specify a positive target value', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Pods', pods: { metric: { name: 'some/metric' } } }] }, /cannot take a undefined target/],
    ['target.kind: Required', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Object', object: { describedObject: { name: 'myrc' }, metric: { name: 'some/metric' }, target: { type: 'Value', value: '100m' } } }] }, /needs describedObject with kind and name/],
    ['must specify a metric name (object)', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Object', object: { describedObject: rc, target: { type: 'Value', value: '100m' } } }] }, /needs metric.name/],
    ['must specify a metric source type', { scaleTargetRef: rc, minReplicas: 1, maxReplicas: 5, metrics: [{}] }, /type undefined unknown/],
  ];

  test.each(SUCCESS)('accepts: %s', (_, spec) => {
    expect(dyn004(spec)).toEqual([]);
  });

  test.each(ERRORS)('refuses: %s', (_, spec, message) => {
    expect(dyn004(spec).join('\n')).toMatch(message);
  });
});
