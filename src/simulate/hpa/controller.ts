/**
 * One HPA, reconciled as kube-controller-manager's horizontal controller does it
 * (pkg/controller/podautoscaler/horizontal.go: reconcileAutoscaler,
 * computeReplicasForMetrics, normalizeDesiredReplicas[WithBehaviors]).
 */
import {
  Behavior, convertWithBehaviorRate, convertWithRules, HpaHistory, stabilizeLegacy, stabilizeWithBehaviors, storeScaleEvent,
} from './behavior';
import {
  CalcOptions, DEFAULT_TOLERANCE, getExternalMetricReplicas, getExternalPerPodMetricReplicas, getObjectMetricReplicas,
  getObjectPerPodMetricReplicas, getPlainMetricReplicas, getResourceReplicas, PodMetrics, SimPod, Tolerances,
} from './replica-calculator';
import { milliValue } from '../quantity';

export type MetricSourceType = 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';
export type MetricTargetType = 'Utilization' | 'AverageValue' | 'Value';

export interface HpaMetric {
  readonly type: MetricSourceType;
  /** Resource name (cpu, memory) or the metric name. */
  readonly name: string;
  readonly container?: string;
  readonly target: {
    readonly type: MetricTargetType;
    /** averageUtilization (percent) for Utilization, else the quantity's value. */
    readonly value: number;
  };
}

export interface HpaSpec {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly HpaMetric[];
  /** Defaulted as the API server does (GenerateHPAScale{Up,Down}Rules); undefined when unset. */
  readonly behavior?: Behavior;
}

/** What the controller reads from the cluster at one sync. Values are milli-units. */
export interface ClusterView {
  readonly pods: readonly SimPod[];
  /** Per-pod values for Resource/ContainerResource/Pods metrics (metrics.k8s.io or custom.metrics.k8s.io). */
  podMetrics(metric: HpaMetric): PodMetrics;
  /** The value of an Object metric. */
  objectMetric(metric: HpaMetric): number;
  /** The series of an External metric (summed by the controller). */
  externalMetric(metric: HpaMetric): number[];
}

export interface ControllerOptions {
  /** `--horizontal-pod-autoscaler-tolerance`. */
  readonly tolerance: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (used when behavior leaves it unset). */
  readonly downscaleStabilizationWindow: number;
  readonly cpuInitializationPeriod: number;
  readonly initialReadinessDelay: number;
  /** Feature gate HPAConfigurableTolerance (beta, on by default since 1.35). */
  readonly configurableTolerance: boolean;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  tolerance: DEFAULT_TOLERANCE,
  downscaleStabilizationWindow: 300,
  cpuInitializationPeriod: 300,
  initialReadinessDelay: 30,
  configurableTolerance: true,
};

export interface MetricOutcome {
  readonly metric: HpaMetric;
  readonly proposal?: number;
  /** The value the controller reports in status (average per pod for averages), in units. */
  readonly current?: number;
  readonly error?: string;
}

export interface ReconcileResult {
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly rescale: boolean;
  /** The controller's reason, as in its events and conditions. */
  readonly reason: string;
  readonly metrics: readonly MetricOutcome[];
}

function metricDescription(m: HpaMetric): string {
  switch (m.type) {
    case 'Resource': return m.target.type === 'Utilization' ? `${m.name} resource utilization (percentage of request)` : `${m.name} resource`;
    case 'ContainerResource': return m.target.type === 'Utilization' ? `${m.name} container resource utilization (percentage of request)` : `${m.name} resource`;
    case 'Pods': return `pods metric ${m.name}`;
    case 'Object': return `Object metric ${m.name}`;
    case 'External': return `external metric ${m.name}`;
  }
}

/** The horizontal controller's state for one HPA, stepped on the simulation clock. */
export class HpaController {
  private readonly history = new HpaHistory();
  public constructor(public readonly spec: HpaSpec, private readonly opts: ControllerOptions = DEFAULT_CONTROLLER_OPTIONS) {}

  /**
   * Starts from a given recommendation history instead of the controller's first-sync
   * record of the current replica count (an empty list means no history at all).
   */
  public seedRecommendations(recs: ReadonlyArray<{ recommendation: number; timestamp: number }>): void {
    this.history.recommendations = recs.map((r) => ({ ...r }));
    this.history.initialized = true;
  }

  /** `tolerancesForHpa`. */
  public tolerances(): Tolerances {
    const t = { scaleDown: this.opts.tolerance, scaleUp: this.opts.tolerance };
    const b = this.spec.behavior;
    if (!b || !this.opts.configurableTolerance) return t;
    return { scaleDown: b.scaleDown.tolerance ?? t.scaleDown, scaleUp: b.scaleUp.tolerance ?? t.scaleUp };
  }

  private behaviorWithControllerDefaults(): Behavior | undefined {
    const b = this.spec.behavior;
    if (!b) return undefined;
    // maybeInitScaleDownStabilizationWindow
    if (b.scaleDown.stabilizationWindowSeconds !== undefined) return b;
    return { scaleUp: b.scaleUp, scaleDown: { ...b.scaleDown, stabilizationWindowSeconds: this.opts.downscaleStabilizationWindow } };
  }

  private computeMetric(m: HpaMetric, specReplicas: number, statusReplicas: number, view: ClusterView, now: number): MetricOutcome {
    const tol = this.tolerances();
    const calc: CalcOptions = {
      now, cpuInitializationPeriod: this.opts.cpuInitializationPeriod, delayOfInitialReadinessStatus: this.opts.initialReadinessDelay,
    };
    const milli = milliValue;
    try {
      switch (m.type) {
        case 'Resource':
        case 'ContainerResource': {
          if (m.target.type === 'Utilization') {
            const r = getResourceReplicas(specReplicas, m.target.value, m.name, tol, view.pods, view.podMetrics(m), m.type === 'ContainerResource' ? m.container ?? '' : '', calc);
            return { metric: m, proposal: r.replicas, current: r.utilization };
          }
          const r = getPlainMetricReplicas(specReplicas, milli(m.target.value), m.name, tol, view.pods, view.podMetrics(m), calc);
          return { metric: m, proposal: r.replicas, current: r.usage / 1000 };
        }
        case 'Pods': {
          const r = getPlainMetricReplicas(specReplicas, milli(m.target.value), '', tol, view.pods, view.podMetrics(m), calc);
          return { metric: m, proposal: r.replicas, current: r.usage / 1000 };
        }
        case 'Object': {
          const usage = view.objectMetric(m);
          const r = m.target.type === 'Value'
            ? getObjectMetricReplicas(specReplicas, milli(m.target.value), usage, tol, view.pods)
            : getObjectPerPodMetricReplicas(statusReplicas, milli(m.target.value), usage, tol);
          return { metric: m, proposal: r.replicas, current: r.usage / 1000 };
        }
        case 'External': {
          const values = view.externalMetric(m);
          const r = m.target.type === 'Value'
            ? getExternalMetricReplicas(specReplicas, milli(m.target.value), values, tol, view.pods)
            : getExternalPerPodMetricReplicas(statusReplicas, milli(m.target.value), values, tol);
          return { metric: m, proposal: r.replicas, current: r.usage / 1000 };
        }
      }
    } catch (e) {
      return { metric: m, error: (e as Error).message };
    }
  }

  /**
   * One sync: `reconcileAutoscaler` with the scale subresource's spec.replicas and
   * status.replicas. Returns the new desired count and the reason.
   */
  public reconcile(now: number, specReplicas: number, statusReplicas: number, view: ClusterView): ReconcileResult {
    const current = specReplicas;
    // recordInitialRecommendation
    if (!this.history.initialized) {
      this.history.recommendations.push({ recommendation: current, timestamp: now });
      this.history.initialized = true;
    }
    const min = this.spec.minReplicas;
    const max = this.spec.maxReplicas;
    let desired = 0;
    let reason = '';
    let rescale = true;
    let outcomes: MetricOutcome[] = [];
    if (specReplicas === 0 && min !== 0) {
      return { currentReplicas: current, desiredReplicas: 0, rescale: false, reason: 'ScalingDisabled: scaling is disabled since the replica count of the target is zero', metrics: [] };
    } else if (current > max) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      // computeReplicasForMetrics: the max of the proposals; invalid metrics block a scale-down.
      outcomes = this.spec.metrics.map((m) => this.computeMetric(m, specReplicas, statusReplicas, view, now));
      let replicas = 0;
      let metricName = '';
      let invalid = 0;
      for (const o of outcomes) {
        if (o.error !== undefined) {
          invalid++;
          continue;
        }
        if (replicas === 0 || (o.proposal ?? 0) > replicas) {
          replicas = o.proposal ?? 0;
          metricName = metricDescription(o.metric);
        }
      }
      if (invalid >= this.spec.metrics.length || (invalid > 0 && replicas < specReplicas)) {
        const first = outcomes.find((o) => o.error !== undefined);
        return {
          currentReplicas: current,
          desiredReplicas: current,
          rescale: false,
          reason: `FailedComputeMetricsReplicas: invalid metrics (${invalid} invalid out of ${this.spec.metrics.length}), first error is: ${first?.error}`,
          metrics: outcomes,
        };
      }
      if (replicas > desired) desired = replicas;
      if (desired > current) reason = `${metricName} above target`;
      if (desired < current) reason = 'All metrics below target';
      const behavior = this.behaviorWithControllerDefaults();
      if (!behavior) {
        const stabilized = stabilizeLegacy(this.history, desired, this.opts.downscaleStabilizationWindow, now);
        const limited = convertWithRules(current, stabilized, min, max);
        desired = limited.replicas;
        if (stabilized !== replicas || limited.reason !== 'DesiredWithinRange') reason = `${reason || 'no change'}; ${stabilized !== replicas ? 'ScaleDownStabilized; ' : ''}${limited.reason}`;
      } else {
        const args = {
          scaleUp: behavior.scaleUp,
          scaleDown: behavior.scaleDown,
          minReplicas: min,
          maxReplicas: max,
          currentReplicas: current,
          desiredReplicas: desired,
        };
        const stabilized = stabilizeWithBehaviors(this.history, args, now);
        const limited = convertWithBehaviorRate(this.history, { ...args, desiredReplicas: stabilized.replicas }, now);
        const notes = [];
        if (stabilized.replicas !== desired) notes.push(stabilized.reason);
        if (limited.reason !== 'DesiredWithinRange') notes.push(limited.reason);
        desired = limited.replicas;
        if (notes.length > 0) reason = `${reason || 'no change'}; ${notes.join('; ')}`;
      }
      rescale = desired !== current;
    }
    if (rescale) storeScaleEvent(this.history, this.behaviorWithControllerDefaults(), current, desired, now);
    return { currentReplicas: current, desiredReplicas: rescale ? desired : current, rescale, reason: reason || 'ReadyForNewScale', metrics: outcomes };
  }
}
