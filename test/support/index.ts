import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { SHARED } from './crd-schema';

export * from './crd-schema';

/** All documents of a YAML file under ../shared, comments dropped. */
export function loadShared(relative: string): any[] {
  const text = fs.readFileSync(path.join(SHARED, relative), 'utf8');
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
}

/** The single manifest of `kind` in `manifests`; fails if there is not exactly one. */
export function only(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** Every manifest of `kind`. */
export function ofKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}
