import { IConstruct } from 'constructs';
import type { DynamoGraphDeployment } from './deployment';
import { EnvVarModel, ServiceModel } from './model';
import { DynamoScalingAdapter } from './scaling-adapter';
import { DynamoApiVersion, ResourceAmounts, ServiceResources, ServiceRole } from './types';
import { describeValue, invalid } from '../base/errors';
import { DynamoNames, GROVE_NAME_BUDGET, isLabelValue, isQualifiedName, MAX_SUBDOMAIN_LENGTH } from '../base/naming';
import { AutoscalerRegistry, AutoscalerSource } from '../base/scale-target';
import { requireDnsLabel, requireDnsSubdomain, requireInteger } from '../base/validators';
import { componentPaths, initContainerImagePath, MULTINODE_COMPONENT_TYPES } from '../core/dgd-components';
import { componentNameBudget, ENABLE_GROVE_ANNOTATION, groveNameLengthProblem, MAX_COMBINED_GROVE_NAME_LENGTH } from '../core/grove';
import { INT32_MAX, isInt32 } from '../core/int32';
import { holdsIn, RELEASE_RULES } from '../core/release-rules';
import { eppConfigProblem, resolveRuntimeVersion, RUNTIME_SIDECAR_CONTAINER, runtimeVersionProblems } from '../core/runtime-version';
import { adapterNameLengthText, componentRuntimeText, groveNamePath, groveNameText } from '../rules/dgd';
import { servicePath } from '../rules/util';

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i?|[munkMGTPE])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Resources with a typed field of their own, which `custom` may not repeat. */
const TYPED_RESOURCES: Record<string, string> = { 'cpu': 'cpu', 'memory': 'memory', 'nvidia.com/gpu': 'gpu', 'gpu': 'gpu' };
/** The name of the main container, in both API versions. */
const MAIN_CONTAINER = 'main';
/**
 * Main-container fields the library renders from typed options: the `mainContainer`
 * escape hatch may not override them (the typed option's checks would be bypassed, and
 * in v1alpha1 some render elsewhere than the hatch would put them).
 */
const MANAGED_MAIN_FIELDS: Record<string, string> = {
  name: "the main container's name is fixed ('main'); leave it out",
  image: "use the 'image' option",
  command: "use the 'command' option",
  args: "use the 'args' option",
  workingDir: "use the 'workingDir' option",
  env: "use the 'env' option or addEnv()",
  envFrom: "use the 'envFromSecret' option",
  resources: "use the 'resources' option",
};
/** Length of the worker-spec hash the operator appends to worker DCD names in rolling updates. */
const WORKER_HASH_LENGTH = 8;
/** Roles whose DynamoComponentDeployments carry the worker-spec hash. */
const WORKER_ROLES: ReadonlySet<string> = new Set([ServiceRole.WORKER, ServiceRole.PREFILL, ServiceRole.DECODE]);
/** The roles, for the enum check. */
const SERVICE_ROLES: ReadonlySet<string> = new Set(Object.values(ServiceRole));
/** The keys of DynamoServiceOptions, for messages about unknown keys. */
const OPTION_KEYS = [
  'role', 'image', 'runtimeVersionOverride', 'command', 'args', 'workingDir', 'env', 'envFromSecret', 'resources',
  'replicas', 'seedReplicas', 'scalingAdapter', 'multinodeNodeCount', 'podSpec', 'mainContainer', 'podMetadata', 'volumeMounts',
];
/** The same, for lookups. */
const OPTION_KEY_SET: ReadonlySet<string> = new Set(OPTION_KEYS);

/**
 * Options of a DGD service, given to `DynamoGraphDeployment.addService`.
 */
export interface DynamoServiceOptions {
  /** What the service does in the graph. */
  readonly role: ServiceRole;

  /**
   * Container image of the main container.
   * @default - the operator's default for the role
   */
  readonly image?: string;

  /**
   * The Dynamo runtime version in the service's runtime image, `MAJOR.MINOR.PATCH`
   * (Dynamo 1.5+). Required by a 1.5 operator when the runtime image (the `runtime` init
   * container's in sidecar mode, else `image`) has no semantic-version tag (a digest,
   * `latest`, a custom tag); also set it when the tag is not the Dynamo runtime version
   * (e.g. an engine's version).
   * @default - the operator reads it from the image tag
   */
  readonly runtimeVersionOverride?: string;

  /**
   * Command of the main container.
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments of the main container.
   * @default - none
   */
  readonly args?: string[];

  /**
   * Working directory of the main container.
   * @default - the image's
   */
  readonly workingDir?: string;

  /**
   * Environment variables of the service, in order.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Name of a Secret whose keys become environment variables (e.g. `hf-token-secret`).
   * @default - none
   */
  readonly envFromSecret?: string;

  /**
   * CPU, memory, GPU and other resources of the main container.
   * @default - none
   */
  readonly resources?: ServiceResources;

  /**
   * Number of replicas. Left out of the manifest while the scaling adapter is
   * enabled, unless `seedReplicas` is set.
   * @default - the operator's default (1)
   */
  readonly replicas?: number;

  /**
   * Keep `replicas` in the manifest even when the scaling adapter owns the
   * replica count, to seed the adapter's initial count on creation. The operator's
   * webhook then rejects any later apply of this manifest once an autoscaler has
   * changed the count, so only use it for one-off creation.
   * @default false
   */
  readonly seedReplicas?: boolean;

  /**
   * Enable the service's scaling adapter (DGDSA) without binding an autoscaler,
   * e.g. for an external /scale controller. Binding an autoscaler of this library
   * enables it anyway.
   * @default false
   */
  readonly scalingAdapter?: boolean;

  /**
   * Number of nodes for a multinode service (>= 2).
   * @default - single node
   */
  readonly multinodeNodeCount?: number;

  /**
   * Raw pod spec fields, in Kubernetes wire format, merged into the pod spec
   * (`extraPodSpec` in v1alpha1, `podTemplate.spec` in v1beta1) after everything
   * else. Objects merge key by key; arrays and scalars replace.
   * @default - none
   */
  readonly podSpec?: { [key: string]: any };

  /**
   * Raw main-container fields, in Kubernetes wire format (e.g. `volumeMounts`,
   * `ports`, `readinessProbe`), merged into the main container after everything else.
   * Fields the typed options manage (`name`, `image`, `command`, `args`, `workingDir`,
   * `env`, `envFrom`, `resources`) are refused here.
   * @default - none
   */
  readonly mainContainer?: { [key: string]: any };

  /**
   * Labels and annotations for the service's pods (`extraPodMetadata` in v1alpha1,
   * `podTemplate.metadata` in v1beta1), raw.
   * @default - none
   */
  readonly podMetadata?: { [key: string]: any };

  /**
   * v1alpha1 only: service-level PVC mounts (`{name, mountPoint, useAsCompilationCache}`).
   * In v1beta1 use `mainContainer.volumeMounts` and `podSpec.volumes`.
   * @default - none
   */
  readonly volumeMounts?: Array<{ [key: string]: any }>;
}

/**
 * One service (component) of a DynamoGraphDeployment. Create with
 * `DynamoGraphDeployment.addService`.
 *
 * Not a construct of its own: a fleet of DGDs synthesizes faster with fewer constructs
 * (cdk8s walks the whole tree once per chart), and a service has no object of its own.
 * Errors still name it by path, `<dgd construct path>/<service name>`.
 */
export class DynamoService {
  /** The DGD the service belongs to. */
  public readonly deployment: DynamoGraphDeployment;
  /** Where the service is, for messages: `<dgd construct path>/<service name>`. */
  public readonly path: string;
  /** The service name: the key in `spec.services` (v1alpha1) or `name` (v1beta1). */
  public readonly serviceName: string;
  /** The role of the service. */
  public readonly role: ServiceRole;
  /** The configured replica count, if any (see `renderedReplicas` for what is emitted). */
  public readonly replicas?: number;
  /** Whether `replicas` is kept in the manifest when the adapter is enabled. */
  public readonly seedReplicas: boolean;
  /** Number of nodes of a multinode service. */
  public readonly multinodeNodeCount?: number;
  /** The main container's image, if set. */
  public readonly image?: string;
  /** The declared Dynamo runtime version (`runtimeVersionOverride`), if set. */
  public readonly runtimeVersionOverride?: string;
  /** The service's scaling adapter, as a scale target for any autoscaler. */
  public readonly adapter: DynamoScalingAdapter;

  private readonly options: DynamoServiceOptions;
  private readonly env: EnvVarModel[];
  private adapterEnabled: boolean;
  private plannerPath?: string;

  /**
   * Adds the service `name` to `deployment`; same as `deployment.addService(name, options)`.
   */
  public constructor(deployment: DynamoGraphDeployment, name: string, options: DynamoServiceOptions) {
    checkServiceArguments(deployment, name, options);
    deployment._admitService(name, options.role);
    this.deployment = deployment;
    this.path = `${deployment._nodePath}/${name}`;
    this.env = [];
    this.options = options;
    this.serviceName = name;
    this.role = options.role;
    this.replicas = options.replicas;
    this.seedReplicas = options.seedReplicas ?? false;
    this.multinodeNodeCount = options.multinodeNodeCount;
    this.image = options.image;
    this.runtimeVersionOverride = options.runtimeVersionOverride;
    this.adapterEnabled = options.scalingAdapter ?? false;
    this.adapter = new DynamoScalingAdapter(this);
    this.validateOptions();
    for (const [k, v] of Object.entries(options.env ?? {})) this.addEnv(k, v);
    deployment._registerService(this);
  }

  /** Name of the DGD this service belongs to. */
  public get deploymentName(): string {
    return this.deployment.name;
  }

  /** Namespace of the DGD this service belongs to. */
  public get deploymentNamespace(): string | undefined {
    return this.deployment.namespace;
  }

  /** apiVersion of the DGD (and so of its adapters), e.g. `nvidia.com/v1alpha1`. */
  public get deploymentApiVersion(): string {
    return this.deployment.apiVersionString;
  }

  /** Whether the service's scaling adapter is enabled (explicitly or by a binding). */
  public get scalingAdapterEnabled(): boolean {
    return this.adapterEnabled;
  }

  /** Whether the Dynamo Planner manages this service's replicas. */
  public get managedByPlanner(): boolean {
    return this.plannerPath !== undefined;
  }

  /**
   * The replica count that is rendered: none while the adapter owns the count
   * (unless seeded), otherwise the configured one.
   */
  public get renderedReplicas(): number | undefined {
    if (this.adapterEnabled && !this.seedReplicas) return undefined;
    return this.replicas;
  }

  /** Enables the service's scaling adapter (DGDSA). Idempotent. */
  public enableScalingAdapter(): void {
    this.adapterEnabled = true;
  }

  /** Adds an environment variable to the service. */
  public addEnv(name: string, value: string): void {
    addEnvVar(this.path, 'service', this.env, name, value);
  }

  /**
   * Marks the service as scaled by the Dynamo Planner at `plannerPath`: no other
   * autoscaler may bind to it, and its adapter is enabled when `enableAdapter` is set.
   * @internal
   */
  public _markManagedByPlanner(plannerPath: string, enableAdapter: boolean = true, ownership?: string): void {
    this.plannerPath = plannerPath;
    if (enableAdapter) this.enableScalingAdapter();
    AutoscalerRegistry.of(this.deployment).bind(this.adapter.scaleTargetRef, { kind: 'Planner', name: 'planner', path: plannerPath, source: AutoscalerSource.PLANNER, ownership });
  }

  /** @internal */
  public _toModel(): ServiceModel {
    const o = this.options;
    return {
      name: this.serviceName,
      role: this.role,
      image: o.image,
      runtimeVersionOverride: o.runtimeVersionOverride,
      command: o.command,
      args: o.args,
      workingDir: o.workingDir,
      env: this.env,
      envFromSecret: o.envFromSecret,
      resources: o.resources,
      replicas: this.renderedReplicas,
      multinodeNodeCount: o.multinodeNodeCount,
      scalingAdapterEnabled: this.adapterEnabled,
      podSpec: o.podSpec,
      mainContainer: o.mainContainer,
      podMetadata: o.podMetadata,
      volumeMounts: o.volumeMounts,
    };
  }

  private validateOptions(): void {
    const o = this.options;
    if (!SERVICE_ROLES.has(o.role)) {
      throw invalid(this.path, 'role', o.role, `must be one of ${Object.values(ServiceRole).join(', ')}`);
    }
    // Both are int32 in the CRDs (replicas, multinode.nodeCount).
    requireInt32(this.path, 'replicas', o.replicas, 0);
    requireInt32(this.path, 'multinodeNodeCount', o.multinodeNodeCount, 2);
    if (o.multinodeNodeCount !== undefined && !MULTINODE_COMPONENT_TYPES.includes(o.role)
      && holdsIn(RELEASE_RULES.multinodeWorkersOnly, this.deployment.release)) {
      throw invalid(this.path, 'multinodeNodeCount', o.multinodeNodeCount,
        `Dynamo ${RELEASE_RULES.multinodeWorkersOnly.since.version} supports multinode only for worker, prefill and decode services; this one is ${o.role}`);
    }
    this.validateDerivedNames();
    if (o.seedReplicas && o.replicas === undefined) {
      throw invalid(this.path, 'seedReplicas', true, "needs 'replicas': there is no count to seed");
    }
    this.validateResources('resources.requests', o.resources?.requests);
    this.validateResources('resources.limits', o.resources?.limits);
    for (const field of ['image', 'runtimeVersionOverride', 'workingDir', 'envFromSecret'] as const) {
      const v = o[field];
      if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
        throw invalid(this.path, field, v, 'must be a non-empty string');
      }
    }
    for (const field of ['command', 'args'] as const) {
      const v = o[field];
      if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
        throw invalid(this.path, field, v, 'must be a list of strings');
      }
    }
    if (o.envFromSecret !== undefined) requireDnsSubdomain(this.path, 'envFromSecret', o.envFromSecret, 'a Secret');
    const podContainers = o.podSpec?.containers;
    if (Array.isArray(podContainers) && podContainers.some((c: any) => c?.name === MAIN_CONTAINER)) {
      throw invalid(this.path, 'podSpec.containers', MAIN_CONTAINER,
        "the main container is configured by the service's own options and 'mainContainer'; podSpec.containers may only add other containers");
    }
    this.validateExtraContainers();
    this.validateMainContainerHatch();
    this.validatePodMetadata();
    this.validateRuntimeVersion();
    // Fields of one API version used with the other.
    if (this.deployment.apiVersion === DynamoApiVersion.V1BETA1) {
      if (o.volumeMounts !== undefined) {
        throw invalid(this.path, 'volumeMounts', o.volumeMounts,
          "exists only in v1alpha1; in v1beta1 use 'mainContainer.volumeMounts' and 'podSpec.volumes'");
      }
      if (o.podSpec && 'mainContainer' in o.podSpec) {
        throw invalid(this.path, 'podSpec.mainContainer', o.podSpec.mainContainer,
          "is v1alpha1's extraPodSpec.mainContainer; use the 'mainContainer' option, which renders in both versions");
      }
    } else if (o.podSpec && 'mainContainer' in o.podSpec) {
      throw invalid(this.path, 'podSpec.mainContainer', o.podSpec.mainContainer,
        "use the 'mainContainer' option, which renders in both API versions");
    }
  }

  /**
   * Names the operator derives from the DGD and service: the DynamoComponentDeployment
   * and the scaling adapter `<dgd>-<service>` (object names, at most 253), and, when
   * Grove runs the DGD, the PodCliqueSet, PodCliqueScalingGroup and PodClique names.
   */
  private validateDerivedNames(): void {
    const dgd = this.deployment;
    const name = this.serviceName;
    // Worker DCDs carry the worker-spec hash (8 hex digits) during rolling updates:
    // `<dgd>-<service>-<hash>` (GetDynamoComponentName + "-" + ComputeDGDWorkersSpecHash).
    const adapter = DynamoNames.adapterName(dgd.name, name);
    const v1alpha1 = dgd.apiVersion === DynamoApiVersion.V1ALPHA1;
    // Not registered yet: its index is the number of services before it (errors only).
    const index = () => dgd.services.length;
    if (adapter.length > MAX_SUBDOMAIN_LENGTH && this.options.scalingAdapter === true) {
      throw dgd._ruleError(this.path, { ruleId: 'DYN109', path: servicePath(v1alpha1, name, index()), text: adapterNameLengthText(adapter), value: name },
        `(shorten the DGD name (${dgd.name.length}) or the service name (${name.length}))`);
    }
    const worker = WORKER_ROLES.has(this.role);
    const longest = adapter.length + (worker ? 1 + WORKER_HASH_LENGTH : 0);
    if (longest > MAX_SUBDOMAIN_LENGTH) {
      const what = worker
        ? `its scaling adapter '<dgd>-<service>' and its DynamoComponentDeployment, '<dgd>-<service>-<8-digit hash>' during rolling updates (${longest} characters here)`
        : `its DynamoComponentDeployment and scaling adapter '<dgd>-<service>' (${longest} characters here)`;
      throw invalid(this.path, 'name', name,
        `the operator names ${what}, over Kubernetes' ${MAX_SUBDOMAIN_LENGTH}-character limit for object names; shorten the DGD name '${dgd.name.length > 40 ? `${dgd.name.slice(0, 37)}...` : dgd.name}' (${dgd.name.length}) or the service name (${name.length})`);
    }
    const nodeCount = this.options.multinodeNodeCount;
    if (holdsIn(RELEASE_RULES.groveNameLengthAllComponents, dgd.release)) {
      if (dgd.groveEnabled) {
        const self = { name, nodeCount };
        // The other services matter only when this one's names leave the DGD name too little room.
        const problem = dgd.name.length + componentNameBudget(self) <= MAX_COMBINED_GROVE_NAME_LENGTH ? undefined
          : groveNameLengthProblem(dgd.name, [...dgd.services, this].map((s) => ({ name: s.serviceName, nodeCount: s.multinodeNodeCount })), self);
        if (problem !== undefined) {
          throw dgd._ruleError(this.path, {
            ruleId: 'DYN103', path: groveNamePath(componentPaths(v1alpha1, name, index()).path, v1alpha1), text: groveNameText(name, problem), value: name,
          }, `(or annotate the DGD '${ENABLE_GROVE_ANNOTATION}: "false"' if it must not run on Grove)`);
        }
      }
    } else if (nodeCount !== undefined) {
      // Before 1.5 the PCS name is the DGD name, and only multinode components use Grove.
      const used = dgd.name.length + 2 * name.length + 4;
      if (used > GROVE_NAME_BUDGET) {
        throw invalid(this.path, 'name', name,
          `a multinode service of DGD '${dgd.name}' needs len(dgd) + 2 x len(service) + 4 <= ${GROVE_NAME_BUDGET} for Grove's generated names; this is ${used}`);
      }
    }
  }

  /** The escape hatch may add main-container fields, not replace the ones the options manage. */
  private validateMainContainerHatch(): void {
    const hatch = this.options.mainContainer;
    if (hatch === undefined) return;
    for (const key of Object.keys(hatch)) {
      const use = MANAGED_MAIN_FIELDS[key];
      if (use !== undefined) {
        throw invalid(this.path, `mainContainer.${key}`, hatch[key], `is managed by the library and cannot be set through the escape hatch: ${use}`);
      }
    }
  }

  /**
   * Dynamo 1.5's admission: a main image, and a runtime version from the runtime image's
   * tag or from `runtimeVersionOverride` (a field that only 1.5 CRDs have).
   */
  private validateRuntimeVersion(): void {
    const o = this.options;
    const release = this.deployment.release;
    if (o.runtimeVersionOverride !== undefined && !holdsIn(RELEASE_RULES.runtimeVersionOverrideField, release)) {
      throw invalid(this.path, 'runtimeVersionOverride', o.runtimeVersionOverride,
        `exists from Dynamo ${RELEASE_RULES.runtimeVersionOverrideField.since.version}; this DGD targets ${release.version}, whose CRD would drop it`);
    }
    if (!holdsIn(RELEASE_RULES.mainImageRequired, release)) return;
    const inits: any[] = Array.isArray(o.podSpec?.initContainers) ? o.podSpec!.initContainers : [];
    const sidecarIndex = inits.findIndex((c) => c?.name === RUNTIME_SIDECAR_CONTAINER);
    const problems = runtimeVersionProblems({
      mainImage: o.image,
      sidecarRuntimeImage: sidecarIndex >= 0 ? inits[sidecarIndex].image : undefined,
      override: o.runtimeVersionOverride,
    });
    const p = problems[0];
    const hint = () => `(this DGD targets Dynamo ${release.version}: set its 'release' if the operator is older than ${RELEASE_RULES.mainImageRequired.since.version})`;
    if (p !== undefined) {
      if (p.field === 'runtimeVersionOverride') throw invalid(this.path, p.field, p.value, `${p.message} ${hint()}`);
      // DYN101 (no main image) and DYN102 (no version in the runtime image's tag), at the
      // field the DGD renders them at.
      const v1alpha1 = this.deployment.apiVersion === DynamoApiVersion.V1ALPHA1;
      const paths = componentPaths(v1alpha1, this.serviceName, this.deployment.services.length);
      const noImage = p.field === 'image' && (p.value === undefined || p.value === '');
      throw this.deployment._ruleError(this.path, {
        ruleId: noImage ? 'DYN101' : 'DYN102',
        path: p.field === 'sidecarImage' ? initContainerImagePath(paths.podSpecPath, sidecarIndex) : paths.mainImagePath,
        text: componentRuntimeText(this.serviceName, p),
        value: p.value,
      }, hint());
    }
    if (this.role === ServiceRole.EPP && holdsIn(RELEASE_RULES.eppRuntimeContract, release)) {
      const runtimeImage = sidecarIndex >= 0 ? inits[sidecarIndex].image : o.image!;
      const version = resolveRuntimeVersion(runtimeImage, o.runtimeVersionOverride).version!;
      // The library renders no eppConfig (the Go EPP it configured was removed).
      const problem = eppConfigProblem(version, false);
      if (problem !== undefined) {
        throw invalid(this.path, o.runtimeVersionOverride !== undefined ? 'runtimeVersionOverride' : 'image', o.runtimeVersionOverride ?? o.image,
          `${problem}, which this library does not render: use an EPP image of Dynamo 1.5.0 or later ${hint()}`);
      }
    }
  }

  /**
   * Containers added through `podSpec` sit next to the main container in one pod: each
   * needs a name unique in the pod and an image (the v1beta1 CRD checks sidecar and init
   * images in CEL; Kubernetes checks both for every pod).
   */
  private validateExtraContainers(): void {
    const podSpec = this.options.podSpec;
    if (podSpec === undefined || (podSpec.containers === undefined && podSpec.initContainers === undefined)) return;
    const names = new Set<string>([MAIN_CONTAINER]);
    for (const field of ['containers', 'initContainers'] as const) {
      const list = this.options.podSpec?.[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw invalid(this.path, `podSpec.${field}`, list, 'must be a list of containers');
      list.forEach((c: any, i: number) => {
        const at = `podSpec.${field}[${i}]`;
        if (c === null || typeof c !== 'object' || Array.isArray(c)) throw invalid(this.path, at, c, 'must be a container object');
        requireDnsLabel(this.path, `${at}.name`, c.name);
        if (names.has(c.name)) {
          throw invalid(this.path, `${at}.name`, c.name, `container names must be unique in the pod ('${MAIN_CONTAINER}' is the main container's)`);
        }
        names.add(c.name);
        if (typeof c.image !== 'string' || c.image.length === 0) {
          throw invalid(this.path, `${at}.image`, c.image, 'containers added through podSpec need a non-empty image');
        }
      });
    }
  }

  /** Pod metadata renders as `extraPodMetadata` (v1alpha1), which has labels and annotations only. */
  private validatePodMetadata(): void {
    const meta = this.options.podMetadata;
    if (meta === undefined) return;
    for (const key of Object.keys(meta)) {
      if (key !== 'labels' && key !== 'annotations') {
        throw invalid(this.path, `podMetadata.${key}`, meta[key], "pod metadata may only carry 'labels' and 'annotations'");
      }
    }
    validateMetadataMaps(this.path, 'podMetadata.', meta.labels, meta.annotations);
  }

  private validateResources(field: string, amounts: ResourceAmounts | undefined): void {
    if (!amounts) return;
    requireInteger(this.path, `${field}.gpu`, amounts.gpu, 0);
    for (const key of ['cpu', 'memory'] as const) {
      const v = amounts[key];
      if (v !== undefined && (typeof v !== 'string' || !QUANTITY.test(v))) {
        throw invalid(this.path, `${field}.${key}`, v, 'must be a Kubernetes quantity such as "500m", "2", "16Gi"');
      }
    }
    for (const [k, v] of Object.entries(amounts.custom ?? {})) {
      // v1beta1 puts custom resources next to cpu, memory and nvidia.com/gpu in one map,
      // where a custom entry of the same name would silently replace the typed one.
      const typed = TYPED_RESOURCES[k];
      if (typed !== undefined) {
        throw invalid(this.path, `${field}.custom`, k, `use the '${typed}' field for ${k}`);
      }
      if (!isQualifiedName(k)) {
        throw invalid(this.path, `${field}.custom`, k, "resource names are '[prefix/]name', e.g. 'ephemeral-storage' or 'nvidia.com/mig-1g.10gb'");
      }
      if (typeof v !== 'string' || !QUANTITY.test(v)) {
        throw invalid(this.path, `${field}.custom.${k}`, v, 'must be a Kubernetes quantity such as "2Gi"');
      }
    }
  }
}

/** A field the CRD types as int32. */
function requireInt32(path: string, field: string, value: unknown, min: number): void {
  if (value !== undefined && !isInt32(value, min)) {
    throw invalid(path, field, value, `must be an integer from ${min} to ${INT32_MAX} (an int32)`);
  }
}

/**
 * The shapes of `addService`'s arguments, checked before anything reads them, so that a
 * JavaScript caller (or any jsii language) gets a message with the construct path rather
 * than a TypeError from deep inside.
 */
function checkServiceArguments(deployment: DynamoGraphDeployment, name: unknown, options: unknown): void {
  const dgdPath = typeof (deployment as any)?._admitService === 'function' ? deployment._nodePath : undefined;
  if (typeof dgdPath !== 'string') {
    throw invalid('DynamoService', 'deployment', deployment, 'must be a DynamoGraphDeployment (use dgd.addService(name, options))');
  }
  const path = `${dgdPath}/${typeof name === 'string' ? name : describeValue(name)}`;
  if (typeof name !== 'string') {
    throw invalid(dgdPath, 'addService(name)', name, "must be the service name, a string such as 'decode'");
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(path, 'addService(options)', options,
      "must be an object of DynamoServiceOptions, e.g. { role: ServiceRole.DECODE, image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1' }");
  }
  const o = options as { [key: string]: unknown };
  const unknownKeys = Object.keys(o).filter((k) => !OPTION_KEY_SET.has(k));
  if (unknownKeys.length) {
    throw invalid(path, unknownKeys[0], o[unknownKeys[0]], `is not an option of a DGD service; the options are ${OPTION_KEYS.join(', ')}`);
  }
  const isMap = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  for (const key of ['env', 'resources', 'podSpec', 'mainContainer', 'podMetadata'] as const) {
    if (o[key] !== undefined && !isMap(o[key])) throw invalid(path, key, o[key], 'must be an object');
  }
  for (const key of ['requests', 'limits'] as const) {
    const v = (o.resources as any)?.[key];
    if (v !== undefined && !isMap(v)) throw invalid(path, `resources.${key}`, v, 'must be an object of resource amounts ({ cpu, memory, gpu, custom })');
  }
  for (const key of ['seedReplicas', 'scalingAdapter'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw invalid(path, key, o[key], 'must be true or false');
  }
  if (o.volumeMounts !== undefined && (!Array.isArray(o.volumeMounts) || !o.volumeMounts.every(isMap))) {
    throw invalid(path, 'volumeMounts', o.volumeMounts, 'must be a list of volume mount objects');
  }
}

/**
 * Adds `name=value` to `env` after the checks every environment variable gets: a valid
 * name, set once, a string value.
 * @internal
 */
export function addEnvVar(scope: IConstruct | string, owner: string, env: EnvVarModel[], name: string, value: string): void {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    throw invalid(scope, 'env', name, 'environment variable names must match [-._a-zA-Z][-._a-zA-Z0-9]*');
  }
  if (env.some((e) => e.name === name)) {
    throw invalid(scope, 'env', name, `is already set on this ${owner}; each variable may be set once`);
  }
  if (typeof value !== 'string') throw invalid(scope, `env.${name}`, value, 'must be a string');
  env.push({ name, value });
}

/**
 * Label and annotation maps as the API server checks them: qualified-name keys, label
 * values of at most 63 characters, string values.
 * @internal
 */
export function validateMetadataMaps(scope: IConstruct | string, prefix: string, labels: unknown, annotations: unknown): void {
  for (const [field, map] of [['labels', labels], ['annotations', annotations]] as const) {
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      throw invalid(scope, `${prefix}${field}`, map, 'must be a map of strings');
    }
    for (const [key, value] of Object.entries(map)) {
      if (!isQualifiedName(key)) {
        throw invalid(scope, `${prefix}${field}`, key,
          "keys must be '[prefix/]name': an optional DNS-subdomain prefix, then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
      }
      if (typeof value !== 'string') throw invalid(scope, `${prefix}${field}.${key}`, value, 'must be a string');
      if (field === 'labels' && !isLabelValue(value)) {
        throw invalid(scope, `${prefix}${field}.${key}`, value,
          "label values must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)");
      }
    }
  }
}
