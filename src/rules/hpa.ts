/**
 * DYN3xx: HorizontalPodAutoscaler rules beyond Kubernetes' own validation (DYN004).
 */
import { Rule, ruleInfo } from './engine';
import { Severity } from './types';
import { HPA, isLatencySignal } from './util';

/** The HPA rules. */
export const HPA_RULES: Rule[] = [
  {
    info: ruleInfo('DYN301', Severity.ERROR, 'HPA scale to zero that cannot wake up',
      'An HPA with minReplicas 0 whose only Object/External metrics measure the latency of served requests (TTFT, ITL, request duration quantiles) never scales back up: with no replicas there are no requests to measure (ai-dynamo/dynamo #10751).',
      'Add a metric with a signal at zero replicas (frontend queue depth or request rate) or keep minReplicas at 1 or more.'),
    kinds: [HPA],
    check: (run) => {
      for (const obj of run.of(HPA)) {
        const spec = obj.m?.spec ?? {};
        if (spec.minReplicas !== 0 || !Array.isArray(spec.metrics)) continue;
        const waking = spec.metrics.filter((x: any) => x?.type === 'External' || x?.type === 'Object');
        const name = (x: any) => String(x?.external?.metric?.name ?? x?.object?.metric?.name ?? '');
        const selector = (x: any) => JSON.stringify(x?.external?.metric?.selector ?? x?.object?.metric?.selector ?? {});
        if (waking.length > 0 && waking.every((x: any) => isLatencySignal(name(x)) || isLatencySignal(selector(x)))) {
          run.report(obj, 'spec.minReplicas', `scale to zero, but every External/Object metric (${waking.map(name).join(', ')}) is a latency metric, which has no samples at zero replicas`, 0);
        }
      }
    },
  },
];
