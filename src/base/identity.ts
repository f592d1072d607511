import { invalidMessage } from './errors';
import { ObjectIdentity, sharedIdentities } from '../core/identity';

export { identityKey } from '../core/identity';
export type { ObjectIdentity } from '../core/identity';

function describe(o: ObjectIdentity): string {
  return o.origin ? `${o.origin} (${o.path})` : o.path;
}

/**
 * The rule "no two objects share kind, namespace and name" (core/identity.ts), as errors
 * of the app-wide check: one message per shared identity, under the path of the last
 * object and naming every object that has it. Also returns the shared keys, so that
 * checks that would otherwise misreport the same cause (two autoscalers on "one" adapter
 * that is really two adapters with one name) can stand aside.
 * @internal
 */
export function identityErrors(objects: readonly ObjectIdentity[]): { errors: string[]; sharedKeys: Set<string> } {
  const errors: string[] = [];
  const sharedKeys = new Set<string>();
  for (const { key, objects: list } of sharedIdentities(objects)) {
    sharedKeys.add(key);
    const last = list[list.length - 1];
    const ns = key.split('|')[2] ? `${last.namespace}/` : '';
    errors.push(invalidMessage(last.path, 'name', last.name,
      `${list.length} objects would be ${last.kind} '${ns}${last.name}': ${list.map(describe).join('; ')}. `
      + 'No two objects may share kind, namespace and name: the later apply silently replaces the earlier one. Rename one of them (a name, a qualifier, the DGD or service name) or move it to another namespace'));
  }
  return { errors, sharedKeys };
}
