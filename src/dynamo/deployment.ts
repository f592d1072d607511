import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DeploymentModel, EnvVarModel } from './model';
import { DeploymentRenderer, V1ALPHA1_RENDERER, V1BETA1_RENDERER } from './render';
import { adapterIdentities } from './scaling-adapter';
import { addEnvVar, DynamoService, DynamoServiceOptions, validateMetadataMaps } from './service';
import { BackendFramework, DynamoApiVersion, ServiceRole } from './types';
import { DynamoValidationError, invalid, invalidMessage } from '../base/errors';
import { DynamoNames, isComponentName, MAX_COMPONENT_NAME_LENGTH } from '../base/naming';
import { DynamoResource } from '../base/resource';
import { AutoscalerRegistry } from '../base/scale-target';
import { requireDnsLabel, requireDnsSubdomain, requireOneOf } from '../base/validators';
import { dgdAnnotationProblem } from '../core/dgd-components';
import { ENABLE_GROVE_ANNOTATION } from '../core/grove';
import { DynamoRelease } from '../core/release';
import { holdsIn, RELEASE_RULES } from '../core/release-rules';
import { annotationPath, caseClashText, componentTypePath, reservedAnnotationPrefix, reservedAnnotationText, secondEppText } from '../rules/dgd';
import { objectRef, RuleViolation, ruleViolationMessage } from '../rules/synth';
import { servicePath } from '../rules/util';

/** Kind of the DGD custom resource. */
export const DGD_KIND = 'DynamoGraphDeployment';
/** The most services (components) a DGD may have. */
export const MAX_SERVICES = 25;

/** Release defaults set on scopes (apps, charts) with `setDefaultRelease`. */
const DEFAULT_RELEASES = new WeakMap<IConstruct, DynamoRelease>();

/**
 * The release for a construct at `scope`: the nearest default set with
 * `DynamoGraphDeployment.setDefaultRelease`, else `DynamoRelease.LATEST`.
 * @internal
 */
export function defaultReleaseOf(scope: IConstruct): DynamoRelease {
  for (const s of scope.node.scopes.slice().reverse()) {
    const r = DEFAULT_RELEASES.get(s);
    if (r !== undefined) return r;
  }
  return DynamoRelease.LATEST;
}

const RENDERERS: Record<DynamoApiVersion, DeploymentRenderer> = {
  [DynamoApiVersion.V1ALPHA1]: V1ALPHA1_RENDERER,
  [DynamoApiVersion.V1BETA1]: V1BETA1_RENDERER,
};

/**
 * Properties of a DynamoGraphDeployment.
 */
export interface DynamoGraphDeploymentProps {
  /**
   * The DGD's Kubernetes name: the root of every derived name (adapters, autoscalers,
   * the `dynamo_namespace` metric label).
   */
  readonly name: string;

  /**
   * Kubernetes namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * API version to render.
   * @default DynamoApiVersion.V1ALPHA1
   */
  readonly apiVersion?: DynamoApiVersion;

  /**
   * The Dynamo operator release that will run this DGD. Rules that an operator release
   * introduced (admission checks, command forms, served API versions) apply from that
   * release on; see the README's Checks for which rule holds from which release.
   * @default - the default set with `DynamoGraphDeployment.setDefaultRelease` on an
   * enclosing scope (chart or app), else `DynamoRelease.LATEST`
   */
  readonly release?: DynamoRelease;

  /**
   * Inference backend. Immutable after creation.
   * @default - not set (the operator infers it)
   */
  readonly backendFramework?: BackendFramework;

  /**
   * Environment variables for every service, in order.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Labels on the DGD object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the DGD object. The operator's own prefixes (`nvidia.com/dgd-`,
   * `nvidia.com/dcd-`, `nvidia.com/dgdr-`) are refused.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Place every service in the global Dynamo namespace; metrics then carry
   * `dynamo_namespace="dynamo"`.
   * @default false
   */
  readonly globalDynamoNamespace?: boolean;

  /**
   * v1alpha1 only: PersistentVolumeClaims (`spec.pvcs`), raw.
   * @default - none
   */
  readonly pvcs?: Array<{ [key: string]: any }>;
}

/**
 * What `DynamoGraphDeployment.fromManifest`/`fromFile` delegate to. The importer sits
 * above the constructs (it builds them), so it registers itself here when it loads
 * (src/importer/import.ts) instead of this module importing it: no import runs back up.
 * @internal
 */
export interface DeploymentImporter {
  fromManifest(scope: Construct, id: string, manifest: { [key: string]: any }): DynamoGraphDeployment;
  fromFile(scope: Construct, file: string): DynamoGraphDeployment[];
}

let registeredImporter: DeploymentImporter | undefined;

/** @internal Called once by the importer module when it loads. */
export function registerDeploymentImporter(importer: DeploymentImporter): void {
  registeredImporter = importer;
}

function importerFor(call: string): DeploymentImporter {
  if (registeredImporter === undefined) {
    throw new DynamoValidationError(`[${call}] the importer is not loaded: import the library from its package entry ('cdk8s-dynamo'), which loads it`);
  }
  return registeredImporter;
}

/**
 * A DynamoGraphDeployment (DGD): an inference graph of services (frontend, workers,
 * planner) run by the NVIDIA Dynamo operator.
 *
 * One version-neutral model renders as `nvidia.com/v1alpha1` (services map) or
 * `nvidia.com/v1beta1` (components list): change only `apiVersion`.
 */
export class DynamoGraphDeployment extends DynamoResource {
  /**
   * Imports an existing DGD manifest (v1alpha1 or v1beta1, parsed) so that autoscalers
   * attach to its services as to a DGD built in code. It synthesizes back to the
   * manifest, except for the documented changes listed by `DynamoImport.warningsOf`.
   */
  public static fromManifest(scope: Construct, id: string, manifest: { [key: string]: any }): DynamoGraphDeployment {
    return importerFor('DynamoGraphDeployment.fromManifest').fromManifest(scope, id, manifest);
  }

  /**
   * Imports every DGD of a YAML file (other documents are left alone); see `DynamoImport.fromFile`.
   */
  public static fromFile(scope: Construct, file: string): DynamoGraphDeployment[] {
    return importerFor('DynamoGraphDeployment.fromFile').fromFile(scope, file);
  }

  /**
   * Sets the Dynamo operator release for every DGD (and DGDR) created under `scope` (an
   * app, a chart or any construct) that does not set `release` itself. The nearest
   * enclosing default wins.
   */
  public static setDefaultRelease(scope: IConstruct, release: DynamoRelease): void {
    if (!(release instanceof DynamoRelease)) {
      throw invalid(scope, 'release', release, "must be a DynamoRelease, e.g. DynamoRelease.V1_5 or DynamoRelease.of('1.5')");
    }
    DEFAULT_RELEASES.set(scope, release);
  }

  /** The API version rendered. */
  public readonly apiVersion: DynamoApiVersion;
  /** The Dynamo operator release whose rules apply. */
  public readonly release: DynamoRelease;
  /** The backend framework, if set. */
  public readonly backendFramework?: BackendFramework;
  /** Whether services are in the global Dynamo namespace. */
  public readonly globalDynamoNamespace: boolean;
  /** The underlying ApiObject (for `addJsonPatch` and other raw edits). */
  public readonly apiObject: ApiObject;

  private readonly serviceMap = new Map<string, DynamoService>();
  private readonly lowerNames = new Map<string, string>();
  private readonly env: EnvVarModel[] = [];
  private readonly pvcs?: Array<{ [key: string]: any }>;
  private readonly annotations: { [key: string]: string };
  private eppCount = 0;
  private cachedPath?: string;
  private readonly registry: AutoscalerRegistry;

  public constructor(scope: Construct, id: string, props: DynamoGraphDeploymentProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      throw invalid(this, 'props', props, "must be an object of DynamoGraphDeploymentProps, e.g. { name: 'llm' }");
    }
    this.release = props.release ?? defaultReleaseOf(this);
    this.apiVersion = props.apiVersion ?? DynamoApiVersion.V1ALPHA1;
    this.backendFramework = props.backendFramework;
    this.globalDynamoNamespace = props.globalDynamoNamespace ?? false;
    this.pvcs = props.pvcs;
    this.annotations = { ...props.annotations };
    this.validateProps(props);
    for (const [k, v] of Object.entries(props.env ?? {})) this.addEnv(k, v);

    const renderer = RENDERERS[this.apiVersion];
    // A '#' id leaves every ordinary id (e.g. a DynamoPlanner's) free for the user.
    this.apiObject = new ApiObject(this, '#Resource', {
      apiVersion: renderer.apiVersion,
      kind: DGD_KIND,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: props.annotations,
      },
      spec: Lazy.any({ produce: () => renderer.renderSpec(this._toModel()) }),
    });
    this.node.defaultChild = this.apiObject;
    this.registry = AutoscalerRegistry.of(this);
    this.registry.deriveObjects(this, () => adapterIdentities(this));
    this.registry.addCheck(this, () => this.validateGraph());
  }

  /**
   * Whether Grove may run this DGD: unless the DGD is annotated
   * `nvidia.com/enable-grove: "false"`, an operator with Grove enabled runs it on Grove,
   * so Grove's naming limits apply.
   */
  public get groveEnabled(): boolean {
    return (this.annotations[ENABLE_GROVE_ANNOTATION] ?? '').toLowerCase() !== 'false';
  }

  /**
   * The construct path, computed once: a construct never moves, and constructs computes
   * `node.path` afresh on every read (every service's checks and messages use it).
   * @internal
   */
  public get _nodePath(): string {
    if (this.cachedPath === undefined) this.cachedPath = this.node.path;
    return this.cachedPath;
  }

  /** `nvidia.com/<version>`, the apiVersion of the DGD and of its adapters. */
  public get apiVersionString(): string {
    return RENDERERS[this.apiVersion].apiVersion;
  }

  /**
   * The `dynamo_namespace` label value on this DGD's metrics, computed as the operator
   * computes it: `<namespace>-<name with '.' as '-'>`, or `dynamo` in the global
   * Dynamo namespace. Throws when the DGD has no namespace (neither in its props nor
   * from its chart), since the label then depends on where it is applied.
   */
  public get dynamoNamespaceLabel(): string {
    if (this.globalDynamoNamespace) return DynamoNames.dynamoNamespaceLabel('', this.name, true);
    if (this.namespace === undefined) {
      throw invalid(this, 'namespace', undefined,
        "the dynamo_namespace metric label is '<namespace>-<dgd name>'; set 'namespace' on the DGD or its chart to derive it");
    }
    return DynamoNames.dynamoNamespaceLabel(this.namespace, this.name);
  }

  /** The services, in the order they were added. */
  public get services(): DynamoService[] {
    return [...this.serviceMap.values()];
  }

  /**
   * Adds a service (component). Names are unique ignoring case, since names that
   * differ only by case share one scaling adapter.
   */
  public addService(name: string, options: DynamoServiceOptions): DynamoService {
    return new DynamoService(this, name, options);
  }

  /**
   * Admits a new service before it is created: a valid name, unique ignoring case,
   * at most 25 services, at most one epp.
   * @internal
   */
  public _admitService(name: string, role: ServiceRole): void {
    const path = `${this._nodePath}/${name}`;
    if (typeof name !== 'string' || !isComponentName(name)) {
      throw invalid(path, 'name', name,
        `service names must be 1-${MAX_COMPONENT_NAME_LENGTH} characters of letters, digits and '-', starting and ending with a letter or digit`);
    }
    const clash = this.lowerNames.get(name.toLowerCase());
    const v1alpha1 = this.apiVersion === DynamoApiVersion.V1ALPHA1;
    if (clash !== undefined) {
      throw this._ruleError(path, {
        ruleId: 'DYN108', path: servicePath(v1alpha1, name, this.serviceMap.size), text: caseClashText(this.name, name, clash), value: name,
      }, '(service names must be unique ignoring case)');
    }
    if (this.serviceMap.size >= MAX_SERVICES) {
      throw invalid(path, 'services', this.serviceMap.size + 1, `a DGD has at most ${MAX_SERVICES} services`);
    }
    if (role === ServiceRole.EPP && this.eppCount >= 1) {
      if (v1alpha1) {
        const first = this.services.find((s) => s.role === ServiceRole.EPP)!.serviceName;
        throw this._ruleError(path, {
          ruleId: 'DYN113', path: componentTypePath(servicePath(true, name, this.serviceMap.size)), text: secondEppText(name, first), value: 'epp',
        }, '(a DGD has at most one epp service)');
      }
      // v1beta1: the CRD's own CEL rule refuses it (DYN003 in the linter, a schema finding).
      throw invalid(path, 'role', role, 'a DGD has at most one epp service');
    }
  }

  /**
   * The error for a rule violation found on this DGD as it will be rendered: the rule's
   * id and the linter's message for the same mistake, under `constructPath`. Before the
   * ApiObject exists (prop checks), `name` and `namespace` are the ones it will have.
   * @internal
   */
  public _ruleError(constructPath: string, v: Omit<RuleViolation, 'object'>, hint?: string, name?: string, namespace?: string): DynamoValidationError {
    const object = name !== undefined
      ? objectRef(RENDERERS[this.apiVersion].apiVersion, DGD_KIND, name, namespace)
      : objectRef(RENDERERS[this.apiVersion].apiVersion, DGD_KIND, this.name, this.namespace);
    return new DynamoValidationError(ruleViolationMessage(constructPath, { ...v, object }, hint));
  }

  /** @internal */
  public _registerService(service: DynamoService): void {
    this.serviceMap.set(service.serviceName, service);
    this.lowerNames.set(service.serviceName.toLowerCase(), service.serviceName);
    if (service.role === ServiceRole.EPP) this.eppCount += 1;
    this.registry.touch();
  }

  /** The service called `name`. Throws if there is none. */
  public service(name: string): DynamoService {
    const s = this.serviceMap.get(name);
    if (!s) {
      throw invalid(this, 'service', name, `no such service; this DGD has ${[...this.serviceMap.keys()].join(', ') || 'none'}`);
    }
    return s;
  }

  /** Adds an environment variable for every service. */
  public addEnv(name: string, value: string): void {
    addEnvVar(this, 'DGD', this.env, name, value);
  }

  /** @internal */
  public _toModel(): DeploymentModel {
    return {
      name: this.name,
      backendFramework: this.backendFramework,
      env: this.env,
      services: this.services.map((s) => s._toModel()),
      globalDynamoNamespace: this.globalDynamoNamespace,
      pvcs: this.pvcs,
    };
  }

  private validateProps(props: DynamoGraphDeploymentProps): void {
    requireDnsSubdomain(this, 'name', props.name);
    // The ApiObject (and so `this.namespace`) does not exist yet: the namespace it will have.
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) requireDnsLabel(this, 'namespace', namespace);
    requireOneOf(this, 'apiVersion', this.apiVersion, DynamoApiVersion);
    if (!(this.release instanceof DynamoRelease)) {
      throw invalid(this, 'release', this.release, "must be a DynamoRelease, e.g. DynamoRelease.V1_5 or DynamoRelease.of('1.5')");
    }
    if (this.apiVersion === DynamoApiVersion.V1BETA1 && !holdsIn(RELEASE_RULES.dgdV1beta1, this.release)) {
      throw invalid(this, 'apiVersion', this.apiVersion,
        `Dynamo ${this.release.version} serves DynamoGraphDeployment v1alpha1 only (v1beta1 from ${RELEASE_RULES.dgdV1beta1.since.version}); use DynamoApiVersion.V1ALPHA1`);
    }
    if (props.env !== undefined && (props.env === null || typeof props.env !== 'object' || Array.isArray(props.env))) {
      throw invalid(this, 'env', props.env, 'must be a map of environment variable names to string values');
    }
    if (props.globalDynamoNamespace !== undefined && typeof props.globalDynamoNamespace !== 'boolean') {
      throw invalid(this, 'globalDynamoNamespace', props.globalDynamoNamespace, 'must be true or false');
    }
    if (props.pvcs !== undefined && (!Array.isArray(props.pvcs) || props.pvcs.some((p) => p === null || typeof p !== 'object' || Array.isArray(p)))) {
      throw invalid(this, 'pvcs', props.pvcs, 'must be a list of PVC objects');
    }
    if (props.backendFramework !== undefined) requireOneOf(this, 'backendFramework', props.backendFramework, BackendFramework);
    validateMetadataMaps(this, '', props.labels, props.annotations);
    for (const [key, value] of Object.entries(props.annotations ?? {})) {
      const problem = dgdAnnotationProblem(key, value);
      if (problem !== undefined) throw invalid(this, `annotations.${key}`, value, problem);
    }
    for (const [key, value] of Object.entries(props.annotations ?? {})) {
      const prefix = reservedAnnotationPrefix(key);
      if (prefix !== undefined) {
        throw this._ruleError(this.node.path, { ruleId: 'DYN106', path: annotationPath(key), text: reservedAnnotationText(prefix), value },
          "(the operator's version conversion owns these annotations; do not set them)", props.name, namespace);
      }
    }
    if (props.pvcs !== undefined && this.apiVersion !== DynamoApiVersion.V1ALPHA1) {
      throw invalid(this, 'pvcs', props.pvcs, "exists only in v1alpha1 (removed in v1beta1); mount volumes through a service's 'podSpec' and 'mainContainer'");
    }
  }

  private validateGraph(): string[] {
    const errors: string[] = [];
    if (this.serviceMap.size === 0) {
      errors.push(invalidMessage(this, 'services', [], 'a DGD needs at least one service; add one with addService()'));
    }
    // Conflicts, cdk8s-plus autoscalers' included, are reported once by the app-wide
    // checks (AutoscalerRegistry), under each autoscaler's own path.
    return errors;
  }
}
