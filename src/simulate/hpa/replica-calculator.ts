/**
 * The Kubernetes HPA replica calculator, re-implemented from
 * kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go (release 1.35,
 * with per-HPA tolerances) and metrics/utilization.go. Values are milli-units, as the
 * controller sees them (`Quantity.MilliValue()`); times are seconds on the simulation
 * clock. Integer arithmetic follows Go's int64/int32 truncation.
 */
import { INT32_MAX as MAX_INT32 } from '../../core/int32';

/** Default tolerance of kube-controller-manager (`--horizontal-pod-autoscaler-tolerance`). */
export const DEFAULT_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-cpu-initialization-period` default (5 min in the binary; 2 min in the upstream tests). */
export const DEFAULT_CPU_INITIALIZATION_PERIOD = 300;
/** `--horizontal-pod-autoscaler-initial-readiness-delay` default. */
export const DEFAULT_INITIAL_READINESS_DELAY = 30;

/** Go's zero `time.Time`, far before any simulation time. */
export const ZERO_TIME = -1e12;

const MAX_INT64 = 9223372036854775807; // rounds to 2^63 as a double, as the controller's float64 does

export interface Tolerances {
  readonly scaleDown: number;
  readonly scaleUp: number;
}

export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A pod as the controller's pod lister returns it. */
export interface SimPod {
  readonly name: string;
  readonly phase: PodPhase;
  /** The PodReady condition; undefined when the pod has no such condition. */
  readonly ready?: { readonly status: ConditionStatus; readonly lastTransitionTime: number };
  /** status.startTime; undefined when unset (nil). */
  readonly startTime?: number;
  /** metadata.deletionTimestamp is set. */
  readonly deleting?: boolean;
  /** Container name to resource requests (milli-units) by resource name. */
  readonly containers: ReadonlyArray<{ readonly name: string; readonly requests: Readonly<Record<string, number>> }>;
}

/** One pod's metric sample (`metricsclient.PodMetric`). */
export interface PodMetric {
  readonly value: number;
  readonly timestamp: number;
  readonly window: number;
}

export type PodMetrics = Map<string, PodMetric>;

export class ReplicaCalcError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ReplicaCalcError';
  }
}

export interface CalcOptions {
  readonly now: number;
  readonly cpuInitializationPeriod: number;
  readonly delayOfInitialReadinessStatus: number;
}

export interface GroupedPods {
  readonly readyPodCount: number;
  readonly unready: Set<string>;
  readonly missing: Set<string>;
  readonly ignored: Set<string>;
}

/** `groupPods`: which pods count, which are unready, missing metrics, or ignored. */
export function groupPods(pods: readonly SimPod[], metrics: PodMetrics, resource: string, opts: CalcOptions): GroupedPods {
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  let readyPodCount = 0;
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      unready.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      missing.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let isUnready: boolean;
      const condition = pod.ready;
      if (!condition || pod.startTime === undefined) {
        isUnready = true;
      } else if (pod.startTime + opts.cpuInitializationPeriod > opts.now) {
        // Within the initialisation period: ignore the sample if the pod is unready or one
        // metric window has not passed since the last readiness transition.
        isUnready = condition.status === 'False' || metric.timestamp < condition.lastTransitionTime + metric.window;
      } else {
        // After it: ignore only a pod that is unready and has never been ready.
        isUnready = condition.status === 'False' && pod.startTime + opts.delayOfInitialReadinessStatus > condition.lastTransitionTime;
      }
      if (isUnready) {
        unready.add(pod.name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** `calculateRequests` (container-level requests; pod-level requests are not modelled). */
export function calculateRequests(pods: readonly SimPod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let request = 0;
    let found = false;
    for (const c of pod.containers) {
      if (container === '' || container === c.name) {
        const r = c.requests[resource];
        if (r === undefined) {
          throw new ReplicaCalcError(`missing request for ${resource} in container ${c.name} of Pod ${pod.name}`);
        }
        request += r;
      }
      if (container === c.name) {
        found = true;
        break;
      }
    }
    if (container !== '' && !found) {
      throw new ReplicaCalcError(`container ${container} not found in Pod ${pod.name}`);
    }
    requests.set(pod.name, request);
  }
  return requests;
}

/** `metricsclient.GetResourceUtilizationRatio`. */
export function resourceUtilizationRatio(metrics: PodMetrics, requests: Map<string, number>, targetUtilization: number):
{ ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let numEntities = 0;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    numEntities++;
  }
  if (requestsTotal === 0) {
    throw new ReplicaCalcError('no metrics returned matched known pods');
  }
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / numEntities) };
}

/** `metricsclient.GetMetricUsageRatio`. */
export function metricUsageRatio(metrics: PodMetrics, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

function dropPods(metrics: PodMetrics, pods: Set<string>): void {
  for (const p of pods) metrics.delete(p);
}

export interface ResourceResult {
  readonly replicas: number;
  readonly utilization: number;
  readonly rawUtilization: number;
}

/** `GetResourceReplicas`: Resource/ContainerResource with an averageUtilization target. */
export function getResourceReplicas(
  currentReplicas: number, targetUtilization: number, resource: string, tolerances: Tolerances,
  pods: readonly SimPod[], podMetrics: PodMetrics, container: string, opts: CalcOptions,
): ResourceResult {
  if (podMetrics.size === 0) {
    throw new ReplicaCalcError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  }
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const metrics: PodMetrics = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, opts);
  dropPods(metrics, g.ignored);
  dropPods(metrics, g.unready);
  if (metrics.size === 0) {
    throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  }
  const requests = calculateRequests(pods, container, resource);
  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const usageRatio = first.ratio;
  const keep = { utilization: first.utilization, rawUtilization: first.rawAverage };

  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (isWithin(tolerances, usageRatio)) return { replicas: currentReplicas, ...keep };
    return { replicas: Math.ceil(usageRatio * g.readyPodCount), ...keep };
  }
  if (g.missing.size > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: missing pods use 100% of their request, or the target when it is above 100%.
      const fallbackUtilization = Math.max(100, targetUtilization);
      for (const p of g.missing) {
        metrics.set(p, { value: Math.trunc(((requests.get(p) ?? 0) * fallbackUtilization) / 100), timestamp: 0, window: 0 });
      }
    } else if (usageRatio > 1.0) {
      for (const p of g.missing) metrics.set(p, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const p of g.unready) metrics.set(p, { value: 0, timestamp: 0, window: 0 });
  }
  const newUsageRatio = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { replicas: currentReplicas, ...keep };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { replicas: currentReplicas, ...keep };
  }
  return { replicas: newReplicas, ...keep };
}

/**
 * `calcPlainMetricReplicas`: Pods metrics, and Resource metrics with an averageValue
 * target (`GetRawResourceReplicas`, where `resource` is the resource name).
 */
export function getPlainMetricReplicas(
  currentReplicas: number, targetUsage: number, resource: string, tolerances: Tolerances,
  pods: readonly SimPod[], podMetrics: PodMetrics, opts: CalcOptions,
): { replicas: number; usage: number } {
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const metrics: PodMetrics = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, opts);
  dropPods(metrics, g.ignored);
  dropPods(metrics, g.unready);
  if (metrics.size === 0) {
    throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  }
  const { ratio: usageRatio, usage } = metricUsageRatio(metrics, targetUsage);
  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (isWithin(tolerances, usageRatio)) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(usageRatio * g.readyPodCount), usage };
  }
  if (g.missing.size > 0) {
    if (usageRatio < 1.0) {
      for (const p of g.missing) metrics.set(p, { value: targetUsage, timestamp: 0, window: 0 });
    } else if (usageRatio > 1.0) {
      for (const p of g.missing) metrics.set(p, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const p of g.unready) metrics.set(p, { value: 0, timestamp: 0, window: 0 });
  }
  const newUsageRatio = metricUsageRatio(metrics, targetUsage).ratio;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { replicas: currentReplicas, usage };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { replicas: currentReplicas, usage };
  }
  return { replicas: newReplicas, usage };
}

/** `getReadyPodsCount`: Running pods whose Ready condition is True. */
export function readyPodsCount(pods: readonly SimPod[]): number {
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  return pods.filter((p) => p.phase === 'Running' && p.ready?.status === 'True').length;
}

function toInt32(x: number): number {
  return x > MAX_INT32 ? MAX_INT32 : Math.ceil(x);
}

/** `getUsageRatioReplicaCount`: from 0 replicas, neither tolerance nor ready pods apply. */
export function usageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances, pods: readonly SimPod[]): number {
  if (currentReplicas !== 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    return toInt32(usageRatio * readyPodsCount(pods));
  }
  return Math.ceil(usageRatio);
}

/** `GetObjectMetricReplicas`: Object metric with a value target. */
export function getObjectMetricReplicas(
  currentReplicas: number, targetUsage: number, usage: number, tolerances: Tolerances, pods: readonly SimPod[],
): { replicas: number; usage: number } {
  return { replicas: usageRatioReplicaCount(currentReplicas, usage / targetUsage, tolerances, pods), usage };
}

/** `GetObjectPerPodMetricReplicas`: Object metric with an averageValue target. */
export function getObjectPerPodMetricReplicas(
  statusReplicas: number, targetAverageUsage: number, usage: number, tolerances: Tolerances,
): { replicas: number; usage: number } {
  let replicas = statusReplicas;
  const usageRatio = usage / (targetAverageUsage * replicas);
  if (!isWithin(tolerances, usageRatio)) replicas = Math.ceil(usage / targetAverageUsage);
  return { replicas, usage: Math.ceil(usage / statusReplicas) };
}

function sumCapped(values: readonly number[]): number {
  let usage = 0;
  for (const v of values) {
    if (v > 0 && usage > MAX_INT64 - v) return MAX_INT64;
    usage += v;
  }
  return usage;
}

/** `GetExternalMetricReplicas`: External metric with a value target (the series are summed). */
export function getExternalMetricReplicas(
  currentReplicas: number, targetUsage: number, values: readonly number[], tolerances: Tolerances, pods: readonly SimPod[],
): { replicas: number; usage: number } {
  const usage = sumCapped(values);
  return { replicas: usageRatioReplicaCount(currentReplicas, usage / targetUsage, tolerances, pods), usage };
}

/** `GetExternalPerPodMetricReplicas`: External metric with an averageValue target. */
export function getExternalPerPodMetricReplicas(
  statusReplicas: number, targetUsagePerPod: number, values: readonly number[], tolerances: Tolerances,
): { replicas: number; usage: number } {
  const usage = sumCapped(values);
  let replicas = statusReplicas;
  const usageRatio = usage / (targetUsagePerPod * replicas);
  if (!isWithin(tolerances, usageRatio)) replicas = toInt32(usage / targetUsagePerPod);
  const avg = usage >= MAX_INT64 ? MAX_INT64 : Math.ceil(usage / statusReplicas);
  return { replicas, usage: avg };
}
