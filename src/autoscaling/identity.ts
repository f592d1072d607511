import { invalidMessage } from '../errors';

/**
 * One object a cluster will hold: an object the app emits, or one an operator creates
 * from it (a Dynamo scaling adapter, the HPA behind a ScaledObject or an AIBrix
 * PodAutoscaler).
 * @internal
 */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Construct path that defines the object (or whose object makes an operator create it). */
  readonly path: string;
  /** How the object comes about, when the app does not emit it itself. */
  readonly origin?: string;
}

/** Kinds without a namespace: their identity is kind and name. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ClusterTriggerAuthentication',
]);

/**
 * The identity Kubernetes gives an object: API group (not version: one object is
 * served in every version of its group), kind, namespace and name. An object without a
 * namespace lands in the namespace it is applied to, the same for every such object of
 * one apply.
 * @internal
 */
export function identityKey(o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const namespace = CLUSTER_SCOPED.has(o.kind) ? '' : o.namespace ?? '';
  return `${group}|${o.kind}|${namespace}|${o.name}`;
}

function describe(o: ObjectIdentity): string {
  const what = o.origin ? `${o.origin} (${o.path})` : o.path;
  return what;
}

/**
 * The rule "no two objects share kind, namespace and name", over object identities:
 * when they do, the later apply silently replaces the earlier object (or the operator
 * fights over one). One message per shared identity, under the path of the last object
 * and naming every object that has it. Also returns the shared keys, so that checks
 * that would otherwise misreport the same cause (two autoscalers on "one" adapter that
 * is really two adapters with one name) can stand aside.
 * @internal
 */
export function identityErrors(objects: readonly ObjectIdentity[]): { errors: string[]; sharedKeys: Set<string> } {
  const groups = new Map<string, ObjectIdentity[]>();
  for (const o of objects) {
    const key = identityKey(o);
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  }
  const errors: string[] = [];
  const sharedKeys = new Set<string>();
  for (const [key, list] of groups) {
    if (list.length < 2) continue;
    sharedKeys.add(key);
    const last = list[list.length - 1];
    const ns = CLUSTER_SCOPED.has(last.kind) || last.namespace === undefined ? '' : `${last.namespace}/`;
    errors.push(invalidMessage(last.path, 'name', last.name,
      `${list.length} objects would be ${last.kind} '${ns}${last.name}': ${list.map(describe).join('; ')}. `
      + 'No two objects may share kind, namespace and name: the later apply silently replaces the earlier one. Rename one of them (a name, a qualifier, the DGD or service name) or move it to another namespace'));
  }
  return { errors, sharedKeys };
}
