/**
 * Grove's limit on the names Dynamo derives for a DGD's pods, as the Dynamo 1.5 operator
 * checks it at admission (`dgdComponentResourceNameLength` in
 * deploy/operator/internal/webhook/validation, with `PCSNameForDGD` and
 * `LongestPodCliqueNameForDGDComponent` in deploy/operator/internal/dynamo; read at
 * ai-dynamo/dynamo main 2026-08/09 and the wxsms/dynamo fork at 0adf974f, which agree).
 * Plain functions, no constructs.
 *
 * When Grove runs a DGD (Grove enabled in the operator and the DGD not annotated
 * `nvidia.com/enable-grove: "false"`), every component becomes a PodClique of a
 * PodCliqueSet (PCS) named after the DGD; a multinode component adds a
 * PodCliqueScalingGroup (PCSG) named after the component, whose PodCliques are named
 * `<component>-ldr` and `<component>-wkr`. Grove's own webhook allows at most 45
 * characters for PCS + PCSG + PodClique names (pod names add indices and a random
 * suffix). The operator shortens a long DGD name to fit the longest component (never
 * below 8 characters, ending in a 4-hex-digit hash), so what can still fail is a
 * component whose own names leave fewer than 8 characters for the PCS name.
 */

/** Grove's limit on PCS + PCSG + PodClique name lengths (`MaxCombinedGroveResourceNameLength`). */
export const MAX_COMBINED_GROVE_NAME_LENGTH = 45;
/** The shortest PCS name the operator truncates a DGD name to. */
export const MIN_PCS_NAME_LENGTH = 8;
/** Suffixes of a multinode component's leader and worker PodCliques. */
export const GROVE_LEADER_SUFFIX = 'ldr';
export const GROVE_WORKER_SUFFIX = 'wkr';
/** The DGD annotation that opts a DGD out of Grove (value `"false"`). */
export const ENABLE_GROVE_ANNOTATION = 'nvidia.com/enable-grove';

/** A component as far as Grove naming is concerned. */
export interface GroveComponent {
  /** The component (service) name. */
  readonly name: string;
  /** Number of nodes; more than 1 means multinode (a PCSG). */
  readonly nodeCount?: number;
}

function usesScalingGroup(c: GroveComponent): boolean {
  return (c.nodeCount ?? 1) > 1;
}

/** The longest PodClique name of a component: its name, or `<name>-ldr`/`-wkr` for multinode. */
export function longestPodCliqueName(c: GroveComponent): string {
  const lower = c.name.toLowerCase();
  if (!usesScalingGroup(c)) return lower;
  return [`${lower}-${GROVE_LEADER_SUFFIX}`, `${lower}-${GROVE_WORKER_SUFFIX}`].reduce((a, b) => (b.length > a.length ? b : a), lower);
}

/** Characters a component needs besides the PCS name: PodClique, plus PCSG for multinode. */
export function componentNameBudget(c: GroveComponent): number {
  const lower = c.name.toLowerCase();
  return usesScalingGroup(c) ? lower.length + longestPodCliqueName(c).length : lower.length;
}

/** 32-bit FNV-1a, as Go's hash/fnv New32a (a hash is bit arithmetic). */
/* eslint-disable no-bitwise */
function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The PodCliqueSet name the operator gives a DGD: the DGD name when it fits next to the
 * longest component, else the DGD name cut to fit (at least 8 characters) with a
 * `-<4 hex digits>` hash suffix.
 */
export function pcsNameForDgd(dgdName: string, components: ReadonlyArray<GroveComponent>): string {
  const maxBudget = components.reduce((m, c) => Math.max(m, componentNameBudget(c)), 0);
  const pcsBudget = Math.max(MAX_COMBINED_GROVE_NAME_LENGTH - maxBudget, MIN_PCS_NAME_LENGTH);
  if (dgdName.length <= pcsBudget) return dgdName;
  const suffix = (fnv32a(dgdName) & 0xffff).toString(16).padStart(4, '0');
  /* eslint-enable no-bitwise */
  return `${dgdName.slice(0, pcsBudget - 5)}-${suffix}`;
}

/** The combined Grove name length of one component, and how it was counted. */
export interface GroveNameLength {
  readonly length: number;
  readonly pcsName: string;
  readonly detail: string;
}

/** PCS name + (PCSG name +) longest PodClique name for `component` of DGD `dgdName`. */
export function groveNameLength(dgdName: string, components: ReadonlyArray<GroveComponent>, component: GroveComponent): GroveNameLength {
  const pcsName = pcsNameForDgd(dgdName, components);
  const length = pcsName.length + componentNameBudget(component);
  const detail = usesScalingGroup(component)
    ? `PCS name '${pcsName}' + PCSG name + longest PodClique name '${longestPodCliqueName(component)}'`
    : `PCS name '${pcsName}' + component name`;
  return { length, pcsName, detail };
}

/**
 * The admission message for a component whose Grove names are too long, or undefined
 * when they fit.
 */
export function groveNameLengthProblem(dgdName: string, components: ReadonlyArray<GroveComponent>, component: GroveComponent): string | undefined {
  // The PCS name is never longer than the DGD name: when the DGD name and this
  // component's names fit together, nothing else can make them too long.
  if (dgdName.length + componentNameBudget(component) <= MAX_COMBINED_GROVE_NAME_LENGTH) return undefined;
  const r = groveNameLength(dgdName, components, component);
  if (r.length <= MAX_COMBINED_GROVE_NAME_LENGTH) return undefined;
  return `when Grove runs the DGD, ${r.detail} is ${r.length} characters, over Grove's ${MAX_COMBINED_GROVE_NAME_LENGTH}-character budget for pod names; `
    + `the operator shortens a long DGD name but never below ${MIN_PCS_NAME_LENGTH} characters, and this service's names take ${componentNameBudget(component)}: shorten the service name`;
}
