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

/**
 * Where a component's fields are in a DGD manifest: the component, its main image and
 * (for init container `sidecarIndex`) its runtime sidecar's image. v1beta1 renders
 * the main container first (index 0 in the library's output).
 */
export function componentPaths(
  v1alpha1: boolean, name: string, index: number, mainIndex = 0,
): { path: string; mainImagePath: string; podSpecPath: string } {
  if (v1alpha1) {
    const path = `spec.services.${name}`;
    return { path, mainImagePath: `${path}.extraPodSpec.mainContainer.image`, podSpecPath: `${path}.extraPodSpec` };
  }
  const path = `spec.components[${index}]`;
  return { path, mainImagePath: `${path}.podTemplate.spec.containers[${mainIndex}].image`, podSpecPath: `${path}.podTemplate.spec` };
}

/** The path of init container `index`'s image under a pod spec path. */
export function initContainerImagePath(podSpecPath: string, index: number): string {
  return `${podSpecPath}.initContainers[${index}].image`;
}

function sidecar(spec: any, at: string): { image?: string; path?: string } {
  const inits = Array.isArray(spec?.initContainers) ? spec.initContainers : [];
  const i = inits.findIndex((c: any) => c?.name === RUNTIME_SIDECAR_CONTAINER);
  return i < 0 ? {} : { image: typeof inits[i].image === 'string' ? inits[i].image : '', path: initContainerImagePath(at, i) };
}

/** The components of a DGD manifest; [] for anything else. */
export function dgdComponents(manifest: any): DgdComponent[] {
  if (manifest?.kind !== 'DynamoGraphDeployment') return [];
  const spec = manifest.spec ?? {};
  if (String(manifest.apiVersion).endsWith('/v1alpha1')) {
    return Object.entries<any>(spec.services ?? {}).map(([name, s]) => {
      const { path, mainImagePath, podSpecPath } = componentPaths(true, name, 0);
      const side = sidecar(s?.extraPodSpec, podSpecPath);
      return {
        name,
        type: s?.subComponentType ?? s?.componentType,
        nodeCount: s?.multinode?.nodeCount,
        path,
        mainImage: s?.extraPodSpec?.mainContainer?.image,
        mainImagePath,
        sidecarRuntimeImage: side.image,
        sidecarRuntimeImagePath: side.path,
        override: s?.runtimeVersionOverride,
      };
    });
  }
  return (Array.isArray(spec.components) ? spec.components : []).map((c: any, i: number) => {
    const containers = Array.isArray(c?.podTemplate?.spec?.containers) ? c.podTemplate.spec.containers : [];
    const m = containers.findIndex((x: any) => x?.name === 'main');
    const { path, mainImagePath, podSpecPath } = componentPaths(false, c?.name, i, m < 0 ? containers.length : m);
    const side = sidecar(c?.podTemplate?.spec, podSpecPath);
    return {
      name: c?.name,
      type: c?.type,
      nodeCount: c?.multinode?.nodeCount,
      path,
      mainImage: m < 0 ? undefined : containers[m].image,
      mainImagePath,
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
