/**
 * What the Dynamo Planner scales, read from its command line: the `mode` of its
 * config. Plain data and pure functions, shared by the `DynamoPlanner` construct (which
 * writes the mode), the importer (which reads it back into `manages`) and the rule
 * engine (which checks autoscalers against it on any YAML).
 *
 * Source: ai-dynamo/dynamo, `components/src/dynamo/planner/config/planner_config.py`
 * (`PlannerConfig.mode: Literal["disagg", "prefill", "decode", "agg"] =
 * SLAPlannerDefaults.mode`) and `config/defaults.py` (`SLAPlannerDefaults.mode = "disagg"`),
 * read at commits 1366ebb2f4c7 and 1ca601557ebf (main, 2026); the Pydantic config of
 * Dynamo 1.0+ (`python3 -m dynamo.planner --config '<json>'`, a file path or inline JSON)
 * says of itself "All fields mirror the former CLI flags", among them `--mode`
 * (`components/src/dynamo/planner/utils/planner_argparse.py`, "Planner mode: disagg
 * (prefill+decode), prefill-only, decode-only, or agg (aggregated)"). Stored versions of
 * that argparse file show `--mode` with `disagg|prefill|decode` (commit 002a7c3130e7)
 * and later also `agg`; which 0.8/0.9 release first shipped it could not be pinned, so
 * the library writes a mode only in the 1.0+ config form (see `DynamoPlanner`). The
 * versioned docs (docs.nvidia.com/dynamo, v1.5.0 to v1.7.0 PlannerConfig reference) show
 * `mode: disagg`; the file at the 1.0.0 tag itself was not read (the repository snapshot
 * is over the size the tools fetch).
 */

/** The modes of the Planner, as its config spells them. */
export const PLANNER_MODE_NAMES = ['disagg', 'prefill', 'decode', 'agg'] as const;
export type PlannerModeName = typeof PLANNER_MODE_NAMES[number];

/** The Planner's default mode (`SLAPlannerDefaults.mode`). */
export const DEFAULT_PLANNER_MODE: PlannerModeName = 'disagg';

/**
 * The service roles (lowercased component/subComponent types, as the rules read them)
 * each mode scales. `main` is v1alpha1's older name for the aggregated worker.
 */
export const PLANNER_MODE_ROLES: Readonly<Record<PlannerModeName, readonly string[]>> = {
  disagg: ['prefill', 'decode'],
  prefill: ['prefill'],
  decode: ['decode'],
  agg: ['worker', 'main'],
};

/** How the mode was learnt from the command line. */
export enum PlannerModeSource {
  /** `mode` in the `--config` JSON. */
  CONFIG = 'config',
  /** `--mode` flag (argparse form). */
  FLAG = 'flag',
  /** Nothing says: the Planner's default. */
  DEFAULT = 'default',
  /** Something says, but not readably (a config file path, bad JSON, an unknown mode): the default is assumed. */
  UNREADABLE = 'unreadable',
}

/** The mode a Planner runs in, and how it was learnt. */
export interface PlannerModeReading {
  readonly mode: PlannerModeName;
  readonly source: PlannerModeSource;
  /** For UNREADABLE: what could not be read, for messages. */
  readonly why?: string;
}

const isMode = (v: unknown): v is PlannerModeName => typeof v === 'string' && (PLANNER_MODE_NAMES as readonly string[]).includes(v);

/**
 * The mode of a Planner container from its `command` and `args` (either may hold the
 * flags). The last `--config` or `--mode` wins, as with argparse; a shell string
 * (`sh -c '...'`) is not taken apart.
 */
export function readPlannerMode(command: unknown, args: unknown): PlannerModeReading {
  const words = [...strings(command), ...strings(args)];
  let reading: PlannerModeReading = { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.DEFAULT };
  for (let i = 0; i < words.length; i++) {
    const config = flagValue(words, i, '--config');
    const flag = config === undefined ? flagValue(words, i, '--mode') : undefined;
    if (config !== undefined) {
      reading = configMode(config.value);
    } else if (flag !== undefined) {
      reading = isMode(flag.value)
        ? { mode: flag.value, source: PlannerModeSource.FLAG }
        : { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.UNREADABLE, why: `its --mode ${JSON.stringify(flag.value)} is not one of ${PLANNER_MODE_NAMES.join(', ')}` };
    }
    if (config?.separate || flag?.separate) i++;
  }
  return reading;
}

/** A plain-language note on how the mode was learnt, for rule messages; '' when read plainly. */
export function describeReading(r: PlannerModeReading): string {
  return r.source === PlannerModeSource.UNREADABLE
    ? `${r.why}, so the Planner is taken to run in its default mode, ${DEFAULT_PLANNER_MODE}`
    : '';
}

function configMode(value: string): PlannerModeReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // The Planner also takes a path to a JSON/YAML file, which a manifest cannot show.
    const why = value.trim().startsWith('{') ? 'its --config is not valid JSON' : `its --config is a file (${value}) whose contents the manifest does not show`;
    return { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.UNREADABLE, why };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.UNREADABLE, why: 'its --config is not a JSON object' };
  }
  const mode = (parsed as Record<string, unknown>).mode;
  if (mode === undefined) return { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.DEFAULT };
  if (isMode(mode)) return { mode, source: PlannerModeSource.CONFIG };
  return { mode: DEFAULT_PLANNER_MODE, source: PlannerModeSource.UNREADABLE, why: `its --config mode ${JSON.stringify(mode)} is not one of ${PLANNER_MODE_NAMES.join(', ')}` };
}

/** The value of `--name value` or `--name=value` at words[i], if that is the flag. */
function flagValue(words: string[], i: number, name: string): { value: string; separate: boolean } | undefined {
  const w = words[i];
  if (w === name) return { value: words[i + 1] ?? '', separate: true };
  if (w.startsWith(`${name}=`)) return { value: w.slice(name.length + 1), separate: false };
  return undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
