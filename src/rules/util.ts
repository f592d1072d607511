/**
 * Shared readers of plain manifests for the rules: DGD services in both API versions,
 * autoscaler targets, metric queries, cron fields, image tags. Pure functions.
 */
import { Obj, Run } from './engine';
import { PLANNER_MODE_ROLES, PlannerModeReading, readPlannerMode } from '../core/planner-mode';

export const DGD = 'nvidia.com|DynamoGraphDeployment';
export const DGDSA_KIND = 'DynamoGraphDeploymentScalingAdapter';
export const DGDSA = `nvidia.com|${DGDSA_KIND}`;
export const DGDR = 'nvidia.com|DynamoGraphDeploymentRequest';
export const SCALED_OBJECT = 'keda.sh|ScaledObject';
export const TRIGGER_AUTH = 'keda.sh|TriggerAuthentication';
export const CLUSTER_TRIGGER_AUTH = 'keda.sh|ClusterTriggerAuthentication';
export const HPA = 'autoscaling|HorizontalPodAutoscaler';
export const POD_AUTOSCALER = 'autoscaling.aibrix.ai|PodAutoscaler';
export const CONFIG_MAP = '|ConfigMap';

export const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A field path segment for a map key: `.key` when it reads as an identifier, else `["key"]`. */
export function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** Field path of a DGD service: `spec.services.<name>` (v1alpha1) or `spec.components[<index>]` (v1beta1). */
export function servicePath(v1alpha1: boolean, name: string, index: number): string {
  return v1alpha1 ? `spec.services${key(name)}` : `spec.components[${index}]`;
}

/** One service (v1alpha1) or component (v1beta1) of a DGD, version-neutral. */
export interface DgdService {
  /** The DGD. */
  readonly dgd: Obj;
  /** The service's name as written. */
  readonly name: string;
  /** Field path of the service, e.g. `spec.services.decode` or `spec.components[1]`. */
  readonly path: string;
  /** The raw service object. */
  readonly spec: any;
  /** `frontend`, `worker`, `prefill`, `decode`, `planner`, `epp`, ... (lowercased), or ''. */
  readonly role: string;
  /** Whether the operator creates a scaling adapter for it. */
  readonly adapterEnabled: boolean;
  /** Whether it runs on several nodes. */
  readonly multinode: boolean;
  /** The main container's image ('' when unset), and where it is. */
  readonly image: string;
  readonly imagePath: string;
  /** Whether the main container is present at all. */
  readonly hasMain: boolean;
}

const servicesCache = new WeakMap<Obj, DgdService[]>();

/** The services of a DGD in either API version. */
export function dgdServices(dgd: Obj): DgdService[] {
  const cached = servicesCache.get(dgd);
  if (cached) return cached;
  const out: DgdService[] = [];
  const spec = dgd.m?.spec;
  if (dgd.version === 'v1alpha1' && isObject(spec?.services)) {
    for (const [name, s] of Object.entries<any>(spec.services)) {
      if (!isObject(s)) continue;
      const path = servicePath(true, name, 0);
      const main = s.extraPodSpec?.mainContainer;
      const sub = typeof s.subComponentType === 'string' ? s.subComponentType.toLowerCase() : '';
      const type = typeof s.componentType === 'string' ? s.componentType.toLowerCase() : '';
      out.push({
        dgd,
        name,
        path,
        spec: s,
        role: sub || type,
        adapterEnabled: s.scalingAdapter?.enabled === true,
        multinode: isObject(s.multinode) && (s.multinode.nodeCount ?? 2) >= 2,
        image: typeof main?.image === 'string' ? main.image : '',
        imagePath: `${path}.extraPodSpec.mainContainer.image`,
        hasMain: isObject(main),
      });
    }
  } else if (Array.isArray(spec?.components)) {
    spec.components.forEach((c: any, i: number) => {
      if (!isObject(c) || typeof c.name !== 'string') return;
      const path = servicePath(false, c.name, i);
      const containers: any[] = Array.isArray(c.podTemplate?.spec?.containers) ? c.podTemplate.spec.containers : [];
      const mainIndex = containers.findIndex((x) => x?.name === 'main');
      const main = containers[mainIndex];
      out.push({
        dgd,
        name: c.name,
        path,
        spec: c,
        role: typeof c.type === 'string' ? c.type.toLowerCase() : '',
        adapterEnabled: c.scalingAdapter !== undefined && c.scalingAdapter !== null,
        multinode: isObject(c.multinode) && (c.multinode.nodeCount ?? 2) >= 2,
        image: typeof main?.image === 'string' ? main.image : '',
        imagePath: mainIndex < 0 ? `${path}.podTemplate.spec.containers` : `${path}.podTemplate.spec.containers[${mainIndex}].image`,
        hasMain: mainIndex >= 0,
      });
    });
  }
  servicesCache.set(dgd, out);
  return out;
}

/** Whether the DGD runs a Planner. */
export function hasPlanner(dgd: Obj): boolean {
  return dgdServices(dgd).some((s) => s.role === 'planner');
}

/** A Planner service of a DGD and the mode it runs in, read from its command line. */
export interface DgdPlanner {
  readonly service: DgdService;
  readonly reading: PlannerModeReading;
}

/** The main container of a service in either API version, if it has one. */
export function mainContainer(s: DgdService): any {
  if (s.dgd.version === 'v1alpha1') return s.spec.extraPodSpec?.mainContainer;
  const containers = s.spec.podTemplate?.spec?.containers;
  return Array.isArray(containers) ? containers.find((c: any) => c?.name === 'main') : undefined;
}

/** The Planners of a DGD, each with its mode (`--config` JSON `mode`, or `--mode`; default disagg). */
export function dgdPlanners(dgd: Obj): DgdPlanner[] {
  return dgdServices(dgd).filter((s) => s.role === 'planner').map((service) => {
    const main = mainContainer(service);
    return { service, reading: readPlannerMode(main?.command, main?.args) };
  });
}

/** The Planner of the service's DGD whose mode scales the service's role, if any. */
export function plannerScaling(s: DgdService): DgdPlanner | undefined {
  return dgdPlanners(s.dgd).find((p) => PLANNER_MODE_ROLES[p.reading.mode].includes(s.role));
}

/** The adapter name the operator derives: `<dgd>-<service lowercased>`. */
export function adapterName(dgdName: string, service: string): string {
  return `${dgdName}-${service.toLowerCase()}`;
}

/** The `dynamo_namespace` label of a DGD's metrics: `<namespace>-<name with '.' as '-'>`. */
export function dynamoNamespaceLabel(namespace: string, dgdName: string): string {
  return `${namespace}-${dgdName.replace(/\./g, '-')}`;
}

/** An autoscaler and what it scales. */
export interface Autoscaler {
  readonly obj: Obj;
  /** `HorizontalPodAutoscaler`, `ScaledObject` or `PodAutoscaler`. */
  readonly type: string;
  readonly targetApiVersion: string;
  readonly targetKind: string;
  readonly targetName: string;
  /** The namespace the target is looked up in: the autoscaler's. */
  readonly namespace: string;
  /** Field path of the reference. */
  readonly path: string;
  /** The HPA the autoscaler creates (KEDA, AIBrix's HPA strategy), when it creates one. */
  readonly ownedHpa?: string;
}

const autoscalersCache = new WeakMap<Run, Autoscaler[]>();

/** Every HPA, ScaledObject and PodAutoscaler of the run with a readable target. */
export function autoscalers(run: Run): Autoscaler[] {
  const cached = autoscalersCache.get(run);
  if (cached) return cached;
  const out: Autoscaler[] = [];
  const push = (obj: Obj, type: string, ref: any, defaults: { apiVersion: string; kind: string }, ownedHpa?: string) => {
    if (!isObject(ref) || typeof ref.name !== 'string' || obj.namespace === undefined) return;
    out.push({
      obj,
      type,
      targetApiVersion: typeof ref.apiVersion === 'string' ? ref.apiVersion : defaults.apiVersion,
      targetKind: typeof ref.kind === 'string' ? ref.kind : defaults.kind,
      targetName: ref.name,
      namespace: obj.namespace,
      path: 'spec.scaleTargetRef',
      ...(ownedHpa ? { ownedHpa } : {}),
    });
  };
  for (const obj of run.of(HPA)) push(obj, 'HorizontalPodAutoscaler', obj.m?.spec?.scaleTargetRef, { apiVersion: '', kind: '' });
  for (const obj of run.of(SCALED_OBJECT)) {
    push(obj, 'ScaledObject', obj.m?.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment' }, kedaHpaName(obj));
  }
  for (const obj of run.of(POD_AUTOSCALER)) {
    const strategy = obj.m?.spec?.scalingStrategy;
    push(obj, 'PodAutoscaler', obj.m?.spec?.scaleTargetRef, { apiVersion: '', kind: '' }, strategy === 'HPA' ? `${obj.name}-hpa` : undefined);
  }
  autoscalersCache.set(run, out);
  return out;
}

/** The name of the HPA KEDA creates for a ScaledObject. */
export function kedaHpaName(obj: Obj): string {
  const custom = obj.m?.spec?.advanced?.horizontalPodAutoscalerConfig?.name;
  return typeof custom === 'string' && custom !== '' ? custom : `keda-hpa-${obj.name}`;
}

/** The group of an apiVersion (`nvidia.com/v1alpha1` -> `nvidia.com`, `v1` -> ''). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Label matchers on `dynamo_namespace` in a PromQL query: `{op, value}` per matcher. */
export function dynamoNamespaceMatchers(query: string): Array<{ op: string; value: string }> {
  const out: Array<{ op: string; value: string }> = [];
  for (const m of query.matchAll(/\bdynamo_namespace\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    out.push({ op: m[1], value: m[2].replace(/\\(.)/g, '$1') });
  }
  return out;
}

/** Whether a label matcher selects `value` (PromQL regexes are anchored). */
export function matcherSelects(op: string, pattern: string, value: string): boolean {
  if (op === '=') return pattern === value;
  if (op === '!=') return pattern !== value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    return true; // an invalid regex is another rule's business
  }
  return op === '=~' ? re.test(value) : !re.test(value);
}

/** Latency quantiles: no requests, no samples, so they read nothing at zero replicas. */
const LATENCY = /histogram_quantile|time_to_first_token|inter_token_latency|request_duration|latency|(^|[^a-z])(ttft|itl)([^a-z]|$)/i;
/** Whether a query or metric name measures latency of served requests (no signal at zero replicas). */
export function isLatencySignal(text: string): boolean {
  return LATENCY.test(text);
}

/** Whether `tz` is an IANA time zone the runtime knows. */
export function isTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A positive decimal number written as a string (KEDA thresholds, AIBrix target values). */
export function isPositiveNumberString(v: unknown): boolean {
  return typeof v === 'string' && /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) && Number(v) > 0;
}
