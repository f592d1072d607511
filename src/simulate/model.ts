/**
 * The target model: how load becomes the metrics an autoscaler reads. Deliberately
 * small, and stated in every report (ASSUMPTIONS) so nobody mistakes it for a benchmark
 * of their serving stack.
 */

/** What a metric measures, so the simulator can compute it from load and replicas. */
export type SignalKind = 'rps' | 'queue' | 'latency' | 'concurrency' | 'utilization' | 'fraction';

export const SIGNAL_KINDS: readonly SignalKind[] = ['rps', 'queue', 'latency', 'concurrency', 'utilization', 'fraction'];

export interface TargetModel {
  /** Requests per second one ready replica serves at full utilization. */
  readonly capacityPerReplica: number;
  /** Seconds from pod creation to Ready. */
  readonly startupSeconds: number;
  /** Seconds a removed replica keeps serving (drain) before it is gone. */
  readonly scaleDownDelaySeconds: number;
  /** Latency of one request on an idle replica (seconds), for the latency signal. */
  readonly baseLatencySeconds: number;
  /** Replicas running when the trace starts (ready). */
  readonly initialReplicas: number;
}

export const DEFAULT_MODEL: Omit<TargetModel, 'capacityPerReplica'> = {
  startupSeconds: 120,
  scaleDownDelaySeconds: 0,
  baseLatencySeconds: 0.2,
  initialReplicas: 1,
};

/** Latency is capped here (a request that waits longer is a timeout in practice). */
export const MAX_LATENCY_SECONDS = 60;

export const ASSUMPTIONS: readonly string[] = [
  'Load is requests per second; between samples it holds the last sample\'s value.',
  'A ready replica serves up to capacityPerReplica requests/s; excess load queues (fluid queue, no drops).',
  'utilization = 100 x min(load / (ready x capacity), 1) percent of a 1-core CPU request; unready pods use none.',
  'latency = base / (1 - min(rho, 0.95)) + queue / (ready x capacity), capped at 60 s (M/M/1-like growth near saturation).',
  'concurrency = load x latency (Little\'s law); queue = requests waiting; fraction = min(rho, 1).',
  'A new pod is Running and not Ready for startupSeconds, then Ready; pods report custom metrics only when Ready.',
  'Removed pods are marked deleting at once (the controllers ignore them) and serve for scaleDownDelaySeconds.',
  'Metrics are read without scrape or rate-window lag; the scale subresource applies a new replica count immediately.',
];

export interface WorldSnapshot {
  readonly load: number;
  readonly ready: number;
  readonly serving: number;
  readonly backlog: number;
}

/** The utilization ratio rho of the serving replicas (Infinity with load and none serving). */
export function rho(m: TargetModel, w: WorldSnapshot): number {
  const cap = w.serving * m.capacityPerReplica;
  if (cap <= 0) return w.load > 0 || w.backlog > 0 ? Infinity : 0;
  return w.load / cap;
}

export function latency(m: TargetModel, w: WorldSnapshot): number {
  const cap = w.serving * m.capacityPerReplica;
  if (cap <= 0) return w.load > 0 || w.backlog > 0 ? MAX_LATENCY_SECONDS : m.baseLatencySeconds;
  const r = Math.min(w.load / cap, 0.95);
  return Math.min(MAX_LATENCY_SECONDS, m.baseLatencySeconds / (1 - r) + w.backlog / cap);
}

/** The metric's total over the workload (what an External/Object metric returns). */
export function signalTotal(kind: SignalKind, m: TargetModel, w: WorldSnapshot): number {
  switch (kind) {
    case 'rps': return w.load;
    case 'queue': return w.backlog;
    case 'latency': return latency(m, w);
    case 'concurrency': return w.load * latency(m, w);
    case 'utilization': return 100 * Math.min(rho(m, w), 1);
    case 'fraction': return Math.min(rho(m, w), 1);
  }
}

/** The metric per ready pod (what a Pods metric returns for each pod). */
export function signalPerPod(kind: SignalKind, m: TargetModel, w: WorldSnapshot): number {
  const n = Math.max(w.ready, 1);
  switch (kind) {
    case 'rps': return w.load / n;
    case 'queue': return w.backlog / n;
    case 'concurrency': return (w.load * latency(m, w)) / n;
    case 'latency':
    case 'utilization':
    case 'fraction':
      return signalTotal(kind, m, w);
  }
}

/** A guess from the metric's name or query; undefined when it cannot tell. */
export function guessSignal(text: string): SignalKind | undefined {
  const t = text.toLowerCase();
  if (/time_to_first_token|ttft|latency|duration|inter_token|itl|tpot/.test(t)) return 'latency';
  if (/queue|waiting|pending|backlog/.test(t)) return 'queue';
  if (/inflight|in_flight|concurrency|running|active_requests|num_requests_running/.test(t)) return 'concurrency';
  if (/cache_usage|usage_perc|kv_cache|utili[sz]ation_ratio/.test(t)) return 'fraction';
  if (/requests_total|request_count|rps|qps|requests_per_second|rate\(/.test(t)) return 'rps';
  return undefined;
}
