import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { DynamoGraphDeployment } from './deployment';
import { DynamoService } from './service';
import { BackendFramework, ServiceRole } from './types';
import { invalid } from '../base/errors';
import { requireDnsSubdomain, requireDuration, requireOneOf } from '../base/validators';
import { DEFAULT_PLANNER_MODE, describeReading, PlannerModeReading, PlannerModeSource, readPlannerMode } from '../core/planner-mode';
import { holdsIn, RELEASE_RULES } from '../core/release-rules';
import { plannerScalesText } from '../rules/cross';

/** Where the planner reads its profiling data. */
export const PROFILING_RESULTS_DIR = '/workspace/profiling_results';
/** The planner's Prometheus endpoint variable. */
export const PROMETHEUS_ENDPOINT_ENV = 'PROMETHEUS_ENDPOINT';

/** Which command line the planner image expects. */
export enum PlannerCommandForm {
  /** Dynamo 1.0 and later: `python3 -m dynamo.planner --config '<json>'`. */
  CONFIG_JSON = 'config-json',
  /** Dynamo 0.8 and 0.9: `python3 -m planner_sla --environment=kubernetes ...` flags. */
  PLANNER_SLA_FLAGS = 'planner-sla-flags',
}

/**
 * What the Planner scales: the `mode` of its config (ai-dynamo/dynamo,
 * `components/src/dynamo/planner/config/planner_config.py`, `PlannerConfig.mode`;
 * default `disagg`). `DynamoPlanner` derives it from `manages`.
 */
export enum PlannerMode {
  /** Prefill and decode workers (the Planner's default). */
  DISAGG = 'disagg',
  /** Only the prefill worker. */
  PREFILL = 'prefill',
  /** Only the decode worker. */
  DECODE = 'decode',
  /** The aggregated worker. */
  AGG = 'agg',
}

/** Profiling data the planner interpolates (contents of the profiling ConfigMap). */
export interface PlannerProfilingData {
  /** `prefill_raw_data.json`: prefill_isl, prefill_ttft, prefill_thpt_per_gpu. */
  readonly prefillRawData: string;
  /** `decode_raw_data.json`: x_kv_usage, y_context_length, z_itl, z_thpt_per_gpu, max_kv_tokens. */
  readonly decodeRawData: string;
}

/**
 * Properties of a `DynamoPlanner`.
 */
export interface DynamoPlannerProps {
  /**
   * The services the planner scales; they set its `mode`: a prefill and a decode
   * service (`disagg`), one decode service (`decode`), one prefill service (`prefill`)
   * or one aggregated worker (`agg`). Exactly these services are the Planner's: any
   * other autoscaler may bind to the rest.
   */
  readonly manages: DynamoService[];
  /**
   * The planner image (Dynamo >= 1.1: the dedicated planner image, e.g.
   * `nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.5.1`).
   */
  readonly image: string;
  /**
   * The Dynamo runtime version in the planner image, `MAJOR.MINOR.PATCH` (Dynamo 1.5+):
   * required by a 1.5 operator when the image tag is not a semantic version.
   * @default - the operator reads it from the image tag
   */
  readonly runtimeVersionOverride?: string;
  /**
   * Backend of the workers.
   * @default - the DGD's backendFramework (required if the DGD has none)
   */
  readonly backend?: BackendFramework;
  /**
   * Name of the planner service.
   * @default 'Planner'
   */
  readonly serviceName?: string;
  /**
   * How often the planner adjusts replicas.
   * @default Duration.seconds(60)
   */
  readonly adjustmentInterval?: Duration;
  /**
   * TTFT target (SLA).
   * @default - the planner's default
   */
  readonly ttft?: Duration;
  /**
   * ITL target (SLA).
   * @default - the planner's default
   */
  readonly itl?: Duration;
  /**
   * Name of the ConfigMap with the profiling data, mounted read-only at
   * `/workspace/profiling_results`.
   * @default 'planner-profile-data'
   */
  readonly profilingConfigMap?: string;
  /**
   * Create the profiling ConfigMap from this data.
   * @default - the ConfigMap is expected to exist
   */
  readonly profilingData?: PlannerProfilingData;
  /**
   * Prometheus URL for the planner (env `PROMETHEUS_ENDPOINT`).
   * @default - the planner's default
   */
  readonly prometheusEndpoint?: string;
  /**
   * Command form of the operator/planner version. It follows the DGD's Dynamo `release`;
   * a form that release's planner image does not run is refused.
   * @default - PlannerCommandForm.CONFIG_JSON from Dynamo 1.0, PlannerCommandForm.PLANNER_SLA_FLAGS before
   */
  readonly commandForm?: PlannerCommandForm;
  /**
   * Enable the scaling adapters of the managed services. The planner's service account
   * may change replicas either way; with adapters on, `replicas` is left out of the
   * managed services so re-applying the DGD never fights the planner.
   * @default true
   */
  readonly enableAdapters?: boolean;
}

/**
 * The Dynamo Planner for a DGD: adds the planner service (one replica) with its
 * configuration, mounts its profiling data, and marks the services it scales so that no
 * HPA, KEDA or AIBrix autoscaler can also bind to them. What it scales is its `mode`,
 * derived from `manages` and written in its config (Dynamo 1.0+): prefill and decode
 * (`disagg`, the Planner's default, left out), decode alone (`decode`), prefill alone
 * (`prefill`) or the aggregated worker (`agg`). The other services stay free for other
 * autoscalers, and the lint rule DYN603 reads the same mode back from the manifest.
 */
export class DynamoPlanner extends Construct {
  /**
   * Declares what an existing planner service scales: one added with `addService`
   * (e.g. by `cdk8s-dynamo import`) rather than by this construct. The services in
   * `manages` must be what the mode of its command line scales (the `mode` of its
   * `--config` JSON, or `--mode`; the Planner's default, disagg, when it has none or it
   * cannot be read); they become the Planner's, so no other autoscaler may bind to them.
   * Their scaling adapters are left as the services declare them.
   * @returns the planner's mode
   */
  public static adoptService(planner: DynamoService, manages: DynamoService[]): PlannerMode {
    if (!(planner instanceof DynamoService) || planner.role !== ServiceRole.PLANNER) {
      throw invalid('DynamoPlanner.adoptService', 'planner', (planner as any)?.serviceName ?? planner, 'must be a service of role planner');
    }
    const derived = modeOf(planner.path, planner.deployment, manages);
    const { mode, how } = plannerServiceMode(planner);
    if (mode !== derived) {
      throw invalid(planner.path, 'manages', manages.map((s) => s.serviceName),
        `make the planner mode ${derived}, but its command line runs mode ${mode} (${how}); list the services that mode scales (${describeModeRoles(mode)})`);
    }
    markManaged(planner, manages, planner.path, false);
    return derived;
  }

  /** The planner service. */
  public readonly service: DynamoService;
  /** The profiling ConfigMap's name. */
  public readonly profilingConfigMap: string;
  /** The mode the planner runs in, derived from `manages`. */
  public readonly mode: PlannerMode;

  public constructor(deployment: DynamoGraphDeployment, id: string, props: DynamoPlannerProps) {
    super(deployment, id);
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      throw invalid(this, 'props', props, 'must be an object of DynamoPlannerProps ({ manages, image, ... })');
    }
    requireOneOf(this, 'backend', props.backend ?? deployment.backendFramework, BackendFramework, ' (or set backendFramework on the DGD)');
    const backend = (props.backend ?? deployment.backendFramework) as BackendFramework;
    if (props.backend !== undefined && deployment.backendFramework !== undefined && props.backend !== deployment.backendFramework) {
      throw invalid(this, 'backend', props.backend,
        `must match the DGD's backendFramework (${deployment.backendFramework}), whose workers the planner scales; leave it out to use the DGD's`);
    }
    this.mode = modeOf(this, deployment, props.manages);
    const configJson = holdsIn(RELEASE_RULES.plannerConfigJson, deployment.release);
    const releaseForm = configJson ? PlannerCommandForm.CONFIG_JSON : PlannerCommandForm.PLANNER_SLA_FLAGS;
    const commandForm = props.commandForm ?? releaseForm;
    if (Object.values(PlannerCommandForm).includes(commandForm) && commandForm !== releaseForm) {
      throw invalid(this, 'commandForm', commandForm,
        `the planner of Dynamo ${deployment.release.version} runs the ${releaseForm} form (${configJson ? 'config JSON' : 'planner_sla flags'} ${configJson ? 'from' : 'before'} ${RELEASE_RULES.plannerConfigJson.since.version}); leave 'commandForm' out, or set the DGD's 'release' to the operator's`);
    }
    if (commandForm === PlannerCommandForm.PLANNER_SLA_FLAGS && this.mode !== PlannerMode.DISAGG) {
      // Which 0.8/0.9 planner_sla accepts `--mode` is not established (see core/planner-mode.ts);
      // an unknown flag stops the planner at start, and without it the planner runs disagg.
      throw invalid(this, 'manages', props.manages.map((s) => s.serviceName),
        `make the planner mode ${this.mode}, which the planner_sla flags form of Dynamo ${deployment.release.version} cannot be given (it runs disagg, scaling a prefill and a decode service); manage one prefill and one decode service, or run Dynamo ${RELEASE_RULES.plannerConfigJson.since.version} or later`);
    }
    const interval = wholeSeconds(this, 'adjustmentInterval', props.adjustmentInterval ?? Duration.seconds(60));
    const ttft = props.ttft === undefined ? undefined : wholeMillis(this, 'ttft', props.ttft);
    const itl = props.itl === undefined ? undefined : wholeMillis(this, 'itl', props.itl);
    this.profilingConfigMap = props.profilingConfigMap ?? 'planner-profile-data';
    requireDnsSubdomain(this, 'profilingConfigMap', this.profilingConfigMap, 'a ConfigMap');
    if (props.prometheusEndpoint !== undefined && !/^https?:\/\/\S+$/.test(props.prometheusEndpoint)) {
      throw invalid(this, 'prometheusEndpoint', props.prometheusEndpoint, 'must be an http(s) URL');
    }

    let command: string[];
    let args: string[];
    if (commandForm === PlannerCommandForm.CONFIG_JSON) {
      const config: Array<[string, string | number]> = [
        ['environment', 'kubernetes'],
        ['backend', backend],
        // disagg is the Planner's default and is left out, as in the upstream examples.
        ...(this.mode === PlannerMode.DISAGG ? [] : [['mode', this.mode] as [string, string]]),
        ['throughput_adjustment_interval', interval],
        ['profile_results_dir', PROFILING_RESULTS_DIR],
      ];
      if (ttft !== undefined) config.push(['ttft', ttft]);
      if (itl !== undefined) config.push(['itl', itl]);
      command = ['python3', '-m', 'dynamo.planner'];
      args = ['--config', pythonStyleJson(config)];
    } else if (commandForm === PlannerCommandForm.PLANNER_SLA_FLAGS) {
      command = ['python3', '-m', 'planner_sla'];
      args = [
        '--environment=kubernetes',
        `--backend=${backend}`,
        `--adjustment-interval=${interval}`,
        `--profile-results-dir=${PROFILING_RESULTS_DIR}`,
        ...(ttft !== undefined ? [`--ttft=${ttft}`] : []),
        ...(itl !== undefined ? [`--itl=${itl}`] : []),
      ];
    } else {
      throw invalid(this, 'commandForm', commandForm, `must be one of ${Object.values(PlannerCommandForm).join(', ')}`);
    }

    const volume = 'planner-profile-data';
    this.service = deployment.addService(props.serviceName ?? 'Planner', {
      role: ServiceRole.PLANNER,
      replicas: 1,
      image: props.image,
      runtimeVersionOverride: props.runtimeVersionOverride,
      command,
      args,
      env: props.prometheusEndpoint ? { [PROMETHEUS_ENDPOINT_ENV]: props.prometheusEndpoint } : undefined,
      mainContainer: { volumeMounts: [{ name: volume, mountPath: PROFILING_RESULTS_DIR, readOnly: true }] },
      podSpec: { volumes: [{ name: volume, configMap: { name: this.profilingConfigMap } }] },
    });
    markManaged(this.service, props.manages, this.node.path, props.enableAdapters ?? true);

    if (props.profilingData) {
      new ApiObject(this, 'profiling-data', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: this.profilingConfigMap, namespace: deployment.namespace },
        data: {
          'prefill_raw_data.json': props.profilingData.prefillRawData,
          'decode_raw_data.json': props.profilingData.decodeRawData,
        },
      });
    }
  }
}

/** The roles each mode scales, in `manages` order (ServiceRole). */
const MODE_ROLES: Record<PlannerMode, ServiceRole[]> = {
  [PlannerMode.DISAGG]: [ServiceRole.PREFILL, ServiceRole.DECODE],
  [PlannerMode.PREFILL]: [ServiceRole.PREFILL],
  [PlannerMode.DECODE]: [ServiceRole.DECODE],
  [PlannerMode.AGG]: [ServiceRole.WORKER],
};

/**
 * The services of `deployment` that a planner of `mode` would scale (every service of
 * the mode's roles; `adoptService` then checks they are a combination the mode runs).
 * @internal
 */
export function servicesForMode(deployment: DynamoGraphDeployment, mode: PlannerMode): DynamoService[] {
  return deployment.services.filter((s) => MODE_ROLES[mode].includes(s.role));
}

/**
 * The mode a planner service's command line runs (`--config` JSON `mode` or `--mode`;
 * the default, disagg, when there is none or it cannot be read), and how it was learnt.
 * @internal
 */
export function plannerServiceMode(planner: DynamoService): { mode: PlannerMode; how: string } {
  const reading = plannerReading(planner);
  const how = reading.source === PlannerModeSource.UNREADABLE ? `${reading.why}, so its default, ${DEFAULT_PLANNER_MODE}`
    : reading.source === PlannerModeSource.DEFAULT ? 'none given: the default'
      : `from its ${reading.source === PlannerModeSource.CONFIG ? '--config' : '--mode'}`;
  return { mode: reading.mode as PlannerMode, how };
}

/** The mode as the linter reads it from the rendered planner service's command line. */
function plannerReading(planner: DynamoService): PlannerModeReading {
  const model = planner._toModel();
  return readPlannerMode(model.command, model.args);
}

/**
 * Marks `manages` as the Planner's, each binding carrying DYN603's words for it (the
 * linter's text, from one reading of the planner's command line).
 */
function markManaged(planner: DynamoService, manages: DynamoService[], plannerPath: string, enableAdapter: boolean): void {
  const reading = plannerReading(planner);
  const how = describeReading(reading);
  for (const s of manages) {
    const dgd = s.deployment;
    s._markManagedByPlanner(plannerPath, enableAdapter,
      plannerScalesText(s.serviceName, s.role, planner.serviceName, reading.mode, dgd.namespace ?? 'default', dgd.name, how));
  }
}

function describeModeRoles(mode: PlannerMode): string {
  return MODE_ROLES[mode].map((r) => `one ${r} service`).join(' and ');
}

/**
 * The mode that scales exactly `manages`, or an error naming the field: the Planner
 * scales one service per role, either disaggregated (prefill and/or decode) or one
 * aggregated worker.
 */
function modeOf(scope: IConstruct | string, deployment: DynamoGraphDeployment, manages: DynamoService[]): PlannerMode {
  if (!Array.isArray(manages) || manages.length === 0) {
    throw invalid(scope, 'manages', manages, 'must list the prefill/decode services the planner scales (a prefill and a decode service, one of them, or one aggregated worker)');
  }
  const byRole = new Map<ServiceRole, string>();
  for (const s of manages) {
    if (!(s instanceof DynamoService) || s.deployment !== deployment) {
      throw invalid(scope, 'manages', (s as any)?.serviceName ?? s, 'must be services of this DGD');
    }
    if (![ServiceRole.PREFILL, ServiceRole.DECODE, ServiceRole.WORKER].includes(s.role)) {
      throw invalid(scope, 'manages', s.serviceName, `the planner scales prefill, decode or worker services; '${s.serviceName}' is ${s.role}`);
    }
    if (s.managedByPlanner) throw invalid(scope, 'manages', s.serviceName, 'is already managed by a planner');
    const other = byRole.get(s.role);
    if (other !== undefined) {
      throw invalid(scope, 'manages', manages.map((x) => x.serviceName),
        `'${other}' and '${s.serviceName}' are both ${s.role}: one planner scales one service per role (its mode is disagg, prefill, decode or agg); give each a planner of its own`);
    }
    byRole.set(s.role, s.serviceName);
  }
  if (byRole.has(ServiceRole.WORKER) && byRole.size > 1) {
    throw invalid(scope, 'manages', manages.map((x) => x.serviceName),
      'mixes an aggregated worker with prefill/decode services: the planner runs either disaggregated (mode disagg, prefill or decode) or aggregated (mode agg, one worker)');
  }
  const modes = Object.values(PlannerMode) as PlannerMode[];
  return modes.find((m) => MODE_ROLES[m].length === byRole.size && MODE_ROLES[m].every((r) => byRole.has(r)))!;
}

/** JSON as Python's json.dumps writes it (`{"a": 1, "b": "x"}`), which the examples use. */
function pythonStyleJson(entries: Array<[string, string | number]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
}

function wholeSeconds(scope: Construct, field: string, d: Duration): number {
  return requireDuration(scope, field, d, { unit: 'seconds', min: 1 });
}

function wholeMillis(scope: Construct, field: string, d: Duration): number {
  return requireDuration(scope, field, d, { unit: 'milliseconds', min: 1 });
}
