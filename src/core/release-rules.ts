/**
 * The Dynamo rules that depend on the operator release, with the release each holds
 * from. Constructs and the rule engine ask `holdsIn(rule, release)` rather than compare
 * versions themselves, so that each rule's release is stated once. Plain data.
 */
import { DynamoRelease } from './release';

/** A rule that an operator release introduced. */
export interface ReleaseRule {
  /** Stable id. */
  readonly id: string;
  /** The first release that enforces (or needs) it. */
  readonly since: DynamoRelease;
  /** One line: what the rule says. */
  readonly summary: string;
}

/** Every release-dependent Dynamo rule the library applies. */
export const RELEASE_RULES = {
  /** The Planner's command line form. */
  plannerConfigJson: {
    id: 'planner-config-json',
    since: DynamoRelease.V1_0,
    summary: "the Planner runs as `python3 -m dynamo.planner --config '<json>'` (before 1.0: `python3 -m planner_sla` with flags)",
  },
  /** v1beta1 is served. */
  dgdV1beta1: {
    id: 'dgd-v1beta1',
    since: DynamoRelease.V1_5,
    summary: 'DynamoGraphDeployment nvidia.com/v1beta1 is served (before 1.5: v1alpha1 only)',
  },
  /** The runtimeVersionOverride field exists. */
  runtimeVersionOverrideField: {
    id: 'runtime-version-override-field',
    since: DynamoRelease.V1_5,
    summary: "components have 'runtimeVersionOverride' (earlier CRDs prune it)",
  },
  /** Admission needs a main image. */
  mainImageRequired: {
    id: 'main-image-required',
    since: DynamoRelease.V1_5,
    summary: "a new component needs a 'main' container with a non-empty image",
  },
  /** Admission needs a resolvable runtime version. */
  runtimeVersionResolvable: {
    id: 'runtime-version-resolvable',
    since: DynamoRelease.V1_5,
    summary: "a component's runtime image ('runtime' init container in sidecar mode, else 'main') needs a semantic-version tag, or the component needs 'runtimeVersionOverride'",
  },
  /** The EPP contract follows the EPP's runtime version. */
  eppRuntimeContract: {
    id: 'epp-runtime-contract',
    since: DynamoRelease.V1_5,
    summary: 'an EPP component of runtime 1.5.0 or later takes no eppConfig; an older one (legacy Go EPP) requires it',
  },
  /** Multinode only for workers. */
  multinodeWorkersOnly: {
    id: 'multinode-workers-only',
    since: DynamoRelease.V1_5,
    summary: 'multinode is supported only for worker, prefill and decode components',
  },
  /** Grove's name budget for every component (the operator shortens long DGD names). */
  groveNameLengthAllComponents: {
    id: 'grove-name-length',
    since: DynamoRelease.V1_5,
    summary: 'when Grove runs the DGD, PCS + (PCSG +) PodClique names of every component fit in 45 characters, the PCS name being the DGD name shortened to no less than 8 (before 1.5: multinode components only, len(dgd) + 2 x len(service) + 4 <= 45)',
  },
} satisfies { [key: string]: ReleaseRule };

/** Whether `rule` holds for an operator of release `release`. */
export function holdsIn(rule: ReleaseRule, release: DynamoRelease): boolean {
  return release.atLeast(rule.since);
}
