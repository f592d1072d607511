/**
 * DYN5xx: Prometheus Adapter configuration, in its ConfigMap (`data["config.yaml"]`
 * with `rules` / `externalRules`) or in the Helm chart's values (`rules.custom`,
 * `rules.external`; REFERENCE.md, "Prometheus Adapter").
 */
import * as YAML from 'yaml';
import { HELM_VALUES_API_VERSION, HELM_VALUES_KIND, Obj, Rule, ruleInfo, Run } from './engine';
import { Severity } from './types';
import { CONFIG_MAP, groupOf, isObject } from './util';

export const HELM_VALUES = `${groupOf(HELM_VALUES_API_VERSION)}|${HELM_VALUES_KIND}`;

/** One adapter rule and where it is. */
export interface AdapterRule {
  readonly obj: Obj;
  readonly rule: any;
  readonly path: string;
  readonly external: boolean;
}

/** One adapter configuration found in the run. */
export interface AdapterConfig {
  readonly obj: Obj;
  /** Rules of the configuration. */
  readonly rules: AdapterRule[];
  /** Why config.yaml could not be read, when it could not. */
  readonly parseError?: string;
}

/** Whether a parsed config.yaml looks like a Prometheus Adapter config. */
const looksLikeConfig = (c: any) => isObject(c) && (Array.isArray(c.rules) || Array.isArray(c.externalRules) || isObject(c.resourceRules));

const configsCache = new WeakMap<Run, AdapterConfig[]>();

/** Every Prometheus Adapter configuration in the run (ConfigMaps and Helm values). */
export function adapterConfigs(run: Run): AdapterConfig[] {
  const cached = configsCache.get(run);
  if (cached) return cached;
  const out: AdapterConfig[] = [];
  for (const obj of run.of(CONFIG_MAP)) {
    const text = obj.m?.data?.['config.yaml'];
    if (typeof text !== 'string') continue;
    let config: any;
    try {
      config = YAML.parse(text);
    } catch (e) {
      if (/externalRules|seriesQuery|metricsQuery/.test(text)) {
        run.recognised.add(obj);
        out.push({ obj, rules: [], parseError: (e as Error).message.split('\n')[0] });
      }
      continue;
    }
    if (!looksLikeConfig(config)) continue;
    run.recognised.add(obj);
    const rules: AdapterRule[] = [];
    const at = 'data["config.yaml"]';
    (Array.isArray(config.rules) ? config.rules : []).forEach((r: any, i: number) => rules.push({ obj, rule: r, path: `${at}.rules[${i}]`, external: false }));
    (Array.isArray(config.externalRules) ? config.externalRules : []).forEach((r: any, i: number) => rules.push({ obj, rule: r, path: `${at}.externalRules[${i}]`, external: true }));
    out.push({ obj, rules });
  }
  for (const obj of run.of(HELM_VALUES)) {
    const rules: AdapterRule[] = [];
    const r = obj.m.rules;
    (Array.isArray(r.custom) ? r.custom : []).forEach((x: any, i: number) => rules.push({ obj, rule: x, path: `rules.custom[${i}]`, external: false }));
    (Array.isArray(r.external) ? r.external : []).forEach((x: any, i: number) => rules.push({ obj, rule: x, path: `rules.external[${i}]`, external: true }));
    out.push({ obj, rules });
  }
  configsCache.set(run, out);
  return out;
}

/** Every rule of every configuration. */
function allRules(run: Run): AdapterRule[] {
  return adapterConfigs(run).flatMap((c) => c.rules);
}

const TEMPLATE_FIELDS = new Set(['.Series', '.LabelMatchers', '.GroupBy', '.GroupBySlice', '.LabelValuesByName']);

/** The metric name an external rule serves, or a matcher over names when it renames by regex. */
export function servedName(rule: any): { exact?: string; pattern?: RegExp } {
  const as = rule?.name?.as;
  const series = typeof rule?.seriesQuery === 'string' ? /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(rule.seriesQuery)?.[1] : undefined;
  const regexName = typeof rule?.seriesQuery === 'string' ? /__name__\s*=~\s*"([^"]*)"/.exec(rule.seriesQuery)?.[1] : undefined;
  if (typeof as === 'string' && as !== '' && !as.includes('$')) return { exact: as };
  if (series) {
    if (typeof rule?.name?.matches === 'string' && typeof as === 'string') {
      try {
        return { exact: series.replace(new RegExp(rule.name.matches), as.replace(/\$\{?(\d+)\}?/g, '$$$1')) };
      } catch {
        return { exact: series };
      }
    }
    return { exact: series };
  }
  if (regexName) {
    try {
      return { pattern: new RegExp(`^(?:${regexName})$`) };
    } catch {
      return {};
    }
  }
  return {};
}

/** The Prometheus Adapter rules. */
export const PROMETHEUS_ADAPTER_RULES: Rule[] = [
  {
    info: ruleInfo('DYN501', Severity.ERROR, 'External rule without a namespace mapping',
      'An HPA asks the external metrics API for a metric in its namespace; an external rule that does not map the `namespace` label to the namespace resource (`resources.overrides.namespace.resource: namespace`, or a `template`) cannot answer, so the HPA sees no metric.',
      'Add `resources: {overrides: {namespace: {resource: namespace}}}` to the rule.'),
    kinds: [HELM_VALUES],
    check: (run) => {
      for (const r of allRules(run)) {
        if (!r.external || !isObject(r.rule)) continue;
        const res = r.rule.resources;
        const mapped = isObject(res) && (res.overrides?.namespace?.resource === 'namespace' || typeof res.template === 'string' || res.namespaced === false);
        if (!mapped) run.report(r.obj, `${r.path}.resources`, 'no namespace mapping: the adapter cannot serve this metric to a namespaced HPA', res);
      }
    },
  },
  {
    info: ruleInfo('DYN502', Severity.ERROR, 'Adapter rule without seriesQuery or metricsQuery',
      'Every Prometheus Adapter rule needs a `seriesQuery` (which series to discover) and a `metricsQuery` (the Go template that queries them); without them the adapter fails to start or serves nothing.',
      'Add the missing query.'),
    kinds: [HELM_VALUES],
    check: (run) => {
      for (const r of allRules(run)) {
        for (const f of ['seriesQuery', 'metricsQuery']) {
          if (typeof r.rule?.[f] !== 'string' || r.rule[f].trim() === '') run.report(r.obj, `${r.path}.${f}`, 'is required (a non-empty string)', r.rule?.[f]);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN503', Severity.ERROR, 'Invalid metricsQuery template',
      'A metricsQuery is a Go template with `<<` `>>` delimiters over `.Series`, `.LabelMatchers`, `.GroupBy`, `.GroupBySlice` and `.LabelValuesByName`; an unclosed action or another field fails every query.',
      'Close every `<<` with `>>` and use only the fields listed, e.g. `sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)`.'),
    kinds: [HELM_VALUES],
    check: (run) => {
      for (const r of allRules(run)) {
        const q = r.rule?.metricsQuery;
        if (typeof q !== 'string') continue;
        const opens = (q.match(/<</g) ?? []).length;
        const closes = (q.match(/>>/g) ?? []).length;
        if (opens !== closes) {
          run.report(r.obj, `${r.path}.metricsQuery`, `${opens} '<<' but ${closes} '>>'`, q);
          continue;
        }
        for (const m of q.matchAll(/<<\s*([^>]*?)\s*>>/g)) {
          const field = m[1].split(/\s+/)[0];
          if (field.startsWith('.') && !TEMPLATE_FIELDS.has(field)) {
            run.report(r.obj, `${r.path}.metricsQuery`, `unknown template field ${field}: use ${[...TEMPLATE_FIELDS].join(', ')}`, q);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN504', Severity.ERROR, 'Unreadable Prometheus Adapter config',
      'The ConfigMap\'s `config.yaml` is not valid YAML, or a rule\'s `name.matches` is not a valid regular expression: the adapter fails to start.',
      'Fix the YAML or the regular expression.'),
    kinds: [HELM_VALUES],
    check: (run) => {
      for (const c of adapterConfigs(run)) {
        if (c.parseError) run.report(c.obj, 'data["config.yaml"]', `not valid YAML: ${c.parseError}`);
        for (const r of c.rules) {
          const m = r.rule?.name?.matches;
          if (typeof m !== 'string') continue;
          try {
            new RegExp(m);
          } catch (e) {
            run.report(r.obj, `${r.path}.name.matches`, `not a valid regular expression: ${(e as Error).message}`, m);
          }
        }
      }
    },
  },
];
