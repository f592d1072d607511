import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { FIXTURES } from './crd-schema';

export * from './crd-schema';

/** All documents of an upstream fixture file (test/fixtures/upstream/), comments dropped. */
export function loadUpstream(relative: string): any[] {
  const text = fs.readFileSync(path.join(FIXTURES, 'upstream', relative), 'utf8');
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

/** The excerpt (headings and YAML blocks) of the seed document `prefix` (e.g. '004'). */
export function seedText(prefix: string): string {
  const file = path.join(FIXTURES, 'seeds', `${prefix}.md`);
  if (!fs.existsSync(file)) throw new Error(`no seed excerpt ${file}`);
  return fs.readFileSync(file, 'utf8');
}

/** Every YAML document of every ```yaml block of a seed (or of `text`). */
export function seedYamlDocs(prefix: string, text = seedText(prefix)): any[] {
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) => YAML.parseAllDocuments(m[1]).map((d) => d.toJS()));
}

/** The documents of the first ```yaml block after `heading` in a seed. */
export function seedSection(prefix: string, heading: string): any[] {
  const after = seedText(prefix).split(heading)[1];
  if (after === undefined) throw new Error(`seed ${prefix} has no heading '${heading}'`);
  return seedYamlDocs(prefix, after.slice(0, after.indexOf('```', after.indexOf('```yaml') + 7) + 3)).filter((d) => d !== null);
}
