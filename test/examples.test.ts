import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { crdErrors, hasCrd } from './support';
import { dgdComponents } from '../src/core/dgd-components';
import { groveNameLengthProblem } from '../src/core/grove';
import { runtimeVersionProblems } from '../src/core/runtime-version';

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
    expect(() => app.synth()).toThrow(/DYN603 .* already scales /);
  });

  test.each(names)('%s: every custom resource validates against its CRD', (name) => {
    const manifests = synthExample(name);
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests.filter(hasCrd)) {
      expect(crdErrors(m)).toEqual([]);
    }
  });

  // Read back from the rendered YAML, as the operator reads it (not from the constructs).
  test.each(names)('%s: a Dynamo 1.5 operator admits every DGD component (image, runtime version, Grove names)', (name) => {
    const dgds = synthExample(name).filter((m) => m.kind === 'DynamoGraphDeployment');
    for (const dgd of dgds) {
      const components = dgdComponents(dgd);
      expect(components.length).toBeGreaterThan(0);
      for (const c of components) {
        expect([c.path, runtimeVersionProblems(c)]).toEqual([c.path, []]);
        expect(c.mainImage).toMatch(/^nvcr\.io\/nvidia\/ai-dynamo\/[a-z-]+:(1\.5\.1|my-tag)$/);
        if (c.mainImage!.endsWith(':my-tag')) expect(c.override).toBe('1.5.1');
        expect(groveNameLengthProblem(dgd.metadata.name, components, c)).toBeUndefined();
      }
    }
  });

  test('the examples use release tags, and one shows a custom tag with runtimeVersionOverride', () => {
    const all = names.flatMap((n) => synthExample(n)).filter((m) => m.kind === 'DynamoGraphDeployment').flatMap(dgdComponents);
    expect(all.filter((c) => c.override !== undefined).map((c) => [c.name, c.mainImage, c.override])).toEqual([
      ['Planner', 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag', '1.5.1'],
    ]);
    expect(all.filter((c) => c.override === undefined).every((c) => c.mainImage!.endsWith(':1.5.1'))).toBe(true);
  });

  test.each(names)('%s: matches its snapshot', (name) => {
    expect(synthExample(name)).toMatchSnapshot();
  });
});
