import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { crdErrors, hasCrd } from './support';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();

/** Every manifest of an example app, chart by chart. */
export function synthExample(name: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES, name));
  const app: App = Testing.app();
  mod.build(app);
  return app.charts.flatMap((c) => Testing.synth(c));
}

describe('examples', () => {
  test('there are examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  test.each(names)('%s: every custom resource validates against its CRD', (name) => {
    const manifests = synthExample(name);
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests.filter(hasCrd)) {
      expect(crdErrors(m)).toEqual([]);
    }
  });

  test.each(names)('%s: matches its snapshot', (name) => {
    expect(synthExample(name)).toMatchSnapshot();
  });
});
