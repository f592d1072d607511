/**
 * Object identity over plain manifests: which objects a cluster will hold once the
 * manifests are applied and the operators have acted on them, and which of them share an
 * identity (API group, kind, namespace, name), so that the later apply silently replaces
 * the earlier. Plain data, no constructs: the constructs' app-wide check and the rule
 * engine (over YAML not written with the library) apply the same rule.
 *
 * What the operators create from a manifest:
 * - Dynamo: one DynamoGraphDeploymentScalingAdapter per service whose adapter is enabled
 *   (v1alpha1 `scalingAdapter.enabled: true`, v1beta1 `scalingAdapter` present), named
 *   `<dgd>-<service lowercased>`, in the DGD's namespace.
 * - KEDA: an HPA per ScaledObject, `keda-hpa-<name>` unless
 *   `advanced.horizontalPodAutoscalerConfig.name` is set.
 * - AIBrix: an HPA `<name>-hpa` per PodAutoscaler with `scalingStrategy: HPA`.
 */
import { aibrixHpaName, kedaHpaName } from './names';

/** One object by identity, and how it comes about when no manifest declares it. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Where the object comes from: a construct path or a manifest's position. */
  readonly path: string;
  /** How the object comes about, when an operator creates it from another. */
  readonly origin?: string;
}

/** Kinds without a namespace: their identity is kind and name. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ClusterTriggerAuthentication',
]);

/**
 * The identity Kubernetes gives an object: API group (not version: one object is served
 * in every version of its group), kind, namespace and name. An object without a
 * namespace lands in the namespace it is applied to, the same for every such object of
 * one apply.
 */
export function identityKey(o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  const namespace = CLUSTER_SCOPED.has(o.kind) ? '' : o.namespace ?? '';
  return `${group}|${o.kind}|${namespace}|${o.name}`;
}

/** Whether a kind has no namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * The name of the scaling adapter the Dynamo operator creates for a service:
 * `<dgd>-<service lowercased>`; nothing else is sanitised.
 */
export function scalingAdapterName(dgdName: string, serviceName: string): string {
  return `${dgdName}-${serviceName.toLowerCase()}`;
}

/**
 * The manifest's own identity and those of the objects the operators create from it.
 * `path` says where the manifest comes from (a construct path, a file and index).
 */
export function manifestIdentities(manifest: any, path: string): ObjectIdentity[] {
  const meta = manifest?.metadata ?? {};
  if (typeof manifest?.apiVersion !== 'string' || typeof manifest?.kind !== 'string' || typeof meta.name !== 'string') return [];
  const namespace: string | undefined = meta.namespace;
  const out: ObjectIdentity[] = [{ apiVersion: manifest.apiVersion, kind: manifest.kind, namespace, name: meta.name, path }];
  const group = manifest.apiVersion.split('/')[0];
  if (group === 'nvidia.com' && manifest.kind === 'DynamoGraphDeployment') {
    const spec = manifest.spec ?? {};
    const services: Array<[string, any]> = Array.isArray(spec.components)
      ? spec.components.filter((c: any) => typeof c?.name === 'string').map((c: any) => [c.name, c.scalingAdapter !== undefined])
      : Object.entries(spec.services ?? {}).map(([name, s]: [string, any]) => [name, s?.scalingAdapter?.enabled === true]);
    for (const [service, enabled] of services) {
      if (!enabled) continue;
      out.push({
        apiVersion: manifest.apiVersion,
        kind: 'DynamoGraphDeploymentScalingAdapter',
        namespace,
        name: scalingAdapterName(meta.name, service),
        path,
        origin: `the scaling adapter the Dynamo operator creates for service '${service}' of DGD '${meta.name}'`,
      });
    }
  } else if (group === 'keda.sh' && manifest.kind === 'ScaledObject') {
    out.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace,
      path,
      name: kedaHpaName(meta.name, manifest.spec?.advanced?.horizontalPodAutoscalerConfig?.name),
      origin: `the HPA KEDA creates for ScaledObject '${meta.name}'`,
    });
  } else if (group === 'autoscaling.aibrix.ai' && manifest.kind === 'PodAutoscaler' && manifest.spec?.scalingStrategy === 'HPA') {
    out.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace,
      name: aibrixHpaName(meta.name),
      path,
      origin: `the HPA AIBrix creates for PodAutoscaler '${meta.name}'`,
    });
  }
  return out;
}

/**
 * The groups of objects that share one identity (each group has two or more), in the
 * order of each group's first object; each group's objects in input order.
 *
 * Linear, and cheap for an app of thousands of objects: objects are grouped by name
 * first (names are strings the objects already hold, so nothing is built to look them
 * up), and the identity key is computed only for objects whose name another object has.
 */
export function sharedIdentities(objects: readonly ObjectIdentity[]): Array<{ key: string; objects: ObjectIdentity[] }> {
  const byName = new Map<string, number | number[]>();
  for (let i = 0; i < objects.length; i++) {
    const name = objects[i].name;
    const before = byName.get(name);
    if (before === undefined) byName.set(name, i);
    else if (typeof before === 'number') byName.set(name, [before, i]);
    else before.push(i);
  }
  const groups: Array<{ key: string; first: number; objects: ObjectIdentity[] }> = [];
  for (const indices of byName.values()) {
    if (typeof indices === 'number') continue;
    const byKey = new Map<string, { key: string; first: number; objects: ObjectIdentity[] }>();
    for (const i of indices) {
      const key = identityKey(objects[i]);
      const group = byKey.get(key);
      if (group) group.objects.push(objects[i]);
      else byKey.set(key, { key, first: i, objects: [objects[i]] });
    }
    for (const group of byKey.values()) if (group.objects.length > 1) groups.push(group);
  }
  return groups.sort((a, b) => a.first - b.first).map(({ key, objects: list }) => ({ key, objects: list }));
}
