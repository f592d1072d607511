/**
 * The checker for users' tests (DynamoLint) and the `cdk8s synth` validation plugin
 * (DynamoValidation), with the real rule engine. The plugin runs here against
 * cdk8s-cli's own ValidationContext and report classes; scripts/consumer-plugin-test.sh
 * runs it through a real `cdk8s synth`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Metric, MetricTarget } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { BackendFramework, DynamoGraphDeployment, DynamoLint, DynamoValidation, HpaAutoscaler, ServiceRole, Severity } from '../src';
import { tempTree } from './support/cli';

// cdk8s-cli's package exports do not list lib/plugins: load it by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require(path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation')) as typeof import('cdk8s-cli/lib/plugins/validation');

const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0';

/** A chart built with the library: a DGD (images tagged for Dynamo 1.5) and an HPA on its Frontend. */
function buildClean(app: App): Chart {
  const chart = new Chart(app, 'inference', { namespace: 'inference' });
  const dgd = new DynamoGraphDeployment(chart, 'llm', { name: 'llm', backendFramework: BackendFramework.VLLM });
  const frontend = dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image: IMAGE, replicas: 1 });
  dgd.addService('VllmDecodeWorker', { role: ServiceRole.DECODE, image: IMAGE, replicas: 1, resources: { limits: { gpu: 1 } } });
  new HpaAutoscaler(chart, 'frontend-hpa', { target: frontend.adapter, maxReplicas: 4, metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))] });
  return chart;
}

/** An HPA written by hand with a mistake Kubernetes refuses: minReplicas above maxReplicas. */
function brokenHpa(chart: Chart, id = 'raw-hpa') {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-hpa' },
    spec: { minReplicas: 5, maxReplicas: 2, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
  });
}

describe('DynamoLint (the checker for tests)', () => {
  test('a chart built with the library is clean, and synth() returns what Testing.synth returns', () => {
    const app = Testing.app();
    const chart = buildClean(app);
    expect(DynamoLint.check(chart).findings).toEqual([]);
    expect(DynamoLint.check(app).checked).toBeGreaterThan(0);
    expect(DynamoLint.synth(chart)).toEqual(Testing.synth(chart));
    expect(() => DynamoLint.assertClean(app)).not.toThrow();
  });

  test('a planted mistake: the finding has the rule id, the object, the field and the construct path', () => {
    const chart = Testing.chart();
    brokenHpa(chart);
    const { findings } = DynamoLint.check(chart);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({
      ruleId: 'DYN004',
      severity: Severity.ERROR,
      object: { kind: 'HorizontalPodAutoscaler', name: 'web-hpa' },
      constructPath: `${chart.node.path}/raw-hpa`,
    });
    expect(findings[0].message).toContain('minReplicas');
  });

  test('synth() and assertClean() throw a readable report naming rule, object, field and construct path', () => {
    const chart = Testing.chart();
    brokenHpa(chart);
    let error: any;
    try {
      DynamoLint.synth(chart);
    } catch (e) {
      error = e;
    }
    expect(error?.name).toBe('DynamoLintError');
    expect(error.message).toMatch(/^cdk8s-dynamo: test has \d+ findings? at or above error:\n\n/);
    expect(error.message).toContain('error DYN004 HorizontalPodAutoscaler default/web-hpa');
    expect(error.message).toContain(`construct: ${chart.node.path}/raw-hpa`);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(() => DynamoLint.assertClean(chart)).toThrow(/DYN004/);
  });

  test('options reach the engine: disabling the rule makes the same chart pass', () => {
    const chart = Testing.chart();
    brokenHpa(chart);
    expect(() => DynamoLint.assertClean(chart, { disable: ['DYN004'] })).not.toThrow();
    expect(DynamoLint.check(chart, { schema: false }).findings.filter((f) => f.ruleId === 'DYN004')).toEqual([]);
  });

  test('an app with several charts: every chart is checked, paths name the right chart', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new ApiObject(a, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    brokenHpa(b, 'hpa');
    const result = DynamoLint.check(app);
    expect(result.findings.map((f) => f.constructPath)).toContain('b/hpa');
    expect(result.unknown).toBeGreaterThanOrEqual(1);
  });

  test('plain manifests: checkManifests and assertManifestsClean', () => {
    const manifests = Testing.synth((() => { const c = Testing.chart(); brokenHpa(c); return c; })());
    expect(DynamoLint.checkManifests(manifests).findings.map((f) => f.ruleId)).toContain('DYN004');
    expect(() => DynamoLint.assertManifestsClean(manifests)).toThrow(/DYN004/);
    expect(() => DynamoLint.assertManifestsClean([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).not.toThrow();
  });

  test('bad input is a clear error', () => {
    expect(() => DynamoLint.check(Testing.app())).toThrow('DynamoLint: the app holds no charts to check');
    expect(() => DynamoLint.checkManifests('nope' as any)).toThrow("DynamoLint.checkManifests: 'manifests' must be an array of Kubernetes objects, got string");
  });
});

describe('DynamoValidation (the cdk8s synth plugin) with cdk8s-cli ValidationContext', () => {
  function synthTo(app: App): { files: string[]; metadata: Record<string, { path: string }> } {
    const dir = tempTree({});
    const files: string[] = [];
    const metadata: Record<string, { path: string }> = {};
    for (const chart of app.charts) {
      const file = path.join(dir, `${chart.node.id}.k8s.yaml`);
      const docs = chart.toJson();
      fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
      files.push(file);
      for (const o of chart.node.findAll()) if (ApiObject.isApiObject(o)) metadata[o.name] = { path: o.node.path };
    }
    return { files, metadata };
  }

  async function runPlugin(app: App, props = {}) {
    const { files, metadata } = synthTo(app);
    const context = new ValidationContext(files, 'cdk8s-dynamo', '0.0.0', metadata, false);
    await new DynamoValidation(props).validate(context as any);
    return { report: context.report, files };
  }

  test('a clean app: success, no violations', async () => {
    const app = Testing.app();
    buildClean(app);
    const { report } = await runPlugin(app);
    expect(report.success).toBe(true);
    expect(report.toJson().violations).toEqual([]);
    expect(report.toJson().summary.metadata?.['Objects checked']).not.toBe('0');
  });

  test('a planted mistake: failure, the rule id, the resource, the construct path and the message', async () => {
    const app = Testing.app();
    const chart = new Chart(app, 'inference');
    brokenHpa(chart);
    const { report, files } = await runPlugin(app);
    expect(report.success).toBe(false);
    const json = report.toJson();
    const v = json.violations.find((x) => x.ruleName.startsWith('DYN004'))!;
    expect(v.ruleName).toBe('DYN004: HorizontalPodAutoscaler fails Kubernetes validation');
    expect(v.violatingConstructs[0]).toMatchObject({ resourceName: 'web-hpa', constructPath: 'inference/raw-hpa', manifestPath: files[0] });
    expect(v.violatingConstructs[0].locations.join('\n')).toMatch(/error: HorizontalPodAutoscaler default\/web-hpa: spec\.minReplicas.*\(line 1\)/);
    expect(report.toString()).toContain('DYN004: HorizontalPodAutoscaler fails Kubernetes validation');
  });

  test('properties: failOn warning, disable, a bad release is a failed report (not a crash)', async () => {
    const app = Testing.app();
    brokenHpa(new Chart(app, 'c'));
    expect((await runPlugin(app, { disable: ['DYN004'] })).report.success).toBe(true);
    const bad = await runPlugin(app, { dynamoRelease: '7.7' });
    expect(bad.report.success).toBe(false);
    expect(bad.report.toJson().violations[0].recommendation).toContain('Dynamo release "7.7" is not one the library knows');
    expect(() => new DynamoValidation({ failOn: 'info' as any })).toThrow("property 'failOn' (\"info\") must be 'error' or 'warning'");
  });
});
