/**
 * DYN1xx: DynamoGraphDeployment (both API versions), DGDSA and DGDR rules.
 */
import { Obj, Rule, ruleInfo } from './engine';
import { Severity } from './types';
import { adapterName, DGD, DGDR, DGDSA, dgdServices, isObject, key } from './util';
import { dgdComponents, DgdComponent } from '../core/dgd-components';
import { ENABLE_GROVE_ANNOTATION, groveNameLengthProblem } from '../core/grove';
import { DynamoRelease } from '../core/release';
import { parseImageRuntimeVersion, RuntimeVersionProblem, runtimeVersionProblems } from '../core/runtime-version';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESERVED_PREFIXES = ['nvidia.com/dgd-', 'nvidia.com/dcd-', 'nvidia.com/dgdr-'];
const COMPONENT_TYPES = ['frontend', 'worker', 'prefill', 'decode', 'planner', 'epp', 'main'];
const SUB_COMPONENT_TYPES = ['prefill', 'decode'];

/*
 * The texts of the rules, shared with the constructs (src/dynamo), which report the same
 * mistakes at construction with the same id and message (src/rules/synth.ts).
 */

/** DYN101, DYN102: a runtime-version problem of one component. */
export function componentRuntimeText(component: string, problem: RuntimeVersionProblem): string {
  return `component '${component}': ${problem.message}`;
}

/** DYN103: the field path of a service's name (v1alpha1: the services key itself). */
export function groveNamePath(componentPath: string, v1alpha1: boolean): string {
  return `${componentPath}${v1alpha1 ? '' : '.name'}`;
}

/** DYN103: a service whose Grove names are too long. */
export function groveNameText(service: string, problem: string): string {
  return `service '${service}': ${problem}`;
}

/** DYN106: the field path of an annotation. */
export function annotationPath(annotation: string): string {
  return `metadata.annotations${key(annotation)}`;
}

/** DYN106: the reserved prefix an annotation uses, or undefined. */
export function reservedAnnotationPrefix(annotation: string): string | undefined {
  return RESERVED_PREFIXES.find((p) => annotation.startsWith(p));
}

/** DYN106: an annotation with an operator prefix. */
export function reservedAnnotationText(prefix: string): string {
  return `the prefix '${prefix}' is reserved for the operator`;
}

/** DYN108: two service names that differ only by case. */
export function caseClashText(dgdName: string, service: string, first: string): string {
  return `service '${service}' and service '${first}' differ only by case; both map to adapter '${adapterName(dgdName, service)}'`;
}

/** DYN109: the operator's adapter name over 253 characters. */
export function adapterNameLengthText(name: string): string {
  return `the adapter name '${name.slice(0, 40)}...' is ${name.length} characters; at most 253 are allowed`;
}

/** DYN113: the field path of a v1alpha1 service's componentType. */
export function componentTypePath(servicePath: string): string {
  return `${servicePath}.componentType`;
}

/** DYN113: a second epp service. */
export function secondEppText(service: string, first: string): string {
  return `service '${service}' is a second epp (the first is '${first}')`;
}

/** DYN120: a DGDR image without a semantic-version tag. */
export function dgdrImageText(release: DynamoRelease): string {
  return `the image tag is not a semantic version (MAJOR.MINOR.PATCH), so Dynamo ${release.version} needs 'spec.runtimeVersionOverride'`;
}

const componentsCache = new WeakMap<Obj, DgdComponent[]>();
/** The components of a DGD as src/core reads them (shared with the constructs). */
function components(dgd: Obj): DgdComponent[] {
  let found = componentsCache.get(dgd);
  if (!found) {
    // Wrong types (a number for an image) are the schema rules' to report; src/core reads strings.
    const str = (v: unknown) => v === undefined || typeof v === 'string';
    found = dgdComponents(dgd.m).filter((c) => typeof c.name === 'string' && str(c.mainImage) && str(c.sidecarRuntimeImage) && str(c.override));
    componentsCache.set(dgd, found);
  }
  return found;
}

/** The DGD rules. */
export const DGD_RULES: Rule[] = [
  {
    info: ruleInfo('DYN101', Severity.ERROR, 'Component has no main container image',
      'From Dynamo 1.5 the admission webhook refuses a new component without a `main` container with a non-empty image (v1beta1 `podTemplate.spec.containers[name=main].image`, v1alpha1 `extraPodSpec.mainContainer.image`). The same rule as the constructs (src/core/runtime-version.ts).',
      'Add the main container with the runtime image, e.g. `nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0`.', '1.5'),
    kinds: [DGD],
    check: (run) => {
      if (!run.release.atLeast(DynamoRelease.V1_5)) return;
      for (const dgd of run.of(DGD)) {
        for (const c of components(dgd)) {
          for (const p of runtimeVersionProblems(c)) {
            if (p.field === 'image' && (c.mainImage === undefined || c.mainImage === '')) run.report(dgd, c.mainImagePath, componentRuntimeText(c.name, p), p.value);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN102', Severity.ERROR, 'Runtime image has no semantic-version tag and no runtimeVersionOverride',
      'From Dynamo 1.5 the admission webhook reads the Dynamo runtime version from the tag of the runtime image (the `runtime` init container\'s in sidecar mode, else `main`\'s). An image without a parseable semantic-version tag (a digest, `latest`, a custom tag) is refused unless the component sets `runtimeVersionOverride: "MAJOR.MINOR.PATCH"`. Parsed as the operator does (src/core/runtime-version.ts).',
      'Tag the image with the Dynamo version (e.g. `:1.5.0`) or set the component\'s `runtimeVersionOverride`.', '1.5'),
    kinds: [DGD],
    check: (run) => {
      if (!run.release.atLeast(DynamoRelease.V1_5)) return;
      for (const dgd of run.of(DGD)) {
        for (const c of components(dgd)) {
          for (const p of runtimeVersionProblems(c)) {
            if (p.field === 'sidecarImage') run.report(dgd, c.sidecarRuntimeImagePath ?? c.path, componentRuntimeText(c.name, p), p.value);
            else if (p.field === 'image' && c.mainImage) run.report(dgd, c.mainImagePath, componentRuntimeText(c.name, p), p.value);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN103', Severity.ERROR, 'Service name too long for Grove',
      'When Grove runs a DGD, its pods are named from the PodCliqueSet (the DGD name, which the operator shortens to fit but never below 8 characters), the PodCliqueScalingGroup of a multinode service and the PodClique (`<service>`, `<service>-ldr`/`-wkr`); Grove allows 45 characters for them together. A service whose own names leave less than 8 is refused. The same computation as the constructs (src/core/grove.ts), skipped when the DGD is annotated `nvidia.com/enable-grove: "false"`.',
      'Shorten the service name.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        if (String(dgd.m?.metadata?.annotations?.[ENABLE_GROVE_ANNOTATION]).toLowerCase() === 'false') continue;
        const comps = components(dgd).filter((c) => typeof c.name === 'string').map((c) => ({ ...c, nodeCount: typeof c.nodeCount === 'number' ? c.nodeCount : undefined }));
        for (const c of comps) {
          const problem = groveNameLengthProblem(dgd.name, comps, c);
          if (problem) run.report(dgd, groveNamePath(c.path, dgd.version === 'v1alpha1'), groveNameText(c.name, problem), c.name);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN104', Severity.WARNING, 'Deprecated service autoscaling field',
      '`spec.services[X].autoscaling` is deprecated and ignored by the operator (it warns): nothing scales the service through it.',
      'Remove it; enable the scaling adapter and point an HPA, a KEDA ScaledObject or an AIBrix PodAutoscaler at it.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        for (const s of dgdServices(dgd)) {
          if (s.spec.autoscaling !== undefined) run.report(dgd, `${s.path}.autoscaling`, 'deprecated and ignored by the operator', s.spec.autoscaling);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN105', Severity.WARNING, 'Deprecated dynamoNamespace field',
      '`dynamoNamespace` is deprecated and ignored: metrics carry `dynamo_namespace` = `<namespace>-<DGD name with dots as dashes>` whatever it says. It is removed in v1beta1.',
      'Remove it; filter metrics on the derived label instead.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        if (dgd.m?.spec?.dynamoNamespace !== undefined) run.report(dgd, 'spec.dynamoNamespace', 'deprecated and ignored by the operator', dgd.m.spec.dynamoNamespace);
        for (const s of dgdServices(dgd)) {
          if (s.spec.dynamoNamespace !== undefined) run.report(dgd, `${s.path}.dynamoNamespace`, 'deprecated and ignored by the operator', s.spec.dynamoNamespace);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN106', Severity.ERROR, 'Reserved operator annotation',
      'Annotations with the prefixes `nvidia.com/dgd-`, `nvidia.com/dcd-` and `nvidia.com/dgdr-` belong to the operator\'s version conversion; setting them corrupts it.',
      'Remove the annotation or use your own prefix.'),
    kinds: [DGD, DGDR],
    check: (run) => {
      for (const obj of [...run.of(DGD), ...run.of(DGDR)]) {
        const annotations = obj.m?.metadata?.annotations;
        if (!isObject(annotations)) continue;
        for (const k of Object.keys(annotations)) {
          const prefix = reservedAnnotationPrefix(k);
          if (prefix) run.report(obj, annotationPath(k), reservedAnnotationText(prefix), annotations[k]);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN107', Severity.ERROR, 'Replicas set on an adapter-managed service',
      'With the scaling adapter enabled, a validating webhook rejects any change of the service\'s `replicas` by anyone but the operator or the Planner. A manifest that carries `replicas` fails on the next apply once an autoscaler has moved it.',
      'Omit `replicas` on the service: the adapter is seeded from the DGD on creation (and defaults to 1).'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        for (const s of dgdServices(dgd)) {
          if (s.adapterEnabled && s.spec.replicas !== undefined) {
            run.report(dgd, `${s.path}.replicas`, `service '${s.name}' has its scaling adapter enabled, so its replicas belong to the adapter; a re-apply after scaling is rejected`, s.spec.replicas);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN108', Severity.ERROR, 'Service names equal ignoring case',
      'Service names must be unique ignoring case: the operator lowercases them for the adapter name (and v1beta1 refuses such duplicates), so two services would share one adapter.',
      'Rename one of the services.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        const seen = new Map<string, string>();
        for (const s of dgdServices(dgd)) {
          const lower = s.name.toLowerCase();
          const first = seen.get(lower);
          if (first !== undefined) run.report(dgd, s.path, caseClashText(dgd.name, s.name, first), s.name);
          else seen.set(lower, s.name);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN109', Severity.ERROR, 'Derived adapter name invalid',
      'The operator names a service\'s scaling adapter `<DGD name>-<service name lowercased>`; that name must be a DNS subdomain of at most 253 characters, or the adapter is never created and autoscalers find no target.',
      'Shorten the DGD or service name, or use only lowercase letters, digits, `-` and `.` in service names.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        for (const s of dgdServices(dgd)) {
          if (!s.adapterEnabled) continue;
          const name = adapterName(dgd.name, s.name);
          if (name.length > 253) run.report(dgd, s.path, adapterNameLengthText(name), s.name);
          else if (!DNS_SUBDOMAIN.test(name)) run.report(dgd, s.path, `the adapter name '${name}' is not a DNS subdomain (lowercase letters, digits, '-', '.')`, s.name);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN110', Severity.WARNING, 'Scaling adapter written by hand',
      'The operator creates and owns one DynamoGraphDeploymentScalingAdapter per service whose adapter is enabled. A hand-written adapter fights the operator\'s (or is orphaned when the service has none).',
      'Remove the DGDSA and enable `scalingAdapter` on the service instead.'),
    kinds: [DGDSA],
    check: (run) => {
      for (const obj of run.of(DGDSA)) run.report(obj, '(object)', 'the operator creates and owns scaling adapters; do not apply one');
    },
  },
  {
    info: ruleInfo('DYN111', Severity.WARNING, 'Unknown v1alpha1 component type',
      'In v1alpha1 `componentType` and `subComponentType` are free strings: a typo is accepted and silently falls back to the default behaviour (no planner, no prefill/decode role, the wrong adapter owner). v1beta1 `type` takes frontend, worker, prefill, decode, planner or epp.',
      'Use componentType frontend, worker, prefill, decode, planner, epp or main, and subComponentType prefill or decode.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        if (dgd.version !== 'v1alpha1') continue;
        for (const s of dgdServices(dgd)) {
          const { componentType, subComponentType } = s.spec;
          if (componentType !== undefined && !COMPONENT_TYPES.includes(componentType)) {
            run.report(dgd, `${s.path}.componentType`, `not a component type the operator knows: ${COMPONENT_TYPES.join(', ')}`, componentType);
          }
          if (subComponentType !== undefined && !SUB_COMPONENT_TYPES.includes(subComponentType)) {
            run.report(dgd, `${s.path}.subComponentType`, `not a sub-component type the operator knows: ${SUB_COMPONENT_TYPES.join(', ')}`, subComponentType);
          }
        }
      }
    },
  },
  {
    info: ruleInfo('DYN112', Severity.WARNING, 'Multinode leader/worker or eppConfig, gone or deprecated in Dynamo 1.5 GA',
      'Dynamo 1.5 GA describes multinode roles as `components[].roles[]` (`name` leader or worker, `replicas`, `providerOverride`) and keeps only `nodeCount` in `multinode`; `multinode.leader` and `multinode.worker` of the pre-GA schema are not read. `eppConfig` is deprecated (the Go EPP was removed).',
      'Move leader/worker settings to `roles[]`; drop `eppConfig`.', '1.5'),
    kinds: [DGD],
    check: (run) => {
      if (!run.release.atLeast(DynamoRelease.V1_5)) return;
      for (const dgd of run.of(DGD)) {
        for (const s of dgdServices(dgd)) {
          for (const f of ['leader', 'worker']) {
            if (isObject(s.spec.multinode) && s.spec.multinode[f] !== undefined) {
              run.report(dgd, `${s.path}.multinode.${f}`, `not read by Dynamo ${run.release.version} GA: use ${s.path}.roles[] with name ${f}`, s.spec.multinode[f]);
            }
          }
          if (s.spec.eppConfig !== undefined) run.report(dgd, `${s.path}.eppConfig`, 'deprecated in Dynamo 1.5 (the Go EPP was removed)', s.spec.eppConfig);
        }
      }
    },
  },
  {
    info: ruleInfo('DYN113', Severity.ERROR, 'More than one epp service',
      'A DGD has at most one service of type epp (the v1beta1 CRD enforces it with a CEL rule; a v1alpha1 DGD is converted to v1beta1 and refused the same way from Dynamo 1.5).',
      'Keep one epp service.'),
    kinds: [DGD],
    check: (run) => {
      for (const dgd of run.of(DGD)) {
        if (dgd.version !== 'v1alpha1') continue; // v1beta1: the CRD's own CEL rule (DYN003)
        const epps = dgdServices(dgd).filter((s) => s.spec.componentType === 'epp');
        for (const s of epps.slice(1)) run.report(dgd, componentTypePath(s.path), secondEppText(s.name, epps[0].name), 'epp');
      }
    },
  },
  {
    info: ruleInfo('DYN120', Severity.ERROR, 'DGDR image has no semantic-version tag and no runtimeVersionOverride',
      'From Dynamo 1.5 a DynamoGraphDeploymentRequest whose image (v1beta1 `spec.image`, v1alpha1 `spec.profilingConfig.profilerImage`) has no parseable semantic-version tag needs `spec.runtimeVersionOverride`, as DGD components do.',
      'Tag the image with the Dynamo version or set `spec.runtimeVersionOverride: "MAJOR.MINOR.PATCH"`.', '1.5'),
    kinds: [DGDR],
    check: (run) => {
      if (!run.release.atLeast(DynamoRelease.V1_5)) return;
      for (const obj of run.of(DGDR)) {
        const spec = obj.m?.spec ?? {};
        const [path, image] = obj.version === 'v1alpha1' ? ['spec.profilingConfig.profilerImage', spec.profilingConfig?.profilerImage] : ['spec.image', spec.image];
        if (typeof image === 'string' && image !== '' && spec.runtimeVersionOverride === undefined && parseImageRuntimeVersion(image).error !== undefined) {
          run.report(obj, path, dgdrImageText(run.release), image);
        }
      }
    },
  },
];

