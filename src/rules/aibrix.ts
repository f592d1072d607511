/**
 * DYN4xx: AIBrix PodAutoscaler rules (autoscaling.aibrix.ai/v1alpha1, v0.7.0;
 * REFERENCE.md, "AIBrix PodAutoscaler").
 */
import { Rule, ruleInfo } from './engine';
import { Severity } from './types';
import { isInt, isObject, isPositiveNumberString, key, POD_AUTOSCALER } from './util';
import { nameProblem, podAutoscalerNameProblems } from '../core/names';

/** Tuning annotations AIBrix v0.7.0 reads (`autoscaling.aibrix.ai/<key>`). */
const KNOWN_ANNOTATIONS = [
  'max-scale-up-rate', 'max-scale-down-rate', 'scale-up-tolerance', 'scale-down-tolerance', 'panic-threshold',
  'scale-up-cooldown-window', 'scale-down-cooldown-window', 'scale-to-zero',
];

/** The AIBrix rules. */
export const AIBRIX_RULES: Rule[] = [
  {
    info: ruleInfo('DYN401', Severity.ERROR, 'PodAutoscaler minReplicas above maxReplicas',
      'AIBrix requires 0 <= minReplicas <= maxReplicas and maxReplicas > 0.',
      'Lower minReplicas or raise maxReplicas.'),
    kinds: [POD_AUTOSCALER],
    check: (run) => {
      for (const obj of run.of(POD_AUTOSCALER)) {
        const spec = obj.m?.spec ?? {};
        if (isInt(spec.maxReplicas) && spec.maxReplicas < 1) run.report(obj, 'spec.maxReplicas', 'must be greater than 0', spec.maxReplicas);
        if (isInt(spec.minReplicas) && spec.minReplicas < 0) run.report(obj, 'spec.minReplicas', 'must be 0 or more', spec.minReplicas);
        if (isInt(spec.minReplicas) && isInt(spec.maxReplicas) && spec.minReplicas > spec.maxReplicas) {
          run.report(obj, 'spec.minReplicas', `must be at most maxReplicas (${spec.maxReplicas})`, spec.minReplicas);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN402', Severity.ERROR, 'Invalid PodAutoscaler metric source',
      'A `pod` metric source needs protocolType, port (a string) and path; a `resource` source takes only cpu or memory and no endpoint; every targetValue is a positive number written as a string.',
      'Fix the metric source field the message names.'),
    kinds: [POD_AUTOSCALER],
    check: (run) => {
      for (const obj of run.of(POD_AUTOSCALER)) {
        const sources = obj.m?.spec?.metricsSources;
        if (!Array.isArray(sources)) continue;
        sources.forEach((s: any, i: number) => {
          if (!isObject(s)) return;
          const at = `spec.metricsSources[${i}]`;
          if (s.metricSourceType === 'pod') {
            for (const f of ['protocolType', 'port', 'path']) {
              if (typeof s[f] !== 'string' || s[f] === '') run.report(obj, `${at}.${f}`, `a pod metric source needs '${f}' (a non-empty string)`, s[f]);
            }
          }
          if (s.metricSourceType === 'resource') {
            if (!['cpu', 'memory'].includes(s.targetMetric)) run.report(obj, `${at}.targetMetric`, 'a resource metric source takes cpu or memory', s.targetMetric);
            if (s.endpoint !== undefined) run.report(obj, `${at}.endpoint`, 'a resource metric source takes no endpoint', s.endpoint);
          }
          if (s.targetValue !== undefined && !isPositiveNumberString(s.targetValue)) run.report(obj, `${at}.targetValue`, 'must be a positive number written as a string', s.targetValue);
        });
      }
    },
  },
  {
    info: ruleInfo('DYN403', Severity.WARNING, 'Ignored AIBrix annotation',
      'AIBrix v0.7.0 reads tuning only from `autoscaling.aibrix.ai/<key>` annotations with the keys max-scale-up-rate, max-scale-down-rate, scale-up-tolerance, scale-down-tolerance, panic-threshold, scale-up-cooldown-window, scale-down-cooldown-window and scale-to-zero. The `kpa.autoscaling.aibrix.ai/*` and `apa.autoscaling.aibrix.ai/*` keys of older samples, and misspelt keys, are ignored.',
      'Use `autoscaling.aibrix.ai/<key>` with one of the keys listed.'),
    kinds: [POD_AUTOSCALER],
    check: (run) => {
      for (const obj of run.of(POD_AUTOSCALER)) {
        const annotations = obj.m?.metadata?.annotations;
        if (!isObject(annotations)) continue;
        for (const k of Object.keys(annotations)) {
          const [prefix, name] = k.split('/', 2);
          if (prefix === 'kpa.autoscaling.aibrix.ai' || prefix === 'apa.autoscaling.aibrix.ai') {
            run.report(obj, `metadata.annotations${key(k)}`, `ignored by AIBrix v0.7.0: use 'autoscaling.aibrix.ai/${name}'`, annotations[k]);
          } else if (prefix === 'autoscaling.aibrix.ai' && !KNOWN_ANNOTATIONS.includes(name)) {
            run.report(obj, `metadata.annotations${key(k)}`, `not a key AIBrix reads: use one of ${KNOWN_ANNOTATIONS.join(', ')}`, annotations[k]);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN404', Severity.ERROR, 'Name of the HPA AIBrix creates too long',
      'With `scalingStrategy: HPA`, AIBrix creates a HorizontalPodAutoscaler named `<PodAutoscaler name>-hpa`; that name must be a DNS subdomain of at most 253 characters, or the HPA is never created.',
      'Shorten the PodAutoscaler name to at most 249 characters.'),
    kinds: [POD_AUTOSCALER],
    check: (run) => {
      for (const obj of run.of(POD_AUTOSCALER)) {
        // The constructs' rule (src/core/names.ts); the PodAutoscaler's own name is DYN001's.
        const own = nameProblem('PodAutoscaler', obj.name);
        if (own) continue;
        for (const p of podAutoscalerNameProblems(obj.name, obj.m?.spec?.scalingStrategy === 'HPA')) run.report(obj, p.field, p.message, p.value);
      }
    },
  },
];
