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

function v1alpha1Amounts(a: ResourceAmounts | undefined): { [key: string]: any } | undefined {
  if (!a) return undefined;
  const out: { [key: string]: any } = {};
  let any = false;
  if (a.cpu !== undefined) { out.cpu = a.cpu; any = true; }
  if (a.memory !== undefined) { out.memory = a.memory; any = true; }
  if (a.gpu !== undefined) { out.gpu = String(a.gpu); any = true; }
  if (a.custom && Object.keys(a.custom).length) { out.custom = { ...a.custom }; any = true; }
  return any ? out : undefined;
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

/**
 * One v1alpha1 service. Written with plain assignments rather than `compact({...})` of
 * a spread literal: a fleet renders thousands of services, and building every optional
 * key and then copying the defined ones cost about as much as the rest of the build.
 * The keys and their order are those of the literal form (cdk8s sorts them anyway).
 */
function renderV1alpha1Service(s: ServiceModel, globalNamespace: boolean): { [key: string]: any } {
  const mainBase: { [key: string]: any } = {};
  if (s.image !== undefined) mainBase.image = s.image;
  if (s.workingDir !== undefined) mainBase.workingDir = s.workingDir;
  if (s.command !== undefined && s.command.length > 0) mainBase.command = [...s.command];
  if (s.args !== undefined && s.args.length > 0) mainBase.args = [...s.args];
  const mainContainer = nonEmpty(deepMerge(mainBase, s.mainContainer));
  const extraPodSpec = nonEmpty(deepMerge(mainContainer === undefined ? {} : { mainContainer }, s.podSpec));
  let resources: { [key: string]: any } | undefined;
  if (s.resources) {
    const requests = v1alpha1Amounts(s.resources.requests);
    const limits = v1alpha1Amounts(s.resources.limits);
    if (requests !== undefined || limits !== undefined) {
      resources = {};
      if (requests !== undefined) resources.requests = requests;
      if (limits !== undefined) resources.limits = limits;
    }
  }
  const out: { [key: string]: any } = {};
  switch (s.role) {
    case ServiceRole.PREFILL:
      out.componentType = 'worker';
      out.subComponentType = 'prefill';
      break;
    case ServiceRole.DECODE:
      out.componentType = 'worker';
      out.subComponentType = 'decode';
      break;
    default:
      if (s.role !== undefined) out.componentType = s.role;
  }
  if (globalNamespace) out.globalDynamoNamespace = true;
  if (s.replicas !== undefined) out.replicas = s.replicas;
  if (s.runtimeVersionOverride !== undefined) out.runtimeVersionOverride = s.runtimeVersionOverride;
  if (s.envFromSecret !== undefined) out.envFromSecret = s.envFromSecret;
  if (s.env.length > 0) out.envs = envList(s.env);
  if (resources !== undefined) out.resources = resources;
  if (s.multinodeNodeCount !== undefined) out.multinode = { nodeCount: s.multinodeNodeCount };
  if (s.scalingAdapterEnabled) out.scalingAdapter = { enabled: true };
  const metadata = podMetadata(s.podMetadata);
  if (metadata !== undefined) out.extraPodMetadata = metadata;
  if (s.volumeMounts !== undefined && s.volumeMounts.length > 0) out.volumeMounts = [...s.volumeMounts];
  if (extraPodSpec !== undefined) out.extraPodSpec = extraPodSpec;
  return out;
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
