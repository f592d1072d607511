/**
 * Kubernetes' own validation of an autoscaling/v2 HorizontalPodAutoscaler (REFERENCE.md,
 * "HPA, autoscaling/v2"; upstream: kubernetes/kubernetes pkg/apis/autoscaling/validation),
 * over a plain manifest. HPAs have no CRD, so this stands in for the schema check.
 */
import { SchemaViolation } from './structural';

const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INT32_MAX = 2 ** 31 - 1;

/** Metric source type to its field and the target types it takes. */
const SOURCES: Record<string, [string, string[]]> = {
  Resource: ['resource', ['Utilization', 'AverageValue']],
  ContainerResource: ['containerResource', ['Utilization', 'AverageValue']],
  Pods: ['pods', ['AverageValue']],
  Object: ['object', ['Value', 'AverageValue']],
  External: ['external', ['Value', 'AverageValue']],
};

/** Kubernetes' path segment names (`ValidatePathSegmentName`): what a reference's kind and name may be. */
const isPathSegment = (v: string) => v !== '.' && v !== '..' && !/[/%]/.test(v);

const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT32_MAX;

/** Every way `m` breaks the autoscaling/v2 validation, with the field path and value. */
export function hpaViolations(m: any): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const fail = (path: string, value: unknown, message: string, kind: 'schema' | 'pruned' = 'schema') => out.push({ kind, path, value, message });
  const known = (obj: any, keys: string[], where: string) => {
    if (obj === null || typeof obj !== 'object') return;
    for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(`${where}.${k}`, obj[k], `unknown field ${where}.${k}`, 'pruned');
  };
  if (m?.apiVersion !== 'autoscaling/v2' || m?.kind !== 'HorizontalPodAutoscaler') fail('apiVersion', m?.apiVersion, 'not an autoscaling/v2 HorizontalPodAutoscaler');
  const name = m?.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) fail('metadata.name', name, 'metadata.name is not a DNS subdomain');
  const spec = m?.spec ?? {};
  known(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior'], 'spec');
  const ref = spec.scaleTargetRef ?? {};
  known(ref, ['apiVersion', 'kind', 'name'], 'spec.scaleTargetRef');
  if (!ref.kind || !ref.name) fail('spec.scaleTargetRef', spec.scaleTargetRef, 'scaleTargetRef needs kind and name');
  for (const f of ['kind', 'name']) {
    if (typeof ref[f] === 'string' && ref[f] !== '' && !isPathSegment(ref[f])) {
      fail(`spec.scaleTargetRef.${f}`, ref[f], `scaleTargetRef.${f} may not be '.' or '..' nor contain '/' or '%'`);
    }
  }
  if (!isInt32(spec.maxReplicas) || spec.maxReplicas < 1) fail('spec.maxReplicas', spec.maxReplicas, 'maxReplicas must be an integer >= 1 (int32)');
  const min = spec.minReplicas ?? 1;
  if (!isInt32(min) || min < 0) fail('spec.minReplicas', spec.minReplicas, 'minReplicas must be an integer >= 0 (int32)');
  if (min > spec.maxReplicas) fail('spec.minReplicas', min, `minReplicas must be <= maxReplicas (${spec.maxReplicas})`);
  const metrics: any[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  if (min === 0 && !metrics.some((x) => x?.type === 'Object' || x?.type === 'External')) {
    fail('spec.minReplicas', 0, 'minReplicas 0 needs an Object or External metric');
  }
  metrics.forEach((x, i) => {
    const at = `spec.metrics[${i}]`;
    const entry = SOURCES[x?.type];
    if (!entry) {
      fail(`${at}.type`, x?.type, `metrics[${i}].type ${x?.type} unknown: use one of ${Object.keys(SOURCES).join(', ')}`);
      return;
    }
    const [key, targets] = entry;
    known(x, ['type', key], at);
    const src = x[key] ?? {};
    const t = src.target ?? {};
    known(t, ['type', 'value', 'averageValue', 'averageUtilization'], `${at}.${key}.target`);
    if (!targets.includes(t.type)) fail(`${at}.${key}.target.type`, t.type, `metrics[${i}] ${x.type} cannot take a ${t.type} target: use ${targets.join(' or ')}`);
    const set = ['value', 'averageValue', 'averageUtilization'].filter((k) => t[k] !== undefined);
    const expected = t.type === 'Utilization' ? 'averageUtilization' : t.type === 'Value' ? 'value' : 'averageValue';
    if (set.length !== 1 || set[0] !== expected) fail(`${at}.${key}.target`, t, `metrics[${i}] target ${t.type} must set exactly ${expected}`);
    if (t.type === 'Utilization' && !(isInt32(t.averageUtilization) && t.averageUtilization >= 1)) {
      fail(`${at}.${key}.target.averageUtilization`, t.averageUtilization, `metrics[${i}] averageUtilization must be >= 1`);
    }
    for (const k of ['value', 'averageValue']) {
      if (t[k] !== undefined && !(typeof t[k] === 'string' && QUANTITY.test(t[k]) && parseFloat(t[k]) > 0)) {
        fail(`${at}.${key}.target.${k}`, t[k], `metrics[${i}].target.${k} must be a positive quantity string`);
      }
    }
    if (x.type === 'Resource' || x.type === 'ContainerResource') {
      if (!['cpu', 'memory'].includes(src.name)) fail(`${at}.${key}.name`, src.name, `metrics[${i}] resource ${src.name} is not served by the resource metrics API (cpu, memory)`);
      if (x.type === 'ContainerResource' && !src.container) fail(`${at}.${key}.container`, src.container, `metrics[${i}] needs a container`);
    } else if (!src.metric?.name) {
      fail(`${at}.${key}.metric.name`, src.metric?.name, `metrics[${i}] needs metric.name`);
    }
    if (x.type === 'Object' && !(src.describedObject?.kind && src.describedObject?.name)) fail(`${at}.object.describedObject`, src.describedObject, `metrics[${i}] needs describedObject with kind and name`);
  });
  const behavior = spec.behavior;
  if (behavior) known(behavior, ['scaleUp', 'scaleDown'], 'spec.behavior');
  for (const dir of ['scaleUp', 'scaleDown']) {
    const r = behavior?.[dir];
    if (r === undefined || r === null) continue;
    const at = `spec.behavior.${dir}`;
    known(r, ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'], `behavior.${dir}`);
    const s = r.stabilizationWindowSeconds;
    if (s !== undefined && !(isInt32(s) && s >= 0 && s <= 3600)) fail(`${at}.stabilizationWindowSeconds`, s, `${dir}.stabilizationWindowSeconds must be 0..3600`);
    if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) fail(`${at}.selectPolicy`, r.selectPolicy, `${dir}.selectPolicy invalid: use Max, Min or Disabled`);
    if (r.tolerance !== undefined && !(typeof r.tolerance === 'string' && QUANTITY.test(r.tolerance) && parseFloat(r.tolerance) >= 0)) {
      fail(`${at}.tolerance`, r.tolerance, `${dir}.tolerance must be a non-negative quantity string`);
    }
    if (r.policies !== undefined) {
      if (!Array.isArray(r.policies) || r.policies.length === 0) fail(`${at}.policies`, r.policies, `${dir}.policies must not be empty`);
      (Array.isArray(r.policies) ? r.policies : []).forEach((p: any, j: number) => {
        known(p, ['type', 'value', 'periodSeconds'], `behavior.${dir}.policies[]`);
        if (!['Pods', 'Percent'].includes(p?.type)) fail(`${at}.policies[${j}].type`, p?.type, `${dir} policy type ${p?.type}: use Pods or Percent`);
        if (!(isInt32(p?.value) && p.value > 0)) fail(`${at}.policies[${j}].value`, p?.value, `${dir} policy value must be > 0`);
        if (!(isInt32(p?.periodSeconds) && p.periodSeconds >= 1 && p.periodSeconds <= 1800)) fail(`${at}.policies[${j}].periodSeconds`, p?.periodSeconds, `${dir} periodSeconds must be 1..1800`);
      });
    }
  }
  return out;
}

/** The same, one readable line per violation (`<name>: <message>`). */
export function hpaRuleErrors(m: any): string[] {
  return hpaViolations(m).map((v) => `${m?.metadata?.name}: ${v.message}`);
}
