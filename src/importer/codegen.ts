import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { importDeployment, ImportPlan } from './from-manifest';
import { withDocument } from './import';
import { jsonEqual } from './json';
import { Code, code, identifier, str, ts } from './ts-printer';
import { expandLists, parseYamlStream, YamlDocument } from './yaml';
import { AibrixAutoscaler, AibrixMetricSource, AibrixProtocol, AibrixResource, AibrixScalingStrategy } from '../autoscaling/aibrix';
import { HpaAutoscaler } from '../autoscaling/hpa';
import { HpaMetric, HpaMetricTarget } from '../autoscaling/hpa-metric';
import { KedaAuthentication, KedaAutoscaler, KedaMetricType, KedaTrigger, PrometheusAuthMode } from '../autoscaling/keda';
import { HpaReplicas, HpaScalingStrategy } from '../autoscaling/scaling-rules';
import { DynamoNames } from '../base/naming';
import { DynamoRelease } from '../core/release';
import { DGD_KIND, DynamoGraphDeployment } from '../dynamo/deployment';
import { PromQuery } from '../dynamo/metrics';
import { isPlainObject } from '../dynamo/model';
import { BackendFramework, DynamoApiVersion, ServiceRole } from '../dynamo/types';

/** Options of `generateCode`. @internal */
export interface CodegenOptions {
  /** Name of the generated chart class. */
  readonly chartName?: string;
  /** The module the library is imported from. */
  readonly importFrom?: string;
  /**
   * The Dynamo release the DGDs will run on (`DynamoGraphDeployment.setDefaultRelease` in
   * the generated chart); undefined for the library's newest.
   */
  readonly release?: DynamoRelease;
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

/** Value classes and enums of the library that autoscaler props may use. */
const LIBRARY_VALUE_CLASSES = [
  'KedaTrigger', 'KedaAuthentication', 'KedaMetricType', 'PrometheusAuthMode', 'PromQuery',
  'AibrixMetricSource', 'AibrixScalingStrategy', 'AibrixProtocol', 'AibrixResource',
  'HpaMetric', 'HpaMetricTarget', 'HpaReplicas', 'HpaScalingStrategy',
];

/** Service options in the order a person writes them: what runs, then how many, then the hatches. */
const OPTION_ORDER = [
  'role', 'image', 'runtimeVersionOverride', 'workingDir', 'command', 'args', 'env', 'envFromSecret', 'resources',
  'replicas', 'scalingAdapter', 'multinodeNodeCount', 'volumeMounts', 'podSpec', 'mainContainer', 'podMetadata',
];

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
  const parsed = expandLists(parseYamlStream(text, file));
  const docs = parsed.docs;
  const warnings: string[] = parsed.expanded.map((d) => `${d.where}: ${d.manifest.kind} written as its ${d.manifest.items.length} item(s), one object each`);
  const scratch = new Chart(new App(), 'imported');
  if (options.release) DynamoGraphDeployment.setDefaultRelease(scratch, options.release);
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
    const result = planAutoscaler(doc, target, constructIds, options.release);
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
      if (exprs.some((t) => t.includes('Duration.'))) cdk8s.add('Duration');
      for (const name of LIBRARY_VALUE_CLASSES) if (exprs.some((t) => t.includes(`${name}.`))) lib.add(name);
      body.push(emitAutoscaler(unit));
      continue;
    }
    cdk8s.add('ApiObject');
    const id = uniqueId(`${String(doc.manifest?.kind ?? 'object').toLowerCase()}-${doc.manifest?.metadata?.name ?? doc.index + 1}`, constructIds);
    const reason = rawReasons.get(doc)!;
    body.push(`// ${doc.manifest?.kind} ${doc.manifest?.metadata?.name ?? ''} (${doc.where}), kept as an ApiObject: ${reason}.\nnew ApiObject(this, ${str(id)}, ${ts(doc.manifest, 0)});`);
    new ApiObject(scratch, id, doc.manifest);
  }

  if (options.release) {
    lib.add('DynamoRelease');
    const member = `V${options.release.version.replace('.', '_')}`;
    const expr = (DynamoRelease as any)[member] === options.release ? `DynamoRelease.${member}` : `DynamoRelease.of(${str(options.release.version)})`;
    body.unshift(`// The Dynamo release these DGDs run on: its rules apply.\nDynamoGraphDeployment.setDefaultRelease(this, ${expr});`);
  }
  const chartName = options.chartName ?? 'ImportedChart';
  const from = options.importFrom ?? 'cdk8s-dynamo';
  const imports = [
    `import { ${[...cdk8s].sort().join(', ')} } from 'cdk8s';`,
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
    const o: { [key: string]: unknown } = {};
    for (const k of OPTION_ORDER) o[k] = (s.options as unknown as { [key: string]: unknown })[k];
    for (const [k, v] of Object.entries(s.options)) if (!(k in o)) o[k] = v;
    o.role = enumCode(ENUM_NAMES.role, s.options.role, lib, 'ServiceRole');
    const variable = unit.serviceVariables.get(s.name);
    lines.push(`${variable ? `const ${variable} = ` : ''}${unit.variable}.addService(${str(s.name)}, ${ts(o)});`);
  }
  for (const planner of unit.plan.planners) {
    lib.add('DynamoPlanner');
    const svc = (name: string) => `${unit.variable}.service(${str(name)})`;
    lines.push(`// The Planner runs mode ${planner.mode} (${planner.how}): it scales ${planner.manages.map((m) => `'${m}'`).join(' and ')}, so no other autoscaler may.`);
    lines.push(`DynamoPlanner.adoptService(${svc(planner.service)}, [${planner.manages.map(svc).join(', ')}]);`);
  }
  if (patches.length) {
    cdk8s.add('JsonPatch');
    lines.push('// Fields the typed API does not cover, kept as they are.');
    const calls = patches.map((x) => (x.op === 'remove' ? `JsonPatch.remove(${str(x.path)})` : `JsonPatch.${x.op}(${str(x.path)}, ${ts(x.value, 2)})`));
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
  PodAutoscaler: {
    className: 'AibrixAutoscaler',
    plan: planAibrix,
    build: (scope, id, props) => new AibrixAutoscaler(scope, id, props),
  },
  ScaledObject: {
    className: 'KedaAutoscaler',
    plan: planKeda,
    build: (scope, id, props) => new KedaAutoscaler(scope, id, props),
  },
};

/**
 * The construct for one autoscaler document, or why it stays raw: its props are
 * planned, then it is built against a fresh import of its DGD and synthesized; anything
 * but the input itself keeps it raw.
 */
function planAutoscaler(doc: YamlDocument, target: ServiceRef, ids: Set<string>, release: DynamoRelease | undefined): AutoscalerUnit | string {
  const planner = AUTOSCALER_PLANNERS[doc.manifest.kind];
  const planned = planner.plan(doc.manifest, target);
  if (typeof planned === 'string') return planned;
  const chart = new Chart(new App(), 'imported');
  if (release) DynamoGraphDeployment.setDefaultRelease(chart, release);
  let out: any[];
  try {
    const dgd = importDeployment(chart, target.dgd.id, target.dgd.doc.manifest).deployment;
    const owner = target.dgd.plan.planners.find((p) => p.manages.includes(target.name));
    if (owner) {
      return `the DGD's Planner '${owner.service}' (mode ${owner.mode}) scales service '${target.name}'; a second autoscaler on it would fight the Planner over its replicas`;
    }
    planner.build(chart, String(doc.manifest.metadata?.name ?? 'autoscaler'), { ...realize(planned.props), target: dgd.service(target.name).adapter });
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
    return new Expr(`HpaMetricTarget.averageUtilization(${t.averageUtilization})`, HpaMetricTarget.averageUtilization(t.averageUtilization));
  }
  const key = t.type === 'AverageValue' ? 'averageValue' : t.type === 'Value' ? 'value' : undefined;
  const n = key ? quantityNumber(t[key]) : undefined;
  if (key === undefined || n === undefined) return undefined;
  return new Expr(`HpaMetricTarget.${key}(${n})`, key === 'value' ? HpaMetricTarget.value(n) : HpaMetricTarget.averageValue(n));
}

function hpaMetric(m: any): Expr | undefined {
  const resource: Record<string, string> = { cpu: 'resourceCpu', memory: 'resourceMemory' };
  if (m?.type === 'Resource' && resource[m.resource?.name]) {
    const t = metricTarget(m.resource.target);
    const fn = resource[m.resource.name] as 'resourceCpu' | 'resourceMemory';
    return t && new Expr(`HpaMetric.${fn}(${t.text})`, HpaMetric[fn](t.value as HpaMetricTarget));
  }
  for (const [type, key, fn] of [['Pods', 'pods', 'pods'], ['External', 'external', 'external']] as const) {
    if (m?.type !== type) continue;
    const src = m[key];
    if (!isPlainObject(src?.metric) || src.metric.selector !== undefined || typeof src.metric.name !== 'string') return undefined;
    const t = metricTarget(src.target);
    return t && new Expr(`HpaMetric.${fn}({ name: ${str(src.metric.name)}, target: ${t.text} })`,
      HpaMetric[fn]({ name: src.metric.name, target: t.value as HpaMetricTarget }));
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
    out.strategy = new Expr(`HpaScalingStrategy.${s}`, (HpaScalingStrategy as any)[s]);
  }
  if (rules.policies !== undefined) {
    out.policies = (rules.policies as any[]).map((p) => {
      const fn = p.type === 'Pods' ? 'absolute' : 'percent';
      return {
        replicas: new Expr(`HpaReplicas.${fn}(${p.value})`, HpaReplicas[fn](p.value)),
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
    if (!e) return `metrics[${i}] (${metric?.type}) has no HpaMetric factory that renders it the same way`;
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

// ---------------------------------------------------------------- KEDA

const KEDA_PAUSED = 'autoscaling.keda.sh/paused';
const KEDA_PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';

/** A number written as KEDA metadata (`"5"`, `"0.5"`), or undefined. */
function decimal(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^-?(\d+\.?\d*|\.\d+)$/.test(v)) return undefined;
  return Number(v);
}

function enumMember(e: object, value: unknown, enumName: string): Expr | undefined {
  const entry = Object.entries(e).find(([, v]) => v === value);
  return entry ? new Expr(`${enumName}.${entry[0]}`, entry[1]) : undefined;
}

/** `k=v,k2=v2` as a map. */
function keyValueMap(v: unknown): { [key: string]: string } | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const out: { [key: string]: string } = {};
  for (const pair of v.split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0) return undefined;
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

function kedaTrigger(t: any): Expr | string {
  const meta = isPlainObject(t?.metadata) ? t.metadata : {};
  const common: { [key: string]: unknown } = {};
  if (t.name !== undefined) common.name = t.name;
  const metricType = t.metricType === undefined ? undefined : enumMember(KedaMetricType, t.metricType, 'KedaMetricType');
  if (t.metricType !== undefined && !metricType) return `metricType ${JSON.stringify(t.metricType)} is not one the library knows`;
  const call = (fn: string, options: { [key: string]: unknown }) => {
    const value = (KedaTrigger as any)[fn](realize(options));
    return new Expr(`KedaTrigger.${fn}(${ts(options)})`, value);
  };
  try {
    if (t.type === 'prometheus') {
      const known = ['serverAddress', 'query', 'threshold', 'activationThreshold', 'namespace', 'customHeaders', 'queryParameters',
        'ignoreNullValues', 'unsafeSsl', 'timeout', 'authModes'];
      const unknown = Object.keys(meta).find((k) => !known.includes(k));
      if (unknown) return `prometheus metadata '${unknown}' has no option in KedaTrigger.prometheus`;
      const o: { [key: string]: unknown } = { serverAddress: meta.serverAddress };
      o.query = new Expr(`PromQuery.raw(${str(meta.query)})`, PromQuery.raw(meta.query));
      o.threshold = decimal(meta.threshold);
      if (meta.activationThreshold !== undefined) o.activationThreshold = decimal(meta.activationThreshold);
      if (metricType) o.metricType = metricType;
      if (meta.namespace !== undefined) o.namespace = meta.namespace;
      if (meta.customHeaders !== undefined) o.customHeaders = keyValueMap(meta.customHeaders);
      if (meta.queryParameters !== undefined) o.queryParameters = keyValueMap(meta.queryParameters);
      for (const k of ['ignoreNullValues', 'unsafeSsl']) if (meta[k] !== undefined) o[k] = meta[k] === 'true';
      if (meta.timeout !== undefined) o.timeout = new Expr(`Duration.millis(${Number(meta.timeout)})`, Duration.millis(Number(meta.timeout)));
      if (meta.authModes !== undefined) {
        const modes = String(meta.authModes).split(',').map((m) => enumMember(PrometheusAuthMode, m.trim(), 'PrometheusAuthMode'));
        if (modes.some((m) => !m)) return `authModes ${JSON.stringify(meta.authModes)} has a mode the library does not know`;
        o.authModes = modes;
      }
      if (t.authenticationRef !== undefined) {
        const ref = t.authenticationRef;
        const fn = ref.kind === 'ClusterTriggerAuthentication' ? 'clusterTriggerAuthentication' : 'triggerAuthentication';
        o.authentication = new Expr(`KedaAuthentication.${fn}(${str(ref.name)})`, (KedaAuthentication as any)[fn](ref.name));
      }
      return call('prometheus', { ...o, ...common });
    }
    if (t.type === 'cpu' || t.type === 'memory') {
      if (t.authenticationRef !== undefined) return `${t.type} triggers take no authenticationRef`;
      return call(t.type, { metricType, value: decimal(meta.value), containerName: meta.containerName, ...common });
    }
    if (t.type === 'cron') {
      return call('cron', { timezone: meta.timezone, start: meta.start, end: meta.end, desiredReplicas: decimal(meta.desiredReplicas), ...common });
    }
  } catch (e: any) {
    return `the library refuses its ${t.type} trigger: ${String(e?.message ?? e)}`;
  }
  return `${t?.type} triggers have no KedaTrigger factory`;
}

function planKeda(m: any, target: ServiceRef): ReturnType<Planner> {
  const spec = m.spec ?? {};
  const props: { [key: string]: unknown } = {};
  const triggers: Expr[] = [];
  for (const [i, t] of (Array.isArray(spec.triggers) ? spec.triggers : []).entries()) {
    const e = kedaTrigger(t);
    if (typeof e === 'string') return `triggers[${i}]: ${e}`;
    triggers.push(e);
  }
  props.triggers = triggers;
  if (spec.minReplicaCount !== undefined) props.minReplicas = spec.minReplicaCount;
  if (spec.minReplicaCount === 0 || spec.idleReplicaCount !== undefined) props.allowScaleToZero = true;
  if (spec.maxReplicaCount !== undefined) props.maxReplicas = spec.maxReplicaCount;
  for (const k of ['pollingInterval', 'cooldownPeriod'] as const) {
    if (spec[k] !== undefined) props[k] = new Expr(`Duration.seconds(${spec[k]})`, Duration.seconds(spec[k]));
  }
  if (spec.idleReplicaCount !== undefined) props.idleReplicaCount = spec.idleReplicaCount;
  if (spec.fallback !== undefined) props.fallback = spec.fallback;
  const hpa = spec.advanced?.horizontalPodAutoscalerConfig;
  if (hpa?.name !== undefined) props.hpaName = hpa.name;
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const rules = scalingRules(hpa?.behavior?.[dir]);
    if (typeof rules === 'string') return rules;
    if (rules) props[dir] = rules;
  }
  const annotations = m.metadata?.annotations ?? {};
  if (annotations[KEDA_PAUSED] === 'true') props.paused = true;
  if (annotations[KEDA_PAUSED_REPLICAS] !== undefined) props.pausedReplicas = Number(annotations[KEDA_PAUSED_REPLICAS]);
  const defaultName = DynamoNames.scaledObjectName(target.dgd.plan.props.name, target.name);
  if (m.metadata?.name !== defaultName) props.name = m.metadata?.name;
  if (m.metadata?.namespace !== target.dgd.plan.props.namespace) props.namespace = m.metadata?.namespace;
  return { props, notes: [] };
}

// ---------------------------------------------------------------- AIBrix

const AIBRIX = 'autoscaling.aibrix.ai/';
/** Tuning annotations and the prop each one comes from. */
const AIBRIX_TUNING: Record<string, string> = {
  'max-scale-up-rate': 'maxScaleUpRate',
  'max-scale-down-rate': 'maxScaleDownRate',
  'scale-up-tolerance': 'scaleUpTolerance',
  'scale-down-tolerance': 'scaleDownTolerance',
  'panic-threshold': 'panicThreshold',
};

function aibrixSource(src: any): Expr | string {
  const value = decimal(src?.targetValue);
  const protocol = src?.protocolType === undefined ? undefined : enumMember(AibrixProtocol, src.protocolType, 'AibrixProtocol');
  if (src?.protocolType !== undefined && !protocol) return `protocolType ${JSON.stringify(src.protocolType)} is not http or https`;
  const port = src?.port === undefined ? undefined : decimal(String(src.port));
  const options: { [key: string]: unknown } = { metric: src?.targetMetric, targetValue: value };
  let fn: string;
  switch (src?.metricSourceType) {
    case 'pod':
      Object.assign(options, { port, path: src.path, protocol });
      fn = 'pod';
      break;
    case 'resource': {
      const resource = enumMember(AibrixResource, src.targetMetric, 'AibrixResource');
      if (!resource) return `resource metric ${JSON.stringify(src.targetMetric)} is not cpu or memory`;
      delete options.metric;
      options.resource = resource;
      fn = 'resource';
      break;
    }
    case 'external':
      Object.assign(options, { endpoint: src.endpoint, path: src.path, protocol });
      fn = 'external';
      break;
    case 'custom':
      Object.assign(options, { endpoint: src.endpoint, path: src.path, port, protocol });
      fn = 'custom';
      break;
    default:
      return `metricSourceType ${JSON.stringify(src?.metricSourceType)} has no AibrixMetricSource factory`;
  }
  try {
    return new Expr(`AibrixMetricSource.${fn}(${ts(options)})`, (AibrixMetricSource as any)[fn](realize(options)));
  } catch (e: any) {
    return `the library refuses its ${fn} metric source: ${String(e?.message ?? e)}`;
  }
}

function planAibrix(m: any, target: ServiceRef): ReturnType<Planner> {
  const spec = m.spec ?? {};
  const strategy = enumMember(AibrixScalingStrategy, spec.scalingStrategy, 'AibrixScalingStrategy');
  if (!strategy) return `scalingStrategy ${JSON.stringify(spec.scalingStrategy)} is not KPA, HPA or APA`;
  const props: { [key: string]: unknown } = { strategy };
  if (spec.minReplicas !== undefined && spec.minReplicas !== 1) props.minReplicas = spec.minReplicas;
  props.maxReplicas = spec.maxReplicas;
  const metrics: Expr[] = [];
  for (const [i, src] of (Array.isArray(spec.metricsSources) ? spec.metricsSources : []).entries()) {
    const e = aibrixSource(src);
    if (typeof e === 'string') return `metricsSources[${i}]: ${e}`;
    metrics.push(e);
  }
  props.metrics = metrics;
  const annotations: { [key: string]: string } = m.metadata?.annotations ?? {};
  for (const [key, v] of Object.entries(annotations)) {
    if (!key.startsWith(AIBRIX)) continue;
    const short = key.slice(AIBRIX.length);
    if (AIBRIX_TUNING[short]) {props[AIBRIX_TUNING[short]] = Number(v);} else if (short === 'scale-up-cooldown-window' || short === 'scale-down-cooldown-window') {
      const secs = /^(\d+)s$/.exec(v);
      if (!secs) return `annotation ${key} (${JSON.stringify(v)}) is not a whole number of seconds`;
      const prop = short === 'scale-up-cooldown-window' ? 'scaleUpCooldownWindow' : 'scaleDownCooldownWindow';
      props[prop] = new Expr(`Duration.seconds(${secs[1]})`, Duration.seconds(Number(secs[1])));
    } else if (short === 'scale-to-zero' && v === 'true') {props.allowScaleToZero = true;}
  }
  const expected = structuredClone(m);
  const notes: string[] = [];
  if (spec.minReplicas === undefined) {
    expected.spec.minReplicas = 1;
    notes.push("'minReplicas: 1' written out: AIBrix's default");
  }
  const defaultName = DynamoNames.podAutoscalerName(target.dgd.plan.props.name, target.name);
  if (m.metadata?.name !== defaultName) props.name = m.metadata?.name;
  if (m.metadata?.namespace !== target.dgd.plan.props.namespace) props.namespace = m.metadata?.namespace;
  return { props, notes, expected };
}
