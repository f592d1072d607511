/**
 * `cdk8s-dynamo import` code generation: for Dynamo's examples and a hand-written graph
 * with autoscalers, the generated program is kept in test/fixtures/import/generated/
 * (regenerate with UPDATE_IMPORT_GOLDEN=1), compiles under strict with the TypeScript
 * API, passes the project's eslint rules, and synthesizes back to its input. A property
 * test builds random DGDs with the library and checks synth -> import -> synth is
 * byte-identical, through the generated code and through fromManifest.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import * as lib from '../src';
import { FIXTURES, ROOT } from './support';
import { generateCode } from '../src/importer/codegen';

const GENERATED = path.join(FIXTURES, 'import', 'generated');
/**
 * name -> fixture. Upstream's placeholder image tag `my-tag` is pinned to a release tag
 * (a Dynamo 1.5 operator refuses an image without a version), except in the case that
 * targets Dynamo 1.4, where the placeholder is fine.
 */
const CASES: Record<string, { file: string; release?: lib.DynamoRelease }> = {
  'vllm-agg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/vllm/agg.yaml' },
  'vllm-disagg-planner-v1alpha1': { file: 'upstream/dynamo-v1alpha1/vllm/disagg_planner.yaml' },
  'vllm-disagg-planner-v1alpha1-dynamo-1.4': { file: 'upstream/dynamo-v1alpha1/vllm/disagg_planner.yaml', release: lib.DynamoRelease.V1_4 },
  'sglang-disagg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/sglang/disagg.yaml' },
  'trtllm-agg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/trtllm/agg.yaml' },
  'trtllm-disagg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/trtllm/disagg.yaml' },
  'sglang-agg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/sglang/agg.yaml' },
  'vllm-disagg-v1alpha1': { file: 'upstream/dynamo-v1alpha1/vllm/disagg.yaml' },
  'vllm-agg-v1beta1': { file: 'upstream/dynamo-v1beta1/vllm/agg.yaml' },
  'vllm-disagg-v1beta1': { file: 'upstream/dynamo-v1beta1/vllm/disagg.yaml' },
  'vllm-disagg-autoscaled': { file: 'import/vllm-disagg-autoscaled.yaml' },
  'vllm-disagg-planner-decode': { file: 'import/vllm-disagg-planner-decode.yaml' },
};
/** From test/fixtures/import/generated/ to src/. */
const LIBRARY = '../../../../src';

function docsOf(text: string): any[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
}

function generate(name: string): { code: string; warnings: string[]; input: any[] } {
  const { file, release } = CASES[name];
  const raw = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const text = release ? raw : raw.replace(/:my-tag$/gm, ':1.5.1');
  const out = generateCode(text, `test/fixtures/${file}`, { importFrom: LIBRARY, release });
  return { code: out.code, warnings: out.warnings, input: docsOf(text) };
}

describe('generated programs for the fixtures', () => {
  test.each(Object.keys(CASES))('%s: generated as kept in test/fixtures/import/generated, and synthesizes back to the input', (name) => {
    const { code, input } = generate(name);
    const file = path.join(GENERATED, `${name}.ts`);
    if (process.env.UPDATE_IMPORT_GOLDEN) fs.writeFileSync(file, code);
    expect(code).toBe(fs.readFileSync(file, 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file);
    const chart = new mod.ImportedChart(Testing.app(), 'imported') as Chart;
    expect(Testing.synth(chart)).toEqual(input);
  });

  test('a release other than the newest is set on the generated chart', () => {
    expect(generate('vllm-disagg-planner-v1alpha1-dynamo-1.4').code).toContain('DynamoGraphDeployment.setDefaultRelease(this, DynamoRelease.V1_4);');
    expect(generate('vllm-disagg-planner-v1alpha1').code).not.toContain('setDefaultRelease');
  });

  test('a Planner with mode decode: adoptService names decode alone; KEDA on prefill is typed, an HPA on decode stays raw', () => {
    const { code, warnings } = generate('vllm-disagg-planner-decode');
    expect(code).toContain("DynamoPlanner.adoptService(llm.service('Planner'), [llm.service('decode')]);");
    expect(code).toContain('new KedaAutoscaler(this, \'llm-prefill-scaler\'');
    expect(warnings).toContain("test/fixtures/import/vllm-disagg-planner-decode.yaml, document 3 (line 71): HorizontalPodAutoscaler llm-decode-hpa kept as an ApiObject: the DGD's Planner 'Planner' (mode decode) scales service 'decode'; a second autoscaler on it would fight the Planner over its replicas");
    // Upstream's disagg_planner.yaml has no mode: the Planner's default, disagg, scales both workers.
    expect(generate('vllm-disagg-planner-v1alpha1').code).toContain(
      "DynamoPlanner.adoptService(vllmDisaggPlanner.service('Planner'), [vllmDisaggPlanner.service('VllmDecodeWorker'), vllmDisaggPlanner.service('VllmPrefillWorker')]);");
  });

  test('typed constructs, not raw objects, for DGDs and expressible autoscalers', () => {
    const { code, warnings } = generate('vllm-disagg-autoscaled');
    expect(code).toContain("new DynamoGraphDeployment(this, 'vllm-disagg'");
    expect(code).toContain('role: ServiceRole.DECODE');
    expect(code).toContain('backendFramework: BackendFramework.VLLM');
    expect(code).toContain("envFromSecret: 'hf-token-secret'");
    expect(code).toContain('new HpaAutoscaler(this');
    expect(code).toContain('target: vllmDisaggVllmDecodeWorker.adapter');
    expect(code).toContain("HpaMetric.pods({ name: 'vllm_time_per_output_token_p95', target: HpaMetricTarget.averageValue(0.05) })");
    expect(code).toMatch(/\/\/ Secret hf-token-secret .*kept as an ApiObject: this library has no construct for Secret\.\nnew ApiObject|kept as an ApiObject: this library has no construct for Secret/);
    expect(warnings.join('\n')).toContain('Secret hf-token-secret kept as an ApiObject');
    expect(code).toContain('new KedaAutoscaler(this');
    expect(code).toContain("query: PromQuery.raw('sum(dynamo_frontend_queued_requests{dynamo_namespace=\"llm-vllm-disagg\"})')");
    expect(code).toContain('new AibrixAutoscaler(this');
    expect(code).toContain('strategy: AibrixScalingStrategy.KPA');
    expect(code).toContain('scaleDownCooldownWindow: Duration.seconds(600)');
    expect(code).toContain('target: vllmDisaggFrontend.adapter');
    expect(code).toContain('kept as an ApiObject: triggers[0]: kafka triggers have no KedaTrigger factory.');
    expect(code).toContain('kept as an ApiObject: its scaleTargetRef (Deployment gateway) is not the scaling adapter of a DGD in this file.');
  });

  test('a List is written as its items', () => {
    const dgd = docsOf(fs.readFileSync(path.join(FIXTURES, 'upstream/dynamo-v1beta1/vllm/agg.yaml'), 'utf8').replace(/:my-tag$/gm, ':1.5.1'))[0];
    const list = { apiVersion: 'v1', kind: 'List', items: [dgd, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] };
    const g = generateCode(YAML.stringify(list), 'list.yaml');
    expect(g.warnings[0]).toBe('list.yaml, document 1 (line 1): List written as its 2 item(s), one object each');
    expect(g.deployments).toBe(1);
    expect(Testing.synth(runGenerated(g.code))).toEqual(list.items);
  });

  test('an autoscaler the library would render differently, or refuses, stays an ApiObject saying why', () => {
    const dgd = 'apiVersion: nvidia.com/v1beta1\nkind: DynamoGraphDeployment\nmetadata: {name: g, namespace: ns}\nspec:\n  components:\n  - {name: w, type: worker, scalingAdapter: {}, podTemplate: {spec: {containers: [{name: main, image: img:1.5.1}]}}}\n';
    const hpa = (extra: string) => `---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: g-w-hpa, namespace: ns}\nspec:\n  scaleTargetRef: {apiVersion: nvidia.com/v1beta1, kind: DynamoGraphDeploymentScalingAdapter, name: g-w}\n  maxReplicas: 3\n${extra}`;
    const cpu = '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]\n';
    const different = generateCode(dgd + hpa(`  minReplicas: 1\n${cpu}  behavior: {scaleUp: {}}\n`), 'x.yaml');
    expect(different.code).toContain('kept as an ApiObject: the library would render it differently (spec.behavior: {"scaleUp":{}} in the input, absent from the library).');
    const refused = generateCode(dgd + hpa(`  minReplicas: 0\n${cpu}`), 'x.yaml');
    expect(refused.code).toContain("kept as an ApiObject: the library refuses it: [imported/g-w-hpa] 'minReplicas' (0): scaling to zero needs at least one Object or External metric");
    const object = generateCode(dgd + hpa('  metrics: [{type: Object, object: {describedObject: {kind: Service, name: s}, metric: {name: m}, target: {type: Value, value: 1}}}]\n'), 'x.yaml');
    expect(object.code).toContain('kept as an ApiObject: metrics[0] (Object) has no HpaMetric factory that renders it the same way.');
    for (const g of [different, refused, object]) {
      expect(g.autoscalers).toBe(0);
      expect(Testing.synth(runGenerated(g.code)).map((m) => m.kind)).toEqual(['DynamoGraphDeployment', 'HorizontalPodAutoscaler']);
    }
  });

  test('the generated programs compile under strict with the TypeScript API', () => {
    const files = Object.keys(CASES).map((n) => path.join(GENERATED, `${n}.ts`));
    expect(fs.readdirSync(GENERATED).sort()).toEqual(Object.keys(CASES).map((n) => `${n}.ts`).sort());
    const program = ts.createProgram(files, {
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
    });
    expect(program.getRootFileNames()).toHaveLength(files.length);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || files.includes(path.resolve(d.file.fileName)));
    expect(diagnostics.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  });

  test("the generated programs pass the project's eslint rules", () => {
    const eslint = path.join(ROOT, 'node_modules', '.bin', 'eslint');
    let output = '';
    try {
      output = execFileSync(eslint, ['--ext', '.ts', '--max-warnings', '0', GENERATED], {
        cwd: ROOT, env: { ...process.env, ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' }, encoding: 'utf8',
      });
    } catch (e: any) {
      output = `${e.stdout}${e.stderr}`;
    }
    expect(output.trim()).toBe('');
  });
});

// ---------------------------------------------------------------- property

/** Runs generated code in-process, its library import resolved to src/. */
function runGenerated(code: string): Chart {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(code, { compilerOptions }).outputText;
  const module = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (m: string) => (m === 'cdk8s-dynamo' ? lib : require(m));
  new Function('require', 'module', 'exports', js)(load, module, module.exports);
  return new module.exports.ImportedChart(Testing.app(), 'imported');
}

const serviceName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}[A-Za-z0-9]$/);
const envMap = fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,5}$/), fc.string({ maxLength: 6 }), { maxKeys: 2 });
const amounts = fc.record({
  cpu: fc.constantFrom('500m', '2'),
  memory: fc.constantFrom('16Gi', '1G'),
  gpu: fc.integer({ min: 0, max: 8 }),
  custom: fc.constant({ 'ephemeral-storage': '2Gi' }),
}, { requiredKeys: [] });
const serviceOptions = fc.record({
  role: fc.constantFrom(...Object.values(lib.ServiceRole).filter((r) => r !== lib.ServiceRole.EPP)),
  image: fc.constantFrom('img:1.5.0', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0'),
  command: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  args: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  workingDir: fc.constant('/workspace'),
  env: envMap,
  envFromSecret: fc.constant('hf-token-secret'),
  resources: fc.record({ requests: amounts, limits: amounts }, { requiredKeys: [] }),
  replicas: fc.integer({ min: 0, max: 5 }),
  scalingAdapter: fc.boolean(),
  multinodeNodeCount: fc.integer({ min: 2, max: 4 }),
  podSpec: fc.record({
    tolerations: fc.constant([{ key: 'nvidia.com/gpu', operator: 'Exists' }]),
    containers: fc.constant([{ name: 'sidecar', image: 'busybox:1' }]),
  }, { requiredKeys: [] }),
  mainContainer: fc.record({ ports: fc.constant([{ containerPort: 8000, name: 'http' }]) }, { requiredKeys: [] }),
  podMetadata: fc.record({ labels: fc.constant({ team: 'a' }), annotations: fc.constant({ 'x/y': 'z' }) }, { requiredKeys: [] }),
}, { requiredKeys: ['role', 'image'] });

const program = fc.record({
  apiVersion: fc.constantFrom(lib.DynamoApiVersion.V1ALPHA1, lib.DynamoApiVersion.V1BETA1),
  namespace: fc.option(fc.constantFrom('llm', 'team-a'), { nil: undefined }),
  backendFramework: fc.option(fc.constantFrom(...Object.values(lib.BackendFramework)), { nil: undefined }),
  env: envMap,
  globalDynamoNamespace: fc.boolean(),
  labels: fc.option(fc.constant({ app: 'llm' }), { nil: undefined }),
  services: fc.uniqueArray(fc.tuple(serviceName, serviceOptions), { selector: ([n]) => n.toLowerCase(), minLength: 1, maxLength: 4 }),
  // One autoscaler per service at most, by kind, on the first services.
  autoscalers: fc.array(fc.constantFrom('hpa', 'keda', 'aibrix', 'none'), { maxLength: 4 }),
  min: fc.integer({ min: 1, max: 3 }),
  max: fc.integer({ min: 3, max: 10 }),
  window: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

type ProgramValue = typeof program extends fc.Arbitrary<infer T> ? T : never;

/**
 * Attaches the drawn autoscalers (the library's constructs) to the first services, but
 * not to those a planner service owns: one without a mode runs the Planner's default,
 * disagg, and scales prefill and decode, so the importer adopts them (and DYN603 would
 * flag a second autoscaler there).
 */
function attachAutoscalers(chart: Chart, dgd: lib.DynamoGraphDeployment, p: ProgramValue): number {
  let count = 0;
  const plannerOwned = dgd.services.some((s) => s.role === lib.ServiceRole.PLANNER) ? [lib.ServiceRole.PREFILL, lib.ServiceRole.DECODE] : [];
  dgd.services.forEach((service, i) => {
    if (plannerOwned.includes(service.role)) return;
    const kind = p.autoscalers[i] ?? 'none';
    const target = service.adapter;
    if (kind === 'hpa') {
      new lib.HpaAutoscaler(chart, `hpa-${i}`, {
        target,
        minReplicas: p.min,
        maxReplicas: p.max,
        metrics: [
          plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(60)),
          plus.Metric.pods({ name: 'queue', target: plus.MetricTarget.averageValue(0.5) }),
        ],
        scaleDown: p.window === undefined ? undefined : {
          stabilizationWindow: Duration.seconds(p.window),
          policies: [{ replicas: plus.Replicas.absolute(1), duration: Duration.seconds(60) }],
        },
      });
    } else if (kind === 'keda') {
      new lib.KedaAutoscaler(chart, `keda-${i}`, {
        target,
        minReplicas: p.min,
        maxReplicas: p.max,
        pollingInterval: p.window === undefined ? undefined : Duration.seconds(p.window + 1),
        triggers: [lib.KedaTrigger.prometheus({ serverAddress: 'http://prom:9090', query: lib.PromQuery.raw('sum(queue)'), threshold: 4.5 })],
      });
    } else if (kind === 'aibrix') {
      new lib.AibrixAutoscaler(chart, `pa-${i}`, {
        target,
        strategy: lib.AibrixScalingStrategy.KPA,
        minReplicas: p.min,
        maxReplicas: p.max,
        metrics: [lib.AibrixMetricSource.pod({ metric: 'inflight', targetValue: 10, port: 8000 })],
        scaleDownCooldownWindow: p.window === undefined ? undefined : Duration.seconds(p.window),
      });
    } else {
      return;
    }
    count += 1;
  });
  return count;
}

function buildRandom(p: ProgramValue): { chart: Chart; autoscalers: number } {
  const chart = Testing.chart();
  const dgd = new lib.DynamoGraphDeployment(chart, 'dgd', {
    name: 'graph',
    namespace: p.namespace,
    apiVersion: p.apiVersion,
    backendFramework: p.backendFramework,
    env: p.env,
    globalDynamoNamespace: p.globalDynamoNamespace,
    labels: p.labels,
  });
  for (const [name, options] of p.services) {
    const o = { ...options };
    // Dynamo 1.5 runs multinode workers only.
    if (!['worker', 'prefill', 'decode'].includes(o.role)) delete o.multinodeNodeCount;
    dgd.addService(name, o);
  }
  return { chart, autoscalers: attachAutoscalers(chart, dgd, p) };
}

const yamlOf = (manifests: any[]) => manifests.map((m) => YAML.stringify(m)).join('---\n');

describe('property: random library DGDs survive synth -> import -> synth byte-identically', () => {
  test('through the generated code and through fromManifest', () => {
    fc.assert(fc.property(program, (p) => {
      const built = buildRandom(p);
      const first = Testing.synth(built.chart);
      const text = yamlOf(first);
      const generated = generateCode(text, 'random.yaml');
      // Every autoscaler the library built comes back as the library's construct.
      expect(generated.autoscalers).toBe(built.autoscalers);
      expect(generated.rawObjects).toBe(0);
      expect(yamlOf(Testing.synth(runGenerated(generated.code)))).toBe(text);
      const chart = Testing.chart();
      for (const m of first.filter((x) => x.kind === 'DynamoGraphDeployment')) lib.DynamoGraphDeployment.fromManifest(chart, m.metadata.name, m);
      expect(yamlOf(Testing.synth(chart))).toBe(yamlOf(first.filter((x) => x.kind === 'DynamoGraphDeployment')));
    }), { numRuns: 60 });
  });
});
