import { compact, deepMerge, DeploymentModel, EnvVarModel, nonEmpty, ServiceModel } from './model';
import { ResourceAmounts, ServiceRole } from './types';

/**
 * One renderer per DGD API version: version-neutral model in, `spec` out.
 * @internal
 */
export interface DeploymentRenderer {
  readonly apiVersion: string;
  renderSpec(model: DeploymentModel): { [key: string]: any };
}

const GPU_RESOURCE = 'nvidia.com/gpu';

function envList(env: ReadonlyArray<EnvVarModel>): Array<{ name: string; value: string }> | undefined {
  return env.length ? env.map((e) => ({ name: e.name, value: e.value })) : undefined;
}

/** An empty list means the same as none to Kubernetes, so it is left out. */
function list<T>(items: ReadonlyArray<T> | undefined): T[] | undefined {
  return items === undefined || items.length === 0 ? undefined : [...items];
}

function podMetadata(meta: { [key: string]: any } | undefined): { [key: string]: any } | undefined {
  return meta && Object.keys(meta).length ? { ...meta } : undefined;
}

/** v1alpha1: `componentType` plus `subComponentType` for disaggregated workers. */
function componentTypes(role: ServiceRole): { componentType: string; subComponentType?: string } {
  switch (role) {
    case ServiceRole.PREFILL:
      return { componentType: 'worker', subComponentType: 'prefill' };
    case ServiceRole.DECODE:
      return { componentType: 'worker', subComponentType: 'decode' };
    default:
      return { componentType: role };
  }
}

function v1alpha1Amounts(a: ResourceAmounts | undefined): { [key: string]: any } | undefined {
  if (!a) return undefined;
  const out = compact({
    cpu: a.cpu,
    memory: a.memory,
    gpu: a.gpu === undefined ? undefined : String(a.gpu),
    custom: a.custom && Object.keys(a.custom).length ? { ...a.custom } : undefined,
  });
  return Object.keys(out).length ? out : undefined;
}

function v1beta1Amounts(a: ResourceAmounts | undefined): { [key: string]: any } | undefined {
  if (!a) return undefined;
  const out: { [key: string]: any } = compact({
    cpu: a.cpu,
    memory: a.memory,
    [GPU_RESOURCE]: a.gpu === undefined ? undefined : String(a.gpu),
  });
  Object.assign(out, a.custom);
  return Object.keys(out).length ? out : undefined;
}

/** @internal */
export const V1ALPHA1_RENDERER: DeploymentRenderer = {
  apiVersion: 'nvidia.com/v1alpha1',
  renderSpec(model) {
    const services: { [name: string]: any } = {};
    for (const s of model.services) services[s.name] = renderV1alpha1Service(s, model.globalDynamoNamespace);
    return compact({
      backendFramework: model.backendFramework,
      envs: envList(model.env),
      pvcs: list(model.pvcs),
      services,
    });
  },
};

function renderV1alpha1Service(s: ServiceModel, globalNamespace: boolean): { [key: string]: any } {
  const mainContainer = nonEmpty(deepMerge(compact({
    image: s.image,
    workingDir: s.workingDir,
    command: list(s.command),
    args: list(s.args),
  }), s.mainContainer));
  const extraPodSpec = nonEmpty(deepMerge(compact({ mainContainer }), s.podSpec));
  const resources = s.resources && nonEmpty(compact({
    requests: v1alpha1Amounts(s.resources.requests),
    limits: v1alpha1Amounts(s.resources.limits),
  }));
  return compact({
    ...componentTypes(s.role),
    globalDynamoNamespace: globalNamespace ? true : undefined,
    replicas: s.replicas,
    runtimeVersionOverride: s.runtimeVersionOverride,
    envFromSecret: s.envFromSecret,
    envs: envList(s.env),
    resources,
    multinode: s.multinodeNodeCount === undefined ? undefined : { nodeCount: s.multinodeNodeCount },
    scalingAdapter: s.scalingAdapterEnabled ? { enabled: true } : undefined,
    extraPodMetadata: podMetadata(s.podMetadata),
    volumeMounts: list(s.volumeMounts),
    extraPodSpec,
  });
}

/** @internal */
export const V1BETA1_RENDERER: DeploymentRenderer = {
  apiVersion: 'nvidia.com/v1beta1',
  renderSpec(model) {
    return compact({
      backendFramework: model.backendFramework,
      env: envList(model.env),
      components: model.services.map((s) => renderV1beta1Component(s, model.globalDynamoNamespace)),
    });
  },
};

/** The name of the main container in a v1beta1 pod template. */
const MAIN_CONTAINER = 'main';

function renderV1beta1Component(s: ServiceModel, globalNamespace: boolean): { [key: string]: any } {
  const resources = s.resources && nonEmpty(compact({
    limits: v1beta1Amounts(s.resources.limits),
    requests: v1beta1Amounts(s.resources.requests),
  }));
  const main = deepMerge(compact({
    name: MAIN_CONTAINER,
    image: s.image,
    workingDir: s.workingDir,
    command: list(s.command),
    args: list(s.args),
    env: envList(s.env),
    envFrom: s.envFromSecret === undefined ? undefined : [{ secretRef: { name: s.envFromSecret } }],
    resources,
  }), s.mainContainer);
  const extraContainers: any[] = s.podSpec?.containers ?? [];
  const spec = deepMerge({}, s.podSpec);
  const hasMain = Object.keys(main).length > 1;
  const metadata = podMetadata(s.podMetadata);
  const needsTemplate = hasMain || Object.keys(spec).length > 0 || metadata !== undefined;
  if (needsTemplate) {
    // The CRD requires containers; the main container comes first, the escape hatch's
    // own containers follow it.
    spec.containers = [main, ...extraContainers.filter((c) => c?.name !== MAIN_CONTAINER)];
  }
  const podTemplate = needsTemplate
    ? compact({ metadata, spec })
    : undefined;
  return compact({
    name: s.name,
    type: s.role,
    globalDynamoNamespace: globalNamespace ? true : undefined,
    replicas: s.replicas,
    runtimeVersionOverride: s.runtimeVersionOverride,
    multinode: s.multinodeNodeCount === undefined ? undefined : { nodeCount: s.multinodeNodeCount },
    scalingAdapter: s.scalingAdapterEnabled ? {} : undefined,
    podTemplate,
  });
}
