/**
 * The replay: a load trace through one autoscaling policy and the target model, tick by
 * tick, with the real controllers' decision logic at their own periods.
 */
import { AIBRIX_DEFAULTS, AibrixContext, apaTargetReplicas, CooldownHistory, kpaShouldPanic, kpaTargetReplicas, TimeWindow } from './aibrix/algorithm';
import { ClusterView, ControllerOptions, DEFAULT_CONTROLLER_OPTIONS, HpaController, HpaMetric } from './hpa/controller';
import { PodMetrics, SimPod } from './hpa/replica-calculator';
import { KedaState, metricWithFallback, requestScale, ScalingFormula } from './keda/keda';
import { guessSignal, latency, SignalKind, signalPerPod, signalTotal, TargetModel, WorldSnapshot } from './model';
import { Policy } from './policy';
import { milliValue } from './quantity';
import { Trace } from './trace';

export interface SimulateOptions {
  /** HPA controller sync period (`--horizontal-pod-autoscaler-sync-period`), seconds. */
  readonly syncPeriod?: number;
  readonly controller?: Partial<ControllerOptions>;
  /** What each metric measures, by metric name, trigger name or metric key; otherwise guessed from names and queries. */
  readonly signals?: Readonly<Record<string, SignalKind>>;
  /**
   * Trailing window (seconds) over which metric values are averaged before a controller
   * reads them (Prometheus rate windows). KEDA prometheus triggers default to their
   * query's range selector; everything else to 0 (instant).
   */
  readonly metricWindow?: number;
  /** Reversals of direction within this many seconds count as flaps. */
  readonly flapWindow?: number;
  /** Called every ~1 % of the run (for progress bars). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Sample {
  readonly t: number;
  readonly load: number;
  /** spec.replicas of the scale target. */
  readonly desired: number;
  readonly ready: number;
  /** Pods that exist (starting, ready, draining). */
  readonly pods: number;
  /** The first metric as the autoscaler reads it (units of its target). */
  readonly metric: number;
  readonly backlog: number;
  readonly latency: number;
  /** The last controller decision's reason (HPA condition/event text, KEDA or AIBrix reason). */
  readonly reason: string;
}

export interface ScaleEventRecord {
  readonly t: number;
  readonly from: number;
  readonly to: number;
  readonly by: string;
  readonly reason: string;
}

export interface Summary {
  readonly replicaSeconds: number;
  readonly replicaHours: number;
  readonly scaleEvents: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly flaps: number;
  /** Fraction of time the first metric, as the controller reads it, was above its target. */
  readonly timeAboveTarget: number;
  /** Fraction of time requests were waiting (load above the serving capacity, or a queue left). */
  readonly timeSaturated: number;
  readonly peakQueue: number;
  readonly peakLatency: number;
  readonly maxReplicas: number;
  readonly minReplicas: number;
  readonly meanReadyReplicas: number;
  readonly unservedRequestSeconds: number;
}

export interface SimulationResult {
  readonly policy: string;
  readonly kind: string;
  readonly metric: { readonly name: string; readonly signal: SignalKind; readonly target: number; readonly targetType: string };
  readonly samples: readonly Sample[];
  readonly events: readonly ScaleEventRecord[];
  readonly summary: Summary;
  /** Notes on anything modelled approximately in this run. */
  readonly notes: readonly string[];
}

export class SimulationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

interface Pod {
  readonly id: number;
  readonly name: string;
  readonly created: number;
  readonly readyAt: number;
  deletedAt?: number;
  /** The pod as the lister returns it, per state (not ready, ready, deleting): built once. */
  views?: [SimPod | undefined, SimPod | undefined, SimPod | undefined];
}

const MAIN_CONTAINER = [{ name: 'main', requests: { cpu: 1000 } }];

function podView(p: Pod, t: number): SimPod {
  const state = p.deletedAt !== undefined ? 2 : p.readyAt <= t ? 1 : 0;
  p.views ??= [undefined, undefined, undefined];
  let v = p.views[state];
  if (!v) {
    v = {
      name: p.name,
      phase: 'Running',
      ready: p.readyAt <= t ? { status: 'True', lastTransitionTime: p.readyAt } : { status: 'False', lastTransitionTime: p.created },
      startTime: p.created,
      deleting: p.deletedAt !== undefined,
      containers: MAIN_CONTAINER,
    };
    p.views[state] = v;
  }
  return v;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The metrics a policy reads, each with its signal kind and target. */
interface MetricBinding {
  readonly key: string;
  readonly signal: SignalKind;
  /** Trailing window (seconds) the metric pipeline averages over, e.g. a PromQL rate's [5m]. */
  readonly window: number;
}

/** The range of the widest `[5m]`-style selector in a PromQL query, in seconds. */
export function promqlWindow(query: string | undefined): number {
  if (!query) return 0;
  let widest = 0;
  const re = /\[(\d+)(ms|s|m|h|d)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    const secs = Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
    widest = Math.max(widest, secs);
  }
  return widest;
}

function bind(name: string, hints: string[], signals: Readonly<Record<string, SignalKind>>, policy: string): SignalKind {
  for (const h of [name, ...hints]) if (h && signals[h]) return signals[h];
  for (const h of [name, ...hints]) {
    const g = h ? guessSignal(h) : undefined;
    if (g) return g;
  }
  throw new SimulationError(`[${policy}] metric ${JSON.stringify(name)}: cannot tell what it measures; pass --signal ${name}=<${['rps', 'queue', 'latency', 'concurrency', 'utilization', 'fraction'].join('|')}>`);
}

export function simulate(policy: Policy, trace: Trace, model: TargetModel, options: SimulateOptions = {}): SimulationResult {
  if (!(model.capacityPerReplica > 0)) throw new SimulationError(`capacityPerReplica (${model.capacityPerReplica}) must be > 0`);
  if (!(model.startupSeconds >= 0) || !(model.scaleDownDelaySeconds >= 0)) throw new SimulationError('startupSeconds and scaleDownDelaySeconds must be >= 0');
  const signals = options.signals ?? {};
  const syncPeriod = options.syncPeriod ?? 15;
  const controllerOpts: ControllerOptions = { ...DEFAULT_CONTROLLER_OPTIONS, ...options.controller };
  const notes: string[] = [];

  // Bind every metric the policy reads to a signal.
  const bindings = new Map<string, MetricBinding>();
  let firstMetric: FirstMetric;
  let hpa: HpaController | undefined;
  let period: number;
  if (policy.kind === 'hpa' || policy.kind === 'keda') {
    hpa = new HpaController(policy.hpa, controllerOpts);
    period = syncPeriod;
    if (policy.kind === 'hpa') {
      for (const m of policy.hpa.metrics) {
        if ((m.type === 'Resource' || m.type === 'ContainerResource') && m.name === 'memory') {
          throw new SimulationError(`[${policy.name}] memory metrics do not follow load in this model; pass an HPA on cpu or on a custom metric`);
        }
        const signal = m.type === 'Resource' || m.type === 'ContainerResource' ? (m.name === 'cpu' ? 'utilization' : bind(m.name, [], signals, policy.name)) : bind(m.name, [], signals, policy.name);
        const isCpu = (m.type === 'Resource' || m.type === 'ContainerResource') && m.name === 'cpu';
        bindings.set(m.name, { key: m.name, signal, window: isCpu ? 0 : options.metricWindow ?? 0 });
      }
    } else {
      for (const t of policy.keda.triggers) {
        const window = options.metricWindow ?? promqlWindow(t.query);
        bindings.set(t.metricName, { key: t.metricName, signal: bind(t.name ?? t.metricName, [t.metricName, t.query ?? ''], signals, policy.name), window });
        if (window > 0 && options.metricWindow === undefined) notes.push(`${t.metricName}: averaged over the query's ${window} s range selector.`);
      }
      period = gcd(syncPeriod, policy.keda.pollingInterval);
    }
    const m0 = policy.hpa.metrics[0];
    const b0 = policy.kind === 'keda' ? bindings.get(policy.keda.triggers[0].metricName)! : bindings.get(m0.name)!;
    let mode: FirstMetric['mode'];
    if (m0.type === 'Resource' || m0.type === 'ContainerResource') mode = m0.target.type === 'Utilization' ? 'utilization' : 'cores';
    else if (m0.type === 'Pods') mode = 'perPod';
    else mode = m0.target.type === 'AverageValue' ? 'averageOfTotal' : 'total';
    firstMetric = { name: m0.name, signal: b0.signal, target: m0.target.value, targetType: m0.target.type, mode };
    if (policy.kind === 'keda' && policy.keda.modifiers) {
      firstMetric = {
        name: 'composite-metric',
        signal: b0.signal,
        target: policy.keda.modifiers.target,
        targetType: policy.keda.modifiers.metricType,
        mode: policy.keda.modifiers.metricType === 'AverageValue' ? 'averageOfTotal' : 'total',
      };
      notes.push('scalingModifiers: the metric column is the composite formula value.');
    }
  } else {
    const a = policy.aibrix;
    const signal = bind(a.metric, [], signals, policy.name);
    bindings.set(a.metric, { key: a.metric, signal, window: options.metricWindow ?? 0 });
    firstMetric = { name: a.metric, signal, target: a.targetValue, targetType: 'per-pod average', mode: 'perPod' };
    period = AIBRIX_DEFAULTS.resyncInterval;
  }

  const step = trace.step;
  const tick = gcd(gcd(Math.round(step), Math.round(period)), Math.round(syncPeriod)) || 1;
  if (!Number.isInteger(step) || !Number.isInteger(period)) notes.push('non-integer periods were rounded to whole seconds');
  const t0 = trace.t[0];
  const tEnd = trace.t[trace.t.length - 1] + step;

  // World state
  let nextId = 0;
  const pods: Pod[] = [];
  for (let i = 0; i < model.initialReplicas; i++) pods.push({ id: nextId, name: `pod-${nextId++}`, created: t0 - model.startupSeconds - 3600, readyAt: t0 - 3600 });
  let specReplicas = model.initialReplicas;
  let backlog = 0;

  const samples: Sample[] = [];
  const events: ScaleEventRecord[] = [];
  let replicaSeconds = 0;
  let aboveSeconds = 0;
  let saturatedSeconds = 0;
  let unserved = 0;
  let peakQueue = 0;
  let peakLatency = 0;
  let readySum = 0;
  let maxR = specReplicas;
  let minR = specReplicas;

  // Controller state
  const kedaState: KedaState = { creationTime: t0, failures: new Map() };
  const formula = policy.kind === 'keda' && policy.keda.modifiers
    ? new ScalingFormula(policy.keda.modifiers.formula, policy.keda.triggers.map((t) => t.name!)) : undefined;
  const stableWin = new TimeWindow(AIBRIX_DEFAULTS.stableWindow);
  const panicWin = new TimeWindow(AIBRIX_DEFAULTS.panicWindow);
  const cooldown = new CooldownHistory();

  const loadAt = (i: number) => trace.load[i];
  const errorAt = (i: number) => trace.errors?.[i] ?? false;

  const scaleTo = (t: number, to: number, by: string, reason: string) => {
    if (to === specReplicas) return;
    events.push({ t: t - t0, from: specReplicas, to, by, reason });
    specReplicas = to;
    maxR = Math.max(maxR, to);
    minR = Math.min(minR, to);
    let active = pods.filter((p) => p.deletedAt === undefined);
    if (active.length < to) {
      for (let k = active.length; k < to; k++) pods.push({ id: nextId, name: `pod-${nextId++}`, created: t, readyAt: t + model.startupSeconds });
    } else if (active.length > to) {
      // The ReplicaSet deletes not-ready pods first, then the newest.
      active = active.sort((a, b) => {
        const ar = a.readyAt <= t ? 1 : 0;
        const br = b.readyAt <= t ? 1 : 0;
        return ar !== br ? ar - br : b.created - a.created;
      });
      for (let k = 0; k < active.length - to; k++) active[k].deletedAt = t;
    }
  };

  const snapshot = (t: number, load: number): WorldSnapshot => {
    let ready = 0;
    let serving = 0;
    for (const p of pods) {
      if (p.readyAt > t) continue;
      if (p.deletedAt === undefined) {
        ready++;
        serving++;
      } else if (t < p.deletedAt + model.scaleDownDelaySeconds) {
        serving++;
      }
    }
    return { load, ready, serving, backlog };
  };

  // What the metrics pipeline returns: each binding's total, averaged over its window.
  const history = new Map<string, number[]>();
  const recordSignals = (w: WorldSnapshot) => {
    for (const b of bindings.values()) {
      let h = history.get(b.key);
      if (!h) {
        h = [];
        history.set(b.key, h);
      }
      h.push(signalTotal(b.signal, model, w));
      const keep = Math.max(1, Math.ceil(b.window / tick));
      if (h.length > keep) h.splice(0, h.length - keep);
    }
  };
  const observedTotal = (b: MetricBinding, w: WorldSnapshot): number => {
    const h = history.get(b.key);
    if (!h || h.length === 0) return signalTotal(b.signal, model, w);
    let sum = 0;
    for (const v of h) sum += v;
    return sum / h.length;
  };
  const observedPerPod = (b: MetricBinding, w: WorldSnapshot): number => {
    const total = observedTotal(b, w);
    return b.signal === 'rps' || b.signal === 'queue' || b.signal === 'concurrency' ? total / Math.max(w.ready, 1) : total;
  };

  const simPods = (t: number): SimPod[] => pods.map((p) => podView(p, t));

  const view = (t: number, w: WorldSnapshot, i: number): ClusterView => ({
    pods: simPods(t),
    podMetrics: (m: HpaMetric): PodMetrics => {
      const b = bindings.get(m.name)!;
      const out: PodMetrics = new Map();
      const isCpu = m.type === 'Resource' || m.type === 'ContainerResource';
      if (!isCpu && errorAt(i)) throw new Error(`unable to get metric ${m.name}: the trace marks a metrics error at t=${t - t0}`);
      for (const p of pods) {
        const ready = p.readyAt <= t;
        if (isCpu) {
          // metrics-server reports every running container; a starting pod uses ~0 CPU.
          const v = ready && p.deletedAt === undefined ? (signalPerPod('utilization', model, w) / 100) * 1000 : 0;
          out.set(p.name, { value: Math.trunc(v), timestamp: t, window: 30 });
        } else if (ready && p.deletedAt === undefined) {
          out.set(p.name, { value: milliValue(observedPerPod(b, w)), timestamp: t, window: 30 });
        }
      }
      return out;
    },
    objectMetric: (m: HpaMetric): number => {
      if (errorAt(i)) throw new Error(`unable to get metric ${m.name}: the trace marks a metrics error at t=${t - t0}`);
      return milliValue(observedTotal(bindings.get(m.name)!, w));
    },
    externalMetric: (m: HpaMetric): number[] => {
      if (policy.kind !== 'keda') {
        if (errorAt(i)) throw new Error(`unable to get external metric ${m.name}: the trace marks a metrics error at t=${t - t0}`);
        return [milliValue(observedTotal(bindings.get(m.name)!, w))];
      }
      // KEDA's metrics server: the scaler's value (or the composite), with fallback.
      const k = policy.keda;
      const value = kedaMetricValue(w, i);
      const target = { type: m.target.type as 'AverageValue' | 'Value', value: m.target.value };
      const r = metricWithFallback(k, kedaState, m.name, value, errorAt(i) ? 'scaler error (trace)' : undefined, target, specReplicas, w.ready);
      if ('error' in r) throw new Error(r.error);
      return [Math.round(r.value * 1000)];
    },
  });

  const triggerValues = (w: WorldSnapshot): Record<string, number> => {
    const out: Record<string, number> = {};
    if (policy.kind !== 'keda') return out;
    for (const t of policy.keda.triggers) out[t.name ?? t.metricName] = observedTotal(bindings.get(t.metricName)!, w);
    return out;
  };
  const kedaMetricValue = (w: WorldSnapshot, _i: number): number => {
    const vals = triggerValues(w);
    if (formula) return formula.evaluate(vals);
    return Object.values(vals)[0];
  };

  const total = Math.ceil((tEnd - t0) / tick);
  const progressEvery = Math.max(1, Math.floor(total / 100));
  let traceIdx = 0;
  let lastReason = '';
  for (let n = 0; n < total; n++) {
    const t = t0 + n * tick;
    while (traceIdx + 1 < trace.t.length && trace.t[traceIdx + 1] <= t) traceIdx++;
    const load = loadAt(traceIdx);
    // Drop pods whose drain is over.
    for (let k = pods.length - 1; k >= 0; k--) {
      const p = pods[k];
      if (p.deletedAt !== undefined && t >= p.deletedAt + model.scaleDownDelaySeconds) pods.splice(k, 1);
    }
    let w = snapshot(t, load);
    recordSignals(w);
    const rel = t - t0;

    // Controllers act at their periods (KEDA's operator before the HPA, as a tie-break).
    if (policy.kind === 'keda' && rel % policy.keda.pollingInterval === 0) {
      const k = policy.keda;
      const isError = errorAt(traceIdx);
      let isActive = false;
      if (!isError) {
        if (formula) {
          isActive = kedaMetricValue(w, traceIdx) > (k.modifiers?.activationTarget ?? 0);
        } else {
          const vals = triggerValues(w);
          isActive = k.triggers.some((tr) => vals[tr.name ?? tr.metricName] > tr.activationThreshold);
        }
      }
      const r = requestScale(k, kedaState, specReplicas, isActive, isError, t);
      lastReason = r.reason;
      if (r.scaleTo !== undefined) {
        scaleTo(t, r.scaleTo, 'keda-operator', r.reason);
        w = snapshot(t, load);
      }
    }
    if (hpa && rel % syncPeriod === 0) {
      const statusReplicas = pods.filter((p) => p.deletedAt === undefined).length;
      const r = hpa.reconcile(t, specReplicas, statusReplicas, view(t, w, traceIdx));
      // With KEDA, keep the operator's word when the HPA has nothing to add.
      if (policy.kind !== 'keda' || r.rescale || r.reason !== 'ReadyForNewScale') lastReason = r.reason;
      if (r.rescale) {
        scaleTo(t, r.desiredReplicas, 'hpa', r.reason);
        w = snapshot(t, load);
      }
    }
    if (policy.kind === 'aibrix' && rel % AIBRIX_DEFAULTS.resyncInterval === 0) {
      const a = policy.aibrix;
      const current = specReplicas;
      if (!(current === 0 && a.minReplicas !== 0)) {
        let desired: number;
        let reason: string;
        if (current > a.maxReplicas) {
          desired = a.maxReplicas;
          reason = 'current replicas exceed maximum';
        } else if (current < a.minReplicas) {
          desired = a.minReplicas;
          reason = 'current replicas below minimum';
        } else if (w.ready > 0 && !errorAt(traceIdx)) {
          const perPod = observedPerPod(bindings.get(a.metric)!, w);
          stableWin.record(t, perPod);
          panicWin.record(t, perPod);
          const c: AibrixContext = {
            targetValue: a.targetValue,
            maxScaleUpRate: a.maxScaleUpRate,
            maxScaleDownRate: a.maxScaleDownRate,
            upFluctuationTolerance: a.upTolerance,
            downFluctuationTolerance: a.downTolerance,
            panicThreshold: a.panicThreshold,
            activationScale: 0,
            inPanicMode: false,
            maxPanicPods: 0,
            stableValue: stableWin.avg(),
            panicValue: panicWin.avg(),
            currentUsePerPod: stableWin.avg(),
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
          };
          let rec: number;
          if (a.strategy === 'KPA') {
            c.inPanicMode = kpaShouldPanic(c.stableValue, c.panicValue, c.panicThreshold);
            rec = kpaTargetReplicas(current, c);
            reason = `${c.inPanicMode ? 'panic' : 'stable'} mode scaling`;
          } else {
            rec = apaTargetReplicas(current, c);
            reason = 'apa scaling based on current metrics';
          }
          rec = Math.min(Math.max(rec, a.minReplicas), a.maxReplicas); // applyConstraints
          desired = cooldown.stabilize(rec, current, a.scaleUpCooldown, a.scaleDownCooldown, t);
          if (desired > a.maxReplicas) desired = a.maxReplicas;
          else if (desired < a.minReplicas) desired = a.minReplicas;
        } else {
          desired = current;
          reason = 'no metrics from ready pods';
        }
        lastReason = reason;
        if (desired !== current) {
          scaleTo(t, desired, 'aibrix', reason);
          w = snapshot(t, load);
        }
      }
    }

    // Serve for one tick.
    const cap = w.serving * model.capacityPerReplica * tick;
    const lat = latency(model, w);
    backlog = Math.max(0, backlog + load * tick - cap);
    if (backlog > 0) saturatedSeconds += tick;
    unserved += backlog * tick;
    peakQueue = Math.max(peakQueue, backlog);
    peakLatency = Math.max(peakLatency, lat);
    replicaSeconds += pods.length * tick;
    readySum += w.ready * tick;
    const b0 = bindings.values().next().value as MetricBinding;
    const metric = metricValueFor(firstMetric, w, model, specReplicas, formula ? kedaMetricValue(w, traceIdx) : observedTotal(b0, w));
    if (metric > firstMetric.target) aboveSeconds += tick;
    samples.push({
      t: rel,
      load,
      desired: specReplicas,
      ready: w.ready,
      pods: pods.length,
      metric: round6(metric),
      backlog: round6(backlog),
      latency: round6(lat),
      reason: lastReason,
    });
    if (options.onProgress && (n % progressEvery === 0 || n === total - 1)) options.onProgress(n + 1, total);
  }

  let ups = 0;
  let downs = 0;
  let flaps = 0;
  const flapWindow = options.flapWindow ?? 600;
  events.forEach((e, i) => {
    if (e.to > e.from) ups++;
    else downs++;
    const prev = events[i - 1];
    if (prev && Math.sign(prev.to - prev.from) !== Math.sign(e.to - e.from) && e.t - prev.t <= flapWindow) flaps++;
  });
  const duration = total * tick;
  return {
    policy: policy.name,
    kind: policy.kind,
    metric: { name: firstMetric.name, signal: firstMetric.signal, target: firstMetric.target, targetType: firstMetric.targetType },
    samples,
    events,
    summary: {
      replicaSeconds,
      replicaHours: round6(replicaSeconds / 3600),
      scaleEvents: events.length,
      scaleUps: ups,
      scaleDowns: downs,
      flaps,
      timeAboveTarget: round6(aboveSeconds / duration),
      timeSaturated: round6(saturatedSeconds / duration),
      peakQueue: round6(peakQueue),
      peakLatency: round6(peakLatency),
      maxReplicas: maxR,
      minReplicas: minR,
      meanReadyReplicas: round6(readySum / duration),
      unservedRequestSeconds: round6(unserved),
    },
    notes,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

interface FirstMetric {
  readonly name: string;
  readonly signal: SignalKind;
  readonly target: number;
  readonly targetType: string;
  /** How the controller turns the signal into the number it compares with the target. */
  readonly mode: 'utilization' | 'cores' | 'perPod' | 'averageOfTotal' | 'total';
}

/** The first metric in its target's units, as the controller computes it. */
function metricValueFor(m: FirstMetric, w: WorldSnapshot, model: TargetModel, replicas: number, observed: number): number {
  const total = observed;
  switch (m.mode) {
    case 'utilization': return signalTotal('utilization', model, w);
    case 'cores': return signalTotal('utilization', model, w) / 100;
    case 'perPod': return m.signal === 'rps' || m.signal === 'queue' || m.signal === 'concurrency' ? total / Math.max(w.ready, 1) : total;
    // External/Object AverageValue: the total over status.replicas.
    case 'averageOfTotal': return replicas > 0 ? total / replicas : total;
    case 'total': return total;
  }
}
