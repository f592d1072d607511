/**
 * DYN6xx: rules across objects. Each builds hash maps over the run once and looks
 * every reference up in them, so a set of N objects is checked in O(N).
 */
import { Obj, Rule, ruleInfo, Run } from './engine';
import { adapterConfigs, servedName } from './prometheus-adapter';
import { Severity } from './types';
import {
  adapterName, Autoscaler, autoscalers, CLUSTER_TRIGGER_AUTH, DGD, DGDSA, DGDSA_KIND, DgdService, dgdServices, dynamoNamespaceLabel,
  dynamoNamespaceMatchers, HPA, isObject, matcherSelects, plannerScaling, POD_AUTOSCALER, SCALED_OBJECT, TRIGGER_AUTH,
} from './util';
import { describeReading } from '../core/planner-mode';
import { crdVersions } from '../validate/schemas';

/** Services by the adapter name the operator gives them, per namespace, and across namespaces. */
interface AdapterIndex {
  /** `namespace|adapter name` -> services (more than one is a DYN606 collision). */
  readonly byName: Map<string, DgdService[]>;
  /** adapter name -> services in any namespace (to say where the target is when it is elsewhere). */
  readonly anyNamespace: Map<string, DgdService[]>;
  /** `namespace|dgd name` -> DGD. */
  readonly dgds: Map<string, Obj>;
  /** Namespaces with at least one DGD. */
  readonly namespaces: Set<string>;
}

const indexCache = new WeakMap<Run, AdapterIndex>();

function adapterIndex(run: Run): AdapterIndex {
  const cached = indexCache.get(run);
  if (cached) return cached;
  const index: AdapterIndex = { byName: new Map(), anyNamespace: new Map(), dgds: new Map(), namespaces: new Set() };
  const add = (map: Map<string, DgdService[]>, k: string, s: DgdService) => {
    const list = map.get(k);
    if (list) list.push(s);
    else map.set(k, [s]);
  };
  for (const dgd of run.of(DGD)) {
    const ns = dgd.namespace ?? run.defaultNamespace;
    index.namespaces.add(ns);
    index.dgds.set(`${ns}|${dgd.name}`, dgd);
    for (const s of dgdServices(dgd)) {
      const name = adapterName(dgd.name, s.name);
      add(index.byName, `${ns}|${name}`, s);
      add(index.anyNamespace, name, s);
    }
  }
  indexCache.set(run, index);
  return index;
}

const targetsAdapter = (a: Autoscaler) => a.targetKind === DGDSA_KIND;

/** The service an autoscaler's DGDSA reference resolves to (the first, when names collide). */
function resolve(run: Run, a: Autoscaler): DgdService | undefined {
  return adapterIndex(run).byName.get(`${a.namespace}|${a.targetName}`)?.[0];
}

/** Whether an HPA in the run is the one a ScaledObject or PodAutoscaler of the run creates. */
function isOwnedHpa(obj: Obj): boolean {
  const m = obj.m?.metadata ?? {};
  return (Array.isArray(m.ownerReferences) && m.ownerReferences.some((o: any) => o?.kind === 'ScaledObject' || o?.kind === 'PodAutoscaler'))
    || (isObject(m.labels) && m.labels['scaledobject.keda.sh/name'] !== undefined);
}

const asList = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** ` (file:line)` or ` (construct path)` of an object, when known. */
function whereFrom(obj: Obj): string {
  const src = obj.input.source;
  if (src?.file) return ` (${src.file}${src.line ? `:${src.line}` : src.document !== undefined ? `, document ${src.document + 1}` : ''})`;
  return obj.input.constructPath ? ` (${obj.input.constructPath})` : ` (object ${obj.index + 1} of the input)`;
}

const describeAutoscaler = (a: Autoscaler) => `${a.type} ${a.namespace}/${a.obj.name}`;

/** DYN603: where the finding is, in the later autoscaler. */
export const SCALE_TARGET_NAME_PATH = 'spec.scaleTargetRef.name';

/** DYN603's text for an autoscaler on a service that a DGD's Planner scales (the constructs give the same). */
export function plannerScalesText(
  service: string, role: string, planner: string, mode: string, dgdNamespace: string | undefined, dgdName: string, how?: string,
): string {
  return `service '${service}' (${role}) is scaled by the Planner '${planner}' (mode ${mode}) of DGD ${dgdNamespace ?? 'default'}/${dgdName}${how ? ` (${how})` : ''}`;
}

/**
 * DYN603: the text for an autoscaler on a target that `before` (`Kind namespace/name`)
 * already scales. Shared with the constructs' registry (src/autoscaling/scale-target.ts).
 */
export function secondAutoscalerText(before: string, targetKind: string, targetName: string): string {
  return `${before} already scales ${targetKind} ${targetName}; two autoscalers on one target fight over its replicas`;
}

/** The cross-object rules. */
export const CROSS_RULES: Rule[] = [
  {
    info: ruleInfo('DYN601', Severity.ERROR, 'Scaling adapter reference resolves to no service',
      'An autoscaler\'s `scaleTargetRef` names a DynamoGraphDeploymentScalingAdapter (`<DGD name>-<service name lowercased>`) that no DGD service in the autoscaler\'s namespace produces: it never finds its target. Checked when the set holds a DGD in that namespace or an adapter of that name elsewhere (a DGD applied separately is not known).',
      'Point `scaleTargetRef.name` at `<DGD name>-<service name lowercased>` of a DGD in the same namespace.'),
    kinds: [HPA, SCALED_OBJECT, POD_AUTOSCALER],
    check: (run) => {
      const index = adapterIndex(run);
      for (const a of autoscalers(run).filter(targetsAdapter)) {
        if (resolve(run, a)) continue;
        const elsewhere = (index.anyNamespace.get(a.targetName) ?? []).map((s) => s.dgd.namespace);
        if (elsewhere.length > 0) {
          run.report(a.obj, `${a.path}.name`, `the adapter '${a.targetName}' belongs to a DGD in namespace ${elsewhere.join(', ')}, not in ${a.namespace}: an autoscaler only scales targets in its own namespace`, a.targetName);
        } else if (index.namespaces.has(a.namespace)) {
          const dgds = [...index.dgds.values()].filter((d) => (d.namespace ?? run.defaultNamespace) === a.namespace);
          const known = dgds.flatMap((d) => dgdServices(d).map((s) => adapterName(d.name, s.name)));
          run.report(a.obj, `${a.path}.name`, `no service of a DGD in namespace ${a.namespace} has this adapter; adapters there: ${known.join(', ') || 'none'}`, a.targetName);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN602', Severity.ERROR, 'Autoscaler targets a service whose scaling adapter is disabled',
      'The operator creates a scaling adapter only for services that enable it (v1alpha1 `scalingAdapter: {enabled: true}`, v1beta1 `scalingAdapter: {}`). An autoscaler aimed at the adapter of a service without it finds nothing and fails silently: the most common Dynamo autoscaling mistake.',
      'Enable `scalingAdapter` on the service (and drop its `replicas`).'),
    kinds: [HPA, SCALED_OBJECT, POD_AUTOSCALER],
    check: (run) => {
      for (const a of autoscalers(run).filter(targetsAdapter)) {
        const s = resolve(run, a);
        if (s && !s.adapterEnabled) {
          run.report(a.obj, `${a.path}.name`, `service '${s.name}' of DGD ${s.dgd.namespace}/${s.dgd.name} does not enable its scaling adapter (${s.path}.scalingAdapter), so the operator never creates '${a.targetName}'`, a.targetName);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN603', Severity.ERROR, 'More than one autoscaler on one target',
      'Two controllers scaling one target fight over its replicas: two HPAs, an HPA and a ScaledObject (KEDA\'s webhook refuses that), a PodAutoscaler and either, or any autoscaler on a service that the DGD\'s Planner scales: prefill and decode in its default `disagg` mode, only the one role in `prefill` or `decode` mode, the aggregated worker in `agg` mode (the `mode` of its `--config`, or `--mode`).',
      'Keep one autoscaler per target; for several signals use one HPA with several metrics or one ScaledObject with several triggers. Do not autoscale services the Planner manages.'),
    kinds: [HPA, SCALED_OBJECT, POD_AUTOSCALER],
    check: (run) => {
      const first = new Map<string, Autoscaler>();
      for (const a of autoscalers(run)) {
        if (a.type === 'HorizontalPodAutoscaler' && isOwnedHpa(a.obj)) continue;
        const k = `${a.namespace}|${a.targetKind}|${a.targetName}`;
        const before = first.get(k);
        if (before) {
          run.report(a.obj, `${a.path}.name`, secondAutoscalerText(describeAutoscaler(before), a.targetKind, a.targetName), a.targetName);
        } else {
          first.set(k, a);
        }
        if (targetsAdapter(a)) {
          const s = resolve(run, a);
          const planner = s && plannerScaling(s);
          if (s && planner) {
            const how = describeReading(planner.reading);
            run.report(a.obj, `${a.path}.name`, plannerScalesText(s.name, s.role, planner.service.name, planner.reading.mode, s.dgd.namespace, s.dgd.name, how), a.targetName);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN604', Severity.ERROR, 'HPA External metric has no Prometheus Adapter rule',
      'An HPA External metric is served by the external metrics API; with Prometheus Adapter, only metrics named by an external rule (`name.as`, or the series name) exist. Checked when the set holds a Prometheus Adapter configuration (ConfigMap or Helm values).',
      'Add an external rule whose `name.as` is the HPA\'s metric name, or fix the metric name.'),
    kinds: [HPA],
    check: (run) => {
      const rules = adapterConfigs(run).flatMap((c) => c.rules).filter((r) => r.external);
      if (adapterConfigs(run).length === 0) return;
      const exact = new Set<string>();
      const patterns: RegExp[] = [];
      for (const r of rules) {
        const served = servedName(r.rule);
        if (served.exact) exact.add(served.exact);
        if (served.pattern) patterns.push(served.pattern);
      }
      for (const obj of run.of(HPA)) {
        const metrics = obj.m?.spec?.metrics;
        if (!Array.isArray(metrics)) continue;
        metrics.forEach((x: any, i: number) => {
          const name = x?.type === 'External' ? x.external?.metric?.name : undefined;
          if (typeof name !== 'string' || exact.has(name) || patterns.some((p) => p.test(name))) return;
          run.report(obj, `spec.metrics[${i}].external.metric.name`, `no Prometheus Adapter external rule serves this metric (served: ${[...exact].join(', ') || 'none'})`, name);
        });
      }
    },
  },
  {
    info: ruleInfo('DYN605', Severity.WARNING, 'KEDA and Prometheus Adapter both serve external metrics',
      'KEDA and Prometheus Adapter each register the `v1beta1.external.metrics.k8s.io` APIService; a cluster has one provider, so either the ScaledObjects or the HPAs that rely on the adapter\'s external rules get no metrics.',
      'Use one external-metrics provider: KEDA triggers (prometheus scaler) or Prometheus Adapter external rules with HPAs, not both.'),
    kinds: [SCALED_OBJECT],
    check: (run) => {
      const so = run.of(SCALED_OBJECT)[0];
      if (!so) return;
      for (const c of adapterConfigs(run)) {
        if (c.rules.some((r) => r.external)) run.report(c.obj, c.rules.find((r) => r.external)!.path, `external rules are served by Prometheus Adapter while KEDA (ScaledObject ${so.namespace}/${so.name}) also serves external metrics`);
      }
    },
  },
  {
    info: ruleInfo('DYN606', Severity.ERROR, 'Two objects with one identity',
      'Two objects of one kind, namespace and name: the second silently replaces the first on apply. Counted with the objects the controllers will create: the operator\'s scaling adapters (`<DGD>-<service>`, so DGD `a-b` with service `c` and DGD `a` with service `b-c` collide), KEDA\'s HPA (`keda-hpa-<ScaledObject>` or `horizontalPodAutoscalerConfig.name`) and AIBrix\'s HPA (`<PodAutoscaler>-hpa`).',
      'Rename one of the objects (for a derived name, the DGD, service, ScaledObject or PodAutoscaler it comes from).'),
    kinds: [],
    check: (run) => {
      // identity -> [description, claimant]; a claimant never collides with itself.
      const seen = new Map<string, [string, object]>();
      const claim = (k: string, by: string, claimant: object, obj: Obj, path: string, value: unknown, what: string) => {
        const before = seen.get(k);
        if (before === undefined) seen.set(k, [by, claimant]);
        else if (before[1] !== claimant) run.report(obj, path, `${what} has the same kind, namespace and name as ${before[0]}: applied together, one replaces the other`, value);
      };
      for (const obj of run.objects) {
        if (obj.name === '' || obj.kind === '' || obj.group === 'helm.prometheus-community') continue;
        if (obj.group === 'autoscaling' && obj.kind === 'HorizontalPodAutoscaler' && isOwnedHpa(obj)) continue;
        claim(`${obj.group}|${obj.kind}|${obj.namespace ?? ''}|${obj.name}`, `${obj.kind} ${obj.namespace ? `${obj.namespace}/` : ''}${obj.name}${whereFrom(obj)}`,
          obj, obj, 'metadata.name', obj.name, 'this object');
      }
      for (const dgd of run.of(DGD)) {
        const lower = new Set<string>();
        for (const s of dgdServices(dgd)) {
          if (!s.adapterEnabled || lower.has(s.name.toLowerCase())) continue; // same-DGD case clashes are DYN108
          lower.add(s.name.toLowerCase());
          const name = adapterName(dgd.name, s.name);
          claim(`${DGDSA}|${dgd.namespace}|${name}`, `the scaling adapter of service '${s.name}' of DGD ${dgd.namespace}/${dgd.name}`,
            s, dgd, s.path, s.name, `the scaling adapter '${name}' the operator creates for service '${s.name}'`);
        }
      }
      for (const a of autoscalers(run)) {
        if (a.ownedHpa) {
          claim(`autoscaling|HorizontalPodAutoscaler|${a.namespace}|${a.ownedHpa}`, `the HPA ${a.ownedHpa} of ${describeAutoscaler(a)}`,
            a, a.obj, a.type === 'ScaledObject' ? 'metadata.name' : 'spec.scalingStrategy', a.ownedHpa, `the HPA '${a.ownedHpa}' that ${a.type === 'ScaledObject' ? 'KEDA' : 'AIBrix'} creates for it`);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN607', Severity.ERROR, 'TriggerAuthentication in another namespace',
      'KEDA looks a trigger\'s `authenticationRef` (kind TriggerAuthentication) up in the ScaledObject\'s namespace. One that exists only in another namespace is never found and the trigger fails. (A ClusterTriggerAuthentication is cluster-wide.)',
      'Create the TriggerAuthentication in the ScaledObject\'s namespace, or use a ClusterTriggerAuthentication (`kind: ClusterTriggerAuthentication`).'),
    kinds: [TRIGGER_AUTH, CLUSTER_TRIGGER_AUTH],
    check: (run) => {
      const byName = new Map<string, Set<string>>();
      for (const ta of run.of(TRIGGER_AUTH)) {
        const set = byName.get(ta.name) ?? new Set<string>();
        set.add(ta.namespace ?? run.defaultNamespace);
        byName.set(ta.name, set);
      }
      const cluster = new Set(run.of(CLUSTER_TRIGGER_AUTH).map((c) => c.name));
      for (const so of run.of(SCALED_OBJECT)) {
        const triggers = so.m?.spec?.triggers;
        if (!Array.isArray(triggers)) continue;
        triggers.forEach((t: any, i: number) => {
          const ref = t?.authenticationRef;
          if (!isObject(ref) || typeof ref.name !== 'string') return;
          const kind = ref.kind ?? 'TriggerAuthentication';
          if (kind === 'ClusterTriggerAuthentication') return;
          const namespaces = byName.get(ref.name);
          if (!namespaces || namespaces.has(so.namespace!)) return;
          const hint = cluster.has(ref.name) ? ' (a ClusterTriggerAuthentication of that name exists: set kind: ClusterTriggerAuthentication)' : '';
          run.report(so, `spec.triggers[${i}].authenticationRef.name`, `TriggerAuthentication '${ref.name}' is in namespace ${[...namespaces].join(', ')}, not in the ScaledObject's namespace ${so.namespace}${hint}`, ref.name);
        });
      }
    },
  },
  {
    info: ruleInfo('DYN608', Severity.ERROR, 'Metric query about another deployment',
      'A DGD\'s metrics carry `dynamo_namespace` = `<namespace>-<DGD name with dots as dashes>`. A KEDA prometheus query or an HPA External metric selector whose `dynamo_namespace` selects another value drives this DGD\'s adapter from another deployment\'s traffic (or from nothing). `dynamo` is accepted when the DGD uses the global Dynamo namespace. If the cross-scaling is meant, disable DYN608 for the object with the annotation `cdk8s-dynamo.io/ignore-rules: DYN608`.',
      'Use the target DGD\'s label in the query or selector.'),
    kinds: [HPA, SCALED_OBJECT],
    check: (run) => {
      for (const a of autoscalers(run).filter(targetsAdapter)) {
        const s = resolve(run, a);
        if (!s) continue;
        const expected = dynamoNamespaceLabel(s.dgd.namespace ?? run.defaultNamespace, s.dgd.name);
        const global = dgdServices(s.dgd).some((x) => x.spec.globalDynamoNamespace === true);
        const ok = (op: string, v: string) => matcherSelects(op, v, expected) || (global && matcherSelects(op, v, 'dynamo'));
        const why = `the target is DGD ${s.dgd.namespace}/${s.dgd.name}, whose metrics carry dynamo_namespace="${expected}"`;
        if (a.type === 'ScaledObject') {
          asList(a.obj.m?.spec?.triggers).forEach((t: any, i: number) => {
            const q = t?.type === 'prometheus' ? t.metadata?.query : undefined;
            if (typeof q !== 'string') return;
            for (const m of dynamoNamespaceMatchers(q)) {
              if (!ok(m.op, m.value)) run.report(a.obj, `spec.triggers[${i}].metadata.query`, `selects dynamo_namespace${m.op}"${m.value}", but ${why}`, m.value);
            }
          });
        } else if (a.type === 'HorizontalPodAutoscaler') {
          asList(a.obj.m?.spec?.metrics).forEach((x: any, i: number) => {
            const sel = x?.type === 'External' ? x.external?.metric?.selector : undefined;
            if (!isObject(sel)) return;
            const v = sel.matchLabels?.dynamo_namespace;
            if (typeof v === 'string' && !ok('=', v)) run.report(a.obj, `spec.metrics[${i}].external.metric.selector.matchLabels.dynamo_namespace`, why, v);
            (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).forEach((e: any, j: number) => {
              if (e?.key === 'dynamo_namespace' && e.operator === 'In' && Array.isArray(e.values) && !e.values.some((val: string) => ok('=', val))) {
                run.report(a.obj, `spec.metrics[${i}].external.metric.selector.matchExpressions[${j}].values`, why, e.values);
              }
            });
          });
        }
      }
    },
  },
  {
    info: ruleInfo('DYN609', Severity.ERROR, 'Autoscaler targets a DGD instead of its scaling adapter',
      'A DynamoGraphDeployment has no /scale subresource: an HPA, ScaledObject or PodAutoscaler pointed at it cannot read or set replicas. Each service is scaled through its scaling adapter.',
      'Target `kind: DynamoGraphDeploymentScalingAdapter`, `name: <DGD name>-<service name lowercased>`, and enable the service\'s adapter.'),
    kinds: [HPA, SCALED_OBJECT, POD_AUTOSCALER],
    check: (run) => {
      for (const a of autoscalers(run)) {
        if (a.targetKind === 'DynamoGraphDeployment') {
          run.report(a.obj, `${a.path}.kind`, `a DGD cannot be scaled as a whole; target the scaling adapter of one of its services (e.g. '${a.targetName}-<service>')`, a.targetKind);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN610', Severity.ERROR, 'Scaling adapter reference with a wrong apiVersion',
      'An autoscaler finds its target through `scaleTargetRef.apiVersion` and `kind`. A scaling adapter is `nvidia.com/v1alpha1` (also `nvidia.com/v1beta1` from Dynamo 1.5); a missing apiVersion means `apps/v1` to KEDA and the core group to an HPA, so the target is never found.',
      'Set `scaleTargetRef.apiVersion: nvidia.com/v1alpha1` (or a version your Dynamo release serves).'),
    kinds: [HPA, SCALED_OBJECT, POD_AUTOSCALER],
    check: (run) => {
      const served = [...crdVersions(run.release).values()].filter((v) => v.kind === DGDSA_KIND).map((v) => `${v.group}/${v.version}`);
      for (const a of autoscalers(run).filter(targetsAdapter)) {
        if (served.includes(a.targetApiVersion)) continue;
        const given = (a.obj.m?.spec?.scaleTargetRef ?? {}).apiVersion;
        run.report(a.obj, `${a.path}.apiVersion`, given === undefined
          ? `missing, so ${a.type === 'ScaledObject' ? 'KEDA looks for apps/v1' : 'the target is looked up in the core API group'}; Dynamo ${run.release.version} serves the adapter as ${served.join(' and ')}`
          : `Dynamo ${run.release.version} serves the adapter as ${served.join(' and ')}`, given);
      }
    },
  },
];
