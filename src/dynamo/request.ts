import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { defaultReleaseOf } from './deployment';
import { compact, isPlainObject, nonEmpty } from './model';
import { describeDuration, DynamoValidationError, invalid } from '../base/errors';
import { DynamoResource } from '../base/resource';
import { requireDnsLabel, requireDnsSubdomain, requireInteger, requireOneOf, requirePositive, requirePositiveDuration } from '../base/validators';
import { INT32_MAX } from '../core/int32';
import { DynamoRelease } from '../core/release';
import { holdsIn, RELEASE_RULES } from '../core/release-rules';
import { isRuntimeVersionOverride, parseImageRuntimeVersion } from '../core/runtime-version';
import { dgdrImageText } from '../rules/dgd';
import { objectRef, ruleViolationMessage } from '../rules/synth';

/**
 * Only v1beta1 is rendered: the v1alpha1 DGDR is deprecated on Dynamo 1.5 and has a
 * different shape (an opaque profilingConfig), while both 1.0 and 1.5 serve v1beta1.
 */
const DGDR = { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest' };
const DGD_API_VERSIONS = ['nvidia.com/v1alpha1', 'nvidia.com/v1beta1'];

/** The backend the DGDR profiles and deploys. */
export enum ProfilingBackend {
  /** Let the profiler choose. */
  AUTO = 'auto',
  /** vLLM */
  VLLM = 'vllm',
  /** SGLang */
  SGLANG = 'sglang',
  /** TensorRT-LLM */
  TRTLLM = 'trtllm',
}

/** How deep the profiler searches. */
export enum ProfilingSearchStrategy {
  /** A fast sweep (simulation where supported). */
  RAPID = 'rapid',
  /** Deploys and benchmarks more candidate configurations on real GPUs. */
  THOROUGH = 'thorough',
}

/** What SLA profiling optimizes for (Dynamo 1.5+). */
export enum SlaOptimizationType {
  /** Lowest latency. */
  LATENCY = 'latency',
  /** Highest throughput. */
  THROUGHPUT = 'throughput',
}

/**
 * GPU SKUs the DGDR accepts (Dynamo 1.5 CRD). Dynamo 1.0 accepts only GB200_SXM,
 * H200_SXM, H100_SXM, B200_SXM, A100_SXM and L40S.
 */
export enum GpuSku {
  /** NVIDIA GB200 (SXM) */
  GB200_SXM = 'gb200_sxm',
  /** NVIDIA GB10 */
  GB10 = 'gb10',
  /** NVIDIA B200 (SXM) */
  B200_SXM = 'b200_sxm',
  /** NVIDIA H200 (SXM) */
  H200_SXM = 'h200_sxm',
  /** NVIDIA H100 (SXM) */
  H100_SXM = 'h100_sxm',
  /** NVIDIA H100 (PCIe) */
  H100_PCIE = 'h100_pcie',
  /** NVIDIA A100 (SXM) */
  A100_SXM = 'a100_sxm',
  /** NVIDIA A100 (PCIe) */
  A100_PCIE = 'a100_pcie',
  /** NVIDIA A30 */
  A30 = 'a30',
  /** NVIDIA L40S */
  L40S = 'l40s',
  /** NVIDIA L40 */
  L40 = 'l40',
  /** NVIDIA L4 */
  L4 = 'l4',
  /** NVIDIA V100 (SXM) */
  V100_SXM = 'v100_sxm',
  /** NVIDIA V100 (PCIe) */
  V100_PCIE = 'v100_pcie',
  /** NVIDIA T4 */
  T4 = 't4',
  /** AMD MI200 */
  MI200 = 'mi200',
  /** AMD MI300 */
  MI300 = 'mi300',
}

/** Service-level targets that drive profiling. */
export interface RequestSla {
  /**
   * Time-to-first-token target.
   * @default - none
   */
  readonly ttft?: Duration;
  /**
   * Inter-token latency target.
   * @default - none
   */
  readonly itl?: Duration;
  /**
   * End-to-end request latency target: an alternative to `ttft` + `itl`.
   * @default - none
   */
  readonly e2eLatency?: Duration;
  /**
   * Latency or throughput (Dynamo 1.5+).
   * @default - the profiler's default
   */
  readonly optimizationType?: SlaOptimizationType;
}

/** The expected traffic. */
export interface RequestWorkload {
  /**
   * Input sequence length in tokens.
   * @default - the CRD's default (4000)
   */
  readonly isl?: number;
  /**
   * Output sequence length in tokens.
   * @default - the CRD's default (1000)
   */
  readonly osl?: number;
  /**
   * Target concurrency; exclusive with `requestRate`.
   * @default - none
   */
  readonly concurrency?: number;
  /**
   * Target request rate in requests per second; exclusive with `concurrency`.
   * @default - none
   */
  readonly requestRate?: number;
}

/** The hardware to profile for; the operator discovers what is left out. */
export interface RequestHardware {
  /**
   * GPU type.
   * @default - discovered (most nodes, then most VRAM)
   */
  readonly gpuSku?: GpuSku;
  /**
   * GPUs per node.
   * @default - discovered
   */
  readonly numGpusPerNode?: number;
  /**
   * GPU budget for profiling and deployment.
   * @default - discovered (capped at 32)
   */
  readonly totalGpus?: number;
  /**
   * VRAM per GPU in MiB.
   * @default - discovered
   */
  readonly vramMb?: number;
  /**
   * Intra-node GPU interconnect, e.g. `nvlink` or `pcie` (Dynamo 1.5+).
   * @default - discovered where possible
   */
  readonly interconnect?: string;
  /**
   * Whether RDMA networking is available (Dynamo 1.5+).
   * @default - discovered where possible
   */
  readonly rdma?: boolean;
}

/** Pre-downloaded model weights on a PersistentVolumeClaim. */
export interface RequestModelCache {
  /** The PVC (in the DGDR's namespace). */
  readonly pvcName: string;
  /**
   * Path of the model inside the PVC.
   * @default - none
   */
  readonly pvcModelPath?: string;
  /**
   * Where the PVC is mounted in the containers.
   * @default - the CRD's default (/opt/model-cache)
   */
  readonly pvcMountPath?: string;
}

/**
 * Properties of a `DynamoGraphDeploymentRequest`.
 */
export interface DynamoGraphDeploymentRequestProps {
  /** The DGDR's Kubernetes name (also the generated DGD's, unless overridden). */
  readonly name: string;
  /**
   * Kubernetes namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The model, e.g. a Hugging Face ID such as `Qwen/Qwen3-0.6B`. */
  readonly model: string;
  /**
   * Inference backend.
   * @default - the CRD's default (auto)
   */
  readonly backend?: ProfilingBackend;
  /**
   * Image of the profiling job (the planner image, e.g.
   * `nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0`).
   * @default - the operator's default
   */
  readonly image?: string;
  /**
   * Create the DGD as soon as profiling finishes; otherwise it is only stored in the status.
   * @default - the CRD's default (true)
   */
  readonly autoApply?: boolean;
  /**
   * Profiling search depth.
   * @default - the CRD's default (rapid)
   */
  readonly searchStrategy?: ProfilingSearchStrategy;
  /**
   * SLA targets.
   * @default - none
   */
  readonly sla?: RequestSla;
  /**
   * Expected workload.
   * @default - the CRD's defaults
   */
  readonly workload?: RequestWorkload;
  /**
   * Hardware to profile for.
   * @default - discovered from the cluster
   */
  readonly hardware?: RequestHardware;
  /**
   * Add the Dynamo Planner to the generated DGD with this configuration (the
   * Planner's own config keys, passed through unchecked; `{}` for its defaults).
   * @default - no planner
   */
  readonly planner?: { [key: string]: any };
  /**
   * Deploy simulated (mocker) workers instead of real ones, for tests without GPUs.
   * @default - real workers
   */
  readonly mocker?: boolean;
  /**
   * Pre-downloaded weights.
   * @default - weights are downloaded
   */
  readonly modelCache?: RequestModelCache;
  /**
   * Dynamo runtime version (`X.Y.Z`) for generated components, when the image tag
   * does not tell it (Dynamo 1.5+, which then requires it).
   * @default - derived from the image
   */
  readonly runtimeVersionOverride?: string;
  /**
   * The Dynamo operator release that will run this request (see
   * `DynamoGraphDeploymentProps.release`).
   * @default - the default set with `DynamoGraphDeployment.setDefaultRelease` on an
   * enclosing scope, else `DynamoRelease.LATEST`
   */
  readonly release?: DynamoRelease;
  /**
   * Partial DGD merged into the generated one: a raw `DynamoGraphDeployment` with
   * `apiVersion` `nvidia.com/v1alpha1` or `nvidia.com/v1beta1`.
   * @default - none
   */
  readonly dgdOverride?: { [key: string]: any };
  /**
   * Fields merged into the profiling Job's spec, raw (Kubernetes JobSpec wire format).
   * The CRD requires `template` in it.
   * @default - none
   */
  readonly profilingJobOverride?: { [key: string]: any };
}

/**
 * A DynamoGraphDeploymentRequest (`nvidia.com/v1beta1`): the SLA-driven way to deploy
 * a model on Dynamo. The operator profiles the model against the targets and then
 * generates (and with `autoApply`, creates) a DGD, with a Planner when asked.
 */
export class DynamoGraphDeploymentRequest extends DynamoResource {
  /** The model. */
  public readonly model: string;
  /** The underlying ApiObject. */
  public readonly apiObject: ApiObject;

  private readonly spec: { [key: string]: any };

  public constructor(scope: Construct, id: string, props: DynamoGraphDeploymentRequestProps) {
    super(scope, id);
    requireDnsSubdomain(this, 'name', props.name);
    if (props.namespace !== undefined) requireDnsLabel(this, 'namespace', props.namespace);
    if (typeof props.model !== 'string' || props.model.trim().length === 0) {
      throw invalid(this, 'model', props.model, 'is required: a model name such as "Qwen/Qwen3-0.6B"');
    }
    this.model = props.model;
    this.spec = this.buildSpec(props);

    this.apiObject = new ApiObject(this, 'Resource', {
      ...DGDR,
      metadata: { name: props.name, namespace: props.namespace },
      spec: Lazy.any({ produce: () => this.spec }),
    });
  }

  private buildSpec(props: DynamoGraphDeploymentRequestProps): { [key: string]: any } {
    if (props.backend !== undefined) requireOneOf(this, 'backend', props.backend, ProfilingBackend);
    if (props.searchStrategy !== undefined) requireOneOf(this, 'searchStrategy', props.searchStrategy, ProfilingSearchStrategy);
    if (props.image !== undefined && (typeof props.image !== 'string' || props.image.trim().length === 0)) {
      throw invalid(this, 'image', props.image, 'must be a non-empty image reference');
    }
    if (props.runtimeVersionOverride !== undefined && !isRuntimeVersionOverride(props.runtimeVersionOverride)) {
      throw invalid(this, 'runtimeVersionOverride', props.runtimeVersionOverride, 'must be a version X.Y.Z (each part 0-9999, no leading zeros)');
    }
    const release = props.release ?? defaultReleaseOf(this);
    if (!(release instanceof DynamoRelease)) {
      throw invalid(this, 'release', release, "must be a DynamoRelease, e.g. DynamoRelease.V1_5 or DynamoRelease.of('1.5')");
    }
    if (props.runtimeVersionOverride !== undefined && !holdsIn(RELEASE_RULES.runtimeVersionOverrideField, release)) {
      throw invalid(this, 'runtimeVersionOverride', props.runtimeVersionOverride,
        `exists from Dynamo ${RELEASE_RULES.runtimeVersionOverrideField.since.version}; this request targets ${release.version}, whose CRD would drop it`);
    }
    // The same rule as for DGD components, on spec.image (an omitted image is defaulted by
    // the operator to the planner image of its own version, which has a version tag).
    if (props.image !== undefined && props.runtimeVersionOverride === undefined && holdsIn(RELEASE_RULES.runtimeVersionResolvable, release)) {
      const parsed = parseImageRuntimeVersion(props.image);
      if (parsed.error !== undefined) {
        // DYN120, with the linter's message for the rendered spec.image.
        // Before the ApiObject exists: the name and namespace it will have.
        const object = objectRef(DGDR.apiVersion, DGDR.kind, props.name, props.namespace ?? Chart.of(this).namespace);
        throw new DynamoValidationError(ruleViolationMessage(this.node.path, { ruleId: 'DYN120', object, path: 'spec.image', text: dgdrImageText(release), value: props.image },
          `(${parsed.error}; set 'runtimeVersionOverride', or 'release' if the operator is older than ${RELEASE_RULES.runtimeVersionResolvable.since.version})`));
      }
    }
    if (props.planner !== undefined && !isPlainObject(props.planner)) {
      throw invalid(this, 'planner', props.planner, 'must be an object of Planner config keys ({} for the defaults)');
    }
    const features = compact({
      planner: props.planner === undefined ? undefined : { ...props.planner },
      mocker: props.mocker === undefined ? undefined : { enabled: props.mocker },
    });
    return compact({
      model: props.model,
      backend: props.backend,
      image: props.image,
      autoApply: props.autoApply,
      searchStrategy: props.searchStrategy,
      runtimeVersionOverride: props.runtimeVersionOverride,
      sla: this.renderSla(props.sla),
      workload: this.renderWorkload(props.workload),
      hardware: this.renderHardware(props.hardware),
      modelCache: this.renderModelCache(props.modelCache),
      features: Object.keys(features).length ? features : undefined,
      overrides: this.renderOverrides(props),
    });
  }

  private renderSla(sla: RequestSla | undefined): any {
    if (sla === undefined) return undefined;
    if (sla.optimizationType !== undefined) requireOneOf(this, 'sla.optimizationType', sla.optimizationType, SlaOptimizationType);
    if (sla.e2eLatency !== undefined && (sla.ttft !== undefined || sla.itl !== undefined)) {
      throw invalid(this, 'sla.e2eLatency', describeDuration(sla.e2eLatency), "is an alternative to 'ttft' and 'itl'; give one or the other");
    }
    return nonEmpty(compact({
      ttft: sla.ttft === undefined ? undefined : requirePositiveDuration(this, 'sla.ttft', sla.ttft),
      itl: sla.itl === undefined ? undefined : requirePositiveDuration(this, 'sla.itl', sla.itl),
      e2eLatency: sla.e2eLatency === undefined ? undefined : requirePositiveDuration(this, 'sla.e2eLatency', sla.e2eLatency),
      optimizationType: sla.optimizationType,
    }));
  }

  private renderWorkload(w: RequestWorkload | undefined): any {
    if (w === undefined) return undefined;
    requireInteger(this, 'workload.isl', w.isl, 1, INT32_MAX);
    requireInteger(this, 'workload.osl', w.osl, 1, INT32_MAX);
    if (w.concurrency !== undefined) requirePositive(this, 'workload.concurrency', w.concurrency);
    if (w.requestRate !== undefined) requirePositive(this, 'workload.requestRate', w.requestRate);
    if (w.concurrency !== undefined && w.requestRate !== undefined) {
      throw invalid(this, 'workload.requestRate', w.requestRate, `is exclusive with 'concurrency' (${w.concurrency}); give one or the other`);
    }
    return nonEmpty(compact({ isl: w.isl, osl: w.osl, concurrency: w.concurrency, requestRate: w.requestRate }));
  }

  private renderHardware(h: RequestHardware | undefined): any {
    if (h === undefined) return undefined;
    if (h.gpuSku !== undefined) requireOneOf(this, 'hardware.gpuSku', h.gpuSku, GpuSku);
    requireInteger(this, 'hardware.numGpusPerNode', h.numGpusPerNode, 1, INT32_MAX);
    requireInteger(this, 'hardware.totalGpus', h.totalGpus, 1, INT32_MAX);
    if (h.vramMb !== undefined) requirePositive(this, 'hardware.vramMb', h.vramMb);
    if (h.interconnect !== undefined && (typeof h.interconnect !== 'string' || h.interconnect.length === 0)) {
      throw invalid(this, 'hardware.interconnect', h.interconnect, 'must be a non-empty string such as "nvlink" or "pcie"');
    }
    return nonEmpty(compact({
      gpuSku: h.gpuSku,
      numGpusPerNode: h.numGpusPerNode,
      totalGpus: h.totalGpus,
      vramMb: h.vramMb,
      interconnect: h.interconnect,
      rdma: h.rdma,
    }));
  }

  private renderModelCache(c: RequestModelCache | undefined): any {
    if (c === undefined) return undefined;
    requireDnsSubdomain(this, 'modelCache.pvcName', c.pvcName, 'a PersistentVolumeClaim');
    if (c.pvcMountPath !== undefined && !(typeof c.pvcMountPath === 'string' && c.pvcMountPath.startsWith('/'))) {
      throw invalid(this, 'modelCache.pvcMountPath', c.pvcMountPath, 'must be an absolute path');
    }
    return compact({ pvcName: c.pvcName, pvcModelPath: c.pvcModelPath, pvcMountPath: c.pvcMountPath });
  }

  private renderOverrides(props: DynamoGraphDeploymentRequestProps): any {
    const dgd = props.dgdOverride;
    if (dgd !== undefined) {
      if (!isPlainObject(dgd)) throw invalid(this, 'dgdOverride', dgd, 'must be a DynamoGraphDeployment object');
      requireOneOf(this, 'dgdOverride.apiVersion', dgd.apiVersion, DGD_API_VERSIONS);
      if (dgd.kind !== 'DynamoGraphDeployment') {
        throw invalid(this, 'dgdOverride.kind', dgd.kind, 'must be DynamoGraphDeployment');
      }
    }
    const job = props.profilingJobOverride;
    if (job !== undefined && !isPlainObject(job)) {
      throw invalid(this, 'profilingJobOverride', job, 'must be an object of Job spec fields');
    }
    // The CRD types the override as a full JobSpec, whose schema requires a template.
    if (job !== undefined && !isPlainObject(job.template)) {
      throw invalid(this, 'profilingJobOverride.template', job.template,
        "is required by the CRD's JobSpec schema: give the pod template to merge (e.g. { template: { spec: { containers: [...] } } })");
    }
    if (job !== undefined && job.template.spec !== undefined && !Array.isArray(job.template.spec?.containers)) {
      throw invalid(this, 'profilingJobOverride.template.spec.containers', job.template.spec?.containers,
        "is required by the CRD's PodSpec schema: list the containers to merge, each with its 'name'");
    }
    return nonEmpty(compact({
      dgd: dgd === undefined ? undefined : JSON.parse(JSON.stringify(dgd)),
      profilingJob: job === undefined ? undefined : JSON.parse(JSON.stringify(job)),
    }));
  }
}
