// AIBrix KPA and APA against vllm-project/aibrix v0.7.0's own algorithm tests, ported as data.
import * as fs from 'fs';
import * as path from 'path';
import { AibrixContext, apaTargetReplicas, CooldownHistory, kpaTargetReplicas } from '../src/simulate/aibrix/algorithm';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'simulate', 'aibrix-algorithms.json'), 'utf8'));

function ctx(over: Partial<AibrixContext>): AibrixContext {
  return {
    targetValue: 0,
    maxScaleUpRate: 0,
    maxScaleDownRate: 0,
    upFluctuationTolerance: 0,
    downFluctuationTolerance: 0,
    panicThreshold: 0,
    activationScale: 0,
    inPanicMode: false,
    maxPanicPods: 0,
    stableValue: 0,
    panicValue: 0,
    currentUsePerPod: 0,
    minReplicas: 0,
    maxReplicas: 0,
    ...over,
  };
}

describe('AIBrix algorithms (aibrix v0.7.0 kpa_test.go, apa_test.go)', () => {
  test('the ported tables are complete', () => {
    expect(fx.kpa).toHaveLength(7);
    expect(fx.apa).toHaveLength(11);
  });

  test.each((fx.kpa as any[]).map((c) => [c.name, c]))('KPA %s', (_n, tc) => {
    const c = ctx({
      targetValue: tc.target,
      maxScaleUpRate: tc.maxScaleUpRate,
      maxScaleDownRate: tc.maxScaleDownRate,
      stableValue: tc.stable,
      panicValue: tc.panic,
      activationScale: tc.activationScale,
      panicThreshold: tc.panicThreshold,
      inPanicMode: tc.inPanicMode,
      maxPanicPods: tc.maxPanicPods,
      minReplicas: tc.min,
      maxReplicas: tc.max,
    });
    expect(kpaTargetReplicas(tc.current, c)).toBe(tc.expect);
  });

  test.each((fx.apa as any[]).map((c) => [c.name, c]))('APA %s', (_n, tc) => {
    const c = ctx({
      targetValue: tc.target,
      currentUsePerPod: tc.perPod,
      upFluctuationTolerance: tc.up,
      maxScaleUpRate: tc.upRate,
      downFluctuationTolerance: tc.down,
      maxScaleDownRate: tc.downRate,
    });
    expect(apaTargetReplicas(tc.current, c)).toBe(tc.expect);
  });
});

describe('AIBrix cooldown windows (podautoscaler_controller.go stabilizeRecommendation, v0.7.0)', () => {
  test('scale-down picks the lowest recommendation in the window, as upstream implements it', () => {
    // Upstream selects max for scale-up and min for scale-down: the opposite of the HPA's
    // conservative choice, so a scale-down "cooldown" makes scale-down faster, not slower.
    const h = new CooldownHistory();
    expect(h.stabilize(5, 6, 0, 300, 0)).toBe(5);
    expect(h.stabilize(3, 6, 0, 300, 50)).toBe(3);
    expect(h.stabilize(4, 6, 0, 300, 100)).toBe(3);
    // Past the window, the old low recommendation no longer counts.
    expect(h.stabilize(4, 6, 0, 300, 351)).toBe(4);
  });

  test('with a 0 s scale-up window the new recommendation applies at once', () => {
    const h = new CooldownHistory();
    expect(h.stabilize(8, 2, 0, 300, 0)).toBe(8);
  });
});
