import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HpaAutoscaler } from '../autoscaling/hpa';
import { DGD_KIND, DynamoGraphDeployment } from '../dynamo/deployment';
import { isPlainObject } from '../dynamo/model';
import { BackendFramework, DynamoApiVersion, ServiceRole } from '../dynamo/types';
import { DynamoNames } from '../naming';
import { importDeployment, ImportPlan } from './from-manifest';
import { withDocument } from './import';
import { jsonEqual } from './json';
import { Code, code, identifier, str, ts } from './ts-printer';
import { parseYamlStream, YamlDocument } from './yaml';

/** Options of `generateCode`. @internal */
export interface CodegenOptions {
  /** Name of the generated chart class. */
  readonly chartName?: string;
  /** The module the library is imported from. */
  readonly importFrom?: string;
}

/** What `generateCode` wrote. @internal */
export interface GeneratedCode {
  readonly code: string;
  readonly warnings: string[];
  readonly deployments: number;
  readonly autoscalers: number;
  readonly rawObjects: number;
}

/** A value for the scratch build and the code that makes it, in one tree. @internal */
export class Expr extends Code {
  public constructor(text: string, public readonly value: unknown) {
    super(text);
  }
}

/** The runtime value of a tree of plain data and `Expr` leaves. */
function realize(tree: unknown): any {
  if (tree instanceof Expr) return tree.value;
  if (Array.isArray(tree)) return tree.map(realize);
  if (isPlainObject(tree)) return Object.fromEntries(Object.entries(tree).filter(([, v]) => v !== undefined).map(([k, v]) => [k, realize(v)]));
  return tree;
}

/** The code of every `Expr` leaf of a tree. */
function exprTexts(tree: unknown): string[] {
  if (tree instanceof Expr) return [tree.text];
  if (Array.isArray(tree)) return tree.flatMap(exprTexts);
  if (isPlainObject(tree)) return Object.values(tree).flatMap(exprTexts);
  return [];
}

/** One service of an imported DGD that an autoscaler can target. */
interface ServiceRef {
  readonly dgd: DgdUnit;
  readonly name: string;
}

interface DgdUnit {
  readonly doc: YamlDocument;
  readonly id: string;
  readonly variable: string;
  readonly plan: ImportPlan;
  readonly warnings: string[];
  readonly serviceVariables: Map<string, string>;
}

/** An autoscaler the library can express: the props tree (with `Expr` leaves) and its class. */
interface AutoscalerUnit {
  readonly doc: YamlDocument;
  readonly target: ServiceRef;
  readonly className: string;
  readonly id: string;
  readonly props: { [key: string]: unknown };
  readonly build: (scope: Construct, id: string, props: any) => Construct;
  readonly notes: string[];
}

const ENUM_NAMES = {
  role: new Map(Object.entries(ServiceRole).map(([k, v]) => [v as string, `ServiceRole.${k}`])),
  backend: new Map(Object.entries(BackendFramework).map(([k, v]) => [v as string, `BackendFramework.${k}`])),
  version: new Map(Object.entries(DynamoApiVersion).map(([k, v]) => [v as string, `DynamoApiVersion.${k}`])),
};

/**
 * TypeScript that rebuilds the documents of a YAML stream with this library: each DGD
 * as a `DynamoGraphDeployment` (typed options, escape hatches for the rest), each HPA
 * that targets one of their services as an `HpaAutoscaler`, and every other document as
 * an `ApiObject` with a comment saying why. Every autoscaler is built and synthesized
 * here first; one the library would render differently stays an `ApiObject`.
 * @internal
 */
export function generateCode(text: string, file: string, options: CodegenOptions = {}): GeneratedCode {
  const docs = parseYamlStream(text, file);
  const warnings: string[] = [];
  const scratch = new Chart(new App(), 'imported');
  const used = new Set<string>(['app', 'chart']);
  const uniqueId = (base: string, ids: Set<string>) => {
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const constructIds = new Set<string>();

  const dgds = new Map<YamlDocument, DgdUnit>();
  for (const doc of docs) {
    if (doc.manifest?.kind !== DGD_KIND) continue;
    const name = String(doc.manifest?.metadata?.name ?? `dgd-${doc.index + 1}`);
    const id = uniqueId(name, constructIds);
    const imported = withDocument(doc.where, () => importDeployment(scratch, id, doc.manifest, { where: doc.where }));
    warnings.push(...imported.warnings);
    const variable = uniqueId(identifier(name, 'dgd'), used);
    dgds.set(doc, { doc, id, variable, plan: imported.plan, warnings: imported.warnings, serviceVariables: new Map() });
  }
  const adapters = new Map<string, ServiceRef>();
  for (const unit of dgds.values()) {
    for (const s of unit.plan.services) {
      adapters.set(`${unit.plan.props.namespace ?? ''}/${DynamoNames.adapterName(unit.plan.props.name, s.name)}`, { dgd: unit, name: s.name });
    }
  }

  const autoscalers = new Map<YamlDocument, AutoscalerUnit>();
  const rawReasons = new Map<YamlDocument, string>();
  for (const doc of docs) {
    if (dgds.has(doc)) continue;
    const m = doc.manifest;
    const ref = isPlainObject(m?.spec?.scaleTargetRef) ? m.spec.scaleTargetRef : undefined;
    const target = ref?.kind === 'DynamoGraphDeploymentScalingAdapter' ? adapters.get(`${m.metadata?.namespace ?? ''}/${ref.name}`) : undefined;
    if (!AUTOSCALER_PLANNERS[m?.kind] || !ref) {
      rawReasons.set(doc, `this library has no construct for ${m?.kind ?? 'it'}`);
      continue;
    }
    if (!target) {
      rawReasons.set(doc, `its scaleTargetRef (${ref.kind} ${ref.name}) is not the scaling adapter of a DGD in this file`);
      continue;
    }
    const result = planAutoscaler(doc, target, constructIds);
    if (typeof result === 'string') {
      rawReasons.set(doc, result);
      continue;
    }
    autoscalers.set(doc, result);
    const svcVar = target.dgd.serviceVariables.get(target.name) ?? uniqueId(identifier(`${target.dgd.variable}-${target.name}`), used);
    target.dgd.serviceVariables.set(target.name, svcVar);
    warnings.push(...result.notes.map((n) => `${doc.where}: ${n}`));
  }

  // Build the autoscalers for real in the scratch chart: the whole program is checked once more.
  for (const unit of autoscalers.values()) {
    const dgd = scratch.node.findChild(unit.target.dgd.id) as DynamoGraphDeployment;
    unit.build(scratch, unit.id, { ...realize(unit.props), target: dgd.service(unit.target.name).adapter });
    const svc = unit.target.dgd.plan.services.find((s) => s.name === unit.target.name)!;
    if (!svc.options.scalingAdapter) {
      warnings.push(`${unit.target.dgd.doc.where}: service '${unit.target.name}' gets its scaling adapter enabled${svc.options.replicas !== undefined ? " and 'replicas' left out" : ''}: the ${unit.doc.manifest.kind} ${unit.doc.manifest.metadata?.name} scales it through the adapter`);
    }
  }
  for (const [doc, reason] of rawReasons) warnings.push(`${doc.where}: ${doc.manifest?.kind} ${doc.manifest?.metadata?.name ?? ''} kept as an ApiObject: ${reason}`);

  const lib = new Set<string>(['DynamoGraphDeployment']);
  const cdk8s = new Set<string>(['App', 'Chart', 'ChartProps']);
  let usesPlus = false;
  const body: string[] = [];
  const hoist = [...autoscalers.values()].some((a) => a.target.dgd.doc.index > a.doc.index);
  const order = hoist ? [...docs.filter((d) => dgds.has(d)), ...docs.filter((d) => !dgds.has(d))] : docs;
  for (const doc of order) {
    const dgd = dgds.get(doc);
    if (dgd) {
      body.push(emitDeployment(dgd, lib, cdk8s));
      continue;
    }
    const unit = autoscalers.get(doc);
    if (unit) {
      lib.add(unit.className);
      const exprs = exprTexts(unit.props);
      if (exprs.some((t) => t.includes('plus.'))) usesPlus = true;
      if (exprs.some((t) => t.includes('Duration.'))) cdk8s.add('Duration');
      body.push(emitAutoscaler(unit));
      continue;
    }
    cdk8s.add('ApiObject');
    const id = uniqueId(`${String(doc.manifest?.kind ?? 'object').toLowerCase()}-${doc.manifest?.metadata?.name ?? doc.index + 1}`, constructIds);
    const reason = rawReasons.get(doc)!;
    body.push(`// ${doc.manifest?.kind} ${doc.manifest?.metadata?.name ?? ''} (${doc.where}), kept as an ApiObject: ${reason}.\nnew ApiObject(this, ${str(id)}, ${ts(doc.manifest, 0)});`);
    new ApiObject(scratch, id, doc.manifest);
  }

  const chartName = options.chartName ?? 'ImportedChart';
  const from = options.importFrom ?? 'cdk8s-dynamo';
  const imports = [
    `import { ${[...cdk8s].sort().join(', ')} } from 'cdk8s';`,
    ...(usesPlus ? ["import * as plus from 'cdk8s-plus-28';"] : []),
    "import { Construct } from 'constructs';",
    `import { ${[...lib].sort().join(', ')} } from ${str(from)};`,
  ];
  const indented = body.map((b) => b.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')).join('\n\n');
  const source = [
    `// Generated by \`cdk8s-dynamo import\` from ${file}. It synthesizes back to that input,`,
    "// except for the library's documented changes noted next to each object.",
    ...imports,
    '',
    `export class ${chartName} extends Chart {`,
    '  constructor(scope: Construct, id: string, props: ChartProps = {}) {',
    '    super(scope, id, props);',
    '',
    indented,
    '  }',
    '}',
    '',
    'if (require.main === module) {',
    '  const app = new App();',
    `  new ${chartName}(app, 'imported');`,
    '  app.synth();',
    '}',
    '',
  ].join('\n');
  return {
    code: source,
    warnings,
    deployments: dgds.size,
    autoscalers: autoscalers.size,
    rawObjects: rawReasons.size,
  };
}

function emitDeployment(unit: DgdUnit, lib: Set<string>, cdk8s: Set<string>): string {
  const { props, services, patches } = unit.plan;
  const lines: string[] = [];
  lines.push(`// ${DGD_KIND} ${props.name} (${unit.doc.where})`);
  for (const w of unit.warnings) lines.push(`// Left out on import: ${w.slice(w.indexOf(': ') + 2)}`);
  const p: { [key: string]: unknown } = { ...props };
  p.apiVersion = enumCode(ENUM_NAMES.version, props.apiVersion, lib, 'DynamoApiVersion');
  if (props.backendFramework !== undefined) p.backendFramework = enumCode(ENUM_NAMES.backend, props.backendFramework, lib, 'BackendFramework');
  lines.push(`const ${unit.variable} = new DynamoGraphDeployment(this, ${str(unit.id)}, ${ts(p)});`);
  for (const s of services) {
    const o: { [key: string]: unknown } = { ...s.options, role: enumCode(ENUM_NAMES.role, s.options.role, lib, 'ServiceRole') };
    const variable = unit.serviceVariables.get(s.name);
    lines.push(`${variable ? `const ${variable} = ` : ''}${unit.variable}.addService(${str(s.name)}, ${ts(o)});`);
  }
  if (patches.length) {
    cdk8s.add('JsonPatch');
    lines.push('// Fields the typed API does not cover, kept as they are.');
    const calls = patches.map((x) => (x.op === 'add' ? `JsonPatch.add(${str(x.path)}, ${ts(x.value, 2)})` : `JsonPatch.remove(${str(x.path)})`));
    lines.push(`${unit.variable}.apiObject.addJsonPatch(\n${calls.map((c) => `  ${c},\n`).join('')});`);
  }
  return lines.join('\n');
}

function enumCode(names: Map<string, string>, value: unknown, lib: Set<string>, enumName: string): unknown {
  const name = typeof value === 'string' ? names.get(value) : undefined;
  if (name === undefined) return value;
  lib.add(enumName);
  return code(name);
}

function emitAutoscaler(unit: AutoscalerUnit): string {
  const m = unit.doc.manifest;
  const lines = [`// ${m.kind} ${m.metadata?.name} (${unit.doc.where})`];
  for (const n of unit.notes) lines.push(`// ${n}`);
  const svcVar = unit.target.dgd.serviceVariables.get(unit.target.name)!;
  const props = { target: code(`${svcVar}.adapter`), ...unit.props };
  lines.push(`new ${unit.className}(this, ${str(unit.id)}, ${ts(props)});`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- autoscalers

type Planner = (m: any, target: ServiceRef) => { props: { [key: string]: unknown }; notes: string[]; expected?: any } | string;

const AUTOSCALER_PLANNERS: Record<string, { className: string; plan: Planner; build: AutoscalerUnit['build'] }> = {
  HorizontalPodAutoscaler: {
    className: 'HpaAutoscaler',
    plan: planHpa,
    build: (scope, id, props) => new HpaAutoscaler(scope, id, props),
  },
};

/**
 * The construct for one autoscaler document, or why it stays raw: its props are
 * planned, then it is built against a fresh import of its DGD and synthesized; anything
 * but the input itself keeps it raw.
 */
function planAutoscaler(doc: YamlDocument, target: ServiceRef, ids: Set<string>): AutoscalerUnit | string {
  const planner = AUTOSCALER_PLANNERS[doc.manifest.kind];
  const planned = planner.plan(doc.manifest, target);
  if (typeof planned === 'string') return planned;
  const chart = new Chart(new App(), 'check');
  let out: any[];
  try {
    const dgd = importDeployment(chart, target.dgd.id, target.dgd.doc.manifest).deployment;
    planner.build(chart, 'autoscaler', { ...realize(planned.props), target: dgd.service(target.name).adapter });
    out = chart.toJson().filter((x: any) => x.kind !== DGD_KIND);
  } catch (e: any) {
    return `the library refuses it: ${String(e?.message ?? e).split('\n')[0]}`;
  }
  const expected = planned.expected ?? doc.manifest;
  if (out.length !== 1 || !jsonEqual(out[0], expected)) {
    return `the library would render it differently (${firstDifference(expected, out.length === 1 ? out[0] : out)})`;
  }
  let id = `${String(doc.manifest.metadata?.name ?? doc.manifest.kind).toLowerCase()}`;
  for (let n = 2; ids.has(id); n++) id = `${doc.manifest.metadata?.name}-${n}`;
  ids.add(id);
  return { doc, target, className: planner.className, id, props: planned.props, build: planner.build, notes: planned.notes };
}

/** Where two JSON values first differ, as `path: expected vs actual`. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (jsonEqual(a, b)) return '';
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!jsonEqual(a[k], b[k])) return firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
  }
  return `${path || '<root>'}: ${JSON.stringify(a) ?? 'absent'} in the input, ${JSON.stringify(b) ?? 'absent'} from the library`;
}

/** A Kubernetes quantity as a number (`500m` -> 0.5, `2Ki` -> 2048), or undefined. */
function quantityNumber(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return undefined;
  const scale: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * (m[2] ? scale[m[2]] : 1);
}

function metricTarget(t: any): Expr | undefined {
  if (!isPlainObject(t)) return undefined;
  if (t.type === 'Utilization' && typeof t.averageUtilization === 'number') {
    return new Expr(`plus.MetricTarget.averageUtilization(${t.averageUtilization})`, plus.MetricTarget.averageUtilization(t.averageUtilization));
  }
  const key = t.type === 'AverageValue' ? 'averageValue' : t.type === 'Value' ? 'value' : undefined;
  const n = key ? quantityNumber(t[key]) : undefined;
  if (key === undefined || n === undefined) return undefined;
  return new Expr(`plus.MetricTarget.${key}(${n})`, key === 'value' ? plus.MetricTarget.value(n) : plus.MetricTarget.averageValue(n));
}

function hpaMetric(m: any): Expr | undefined {
  const resource: Record<string, string> = { cpu: 'resourceCpu', memory: 'resourceMemory' };
  if (m?.type === 'Resource' && resource[m.resource?.name]) {
    const t = metricTarget(m.resource.target);
    const fn = resource[m.resource.name] as 'resourceCpu' | 'resourceMemory';
    return t && new Expr(`plus.Metric.${fn}(${t.text})`, plus.Metric[fn](t.value as plus.MetricTarget));
  }
  for (const [type, key, fn] of [['Pods', 'pods', 'pods'], ['External', 'external', 'external']] as const) {
    if (m?.type !== type) continue;
    const src = m[key];
    if (!isPlainObject(src?.metric) || src.metric.selector !== undefined || typeof src.metric.name !== 'string') return undefined;
    const t = metricTarget(src.target);
    return t && new Expr(`plus.Metric.${fn}({ name: ${str(src.metric.name)}, target: ${t.text} })`,
      plus.Metric[fn]({ name: src.metric.name, target: t.value as plus.MetricTarget }));
  }
  return undefined;
}

function scalingRules(rules: any): { [key: string]: unknown } | undefined | string {
  if (rules === undefined) return undefined;
  if (!isPlainObject(rules)) return 'behavior is not an object';
  const out: { [key: string]: unknown } = {};
  if (rules.stabilizationWindowSeconds !== undefined) {
    out.stabilizationWindow = new Expr(`Duration.seconds(${rules.stabilizationWindowSeconds})`, Duration.seconds(rules.stabilizationWindowSeconds));
  }
  const strategies: Record<string, string> = { Max: 'MAX_CHANGE', Min: 'MIN_CHANGE', Disabled: 'DISABLED' };
  if (rules.selectPolicy !== undefined) {
    const s = strategies[rules.selectPolicy];
    if (!s) return `selectPolicy ${JSON.stringify(rules.selectPolicy)} is not Max, Min or Disabled`;
    out.strategy = new Expr(`plus.ScalingStrategy.${s}`, (plus.ScalingStrategy as any)[s]);
  }
  if (rules.policies !== undefined) {
    out.policies = (rules.policies as any[]).map((p) => {
      const fn = p.type === 'Pods' ? 'absolute' : 'percent';
      return {
        replicas: new Expr(`plus.Replicas.${fn}(${p.value})`, plus.Replicas[fn](p.value)),
        duration: new Expr(`Duration.seconds(${p.periodSeconds})`, Duration.seconds(p.periodSeconds)),
      };
    });
  }
  return out;
}

function planHpa(m: any, target: ServiceRef): ReturnType<Planner> {
  const spec = m.spec ?? {};
  const metrics: Expr[] = [];
  for (const [i, metric] of (Array.isArray(spec.metrics) ? spec.metrics : []).entries()) {
    const e = hpaMetric(metric);
    if (!e) return `metrics[${i}] (${metric?.type}) has no cdk8s-plus Metric the library renders the same way`;
    metrics.push(e);
  }
  const props: { [key: string]: unknown } = {};
  const notes: string[] = [];
  const expected = structuredClone(m);
  if (spec.minReplicas === undefined) {
    expected.spec.minReplicas = 1;
    notes.push("'minReplicas: 1' written out: Kubernetes' default");
  } else if (spec.minReplicas !== 1) {
    props.minReplicas = spec.minReplicas;
  }
  if (spec.minReplicas === 0) props.allowScaleToZero = true;
  props.maxReplicas = spec.maxReplicas;
  props.metrics = metrics;
  for (const [dir, key] of [['scaleUp', 'scaleUp'], ['scaleDown', 'scaleDown']] as const) {
    const rules = scalingRules(spec.behavior?.[dir]);
    if (typeof rules === 'string') return rules;
    if (rules) props[key] = rules;
  }
  const defaultName = DynamoNames.hpaName(target.dgd.plan.props.name, target.name);
  if (m.metadata?.name !== defaultName) props.name = m.metadata?.name;
  if (m.metadata?.namespace !== target.dgd.plan.props.namespace) props.namespace = m.metadata?.namespace;
  return { props, notes, expected };
}
