import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { KedaMetricType, KedaTrigger } from './triggers';
import { BaseAutoscalerProps } from '../../base/autoscaler-props';
import { DynamoValidationError, invalid } from '../../base/errors';
import { DynamoNames, MAX_LABEL_LENGTH } from '../../base/naming';
import { IDynamoResource } from '../../base/resource';
import { AutoscalerRegistry, AutoscalerSource, IScaleTarget } from '../../base/scale-target';
import { requireDnsLabel, requireDuration, requireNumber, requireOneOf } from '../../base/validators';
import { fallbackProblem, KedaTriggerShape, scalingModifiersFallbackProblem, scalingModifiersProblems, ScalingModifiersShape, wakeUpProblem } from '../../core/keda';
import { MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA, scaledObjectNameProblems } from '../../core/names';
import { int32Problem, INT32_MAX } from '../../core/quantity';
import { dynamoNamespacesIn } from '../../dynamo/metrics';
import { DUPLICATE_TRIGGER_NAME_TEXT, isScaledObjectNameRuleProblem, MIN_REPLICA_COUNT_PATH, minAboveMaxText } from '../../rules/keda';
import { objectRef, ruleViolationMessage } from '../../rules/synth';
import type { ObjectRef } from '../../rules/types';
import { childPath } from '../hpa';
import { attachAutoscaler, defaultAutoscalerName, dynamoNamespaceMismatch, requireScaleTarget } from '../scale-target';
import { HpaScalingRules, renderScalingRules } from '../scaling-rules';

const SCALED_OBJECT = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' };
/** The longest ScaledObject name whose `keda-hpa-<name>` still fits in 63 characters. */
export const MAX_SCALED_OBJECT_NAME_LENGTH = MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA;
const PAUSED_ANNOTATION = 'autoscaling.keda.sh/paused';
const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

/** What KEDA scales to while triggers fail (`fallback.behavior`). */
export enum KedaFallbackBehavior {
  /** `fallback.replicas` (KEDA's default). */
  STATIC = 'static',
  /** Keep the current replica count. */
  CURRENT_REPLICAS = 'currentReplicas',
  /** The current count if higher than `fallback.replicas`, else `fallback.replicas`. */
  CURRENT_REPLICAS_IF_HIGHER = 'currentReplicasIfHigher',
  /** The current count if lower than `fallback.replicas`, else `fallback.replicas`. */
  CURRENT_REPLICAS_IF_LOWER = 'currentReplicasIfLower',
  /** Let the scalingModifiers formula handle failed triggers (needs `scalingModifiers`). */
  SCALING_MODIFIERS = 'scalingModifiers',
}

/** The fallback replica count while triggers fail. */
export interface KedaFallback {
  /** Consecutive failures before the fallback applies. */
  readonly failureThreshold: number;
  /** Replicas to run while failing. */
  readonly replicas: number;
  /**
   * What to scale to while failing.
   * @default - KEDA's default (static: `replicas`)
   */
  readonly behavior?: KedaFallbackBehavior;
}

/**
 * `advanced.scalingModifiers`: one composite metric computed from the named triggers by
 * a formula (expr-lang), which KEDA feeds to the HPA instead of the triggers' own metrics.
 */
export interface KedaScalingModifiers {
  /**
   * The formula over trigger names (each a named trigger other than cpu/memory), e.g.
   * `(queue + inflight) / 2`. It must give a number.
   */
  readonly formula: string;
  /** Target of the composite metric (> 0). */
  readonly target: number;
  /**
   * Activation target of the composite metric (scale from zero above it).
   * @default - KEDA's default (0)
   */
  readonly activationTarget?: number;
  /**
   * AverageValue or Value.
   * @default - KEDA's default (AverageValue)
   */
  readonly metricType?: KedaMetricType;
}

/**
 * Properties of a `KedaAutoscaler`. `minReplicas` is always rendered (KEDA itself
 * would default it to 0).
 */
export interface KedaAutoscalerProps extends BaseAutoscalerProps {
  /** The triggers; at least one. */
  readonly triggers: KedaTrigger[];
  /**
   * Upper bound of replicas.
   * @default 100 (KEDA's default, not rendered)
   */
  readonly maxReplicas?: number;
  /**
   * How often KEDA checks the triggers.
   * @default - KEDA's default (30 s)
   */
  readonly pollingInterval?: Duration;
  /**
   * Wait after the last active trigger before scaling to `idleReplicaCount`/`minReplicas`.
   * @default - KEDA's default (300 s)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Replicas while no trigger is active; KEDA supports only 0, below `minReplicas`.
   * @default - none
   */
  readonly idleReplicaCount?: number;
  /**
   * Replicas to run when the triggers keep failing.
   * @default - none
   */
  readonly fallback?: KedaFallback;
  /**
   * Name of the HPA KEDA creates.
   * @default `keda-hpa-<scaledobject name>`
   */
  readonly hpaName?: string;
  /**
   * Scale-up behavior of the HPA KEDA creates.
   * @default - Kubernetes defaults
   */
  readonly scaleUp?: HpaScalingRules;
  /**
   * Scale-down behavior of the HPA KEDA creates.
   * @default - Kubernetes defaults
   */
  readonly scaleDown?: HpaScalingRules;
  /**
   * Compose the triggers into one metric with a formula (`advanced.scalingModifiers`).
   * @default - none: the HPA gets one metric per trigger
   */
  readonly scalingModifiers?: KedaScalingModifiers;
  /**
   * Pause autoscaling (annotation `autoscaling.keda.sh/paused`).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Pause at this replica count (annotation `autoscaling.keda.sh/paused-replicas`).
   * @default - not paused
   */
  readonly pausedReplicas?: number;
  /**
   * Allow `minReplicas: 0` (scale to zero) or `idleReplicaCount: 0`. Needs a trigger
   * with a signal at zero replicas (not cpu/memory, not only latency quantiles such as
   * TTFT or ITL), and an `activationThreshold` on every prometheus trigger (with
   * `scalingModifiers`: its `activationTarget`, which KEDA then uses instead).
   * @default false
   */
  readonly allowScaleToZero?: boolean;
  /**
   * Allow prometheus triggers whose query selects another Dynamo deployment's
   * `dynamo_namespace` than the target adapter's DGD (scaling one deployment on
   * another's traffic).
   * @default false
   */
  readonly allowCrossDeploymentMetrics?: boolean;
}

/**
 * A KEDA ScaledObject (keda.sh/v1alpha1) on a scale target. KEDA's admission webhook
 * may not run (its failure policy is Ignore) and its scalers only fail at reconcile
 * time, so every webhook and scaler rule is checked here instead.
 *
 * The autoscaler is its own ApiObject (rather than a `DynamoResource` wrapping one, like
 * the library's other constructs): cdk8s walks every construct of the app once per chart,
 * and a wrapper's extra construct made a fleet of 1000 one-DGD charts 30% slower. It has
 * the same members (`IDynamoResource`).
 */
export class KedaAutoscaler extends ApiObject implements IDynamoResource {
  /** The name of the HPA that KEDA creates for it. */
  public readonly hpaName: string;
  /** The namespace, if known. */
  public readonly namespace?: string;
  /** The scale target. */
  public readonly target: IScaleTarget;
  /** Lower bound of replicas. */
  public readonly minReplicas: number;
  /** Upper bound of replicas (KEDA's default 100 when not given). */
  public readonly maxReplicas: number;

  public constructor(scope: Construct, id: string, props: KedaAutoscalerProps) {
    const so = prepareScaledObject(scope, childPath(scope, id), props);
    super(scope, id, {
      ...SCALED_OBJECT,
      metadata: { name: so.name, namespace: so.namespace, annotations: so.annotations },
      spec: so.spec,
    });
    this.target = props.target;
    this.namespace = so.namespace;
    this.hpaName = so.hpaName;
    this.minReplicas = so.minReplicas;
    this.maxReplicas = so.maxReplicas;

    attachAutoscaler(this, props.target, AutoscalerSource.KEDA, SCALED_OBJECT.kind, this.name, this.namespace);
    const registry = AutoscalerRegistry.of(this);
    registry.useExternalMetrics('KEDA', this);
    registry.deriveObjects(this, () => [{
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace: this.metadata.namespace,
      name: this.hpaName,
      path: this.node.path,
      origin: `the HPA KEDA creates for ScaledObject '${this.name}'`,
    }]);
  }

  /** The underlying ApiObject: the autoscaler itself (kept for `addJsonPatch` and the like). */
  public get apiObject(): ApiObject {
    return this;
  }
}

interface PreparedScaledObject {
  readonly name: string;
  readonly hpaName: string;
  readonly namespace?: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly annotations?: { [key: string]: string };
  readonly spec: any;
}

/**
 * Checks the props against KEDA's webhook and scaler rules and renders the spec before
 * the ApiObject exists; errors name the autoscaler by the path it is about to have.
 */
function prepareScaledObject(scope: Construct, at: string, props: KedaAutoscalerProps): PreparedScaledObject {
  if (props === null || typeof props !== 'object') {
    throw invalid(at, 'props', props, 'must be KedaAutoscalerProps ({ target, triggers, ... })');
  }
  requireScaleTarget(at, props.target);
  const namespace = props.namespace ?? props.target.scaleTargetRef.namespace ?? Chart.of(scope).namespace;
  if (props.qualifier !== undefined) requireDnsLabel(at, 'qualifier', props.qualifier);
  const name = props.name ?? defaultAutoscalerName(props.target, props.qualifier, DynamoNames.workloadScaledObjectName);
  const soRef = objectRef(SCALED_OBJECT.apiVersion, SCALED_OBJECT.kind, name, namespace);
  for (const p of scaledObjectNameProblems(name, props.hpaName)) {
    // Only the default HPA name can make a valid ScaledObject name too long: say how to keep it.
    const derived = p.rule === 'length' && name.length <= MAX_LABEL_LENGTH;
    if (isScaledObjectNameRuleProblem(p)) {
      throw new DynamoValidationError(ruleViolationMessage(at, { ruleId: 'DYN201', object: soRef, path: p.field, text: p.message, value: p.value },
        p.field !== 'metadata.name' ? "(the 'hpaName' prop)" : derived ? "(or set 'hpaName')" : undefined));
    }
    throw invalid(at, 'name', p.value, derived ? `${p.message} (or set 'hpaName')` : p.message);
  }
  const minReplicas = props.minReplicas ?? 1;
  const maxReplicas = props.maxReplicas ?? 100;
  validateScaledObject(at, props, minReplicas, maxReplicas, soRef);
  validateTriggerTargets(at, props, namespace);
  const scaleUp = renderScalingRules(at, 'scaleUp', props.scaleUp);
  const scaleDown = renderScalingRules(at, 'scaleDown', props.scaleDown);
  const hpaConfig = props.hpaName !== undefined || scaleUp || scaleDown
    ? { name: props.hpaName, behavior: scaleUp || scaleDown ? { scaleUp, scaleDown } : undefined }
    : undefined;
  const scalingModifiers = renderScalingModifiers(props.scalingModifiers);
  const advanced = hpaConfig || scalingModifiers ? { horizontalPodAutoscalerConfig: hpaConfig, scalingModifiers } : undefined;

  const annotations: { [key: string]: string } = {};
  if (props.paused) annotations[PAUSED_ANNOTATION] = 'true';
  if (props.pausedReplicas !== undefined) annotations[PAUSED_REPLICAS_ANNOTATION] = String(props.pausedReplicas);

  // A target's reference is fixed once it exists, so the spec is rendered here, once.
  const ref = props.target.scaleTargetRef;
  return {
    name,
    hpaName: DynamoNames.kedaHpaName(name, props.hpaName),
    namespace,
    minReplicas,
    maxReplicas,
    annotations: Object.keys(annotations).length ? annotations : undefined,
    spec: {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
      minReplicaCount: minReplicas,
      maxReplicaCount: props.maxReplicas,
      pollingInterval: seconds(at, 'pollingInterval', props.pollingInterval, 1),
      cooldownPeriod: seconds(at, 'cooldownPeriod', props.cooldownPeriod, 0),
      idleReplicaCount: props.idleReplicaCount,
      fallback: props.fallback
        ? { failureThreshold: props.fallback.failureThreshold, replicas: props.fallback.replicas, behavior: props.fallback.behavior }
        : undefined,
      advanced,
      triggers: props.triggers.map((t) => t._toKube()),
    },
  };
}

function validateScaledObject(at: string, props: KedaAutoscalerProps, minReplicas: number, maxReplicas: number, ref: ObjectRef): void {
  // Every count here is an int32 in the CRD (and pausedReplicas is parsed as one).
  requireInt32(at, 'minReplicas', props.minReplicas, 0);
  requireInt32(at, 'maxReplicas', props.maxReplicas, 1);
  requireInt32(at, 'idleReplicaCount', props.idleReplicaCount, 0);
  requireInt32(at, 'pausedReplicas', props.pausedReplicas, 0);
  if (minReplicas > maxReplicas) {
    throw new DynamoValidationError(ruleViolationMessage(at, { ruleId: 'DYN202', object: ref, path: MIN_REPLICA_COUNT_PATH, text: minAboveMaxText(maxReplicas), value: minReplicas },
      `(the 'minReplicas' prop; 'maxReplicas' is ${maxReplicas}${props.maxReplicas === undefined ? ", KEDA's default" : ''})`));
  }
  const triggers = props.triggers;
  if (!Array.isArray(triggers) || triggers.length === 0) {
    throw invalid(at, 'triggers', triggers ?? [], 'needs at least one trigger (KedaTrigger.prometheus, .cpu, .memory, .cron)');
  }
  triggers.forEach((t, i) => {
    if (!(t instanceof KedaTrigger)) throw invalid(at, `triggers[${i}]`, t, 'must be a KedaTrigger');
  });
  const names = new Set<string>();
  triggers.forEach((t, i) => {
    if (t.name === undefined) return;
    if (names.has(t.name)) {
      throw new DynamoValidationError(ruleViolationMessage(at, { ruleId: 'DYN206', object: ref, path: `spec.triggers[${i}].name`, text: DUPLICATE_TRIGGER_NAME_TEXT, value: t.name },
        '(trigger names must be unique within a ScaledObject)'));
    }
    names.add(t.name);
  });
  const shapes: KedaTriggerShape[] = triggers.map((t) => t._toKube());
  const onlyResource = triggers.every((t) => t.isResourceTrigger);
  // Checked before the scale-to-zero opt-in, so that a non-zero value is not reported as scaling to zero.
  if (props.idleReplicaCount !== undefined && props.idleReplicaCount !== 0) {
    throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, 'KEDA supports only 0');
  }
  const scalesToZero = minReplicas === 0 || props.idleReplicaCount !== undefined;
  if (scalesToZero && !props.allowScaleToZero) {
    throw invalid(at, props.idleReplicaCount !== undefined ? 'idleReplicaCount' : 'minReplicas', props.idleReplicaCount ?? 0,
      "scales the target to zero; set 'allowScaleToZero: true' to opt in");
  }
  if (props.idleReplicaCount !== undefined) {
    if (!(props.idleReplicaCount < minReplicas)) {
      throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, `must be less than 'minReplicas' (${minReplicas})`);
    }
    if (onlyResource) {
      throw invalid(at, 'idleReplicaCount', props.idleReplicaCount, 'needs a trigger other than cpu/memory to wake the target up');
    }
  }
  if (scalesToZero) {
    const noWakeUp = wakeUpProblem(shapes);
    if (noWakeUp) throw invalid(at, props.idleReplicaCount !== undefined ? 'idleReplicaCount' : 'minReplicas', 0, noWakeUp);
    // With scalingModifiers KEDA decides activity on the composite metric alone (pkg/scaling/scale_handler.go).
    if (props.scalingModifiers !== undefined && props.scalingModifiers !== null && props.scalingModifiers.activationTarget === undefined) {
      throw invalid(at, 'scalingModifiers.activationTarget', undefined,
        "scaling to zero with scalingModifiers needs an activationTarget: KEDA then wakes the target when the formula's value exceeds it (default 0) and ignores the triggers' activationThreshold, so that noise does not wake the target");
    }
    for (const t of props.scalingModifiers === undefined ? triggers : []) {
      if (t.type === 'prometheus' && t._info.activationThreshold === undefined) {
        throw invalid(at, 'triggers.activationThreshold', undefined,
          `scaling to zero needs an activationThreshold on every prometheus trigger${t.name ? ` ('${t.name}')` : ''}, so that noise does not wake the target`);
      }
    }
  }
  const modifiers = props.scalingModifiers === undefined ? undefined : renderScalingModifiers(props.scalingModifiers);
  if (props.scalingModifiers !== undefined) {
    const sm = props.scalingModifiers;
    if (sm === null || typeof sm !== 'object') throw invalid(at, 'scalingModifiers', sm, 'must be an object with formula and target');
    for (const field of ['target', 'activationTarget'] as const) {
      const v = sm[field];
      if (v !== undefined) requireNumber(at, `scalingModifiers.${field}`, v);
    }
    if (sm.metricType === KedaMetricType.UTILIZATION) {
      throw invalid(at, 'scalingModifiers.metricType', sm.metricType, 'must be AverageValue or Value (the composite metric is an external metric; Utilization is for cpu/memory)');
    }
    const problem = scalingModifiersProblems(modifiers!, shapes)[0];
    if (problem) {
      throw invalid(at, problem.field.replace(/^advanced\./, ''), (modifiers as any)[problem.field.split('.').pop()!], problem.message);
    }
  }
  if (props.fallback !== undefined) {
    const usesModifiers = props.scalingModifiers !== undefined;
    const problem = fallbackProblem(shapes, usesModifiers, props.target.scaleTargetRef.kind);
    if (problem) throw invalid(at, 'fallback', props.fallback, problem);
    requireInt32(at, 'fallback.failureThreshold', props.fallback.failureThreshold, 1);
    requireInt32(at, 'fallback.replicas', props.fallback.replicas, 0);
    if (props.fallback.replicas > maxReplicas) {
      throw invalid(at, 'fallback.replicas', props.fallback.replicas, `must not exceed 'maxReplicas' (${maxReplicas})`);
    }
    const behavior = props.fallback.behavior;
    if (behavior !== undefined) requireOneOf(at, 'fallback.behavior', behavior, KedaFallbackBehavior);
    const withModifiers = scalingModifiersFallbackProblem(modifiers, behavior);
    if (withModifiers) {
      const field = withModifiers.field === 'fallback.behavior' ? 'fallback.behavior' : 'scalingModifiers.target';
      throw invalid(at, field, field === 'fallback.behavior' ? behavior : props.scalingModifiers?.target, withModifiers.message);
    }
  }
}

/** `advanced.scalingModifiers` as the CRD types it (numbers as strings); undefined fields left out. */
function renderScalingModifiers(sm: KedaScalingModifiers | undefined): ScalingModifiersShape | undefined {
  if (sm === undefined || sm === null || typeof sm !== 'object') return undefined;
  return {
    formula: sm.formula,
    target: typeof sm.target === 'number' ? String(sm.target) : sm.target,
    activationTarget: typeof sm.activationTarget === 'number' ? String(sm.activationTarget) : sm.activationTarget,
    metricType: sm.metricType,
  };
}

function requireInt32(at: string, field: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  const problem = int32Problem(value, min);
  if (problem) throw invalid(at, field, value, problem);
}

/**
 * What the triggers refer to must meet the target: a prometheus query about a Dynamo
 * deployment must be about the target adapter's DGD, and a TriggerAuthentication must
 * be in the ScaledObject's namespace (KEDA looks it up there).
 */
function validateTriggerTargets(at: string, props: KedaAutoscalerProps, namespace: string | undefined): void {
  props.triggers.forEach((t, i) => {
    const query = t.type === 'prometheus' ? t.metadata.query : undefined;
    const mismatch = query !== undefined && !props.allowCrossDeploymentMetrics
      ? dynamoNamespaceMismatch(props.target, dynamoNamespacesIn(query)) : undefined;
    if (mismatch) {
      throw invalid(at, `triggers[${i}].query`, query, `${mismatch}; set 'allowCrossDeploymentMetrics: true' if scaling on another deployment's traffic is meant`);
    }
    const auth = t._info.authentication;
    if (auth?.kind === 'TriggerAuthentication' && auth._namespace !== undefined && namespace !== undefined && auth._namespace !== namespace) {
      throw invalid(at, `triggers[${i}].authentication`, auth.name,
        `TriggerAuthentication '${auth.name}' is in namespace '${auth._namespace}', but KEDA looks it up in the ScaledObject's namespace '${namespace}'; create it there (or use a ClusterTriggerAuthentication)`);
    }
  });
}

function seconds(at: string, field: string, d: Duration | undefined, min: number): number | undefined {
  return d === undefined ? undefined : requireDuration(at, field, d, { unit: 'seconds', min, max: INT32_MAX });
}

