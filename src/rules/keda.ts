/**
 * DYN2xx: KEDA ScaledObject and TriggerAuthentication rules: what KEDA's admission
 * webhook checks (it runs with failurePolicy Ignore, so it may not run at all) and what
 * its scalers only report at reconcile time (REFERENCE.md, "KEDA ScaledObject").
 */
import { Obj, Rule, ruleInfo, Run } from './engine';
import { Severity } from './types';
import { isInt, isObject, isPositiveNumberString, isTimeZone, SCALED_OBJECT } from './util';
import { cronTriggerProblems, fallbackProblem, scalingModifiersFallbackProblem, scalingModifiersProblems, wakeUpProblem, zeroReplicaSignal, ZeroReplicaSignal } from '../core/keda';
import { scaledObjectNameProblems } from '../core/names';

const RESOURCE_TRIGGERS = new Set(['cpu', 'memory']);
const AUTH_MODES = ['bearer', 'basic', 'tls', 'custom', 'apiKey', 'oauth'];
const EXCLUSIVE_AUTH = ['bearer', 'basic', 'oauth'];
/** Trigger metadata keys that carry credentials: KEDA reads those from a TriggerAuthentication. */
const CREDENTIAL_KEYS = ['bearerToken', 'password', 'username', 'cert', 'ca', 'apiKey', 'customAuthValue', 'clientSecret'];

interface Trigger {
  readonly t: any;
  readonly i: number;
  readonly path: string;
}

function triggers(obj: Obj): Trigger[] {
  const list = obj.m?.spec?.triggers;
  return Array.isArray(list) ? list.map((t: any, i: number) => ({ t, i, path: `spec.triggers[${i}]` })).filter((x) => isObject(x.t)) : [];
}

/**
 * min and max as KEDA's webhook compares them (kedacore/keda apis/keda/v1alpha1
 * `CheckReplicaCountBoundsAreValid`): min is 0 when unset, and an explicit min of 0
 * counts as 1 there (`GetHPAMinReplicas`); max defaults to 100.
 */
function bounds(obj: Obj): { min: number; max: number; declaredMin: number } {
  const spec = obj.m?.spec ?? {};
  const declaredMin = isInt(spec.minReplicaCount) ? spec.minReplicaCount : 0;
  const min = isInt(spec.minReplicaCount) ? (spec.minReplicaCount > 0 ? spec.minReplicaCount : 1) : 0;
  return { min, max: isInt(spec.maxReplicaCount) ? spec.maxReplicaCount : 100, declaredMin };
}

/** DYN202: where, and the text (shared with the constructs, src/autoscaling/keda). */
export const MIN_REPLICA_COUNT_PATH = 'spec.minReplicaCount';
export function minAboveMaxText(max: number): string {
  return `must be at most maxReplicaCount (${max})`;
}

/** DYN206: the text for a trigger whose name an earlier trigger has (at `spec.triggers[i].name`). */
export const DUPLICATE_TRIGGER_NAME_TEXT = 'another trigger has this name';

/** DYN201: whether a ScaledObject name problem is this rule's (a malformed own name is DYN001's, the schema's). */
export function isScaledObjectNameRuleProblem(p: { rule: string; field: string }): boolean {
  return p.rule === 'length' || p.field !== 'metadata.name';
}

function eachScaledObject(run: Run, f: (obj: Obj, spec: any) => void): void {
  for (const obj of run.of(SCALED_OBJECT)) f(obj, obj.m?.spec ?? {});
}

/** The KEDA rules. */
export const KEDA_RULES: Rule[] = [
  {
    info: ruleInfo('DYN201', Severity.ERROR, 'ScaledObject or its HPA name too long',
      'KEDA\'s webhook refuses ScaledObject and HPA names over 63 characters. KEDA names its HPA `keda-hpa-<ScaledObject name>` unless `spec.advanced.horizontalPodAutoscalerConfig.name` is set, so without that override a ScaledObject name is at most 54 characters.',
      'Shorten the name, or set `spec.advanced.horizontalPodAutoscalerConfig.name` to a name of at most 63 characters.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj, spec) => {
      const custom = spec.advanced?.horizontalPodAutoscalerConfig?.name;
      // The name rules the constructs apply (src/core/names.ts); a malformed name is DYN001's.
      for (const p of scaledObjectNameProblems(obj.name, typeof custom === 'string' ? custom : undefined)) {
        if (isScaledObjectNameRuleProblem(p)) run.report(obj, p.field, p.message, p.value);
      }
    }),
  },
  {
    info: ruleInfo('DYN202', Severity.ERROR, 'minReplicaCount above maxReplicaCount',
      'KEDA refuses a ScaledObject whose minReplicaCount (default 0) is above its maxReplicaCount (default 100).',
      'Lower minReplicaCount or raise maxReplicaCount.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      const { min, max } = bounds(obj);
      if (min > max) run.report(obj, MIN_REPLICA_COUNT_PATH, minAboveMaxText(max), min);
    }),
  },
  {
    info: ruleInfo('DYN203', Severity.ERROR, 'idleReplicaCount not below minReplicaCount',
      'KEDA refuses an idleReplicaCount that is not strictly below minReplicaCount (default 0): idle means fewer replicas than the minimum, usually 0.',
      'Set idleReplicaCount below minReplicaCount (e.g. idle 0, min 1) or remove it.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj, spec) => {
      const { min } = bounds(obj);
      if (isInt(spec.idleReplicaCount) && spec.idleReplicaCount >= min) run.report(obj, 'spec.idleReplicaCount', `must be less than minReplicaCount (${min})`, spec.idleReplicaCount);
    }),
  },
  {
    info: ruleInfo('DYN204', Severity.ERROR, 'Fallback without a trigger that supports it',
      'KEDA never applies `fallback` to cpu/memory triggers; its webhook refuses a fallback when no other trigger exists, or with `advanced.scalingModifiers` whose metricType is not AverageValue, or with a negative failureThreshold or replicas (`CheckFallbackValid`). Since KEDA 2.18 a `Value` trigger qualifies, but KEDA computes its fallback from the target\'s `status.readyReplicas`, which only Deployments, StatefulSets, ReplicaSets and Rollouts have: on a Dynamo scaling adapter a Value-only fallback never applies.',
      'Give a non-cpu/memory trigger `metricType: AverageValue` (the default for prometheus; required when the target is not a native workload), or remove `fallback`.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj, spec) => {
      if (!isObject(spec.fallback)) return;
      for (const f of ['failureThreshold', 'replicas']) {
        if (isInt(spec.fallback[f]) && spec.fallback[f] < 0) run.report(obj, `spec.fallback.${f}`, 'must be 0 or more', spec.fallback[f]);
      }
      const modifiers = spec.advanced?.scalingModifiers;
      if (isObject(modifiers) && (modifiers.formula !== undefined || modifiers.target !== undefined)) {
        if (modifiers.metricType !== undefined && modifiers.metricType !== 'AverageValue') {
          run.report(obj, 'spec.advanced.scalingModifiers.metricType', 'fallback with scalingModifiers needs metricType AverageValue', modifiers.metricType);
        }
        return;
      }
      const problem = fallbackProblem(triggers(obj).map(({ t }) => t), false, spec.scaleTargetRef?.kind ?? 'Deployment');
      if (problem) {
        const types = triggers(obj).map(({ t }) => `${t.type}${t.metricType ? `/${t.metricType}` : ''}`).join(', ');
        run.report(obj, 'spec.fallback', `${problem}; the triggers are ${types || 'none'}`, spec.fallback);
      }
    }),
  },
  {
    info: ruleInfo('DYN205', Severity.ERROR, 'Scale to zero with only cpu/memory triggers',
      'A ScaledObject whose triggers are all cpu or memory and whose minReplicaCount is 0 (or unset) never wakes up: with no pods there is no utilisation to measure. KEDA\'s webhook refuses it for Deployment and StatefulSet targets; for other targets (a scaling adapter) it is accepted and silently stays at zero.',
      'Add a trigger with a signal at zero replicas (queue depth, request rate, cron) or set minReplicaCount to at least 1.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      const ts = triggers(obj);
      if (bounds(obj).declaredMin === 0 && ts.length > 0 && ts.every(({ t }) => RESOURCE_TRIGGERS.has(t.type))) {
        run.report(obj, 'spec.minReplicaCount', 'is 0 (the default) but every trigger is cpu or memory', 0);
      }
    }),
  },
  {
    info: ruleInfo('DYN206', Severity.ERROR, 'Trigger names not unique',
      'KEDA refuses a ScaledObject with two triggers of the same name (names key the metrics and the fallback health).',
      'Give every named trigger a distinct name.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      const seen = new Set<string>();
      for (const { t, path } of triggers(obj)) {
        if (typeof t.name !== 'string' || t.name === '') continue;
        if (seen.has(t.name)) run.report(obj, `${path}.name`, DUPLICATE_TRIGGER_NAME_TEXT, t.name);
        seen.add(t.name);
      }
    }),
  },
  {
    info: ruleInfo('DYN207', Severity.ERROR, 'Invalid cron trigger',
      'A cron trigger needs `timezone` (an IANA zone), `start` and `end` (5-field cron expressions, different) and `desiredReplicas` (a whole number, not 0); KEDA reports anything else only at reconcile time and never scales.',
      'Fix the metadata field the message names, e.g. `start: "0 8 * * 1-5"`, `end: "0 20 * * 1-5"`, `timezone: "Europe/Berlin"`, `desiredReplicas: "4"`.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      for (const { t, path } of triggers(obj)) {
        if (t.type !== 'cron') continue;
        const md = isObject(t.metadata) ? t.metadata : {};
        if (md.timezone !== undefined && md.timezone !== '' && !isTimeZone(md.timezone)) {
          run.report(obj, `${path}.metadata.timezone`, "must be an IANA time zone such as 'Europe/Berlin' or 'UTC'", md.timezone);
        }
        // KEDA's cron metadata rules as the constructs apply them (src/core/keda.ts); wrong types are DYN001's.
        if (Object.values(md).some((v) => typeof v !== 'string')) continue;
        for (const p of cronTriggerProblems(md, `${path}.metadata`)) run.report(obj, p.path, p.message, p.value);
      }
    }),
  },
  {
    info: ruleInfo('DYN208', Severity.ERROR, 'Invalid prometheus trigger',
      'A prometheus trigger needs `serverAddress`, `query` and a positive numeric `threshold` (and, if set, a numeric `activationThreshold`); its metric type is AverageValue (default) or Value, never Utilization. `authModes` takes bearer, basic, tls, custom, apiKey, oauth, with bearer, basic and oauth exclusive. KEDA reports these only at reconcile time.',
      'Set the missing metadata; use metricType AverageValue or Value.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      for (const { t, path } of triggers(obj)) {
        if (t.type !== 'prometheus') continue;
        const md = isObject(t.metadata) ? t.metadata : {};
        for (const f of ['serverAddress', 'query']) {
          if (typeof md[f] !== 'string' || md[f].trim() === '') run.report(obj, `${path}.metadata.${f}`, 'is required (a non-empty string)', md[f]);
        }
        if (!isPositiveNumberString(md.threshold)) run.report(obj, `${path}.metadata.threshold`, 'is required: a positive number written as a string', md.threshold);
        if (md.activationThreshold !== undefined && !(typeof md.activationThreshold === 'string' && md.activationThreshold.trim() !== '' && !isNaN(Number(md.activationThreshold)))) {
          run.report(obj, `${path}.metadata.activationThreshold`, 'must be a number written as a string', md.activationThreshold);
        }
        if (t.metricType !== undefined && t.metricType !== 'AverageValue' && t.metricType !== 'Value') {
          run.report(obj, `${path}.metricType`, 'a prometheus trigger takes AverageValue (default) or Value', t.metricType);
        }
        if (md.authModes !== undefined) {
          const modes = String(md.authModes).split(',').map((s) => s.trim()).filter((s) => s !== '');
          const bad = modes.filter((m) => !AUTH_MODES.includes(m));
          if (bad.length > 0) run.report(obj, `${path}.metadata.authModes`, `unknown mode(s) ${bad.join(', ')}: use ${AUTH_MODES.join(', ')}`, md.authModes);
          if (modes.filter((m) => EXCLUSIVE_AUTH.includes(m)).length > 1) run.report(obj, `${path}.metadata.authModes`, 'bearer, basic and oauth exclude each other', md.authModes);
        }
      }
    }),
  },
  {
    info: ruleInfo('DYN209', Severity.WARNING, 'Ignored or unsafe trigger metadata',
      'Current KEDA ignores a prometheus trigger\'s `metricName` (older docs and the Dynamo guides still show it), and reads credentials only from a TriggerAuthentication: credentials inline in `metadata` are not used and sit in plain text in the object.',
      'Remove `metricName`; move credentials into a Secret referenced by a TriggerAuthentication (`secretTargetRef`).'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      for (const { t, path } of triggers(obj)) {
        const md = isObject(t.metadata) ? t.metadata : {};
        if (t.type === 'prometheus' && md.metricName !== undefined) run.report(obj, `${path}.metadata.metricName`, 'ignored by current KEDA', md.metricName);
        for (const k of CREDENTIAL_KEYS) {
          if (md[k] !== undefined) run.report(obj, `${path}.metadata.${k}`, 'a credential inline in trigger metadata: KEDA reads credentials from a TriggerAuthentication', '(hidden)');
        }
      }
    }),
  },
  {
    info: ruleInfo('DYN210', Severity.ERROR, 'Scale to zero that cannot wake up',
      'A ScaledObject that may scale to zero (minReplicaCount or idleReplicaCount 0) whose only triggers measure the latency of served requests (TTFT, ITL, request duration quantiles) never scales back up: with no replicas there are no requests to measure (ai-dynamo/dynamo #10751).',
      'Add a trigger that has a signal at zero replicas (frontend queue depth or request rate, cron), or keep minReplicaCount at 1 or more.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj, spec) => {
      const ts = triggers(obj);
      const toZero = bounds(obj).declaredMin === 0 || spec.idleReplicaCount === 0;
      if (!toZero || ts.length === 0) return;
      if (ts.every(({ t }) => RESOURCE_TRIGGERS.has(t.type))) return; // DYN205
      const shapes = ts.map(({ t }) => ({ type: String(t.type), metadata: isObject(t.metadata) ? t.metadata : {} }));
      if (shapes.every((x) => zeroReplicaSignal(x) === ZeroReplicaSignal.NONE)) {
        run.report(obj, spec.idleReplicaCount === 0 ? 'spec.idleReplicaCount' : 'spec.minReplicaCount', wakeUpProblem(shapes)!, spec.idleReplicaCount === 0 ? 0 : spec.minReplicaCount ?? 0);
      }
    }),
  },
  {
    info: ruleInfo('DYN211', Severity.ERROR, 'Invalid cpu/memory trigger',
      'A cpu or memory trigger needs `metricType` Utilization or AverageValue (on the trigger) and a positive numeric `metadata.value`.',
      'Set `metricType: Utilization` and `metadata.value: "70"`, for example.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj) => {
      for (const { t, path } of triggers(obj)) {
        if (!RESOURCE_TRIGGERS.has(t.type)) continue;
        const type = t.metricType ?? t.metadata?.type;
        if (type !== 'Utilization' && type !== 'AverageValue') run.report(obj, `${path}.metricType`, 'a cpu/memory trigger takes Utilization or AverageValue', type);
        if (!isPositiveNumberString(t.metadata?.value)) run.report(obj, `${path}.metadata.value`, 'is required: a positive number written as a string', t.metadata?.value);
      }
    }),
  },
  {
    info: ruleInfo('DYN212', Severity.ERROR, 'Invalid scalingModifiers',
      'KEDA\'s webhook refuses `advanced.scalingModifiers` whose formula does not compile over the named non-cpu/memory triggers, a formula without a `target`, a target that is not a number > 0, or metricType Utilization; with a fallback, the target must be a whole number or the fallback never applies. The same rules as the constructs (src/core/keda.ts).',
      'Set `formula` and `target` (a positive number as a string), name the triggers the formula uses, and use metricType AverageValue or Value.'),
    kinds: [SCALED_OBJECT],
    check: (run) => eachScaledObject(run, (obj, spec) => {
      const sm = spec.advanced?.scalingModifiers;
      if (!isObject(sm) || !Object.values(sm).some((v) => v !== undefined && v !== '')) return;
      if (Object.values(sm).some((v) => typeof v !== 'string')) return; // DYN001
      const shapes = triggers(obj).map(({ t }) => ({ type: String(t.type), ...(typeof t.name === 'string' ? { name: t.name } : {}) }));
      // KEDA's ValidateAndCompileScalingModifiers as the constructs apply it (src/core/keda.ts).
      for (const p of scalingModifiersProblems(sm, shapes)) run.report(obj, `spec.${p.field}`, p.message, (sm as any)[p.field.split('.').pop()!]);
      if (isObject(spec.fallback)) {
        const q = scalingModifiersFallbackProblem(sm, spec.fallback.behavior);
        if (q) run.report(obj, `spec.${q.field}`, q.message, q.field === 'fallback.behavior' ? spec.fallback.behavior : sm.target);
      }
    }),
  },
];
