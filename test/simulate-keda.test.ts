// KEDA's operator scale loop, fallback and generated HPA against kedacore/keda v2.20.2's
// own tests (ported as data), plus the scalingModifiers formula evaluator.
import * as fs from 'fs';
import * as path from 'path';
import { KedaState, metricWithFallback, requestScale, ScalingFormula } from '../src/simulate/keda/keda';
import { kedaGeneratedHpa, kedaHpaMaxReplicas, kedaHpaMinReplicas, KedaSpec, parseScaledObject } from '../src/simulate/policy';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'simulate', 'keda.json'), 'utf8'));

function spec(over: Partial<KedaSpec>): KedaSpec {
  return {
    name: 'so',
    minReplicaCount: 0,
    maxReplicaCount: 100,
    pollingInterval: 30,
    cooldownPeriod: 300,
    initialCooldownPeriod: 0,
    triggers: [{ type: 'prometheus', metricName: 's0-prometheus', metricType: 'AverageValue', threshold: 10, activationThreshold: 0 }],
    ...over,
  };
}

describe('KEDA (kedacore/keda v2.20.2 tests)', () => {
  test('the ported tables are complete', () => {
    expect(fx.executor).toHaveLength(5);
    expect(fx.fallback).toHaveLength(5);
    expect(fx.hpaReplicas).toHaveLength(5);
  });

  test.each((fx.executor as any[]).map((c) => [c.name, c]))('executor %s', (_n, tc) => {
    const state: KedaState = { creationTime: -1e9, failures: new Map() };
    const r = requestScale(spec({ minReplicaCount: tc.min, idleReplicaCount: tc.idle }), state, tc.current, tc.isActive, false, 0);
    expect(r.scaleTo).toBe(tc.expect);
    expect(state.lastActiveTime !== undefined).toBe(tc.active);
  });

  test.each((fx.fallback as any[]).map((c) => [c.name, c]))('fallback %s', (_n, tc) => {
    const state: KedaState = { creationTime: 0, failures: new Map([['s0-prometheus', tc.failures]]) };
    const s = spec({ fallback: { failureThreshold: tc.threshold, replicas: tc.replicas, behavior: tc.behavior ?? 'static' } });
    const r = metricWithFallback(s, state, 's0-prometheus', undefined, 'some error', { type: 'AverageValue', value: 10 }, tc.current, tc.current);
    if (tc.expectError) expect(r).toEqual({ error: tc.expectError });
    else expect(r).toEqual({ value: tc.expectValue });
    expect(state.failures.get('s0-prometheus')).toBe(tc.expectFailures);
  });

  test.each((fx.hpaReplicas as any[]).map((c) => [c.name, c]))('TestGetHPAReplicas %s', (_n, tc) => {
    expect(kedaHpaMinReplicas(tc.min ?? undefined)).toBe(tc.expectMin);
    expect(kedaHpaMaxReplicas(tc.max ?? undefined)).toBe(tc.expectMax);
  });
});

describe('KEDA operator behaviour beyond the ported tests', () => {
  test('cooldownPeriod holds the target until the last active time plus the cooldown has passed', () => {
    const s = spec({ minReplicaCount: 0, cooldownPeriod: 60 });
    const state: KedaState = { creationTime: 0, failures: new Map(), lastActiveTime: 100 };
    expect(requestScale(s, state, 3, false, false, 160).scaleTo).toBeUndefined(); // 100 + 60 is not before 160
    expect(requestScale(s, state, 3, false, false, 161).scaleTo).toBe(0);
  });

  test('a healthy metric resets the failure count; Value targets divide the fallback by ready replicas', () => {
    const s = spec({ fallback: { failureThreshold: 0, replicas: 4, behavior: 'static' } });
    const state: KedaState = { creationTime: 0, failures: new Map([['m', 5]]) };
    expect(metricWithFallback(s, state, 'm', 7, undefined, { type: 'Value', value: 2 }, 3, 2)).toEqual({ value: 7 });
    expect(state.failures.get('m')).toBe(0);
    expect(metricWithFallback(s, state, 'm', undefined, 'down', { type: 'Value', value: 2 }, 3, 2)).toEqual({ value: 4 }); // 2 x 4 / 2
  });

  test('the generated HPA: keda-hpa-<name>, s<i>-<type> External metrics, AverageValue by default, composite with scalingModifiers', () => {
    const so = parseScaledObject({
      metadata: { name: 'dec' },
      spec: {
        maxReplicaCount: 7,
        triggers: [
          { type: 'prometheus', name: 'ttft', metadata: { query: 'q1', threshold: '0.5' } },
          { type: 'prometheus', name: 'queue', metricType: 'Value', metadata: { query: 'q2', threshold: '20' } },
        ],
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } },
      },
    }, 'so.yaml');
    const hpa = kedaGeneratedHpa(so);
    expect(hpa.name).toBe('keda-hpa-dec');
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([1, 7]);
    expect(hpa.metrics.map((m) => [m.type, m.name, m.target.type, m.target.value])).toEqual([
      ['External', 's0-prometheus', 'AverageValue', 0.5], ['External', 's1-prometheus', 'Value', 20],
    ]);
    expect(hpa.behavior?.scaleDown.stabilizationWindowSeconds).toBe(60);
    expect(hpa.behavior?.scaleUp.policies).toHaveLength(2); // API-server defaults fill the rest

    const withMods = kedaGeneratedHpa({ ...so, modifiers: { formula: 'ttft + queue', target: 2.5, activationTarget: 0, metricType: 'AverageValue' } });
    expect(withMods.metrics.map((m) => [m.name, m.target.type, m.target.value])).toEqual([['composite-metric', 'AverageValue', 2.5]]);
  });

  test('scalingModifiers formulas: arithmetic, ternaries and expr-lang operators; nothing outside the expression', () => {
    expect(new ScalingFormula('a + b', ['a', 'b']).evaluate({ a: 1, b: 2 })).toBe(3);
    expect(new ScalingFormula('a > 5 && b < 2 ? a : b * 2', ['a', 'b']).evaluate({ a: 6, b: 1 })).toBe(6);
    expect(new ScalingFormula('max(a, b) / 2', ['a', 'b']).evaluate({ a: 6, b: 10 })).toBe(5);
    expect(() => new ScalingFormula('import({}, {})', ['a']).evaluate({ a: 1 })).toThrow(/unknown name import/);
    expect(() => new ScalingFormula('evaluate("1+1")', ['a']).evaluate({ a: 1 })).toThrow(/unknown name evaluate/);
    expect(() => new ScalingFormula('a +', ['a'])).toThrow(/does not parse/);
  });
});
