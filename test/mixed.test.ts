/**
 * The mixed-autoscaling example apps against the seeds' manifests, field by field.
 */
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { DynamoLint } from '../src';
import { crdErrors, only, seedSection } from './support';

function synthExample(name: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join('..', 'examples', name));
  const app: App = Testing.app();
  build(app);
  app.synth(); // runs the conflict checks
  return Testing.synth(app.charts[0]);
}

const squash = (q: string) => q.replace(/\s+/g, '');

describe('seed 000 mixed autoscaling (examples/mixed-my-llm)', () => {
  const manifests = synthExample('mixed-my-llm');
  const seed = seedSection('000', '## Mixed Autoscaling');

  test('the HPA and the ScaledObject equal the seed', () => {
    expect(only(manifests, 'HorizontalPodAutoscaler')).toEqual(only(seed, 'HorizontalPodAutoscaler'));
    expect(only(manifests, 'ScaledObject')).toEqual(only(seed, 'ScaledObject'));
    expect(crdErrors(only(manifests, 'ScaledObject'))).toEqual([]);
  });

  test('the DGD: adapters on for the three scaled services, their replicas left out, the planner added', () => {
    const dgd = only(manifests, 'DynamoGraphDeployment');
    expect(crdErrors(dgd)).toEqual([]);
    const services = dgd.spec.services;
    for (const name of ['frontend', 'prefill', 'decode']) {
      expect(services[name].scalingAdapter).toEqual({ enabled: true });
      expect(services[name].replicas).toBeUndefined();
    }
    expect([services.prefill.componentType, services.prefill.subComponentType]).toEqual(['worker', 'prefill']);
    expect([services.decode.componentType, services.decode.subComponentType]).toEqual(['worker', 'decode']);
    expect(services.Planner.componentType).toBe('planner');
    expect(services.Planner.replicas).toBe(1);
    expect(services.Planner.envs).toEqual([{ name: 'PROMETHEUS_ENDPOINT', value: 'http://prometheus-server.monitoring.svc.cluster.local:9090' }]);
    // The Planner scales decode alone (mode decode), leaving prefill to the ScaledObject.
    const main = services.Planner.extraPodSpec.mainContainer;
    expect(main.command).toEqual(['python3', '-m', 'dynamo.planner']);
    expect(main.args[0]).toBe('--config');
    expect(JSON.parse(main.args[1])).toEqual({
      environment: 'kubernetes', backend: 'vllm', mode: 'decode', throughput_adjustment_interval: 60, profile_results_dir: '/workspace/profiling_results',
    });
    // The seed's targets are the adapters the operator creates for these services.
    expect(only(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('my-llm-deployment-frontend');
    expect(only(manifests, 'ScaledObject').spec.scaleTargetRef.name).toBe('my-llm-deployment-prefill');
  });
});

describe('seed 000 mixed autoscaling: the lint rules agree with the constructs', () => {
  test('the synthesized example lints clean (DYN603 reads the Planner\'s mode: decode)', () => {
    const manifests = synthExample('mixed-my-llm');
    expect(DynamoLint.checkManifests(manifests).findings).toEqual([]);
    expect(() => DynamoLint.assertManifestsClean(manifests)).not.toThrow();
  });

  test('without the mode (the seed\'s Planner, disagg) the ScaledObject on prefill is DYN603', () => {
    const manifests = synthExample('mixed-my-llm');
    const main = only(manifests, 'DynamoGraphDeployment').spec.services.Planner.extraPodSpec.mainContainer;
    main.args[1] = JSON.stringify({ ...JSON.parse(main.args[1]), mode: undefined });
    const findings = DynamoLint.checkManifests(manifests).findings;
    expect(findings.map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name}`)).toEqual(['DYN603 ScaledObject prefill-scaledobject']);
    expect(findings[0].message).toContain("service 'prefill' (prefill) is scaled by the Planner 'Planner' (mode disagg)");
  });
});

describe('seed 004 mixed autoscaling (examples/mixed-sglang)', () => {
  const manifests = synthExample('mixed-sglang');
  const seed = seedSection('004', '## Mixed Autoscaling');

  test('the HPA equals the seed', () => {
    expect(only(manifests, 'HorizontalPodAutoscaler')).toEqual(only(seed, 'HorizontalPodAutoscaler'));
  });

  test('the ScaledObject equals the seed but for the query whitespace', () => {
    const actual = only(manifests, 'ScaledObject');
    const expected = only(seed, 'ScaledObject');
    expect(crdErrors(actual)).toEqual([]);
    expect(squash(actual.spec.triggers[0].metadata.query)).toBe(squash(expected.spec.triggers[0].metadata.query));
    actual.spec.triggers[0].metadata.query = expected.spec.triggers[0].metadata.query;
    expect(actual).toEqual(expected);
  });

  test('the DGD enables both adapters and leaves both replicas out', () => {
    const dgd = only(manifests, 'DynamoGraphDeployment');
    for (const name of ['Frontend', 'decode']) {
      expect(dgd.spec.services[name].scalingAdapter).toEqual({ enabled: true });
      expect(dgd.spec.services[name].replicas).toBeUndefined();
    }
  });
});
