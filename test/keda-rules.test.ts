/**
 * KEDA's own admission rules for fallback and scalingModifiers, checked against KEDA's
 * test tables (kedacore/keda v2.20.2), ported as data.
 */
import { formulaProblem } from '../src/core/expr';
import {
  fallbackProblem, KedaTriggerShape, scaledObjectProblems, scalingModifiersFallbackProblem, scalingModifiersProblems, wakeUpProblem,
  zeroReplicaSignal, ZeroReplicaSignal,
} from '../src/core/keda';

/**
 * apis/keda/v1alpha1/scaledobject_types_test.go, `TestCheckFallbackValid` (v2.20.2):
 * [name, triggers, uses scalingModifiers, KEDA rejects]. The negative-count rows are left
 * out: the CRD's `minimum: 0` and the construct's int32 checks refuse them first.
 */
const CHECK_FALLBACK_VALID: Array<[string, KedaTriggerShape[], boolean, boolean]> = [
  ['Explicit AverageValue metricType - valid', [{ type: 'couchdb', metricType: 'AverageValue' }], false, false],
  ['Implicit AverageValue metricType (empty string) - valid', [{ type: 'couchdb' }], false, false],
  ['Value metricType - valid', [{ type: 'couchdb', metricType: 'Value' }], false, false],
  ['Multiple triggers with one valid AverageValue - valid', [{ type: 'prometheus', metricType: 'Value' }, { type: 'couchdb', metricType: 'AverageValue' }], false, false],
  ['CPU trigger - invalid', [{ type: 'cpu', metricType: 'AverageValue' }], false, true],
  ['Memory trigger - invalid', [{ type: 'memory', metricType: 'AverageValue' }], false, true],
  ['Multiple triggers with one CPU and one valid - valid', [{ type: 'cpu', metricType: 'Utilization' }, { type: 'couchdb', metricType: 'AverageValue' }], false, false],
  ['Using ScalingModifiers with AverageValue MetricType - valid', [{ type: 'couchdb' }], true, false],
  ['Using ScalingModifiers with Value MetricType - valid', [{ type: 'couchdb' }], true, false],
  // Not in KEDA's table: the rule is waived with scalingModifiers even for cpu/memory only.
  ['cpu only with ScalingModifiers - valid (waived)', [{ type: 'cpu', metricType: 'Utilization' }], true, false],
];

describe("KEDA's CheckFallbackValid (2.20)", () => {
  test.each(CHECK_FALLBACK_VALID)('%s', (_name, triggers, modifiers, rejected) => {
    expect(fallbackProblem(triggers, modifiers) !== undefined).toBe(rejected);
  });
});

const cron = (name: string): KedaTriggerShape => ({ type: 'cron', name });
const workload = (name?: string): KedaTriggerShape => ({ type: 'kubernetes-workload', name });

/**
 * apis/keda/v1alpha1/scaledobject_webhook_test.go (v2.20.2), the ScalingModifiers
 * cases: [It(...) title, formula, target, triggers, KEDA rejects].
 */
const WEBHOOK_SCALING_MODIFIERS: Array<[string, string, string | undefined, KedaTriggerShape[], boolean]> = [
  ['should validate the so creation with ScalingModifiers.Formula', 'workload_trig + cron_trig', '2', [cron('cron_trig'), workload('workload_trig')], false],
  ['shouldnt validate the so creation with scalingModifiers.Formula but no target', 'workload_trig + cron_trig', undefined,
    [cron('cron_trig'), workload('workload_trig')], true],
  ['shouldnt validate the so creation with ScalingModifiers when triggers dont have names', 'workload_trig + cron_trig', undefined, [cron(''), workload()], true],
  ['should validate ... when formula triggers do have names but not all triggers', 'workload_trig + 1', '2', [{ type: 'cron' }, workload('workload_trig')], false],
  ['should validate ... when formula casts to float already', 'float(workload_trig + 1)', '2', [workload('workload_trig')], false],
  ['Formula - casting float from ternary operator', 'float(workload_trig < 5 ? cron_trig + workload_trig : 5)', '2',
    [cron('cron_trig'), workload('workload_trig')], false],
  ['Formula - ternary operator without casting float', 'workload_trig < 5 ? cron_trig + workload_trig : 5', '2',
    [cron('cron_trig'), workload('workload_trig')], false],
  ['Formula - count operator', 'count([trig_one,trig_two],{#>1}) > 1 ? 5 : 0', '2', [cron('trig_one'), workload('trig_two')], false],
  ['Formula - complex ternary', 'float(trig_one < 2 ? trig_one+trig_two >= 2 ? 5 : 10 : 0)', '2', [cron('trig_one'), workload('trig_two')], false],
  ['Formula - double float cast', 'float(float(trig_two < 5 ? trig_one + trig_two : 5))', '2', [cron('trig_one'), workload('trig_two')], false],
  ['fallback with scalingModifiers behavior and ?? formula', 'trig_one ?? trig_two ?? 5', '2', [cron('trig_one'), workload('trig_two')], false],
];

describe("KEDA's ValidateAndCompileScalingModifiers (webhook test cases)", () => {
  test.each(WEBHOOK_SCALING_MODIFIERS)('%s', (_name, formula, target, triggers, rejected) => {
    expect(scalingModifiersProblems({ formula, target }, triggers).length > 0).toBe(rejected);
  });
});

describe('scalingModifiers rules read from the webhook source', () => {
  const triggers = [workload('a'), workload('b'), { type: 'cpu', name: 'c' }];
  test.each<[string, string, string | undefined, string | undefined, RegExp | undefined]>([
    ['a + b', '2', undefined, undefined, undefined],
    ['', '2', undefined, undefined, /formula.*is required/],
    ['a + c', '2', undefined, undefined, /unknown name c/], // cpu/memory triggers are not in the formula's environment
    ['a +', '2', undefined, undefined, /unexpected end of formula/],
    ['a > b', '2', undefined, undefined, /gives a bool, but KEDA needs a number/],
    ['a % 2', '2', undefined, undefined, /invalid operation: % \(mismatched types float64 and int\)/],
    ['a + b', '0', undefined, undefined, /target.*must be a number > 0/],
    ['a + b', '-1', undefined, undefined, /target.*must be a number > 0/],
    ['a + b', 'two', undefined, undefined, /target.*must be a number > 0/],
    ['a + b', '2.5', '0.5', 'Value', undefined],
    ['a + b', '2', 'x', undefined, /activationTarget.*must be a number/],
    ['a + b', '2', undefined, 'Utilization', /metricType.*AverageValue or Value/],
  ])('formula %j target %j activation %j metricType %j', (formula, target, activationTarget, metricType, expected) => {
    const problems = scalingModifiersProblems({ formula, target, activationTarget, metricType }, triggers);
    if (expected) expect(problems.map((p) => `${p.field}: ${p.message}`).join('\n')).toMatch(expected);
    else expect(problems).toEqual([]);
  });

  test('fallback behavior scalingModifiers needs a formula; a fallback with modifiers needs a whole target', () => {
    expect(scalingModifiersFallbackProblem(undefined, 'scalingModifiers')?.message).toMatch(/requires scalingModifiers.formula/);
    expect(scalingModifiersFallbackProblem({ formula: 'a', target: '2' }, 'scalingModifiers')).toBeUndefined();
    expect(scalingModifiersFallbackProblem({ formula: 'a', target: '2.5' }, undefined)?.message).toMatch(/only when the target is a whole number/);
    expect(scalingModifiersFallbackProblem(undefined, 'static')).toBeUndefined();
  });
});

describe('expr-lang formulas: the checker accepts the language, refuses what expr refuses', () => {
  const env = ['a', 'b'];
  test.each([
    '(a + b) / 2', 'max(a, b) * 2', 'let x = a * 2; x + 1', 'if a > 1 { a } else { 0 }', 'sum([a, b])', 'a == nil ? 0 : a',
    '1_000 + a', 'a ** 2 + 1e3', 'filter([a, b], # > 0) | len()', 'abs(a - b)', 'ceil(a / 3)', 'int(a) % 2', 'a ?? 1',
    'min(a, b, 3) // a comment', '/* block */ a', '-a + +b', 'a in [1, 2] ? 1 : 0', 'a not in [1] ? 1 : 0', 'len(1..3) + a', '$env.a * 2',
  ])('%s compiles', (formula) => {
    expect(formulaProblem(formula, env)).toBeUndefined();
  });
  test.each([
    ['a.b', /type float64 has no field b/],
    ['not a', /invalid operation: not/],
    ['a ? 1 : 2', /non-bool expression \(type float64\) used as condition/],
    ['float(a > 1)', /invalid argument for float \(type bool\)/],
    ['unknownFn(a)', /unknown name unknownFn/],
    ['a + "x"', /mismatched types float64 and string/],
    ['# + 1', /'#' is only allowed in a predicate/],
    ['(a', /expected '\)'/],
    ['a b', /unexpected token 'b'/],
    ['a @ b', /unexpected character '@'/],
    ['"unterminated', /unterminated string/],
  ])('%s is refused', (formula, expected) => {
    expect(formulaProblem(formula, env)).toMatch(expected);
  });
});

describe('scale to zero needs a trigger with a signal at zero replicas (issue 13 item 8)', () => {
  const prom = (query: string): KedaTriggerShape => ({ type: 'prometheus', metadata: { query } });
  const ttft = prom('histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{dynamo_namespace="ns-llm"}[5m])) by (le))');
  const itl = prom('histogram_quantile(0.9, sum(rate(dynamo_frontend_inter_token_latency_seconds_bucket{dynamo_namespace="ns-llm"}[1m])) by (le))');
  const queue = prom('sum(dynamo_frontend_queued_requests{dynamo_namespace="ns-llm"})');
  const rate = prom('sum(rate(dynamo_frontend_requests_total{dynamo_namespace="ns-llm"}[1m]))');
  test.each<[string, KedaTriggerShape, ZeroReplicaSignal]>([
    ['TTFT quantile', ttft, ZeroReplicaSignal.NONE],
    ['ITL quantile', itl, ZeroReplicaSignal.NONE],
    ['queue depth', queue, ZeroReplicaSignal.DEMAND],
    ['stage requests', prom('sum(dynamo_frontend_stage_requests{stage=~"preprocess|route|dispatch"})'), ZeroReplicaSignal.DEMAND],
    ['request rate', rate, ZeroReplicaSignal.DEMAND],
    ['cron', { type: 'cron' }, ZeroReplicaSignal.TIME],
    ['cpu', { type: 'cpu' }, ZeroReplicaSignal.NONE],
    ['a raw query', prom('sum(rate(my_gateway_requests_total[1m]))'), ZeroReplicaSignal.UNKNOWN],
  ])('%s', (_name, trigger, signal) => {
    expect(zeroReplicaSignal(trigger)).toBe(signal);
  });
  test('only latency quantiles cannot wake the target; one demand trigger can', () => {
    expect(wakeUpProblem([ttft, itl])).toMatch(/latency quantile \(TTFT, ITL, request duration\) has no samples.*#10751.*queue-depth or request-rate/);
    expect(wakeUpProblem([ttft, queue])).toBeUndefined();
    expect(wakeUpProblem([itl, rate])).toBeUndefined();
    expect(wakeUpProblem([{ type: 'cpu' }])).toMatch(/only cpu\/memory triggers cannot scale to zero/);
  });
});

describe('scaledObjectProblems: the rules over a plain ScaledObject manifest (for hand-written YAML)', () => {
  const base = (spec: any = {}, metadata: any = {}) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llm-decode-scaler', namespace: 'ns', ...metadata },
    spec: {
      scaleTargetRef: { name: 'llm-decode' },
      minReplicaCount: 1,
      triggers: [{ type: 'prometheus', name: 'q', metadata: { serverAddress: 'http://p:9090', query: 'sum(dynamo_frontend_queued_requests)', threshold: '5' } }],
      ...spec,
    },
  });
  const cronTrigger = (metadata: any) => ({ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2', ...metadata } });
  const ttft = { type: 'prometheus', metadata: { query: 'histogram_quantile(0.9, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket[1m])) by (le))', threshold: '1' } };

  test('a valid manifest has no problems', () => {
    expect(scaledObjectProblems(base())).toEqual([]);
    expect(scaledObjectProblems(base({ minReplicaCount: 0, triggers: [ttft, cronTrigger({})] }))).toEqual([]);
  });

  test.each<[string, any, string, RegExp]>([
    ['dotted name over 54 without hpaName', base({}, { name: `a.${'b'.repeat(53)}` }), 'metadata.name', /is 55 characters; .*at most 54/],
    ['maxReplicaCount 2**31', base({ maxReplicaCount: 2 ** 31 }), 'spec.maxReplicaCount', /int32/],
    ['min above the default max', base({ minReplicaCount: 101 }), 'spec.minReplicaCount', /less than or equal to maxReplicaCount \(100\)/],
    ['idle without min', base({ minReplicaCount: undefined, idleReplicaCount: 0 }), 'spec.idleReplicaCount', /less than minReplicaCount \(0\)/],
    ['paused-replicas not an int32', base({}, { annotations: { 'autoscaling.keda.sh/paused-replicas': '3e9' } }), "metadata.annotations['autoscaling.keda.sh/paused-replicas']", /int32/],
    ['duplicate trigger names', base({ triggers: [cronTrigger({}), { ...cronTrigger({ start: '0 9 * * *' }) }].map((t) => ({ ...t, name: 'x' })) }), 'spec.triggers[1].name', /unique/],
    ['useCachedMetrics on cron', base({ triggers: [{ ...cronTrigger({}), useCachedMetrics: true }] }), 'spec.triggers[0].useCachedMetrics', /not supported for the cron scaler/],
    ['cron hour 24', base({ triggers: [cronTrigger({ start: '0 24 * * *' })] }), 'spec.triggers[0].metadata.start', /hour field: '24' goes above 23/],
    ['cron start = end', base({ triggers: [cronTrigger({ end: '0 8 * * *' })] }), 'spec.triggers[0].metadata.end', /can not be the same/],
    ['cron desiredReplicas 0', base({ triggers: [cronTrigger({ desiredReplicas: '0' })] }), 'spec.triggers[0].metadata.desiredReplicas', /other than 0/],
    ['cron without timezone', base({ triggers: [cronTrigger({ timezone: undefined })] }), 'spec.triggers[0].metadata.timezone', /required/],
    ['scale to zero (KEDA default min 0) on TTFT only', base({ minReplicaCount: undefined, triggers: [ttft] }), 'spec.minReplicaCount', /signal at zero replicas/],
    ['cpu only with min 0', base({ minReplicaCount: 0, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] }), 'spec.minReplicaCount',
      /only cpu\/memory/],
    ['fallback on cpu only', base({ fallback: { failureThreshold: 3, replicas: 1 }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] }),
      'spec.fallback', /other than cpu\/memory/],
    ['scalingModifiers without target', base({ advanced: { scalingModifiers: { formula: 'q * 2' } } }), 'spec.advanced.scalingModifiers.target', /required/],
    ['scalingModifiers formula on an unnamed trigger', base({ advanced: { scalingModifiers: { formula: 'x', target: '1' } } }), 'spec.advanced.scalingModifiers.formula',
      /unknown name x/],
    ['fallback behavior scalingModifiers without a formula', base({ fallback: { failureThreshold: 3, replicas: 1, behavior: 'scalingModifiers' } }), 'spec.fallback.behavior',
      /requires scalingModifiers.formula/],
    ['negative tolerance', base({ advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { tolerance: '-50m' } } } } }),
      'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance', />= 0/],
  ])('%s', (_name, manifest, path, message) => {
    const problems = scaledObjectProblems(manifest);
    const found = problems.find((p) => p.path === path);
    expect({ path: found?.path, all: problems.map((p) => p.path) }).toEqual({ path, all: expect.arrayContaining([path]) });
    expect(found!.message).toMatch(message);
  });
});
