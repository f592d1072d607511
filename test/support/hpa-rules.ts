/**
 * The Kubernetes validation rules for an autoscaling/v2 HPA, over a rendered manifest
 * (REFERENCE.md, "HPA, autoscaling/v2"; Kubernetes `pkg/apis/autoscaling/validation`),
 * so they also hold for YAML the library did not write. HPAs have no CRD to validate
 * against; this is their schema and admission check in the tests.
 */
const HPA = 'HorizontalPodAutoscaler';
const INT32_MAX = 2147483647;

/**
 * The Kubernetes validation rules for an autoscaling/v2 HPA (REFERENCE.md, "HPA,
 * autoscaling/v2"), over a rendered manifest, so they also hold for YAML the library
 * did not write. Returns one message per broken rule.
 */
export function hpaRuleErrors(m: any): string[] {
  const errors: string[] = [];
  const fail = (msg: string) => errors.push(`${m.metadata?.name}: ${msg}`);
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  const quantity = /^[+-]?(\d+\.?\d*|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
  if (m.apiVersion !== 'autoscaling/v2' || m.kind !== HPA) fail('not an autoscaling/v2 HorizontalPodAutoscaler');
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    fail('metadata.name is not a DNS subdomain');
  }
  const known = (obj: any, keys: string[], where: string) => {
    for (const k of Object.keys(obj ?? {})) if (!keys.includes(k)) fail(`unknown field ${where}.${k}`);
  };
  const spec = m.spec ?? {};
  known(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior'], 'spec');
  const ref = spec.scaleTargetRef ?? {};
  known(ref, ['apiVersion', 'kind', 'name'], 'spec.scaleTargetRef');
  if (!ref.kind || !ref.name) fail('scaleTargetRef needs kind and name');
  if (!isInt(spec.maxReplicas) || spec.maxReplicas < 1 || spec.maxReplicas > INT32_MAX) fail('maxReplicas must be an int32 >= 1');
  const min = spec.minReplicas ?? 1;
  if (!isInt(min) || min < 0 || min > INT32_MAX) fail('minReplicas must be an int32 >= 0');
  if (min > spec.maxReplicas) fail('minReplicas must be <= maxReplicas');
  const metrics: any[] = spec.metrics ?? [];
  if (min === 0 && !metrics.some((x) => x.type === 'Object' || x.type === 'External')) {
    fail('minReplicas 0 needs an Object or External metric');
  }
  const sources: Record<string, [string, string[]]> = {
    Resource: ['resource', ['Utilization', 'AverageValue']],
    ContainerResource: ['containerResource', ['Utilization', 'AverageValue']],
    Pods: ['pods', ['AverageValue']],
    Object: ['object', ['Value', 'AverageValue']],
    External: ['external', ['Value', 'AverageValue']],
  };
  metrics.forEach((x, i) => {
    const entry = sources[x.type];
    if (!entry) {
      fail(`metrics[${i}].type ${x.type} unknown`);
      return;
    }
    const [key, targets] = entry;
    known(x, ['type', key], `metrics[${i}]`);
    const src = x[key] ?? {};
    const t = src.target ?? {};
    known(t, ['type', 'value', 'averageValue', 'averageUtilization'], `metrics[${i}].target`);
    if (!targets.includes(t.type)) fail(`metrics[${i}] ${x.type} cannot take a ${t.type} target`);
    const set = ['value', 'averageValue', 'averageUtilization'].filter((k) => t[k] !== undefined);
    const expected = t.type === 'Utilization' ? 'averageUtilization' : t.type === 'Value' ? 'value' : 'averageValue';
    if (set.length !== 1 || set[0] !== expected) fail(`metrics[${i}] target ${t.type} must set exactly ${expected}`);
    if (t.type === 'Utilization' && !(isInt(t.averageUtilization) && t.averageUtilization >= 1)) fail(`metrics[${i}] averageUtilization must be >= 1`);
    for (const k of ['value', 'averageValue']) {
      if (t[k] !== undefined && !(typeof t[k] === 'string' && quantity.test(t[k]) && parseFloat(t[k]) > 0)) {
        fail(`metrics[${i}].target.${k} must be a positive quantity string`);
      }
    }
    if (x.type === 'Resource' || x.type === 'ContainerResource') {
      if (!['cpu', 'memory'].includes(src.name)) fail(`metrics[${i}] resource ${src.name} is not served by the resource metrics API`);
      if (x.type === 'ContainerResource' && !src.container) fail(`metrics[${i}] needs a container`);
    } else if (!src.metric?.name) {
      fail(`metrics[${i}] needs metric.name`);
    }
    if (x.type === 'Object' && !(src.describedObject?.kind && src.describedObject?.name)) fail(`metrics[${i}] needs describedObject`);
  });
  const behavior = spec.behavior;
  if (behavior) known(behavior, ['scaleUp', 'scaleDown'], 'spec.behavior');
  for (const dir of ['scaleUp', 'scaleDown']) {
    const r = behavior?.[dir];
    if (r === undefined) continue;
    known(r, ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'], `behavior.${dir}`);
    const s = r.stabilizationWindowSeconds;
    if (s !== undefined && !(isInt(s) && s >= 0 && s <= 3600)) fail(`${dir}.stabilizationWindowSeconds must be 0..3600`);
    if (r.tolerance !== undefined && !(typeof r.tolerance === 'string' && quantity.test(r.tolerance) && parseFloat(r.tolerance) >= 0)) {
      fail(`${dir}.tolerance must be a quantity >= 0`);
    }
    if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) fail(`${dir}.selectPolicy invalid`);
    if (r.policies !== undefined) {
      if (!Array.isArray(r.policies) || r.policies.length === 0) fail(`${dir}.policies must not be empty`);
      for (const p of r.policies ?? []) {
        known(p, ['type', 'value', 'periodSeconds'], `behavior.${dir}.policies[]`);
        if (!['Pods', 'Percent'].includes(p.type)) fail(`${dir} policy type ${p.type}`);
        if (!(isInt(p.value) && p.value > 0 && p.value <= INT32_MAX)) fail(`${dir} policy value must be an int32 > 0`);
        if (!(isInt(p.periodSeconds) && p.periodSeconds >= 1 && p.periodSeconds <= 1800)) fail(`${dir} periodSeconds must be 1..1800`);
      }
    }
  }
  return errors;
}
