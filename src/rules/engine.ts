/**
 * The rule engine: plain manifests in, findings out. Objects are indexed once, then
 * every enabled rule runs over the index, so a run is linear in the number of objects.
 * No constructs, no cdk8s: the lint command, the synth validation plugin, the test
 * checker and the constructs all call `checkManifests`.
 */
import { CheckOptions, CheckResult, Finding, ManifestInput, ObjectRef, RuleInfo, Severity } from './types';
import { DynamoRelease } from '../core/release';

/** One object of the run, with its identity resolved. */
export interface Obj {
  /** The parsed manifest. */
  readonly m: any;
  /** Position in the (List-expanded) input: findings are reported in this order. */
  readonly index: number;
  /** API group ('' for the core group). */
  readonly group: string;
  /** API version without the group. */
  readonly version: string;
  /** Kind. */
  readonly kind: string;
  /** Name ('' when missing). */
  readonly name: string;
  /** Namespace (the default namespace when unset), undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  /** The input it came from. */
  readonly input: ManifestInput;
}

/** Kinds without a namespace (those the rules meet). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterTriggerAuthentication', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  'PriorityClass', 'StorageClass', 'PersistentVolume', 'Node', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
]);

/** What a rule sees: the objects by kind, the options, and a way to report. */
export class Run {
  /** The release whose rules apply. */
  public readonly release: DynamoRelease;
  /** The namespace of objects without one. */
  public readonly defaultNamespace: string;
  /** Every object, in input order. */
  public readonly objects: Obj[] = [];
  /** Whether schema validation runs. */
  public readonly schema: boolean;
  private readonly byKind = new Map<string, Obj[]>();
  private readonly found: Array<{ index: number; finding: Finding }> = [];
  /** Objects of kinds no rule lists that a rule still understood (a Prometheus Adapter ConfigMap). */
  public readonly recognised = new Set<Obj>();
  private current?: RuleInfo;

  constructor(inputs: ManifestInput[], options: CheckOptions) {
    this.release = options.dynamoRelease === undefined ? DynamoRelease.LATEST : DynamoRelease.of(options.dynamoRelease);
    this.defaultNamespace = options.defaultNamespace ?? 'default';
    this.schema = options.schema !== false;
    const add = (m: any, input: ManifestInput) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) return;
      if (typeof m.kind === 'string' && m.kind.endsWith('List') && Array.isArray(m.items)) {
        for (const item of m.items) add(item, input);
        return;
      }
      const helm = isHelmValues(m);
      const apiVersion = helm ? HELM_VALUES_API_VERSION : typeof m.apiVersion === 'string' ? m.apiVersion : '';
      const slash = apiVersion.lastIndexOf('/');
      const kind = helm ? HELM_VALUES_KIND : typeof m.kind === 'string' ? m.kind : '';
      const ns = m.metadata?.namespace;
      const obj: Obj = {
        m,
        index: this.objects.length,
        group: slash < 0 ? '' : apiVersion.slice(0, slash),
        version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
        kind,
        name: helm ? (input.source?.file ?? 'values') : typeof m.metadata?.name === 'string' ? m.metadata.name : '',
        namespace: CLUSTER_SCOPED.has(kind) ? undefined : (typeof ns === 'string' && ns !== '' ? ns : this.defaultNamespace),
        input,
      };
      this.objects.push(obj);
      const key = `${obj.group}|${kind}`;
      const list = this.byKind.get(key);
      if (list) list.push(obj);
      else this.byKind.set(key, [obj]);
    };
    for (const input of inputs) add(input?.manifest, input);
  }

  /** Objects of one kind (`group|Kind`, e.g. `keda.sh|ScaledObject`, `|ConfigMap`). */
  public of(groupKind: string): Obj[] {
    return this.byKind.get(groupKind) ?? [];
  }

  /** @internal the rule being run. */
  public _start(rule: RuleInfo): void {
    this.current = rule;
  }

  /**
   * Reports a finding of the running rule on `obj`. `path` is the field path, `value`
   * the offending value (omit for a missing field), `text` what is wrong and what is allowed.
   */
  public report(obj: Obj, path: string, text: string, value?: unknown, fix?: string): void {
    const rule = this.current!;
    if (ignored(obj).has(rule.id)) return;
    const ref = refOf(obj);
    const finding: Finding = {
      ruleId: rule.id,
      severity: rule.severity,
      object: ref,
      path,
      ...(value === undefined ? {} : { value }),
      message: findingMessage(ref, path, text, value),
      fix: fix ?? rule.fix,
      ...(obj.input.source ? { source: obj.input.source } : {}),
      ...(obj.input.constructPath ? { constructPath: obj.input.constructPath } : {}),
    };
    this.found.push({ index: obj.index, finding });
  }

  /** Findings in input order (stable within one object). */
  public findings(): Finding[] {
    return this.found.map((f, i) => ({ ...f, i })).sort((a, b) => a.index - b.index || a.i - b.i).map((f) => f.finding);
  }
}

/** The annotation that turns rules off for one object: a comma-separated list of rule ids. */
export const IGNORE_ANNOTATION = 'cdk8s-dynamo.io/ignore-rules';

const ignoredCache = new WeakMap<Obj, Set<string>>();
function ignored(obj: Obj): Set<string> {
  let ids = ignoredCache.get(obj);
  if (!ids) {
    const v = obj.m?.metadata?.annotations?.[IGNORE_ANNOTATION];
    ids = new Set(typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : []);
    ignoredCache.set(obj, ids);
  }
  return ids;
}

/** `Kind namespace/name` (or `Kind name` without a namespace). */
export function describe(ref: ObjectRef): string {
  return `${ref.kind || '(no kind)'} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name || '(no name)'}`;
}

/**
 * The message of a finding: `Kind namespace/name: field.path = value: what is wrong`.
 * The one builder for the lint findings and the constructs' errors (src/rules/synth.ts).
 */
export function findingMessage(ref: ObjectRef, path: string, text: string, value?: unknown): string {
  const shown = value === undefined ? '' : ` = ${preview(value)}`;
  return `${describe(ref)}: ${path || '(object)'}${shown}: ${text}`;
}

/** The identity of an object. */
export function refOf(obj: Obj): ObjectRef {
  return {
    apiVersion: obj.group ? `${obj.group}/${obj.version}` : obj.version,
    kind: obj.kind,
    ...(obj.namespace === undefined ? {} : { namespace: obj.namespace }),
    name: obj.name,
  };
}

/** A short rendering of a value for a message. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One rule: its documentation, the kinds it looks at, and its check over the run. */
export interface Rule {
  /** Id, severity, title, description, fix. */
  readonly info: RuleInfo;
  /** The kinds (`group|Kind`) this rule recognises (objects of no rule's kind are counted as unknown). */
  readonly kinds: string[];
  /** Whether this is a schema rule (off with `schema: false`). */
  readonly schema?: boolean;
  /** Reports every violation in the run. */
  readonly check: (run: Run) => void;
}

/** A rule's documentation with defaults filled in. */
export function ruleInfo(id: string, severity: Severity, title: string, description: string, fix: string, since?: string): RuleInfo {
  return { id, severity, title, description, fix, ...(since ? { since } : {}) };
}

/** Runs `rules` over `inputs`. */
export function runRules(rules: Rule[], inputs: ManifestInput[], options: CheckOptions = {}): CheckResult {
  const run = new Run(inputs, options);
  const enable = options.enable ? new Set(options.enable) : undefined;
  const disable = new Set(options.disable ?? []);
  const known = new Set(rules.flatMap((r) => r.kinds));
  for (const id of [...(enable ?? []), ...disable]) {
    if (!rules.some((r) => r.info.id === id)) throw new Error(`unknown rule id ${JSON.stringify(id)}: see 'cdk8s-dynamo rules' for the list`);
  }
  for (const rule of rules) {
    if (enable && !enable.has(rule.info.id)) continue;
    if (disable.has(rule.info.id)) continue;
    if (rule.schema && !run.schema) continue;
    run._start(rule.info);
    rule.check(run);
  }
  const checked = run.objects.filter((o) => known.has(`${o.group}|${o.kind}`) || run.recognised.has(o)).length;
  return { findings: run.findings(), checked, unknown: run.objects.length - checked };
}

/** The pseudo-kind of a Prometheus Adapter Helm values document (which has no kind). */
export const HELM_VALUES_KIND = 'PrometheusAdapterValues';
/** The pseudo-apiVersion of a Prometheus Adapter Helm values document. */
export const HELM_VALUES_API_VERSION = 'helm.prometheus-community/values';

/** Prometheus Adapter Helm values: a document without kind whose `rules` holds external/custom rules. */
function isHelmValues(m: any): boolean {
  const rules = m?.rules;
  return m.kind === undefined && m.apiVersion === undefined && rules !== null && typeof rules === 'object' && !Array.isArray(rules)
    && ['external', 'custom', 'default', 'resource'].some((k) => k in rules);
}
