/**
 * `npm run synth`: synthesizes every example app in examples/ into
 * dist/examples/<example>/, one folder per example, one YAML file per chart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const only = process.argv.slice(2);

const names = fs.readdirSync(examplesDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

let files = 0;
for (const name of names) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(examplesDir, name));
  if (typeof mod.build !== 'function') throw new Error(`examples/${name}.ts does not export build(app)`);
  const outdir = path.join(root, 'dist', 'examples', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  mod.build(app);
  app.synth();
  const written = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
  files += written.length;
  console.log(`${name}: ${written.map((f) => path.join('dist', 'examples', name, f)).join(', ')}`);
}
console.log(`synthesized ${names.length} example apps into ${files} files`);
