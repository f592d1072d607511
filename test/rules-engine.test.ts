/**
 * The rule engine as a whole: options, List expansion, unknown kinds, per-object
 * suppression, linear time on big sets, the generated docs page, the schema bundle the
 * package ships, and the library's own examples (which must lint clean).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Testing } from 'cdk8s';
import { buildSchemaBundle, BUNDLE_FILE } from '../scripts/bundle-schemas';
import { rulesMarkdown, RULES_DOC } from '../scripts/rules-doc';
import { checkManifests, DynamoRules, listRules, Severity } from '../src';
import { IGNORE_ANNOTATION } from '../src/rules/engine';

const NS = 'team';
const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0';

function dgd(name = 'llm', namespace: string | null = NS, adapter = true): any {
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      components: [
        { name: 'Frontend', type: 'frontend', replicas: 1, podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
        { name: 'decode', type: 'decode', ...(adapter ? { scalingAdapter: {} } : { replicas: 1 }), podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
      ],
    },
  };
}

function hpa(name: string, target: string, namespace: string | null = NS): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      scaleTargetRef: { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: target },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

const wrap = (ms: any[]) => ms.map((manifest) => ({ manifest }));

describe('options', () => {
  const broken = () => wrap([dgd('llm', NS, false), hpa('h', 'llm-decode')]);

  test('enable runs only the listed rules; disable skips them', () => {
    expect(checkManifests(broken()).findings.map((f) => f.ruleId)).toEqual(['DYN602']);
    expect(checkManifests(broken(), { disable: ['DYN602'] }).findings).toEqual([]);
    expect(checkManifests(broken(), { enable: ['DYN001'] }).findings).toEqual([]);
    expect(checkManifests(broken(), { enable: ['DYN602'] }).findings.map((f) => f.ruleId)).toEqual(['DYN602']);
  });

  test('an unknown rule id or release is refused with the list to choose from', () => {
    expect(() => checkManifests(broken(), { disable: ['DYN999'] })).toThrow(/unknown rule id "DYN999"/);
    expect(() => checkManifests(broken(), { dynamoRelease: '9.9' })).toThrow(/not one the library knows: use one of 0.8, .*1.5/);
  });

  test('the default namespace is where objects without one meet', () => {
    const ms = wrap([dgd('llm', null, false), hpa('h', 'llm-decode', null)]);
    const [f] = checkManifests(ms).findings;
    expect(f.object).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: 'default', name: 'h' });
    expect(checkManifests(ms, { defaultNamespace: 'x' }).findings[0].object.namespace).toBe('x');
    // One object without a namespace, the other in the default one: they still meet.
    const mixed = wrap([dgd('llm', 'x', false), hpa('h', 'llm-decode', null)]);
    expect(checkManifests(mixed, { defaultNamespace: 'x' }).findings.map((f2) => f2.ruleId)).toEqual(['DYN602']);
    // Elsewhere they do not: the HPA in 'default' cannot reach the DGD in 'x'.
    expect(checkManifests(mixed).findings.map((f2) => f2.ruleId)).toEqual(['DYN601']);
  });

  test('schema: false skips schema rules only', () => {
    const bad = dgd('llm', NS, false);
    bad.spec.components[0].replicaz = 1;
    const ms = wrap([bad, hpa('h', 'llm-decode')]);
    expect(checkManifests(ms).findings.map((f) => f.ruleId).sort()).toEqual(['DYN002', 'DYN602']);
    expect(checkManifests(ms, { schema: false }).findings.map((f) => f.ruleId)).toEqual(['DYN602']);
  });

  test('the release picks the rules (1.5 admission) and the CRDs (v1beta1 only from 1.5)', () => {
    const d = dgd();
    d.spec.components[1].podTemplate.spec.containers[0].image = 'vllm:latest';
    expect(checkManifests(wrap([d])).findings.map((f) => f.ruleId)).toEqual(['DYN102']);
    expect(checkManifests(wrap([d]), { dynamoRelease: '1.4' }).findings.map((f) => f.ruleId)).toEqual(['DYN005']);
  });

  test('the ignore annotation turns rules off for one object', () => {
    const h = hpa('h', 'llm-decode');
    h.metadata.annotations = { [IGNORE_ANNOTATION]: 'DYN001, DYN602' };
    expect(checkManifests(wrap([dgd('llm', NS, false), h])).findings).toEqual([]);
  });
});

describe('input handling', () => {
  test('List kinds are expanded; unknown kinds counted; sources and construct paths carried over', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [dgd('llm', NS, false), hpa('h', 'llm-decode'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }] };
    const r = checkManifests([{ manifest: list, source: { file: 'all.yaml', line: 3 }, constructPath: 'app/chart' }, { manifest: null }, { manifest: 'text' }]);
    expect(r.checked).toBe(2);
    expect(r.unknown).toBe(1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ ruleId: 'DYN602', severity: Severity.ERROR, source: { file: 'all.yaml', line: 3 }, constructPath: 'app/chart', path: 'spec.scaleTargetRef.name', value: 'llm-decode' });
    expect(r.findings[0].message).toBe("HorizontalPodAutoscaler team/h: spec.scaleTargetRef.name = \"llm-decode\": service 'decode' of DGD team/llm does not enable its scaling adapter (spec.components[1].scalingAdapter), so the operator never creates 'llm-decode'");
  });

  test('a Prometheus Adapter ConfigMap counts as checked, another ConfigMap as unknown', () => {
    const adapter = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adapter' }, data: { 'config.yaml': 'externalRules: []\n' } };
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { 'config.yaml': 'log: debug\n' } };
    expect(checkManifests(wrap([adapter, other]))).toMatchObject({ checked: 1, unknown: 1, findings: [] });
  });

  test('findings come in input order', () => {
    const r = checkManifests(wrap([hpa('a', 'llm-decode'), dgd('llm', NS, false), hpa('b', 'llm-decode')]));
    expect(r.findings.map((f) => `${f.ruleId} ${f.object.name}`)).toEqual(['DYN602 a', 'DYN602 b', 'DYN603 b']);
  });

  test('DynamoRules (for jsii languages) is the same engine', () => {
    expect(DynamoRules.list()).toEqual(listRules());
    expect(DynamoRules.check(wrap([dgd('llm', NS, false), hpa('h', 'llm-decode')])).findings.map((f) => f.ruleId)).toEqual(['DYN602']);
  });
});

describe('scale', () => {
  /** n DGDs, each with an HPA on its decode adapter; every 100th HPA aims at a disabled adapter. */
  function fleet(n: number): any[] {
    const out: any[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dgd(`llm-${i}`, `ns-${i % 50}`, i % 100 !== 0));
      out.push(hpa(`h-${i}`, `llm-${i}-decode`, `ns-${i % 50}`));
    }
    return out;
  }

  test('10,000 objects: every cross-object finding, in time linear in the set', () => {
    const small = wrap(fleet(500));
    const big = wrap(fleet(5000));
    checkManifests(small); // compile the validators once
    const t0 = process.hrtime.bigint();
    const rs = checkManifests(small);
    const t1 = process.hrtime.bigint();
    const rb = checkManifests(big);
    const t2 = process.hrtime.bigint();
    expect(rs.findings.filter((f) => f.ruleId === 'DYN602')).toHaveLength(5);
    expect(rb.findings.filter((f) => f.ruleId === 'DYN602')).toHaveLength(50);
    expect(rb.checked).toBe(10000);
    // 10x the objects must not cost anywhere near 100x (quadratic) the time.
    expect(Number(t2 - t1) / Number(t1 - t0)).toBeLessThan(30);
  });
});

describe('generated and bundled files', () => {
  test('docs/rules.md is what scripts/rules-doc.ts writes, and lists every rule', () => {
    expect(fs.readFileSync(RULES_DOC, 'utf8')).toBe(rulesMarkdown());
    for (const r of listRules()) expect(rulesMarkdown()).toContain(`### ${r.id}`);
  });

  test('every rule has an id, a title, a description and a fix', () => {
    const ruleIds = listRules().map((r) => r.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const r of listRules()) {
      expect(r.id).toMatch(/^DYN\d{3}$/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.description.length).toBeGreaterThan(40);
      expect(r.fix.length).toBeGreaterThan(5);
    }
  });

  test('schemas/crd-schemas.json.gz is what scripts/bundle-schemas.ts builds from crds/', () => {
    const committed = JSON.parse(zlib.gunzipSync(fs.readFileSync(BUNDLE_FILE)).toString('utf8'));
    expect(committed).toEqual(buildSchemaBundle());
    expect(Object.keys(committed.sources).sort()).toEqual(['aibrix/v0.7.0', 'dynamo/v1.0', 'dynamo/v1.5', 'keda/v2.20']);
    // Prose is dropped, validation is kept.
    const text = JSON.stringify(committed);
    expect(text).not.toContain('"description":"');
    expect(text).toContain('x-kubernetes-validations');
    expect(text).toContain('x-kubernetes-list-map-keys');
  });

  test('the package ships the bundle and not crds/', () => {
    const npmignore = fs.readFileSync(path.join(__dirname, '..', '.npmignore'), 'utf8').split('\n');
    expect(npmignore).toContain('/crds/');
    expect(npmignore).toContain('!/schemas/crd-schemas.json.gz');
  });
});

describe('the library examples lint clean', () => {
  const EXAMPLES = path.resolve(__dirname, '..', 'examples');
  const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();

  /** Each chart's manifests (one file of `cdk8s synth`), and the whole app's. */
  function synth(name: string): { charts: any[][]; all: any[] } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(EXAMPLES, name));
    const app: App = Testing.app();
    mod.build(app);
    const charts = app.charts.map((c) => Testing.synth(c));
    return { charts, all: charts.flat() };
  }

  /**
   * What the examples break today (test/cli-lint.test.ts keeps the same list): nothing. (mixed-my-llm's
   * Planner runs mode decode, so the ScaledObject on prefill is no second autoscaler.)
   */
  const KNOWN: Record<string, string[]> = {};

  test.each(names)('%s: zero findings at the newest release, the whole app and each chart alone (but the known ones)', (name) => {
    const { charts, all } = synth(name);
    expect(all.length).toBeGreaterThan(0);
    const known = KNOWN[name] ?? [];
    for (const chart of charts) {
      for (const f of checkManifests(wrap(chart)).findings) expect(known).toContain(f.ruleId);
    }
    const r = checkManifests(wrap(all));
    expect(r.findings.map((f) => f.ruleId)).toEqual(known);
    expect(r.checked).toBeGreaterThan(0);
  });
});

describe('layering', () => {
  test('src/rules and src/validate use no constructs, no cdk8s, nothing from dynamo/ or autoscaling/', () => {
    const SRC = path.join(__dirname, '..', 'src');
    const files = ['rules', 'validate'].flatMap((d) => fs.readdirSync(path.join(SRC, d)).map((f) => path.join(SRC, d, f)));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const imports = [...fs.readFileSync(f, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      for (const i of imports) expect(`${path.relative(SRC, f)}: ${i}`).not.toMatch(/: (cdk8s|cdk8s-plus-\d+|constructs|\.\.\/(dynamo|autoscaling|cli)\b.*)$/);
    }
  });
});
