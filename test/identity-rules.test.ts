/**
 * core/identity.ts over plain manifests: the objects a cluster will hold (the manifests'
 * own and those the operators create from them) and the identities several share.
 * The same rule the constructs' app-wide check applies, for YAML not written with the
 * library (hand-written, Helm output).
 */
import { Chart, Testing } from 'cdk8s';
import { DynamoApiVersion, DynamoGraphDeployment, KedaAutoscaler, KedaTrigger, PromQuery, ServiceRole } from '../src';
import { identityKey, manifestIdentities, sharedIdentities } from '../src/core/identity';

const identities = (manifests: any[]) => manifests.flatMap((m, i) => manifestIdentities(m, `doc ${i}`));
const keys = (manifests: any[]) => identities(manifests).map(identityKey);

describe('manifestIdentities', () => {
  test('a v1alpha1 DGD yields its adapters for enabled services only; v1beta1 by the presence of scalingAdapter', () => {
    const v1alpha1 = {
      apiVersion: 'nvidia.com/v1alpha1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'a-b', namespace: 'ns' },
      spec: { services: { C: { scalingAdapter: { enabled: true } }, D: { scalingAdapter: {} }, E: {} } },
    };
    const v1beta1 = {
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'a', namespace: 'ns' },
      spec: { components: [{ name: 'b-c', scalingAdapter: {} }, { name: 'x' }] },
    };
    expect(keys([v1alpha1, v1beta1])).toEqual([
      'nvidia.com|DynamoGraphDeployment|ns|a-b',
      'nvidia.com|DynamoGraphDeploymentScalingAdapter|ns|a-b-c',
      'nvidia.com|DynamoGraphDeployment|ns|a',
      'nvidia.com|DynamoGraphDeploymentScalingAdapter|ns|a-b-c',
    ]);
    const shared = sharedIdentities(identities([v1alpha1, v1beta1]));
    expect(shared.map((s) => s.key)).toEqual(['nvidia.com|DynamoGraphDeploymentScalingAdapter|ns|a-b-c']);
    expect(shared[0].objects.map((o) => o.origin)).toEqual([
      "the scaling adapter the Dynamo operator creates for service 'C' of DGD 'a-b'",
      "the scaling adapter the Dynamo operator creates for service 'b-c' of DGD 'a'",
    ]);
  });

  test('KEDA and AIBrix HPAs, with and without name overrides; cluster-scoped kinds ignore the namespace', () => {
    const manifests = [
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: 'n' }, spec: {} },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so2', namespace: 'n' }, spec: { advanced: { horizontalPodAutoscalerConfig: { name: 'keda-hpa-so' } } } },
      { apiVersion: 'autoscaling.aibrix.ai/v1alpha1', kind: 'PodAutoscaler', metadata: { name: 'pa', namespace: 'n' }, spec: { scalingStrategy: 'HPA' } },
      { apiVersion: 'autoscaling.aibrix.ai/v1alpha1', kind: 'PodAutoscaler', metadata: { name: 'kpa', namespace: 'n' }, spec: { scalingStrategy: 'KPA' } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'pa-hpa', namespace: 'n' } },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ClusterTriggerAuthentication', metadata: { name: 'auth', namespace: 'a' } },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ClusterTriggerAuthentication', metadata: { name: 'auth', namespace: 'b' } },
    ];
    expect(sharedIdentities(identities(manifests)).map((s) => [s.key, s.objects.map((o) => o.path)])).toEqual([
      ['autoscaling|HorizontalPodAutoscaler|n|keda-hpa-so', ['doc 0', 'doc 1']],
      ['autoscaling|HorizontalPodAutoscaler|n|pa-hpa', ['doc 2', 'doc 4']],
      ['keda.sh|ClusterTriggerAuthentication||auth', ['doc 5', 'doc 6']],
    ]);
  });

  test('one object served in two API versions is one identity; manifests without a name are skipped', () => {
    expect(sharedIdentities(identities([
      { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: { name: 'llm' }, spec: {} },
      { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name: 'llm' }, spec: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
    ])).map((s) => s.key)).toEqual(['nvidia.com|DynamoGraphDeployment||llm']);
  });

  test('agrees with the library on what it synthesizes (adapters and KEDA HPAs of a valid app are unique)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    for (const [name, version] of [['a-b', DynamoApiVersion.V1ALPHA1], ['a', DynamoApiVersion.V1BETA1]] as const) {
      const dgd = new DynamoGraphDeployment(chart, name, { name, apiVersion: version });
      const s = dgd.addService(name === 'a' ? 'x' : 'c', { image: 'runtime:1.5.1', role: ServiceRole.WORKER });
      new KedaAutoscaler(chart, `${name}-so`, { target: s.adapter, triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })] });
    }
    const manifests = Testing.synth(chart);
    const all = identities(manifests);
    expect(all.filter((o) => o.kind === 'DynamoGraphDeploymentScalingAdapter').map((o) => o.name).sort()).toEqual(['a-b-c', 'a-x']);
    expect(all.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.name).sort()).toEqual(['keda-hpa-a-b-c-scaler', 'keda-hpa-a-x-scaler']);
    expect(sharedIdentities(all)).toEqual([]);
  });
});
