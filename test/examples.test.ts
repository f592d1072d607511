import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { crdErrors, hasCrd } from './support';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();

/** Every manifest of an example app, chart by chart, after the app's synth-time checks. */
export function synthExample(name: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES, name));
  const app: App = Testing.app();
  mod.build(app);
  // Runs every construct's validation (conflicts, namespaces, ...) like `npm run synth`.
  app.synth();
  return app.charts.flatMap((c) => Testing.synth(c));
}

describe('examples', () => {
  test('there are examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  test('a conflicting example app would fail its synth-time checks', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require(path.join(EXAMPLES, 'keda-ttft'));
    const app: App = Testing.app();
    build(app);
    const chart = app.charts[0];
    const adapter = (chart.node.findChild('sglang-agg') as any).service('decode').adapter;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KedaAutoscaler, KedaTrigger, PromQuery } = require('../src');
    new KedaAutoscaler(chart, 'second', {
      target: adapter,
      qualifier: 'second',
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
    expect(() => app.synth()).toThrow(/already scales this target/);
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
