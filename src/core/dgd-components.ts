/**
 * The components of a DynamoGraphDeployment manifest (either API version) in the one
 * shape the admission rules read, with the field paths of each input, so that the
 * rules of src/core run the same on hand-written YAML as on the library's output.
 * Plain data, no constructs.
 */
import { RUNTIME_SIDECAR_CONTAINER, RuntimeVersionInput } from './runtime-version';

/** One component of a DGD manifest, as the admission rules see it. */
export interface DgdComponent extends RuntimeVersionInput {
  /** The component name (v1alpha1: the key in spec.services). */
  readonly name: string;
  /** componentType (v1alpha1, with subComponentType for workers) or type (v1beta1). */
  readonly type?: string;
  /** multinode.nodeCount, if any. */
  readonly nodeCount?: number;
  /** Path of the component in the manifest, e.g. `spec.services.decode` or `spec.components[1]`. */
  readonly path: string;
  /** Path of the main image field. */
  readonly mainImagePath: string;
  /** Path of the sidecar runtime image field, when there is a `runtime` init container. */
  readonly sidecarRuntimeImagePath?: string;
}

function sidecar(spec: any, at: string): { image?: string; path?: string } {
  const inits = Array.isArray(spec?.initContainers) ? spec.initContainers : [];
  const i = inits.findIndex((c: any) => c?.name === RUNTIME_SIDECAR_CONTAINER);
  return i < 0 ? {} : { image: typeof inits[i].image === 'string' ? inits[i].image : '', path: `${at}.initContainers[${i}].image` };
}

/** The components of a DGD manifest; [] for anything else. */
export function dgdComponents(manifest: any): DgdComponent[] {
  if (manifest?.kind !== 'DynamoGraphDeployment') return [];
  const spec = manifest.spec ?? {};
  if (String(manifest.apiVersion).endsWith('/v1alpha1')) {
    return Object.entries<any>(spec.services ?? {}).map(([name, s]) => {
      const path = `spec.services.${name}`;
      const side = sidecar(s?.extraPodSpec, `${path}.extraPodSpec`);
      return {
        name,
        type: s?.subComponentType ?? s?.componentType,
        nodeCount: s?.multinode?.nodeCount,
        path,
        mainImage: s?.extraPodSpec?.mainContainer?.image,
        mainImagePath: `${path}.extraPodSpec.mainContainer.image`,
        sidecarRuntimeImage: side.image,
        sidecarRuntimeImagePath: side.path,
        override: s?.runtimeVersionOverride,
      };
    });
  }
  return (Array.isArray(spec.components) ? spec.components : []).map((c: any, i: number) => {
    const path = `spec.components[${i}]`;
    const containers = Array.isArray(c?.podTemplate?.spec?.containers) ? c.podTemplate.spec.containers : [];
    const m = containers.findIndex((x: any) => x?.name === 'main');
    const side = sidecar(c?.podTemplate?.spec, `${path}.podTemplate.spec`);
    return {
      name: c?.name,
      type: c?.type,
      nodeCount: c?.multinode?.nodeCount,
      path,
      mainImage: m < 0 ? undefined : containers[m].image,
      mainImagePath: `${path}.podTemplate.spec.containers[${m < 0 ? containers.length : m}].image`,
      sidecarRuntimeImage: side.image,
      sidecarRuntimeImagePath: side.path,
      override: c?.runtimeVersionOverride,
    };
  });
}

/**
 * Component types that may be multinode. A 1.5 operator refuses `multinode` on any other
 * ("multinode is supported only for worker, prefill, or decode components":
 * `validateMultinodeComponentType` in the webhook's shared v1beta1 validation).
 */
export const MULTINODE_COMPONENT_TYPES: ReadonlyArray<string> = ['worker', 'prefill', 'decode'];

/**
 * DGD annotations whose values the operator's webhook checks, with the values it allows
 * (compared ignoring case): `validateObjectMeta` / `invalidVLLMDistributedExecutorBackendAnnotation`.
 */
export const DGD_ANNOTATION_VALUES: { readonly [key: string]: ReadonlyArray<string> } = {
  'nvidia.com/vllm-distributed-executor-backend': ['mp', 'ray'],
};

/** The problem with a DGD annotation's value, or undefined when the webhook accepts it. */
export function dgdAnnotationProblem(key: string, value: string): string | undefined {
  const allowed = DGD_ANNOTATION_VALUES[key];
  if (allowed === undefined || allowed.includes(String(value).toLowerCase())) return undefined;
  return `the operator accepts only ${allowed.map((a) => JSON.stringify(a)).join(' or ')} here`;
}
