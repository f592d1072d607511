/**
 * The rule engine's vocabulary: manifests in, findings out. Plain data, no constructs.
 */

/** How bad a finding is. */
export enum Severity {
  /** The cluster rejects the object, or accepts it and then misbehaves. */
  ERROR = 'error',
  /** Likely a mistake, or a deprecated form that still works. */
  WARNING = 'warning',
}

/** Where a manifest came from, when known. */
export interface ManifestSource {
  /** File path, or `-` for standard input. */
  readonly file?: string;
  /** Zero-based index of the document in its file. */
  readonly document?: number;
  /** One-based line of the document's start. */
  readonly line?: number;
  /** One-based column of the document's start. */
  readonly column?: number;
}

/** One parsed Kubernetes object and where it came from. */
export interface ManifestInput {
  /** The parsed object (plain JSON). */
  readonly manifest: any;
  /** Where it was read from. */
  readonly source?: ManifestSource;
  /** The cdk8s construct path that produced it, when synthesized by cdk8s. */
  readonly constructPath?: string;
}

/** The identity of a Kubernetes object. */
export interface ObjectRef {
  /** `group/version` or `version`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The namespace, when namespaced and known. */
  readonly namespace?: string;
  /** The name. */
  readonly name: string;
}

/** The documentation of one rule. */
export interface RuleInfo {
  /** Stable id, e.g. `DYN101`. */
  readonly id: string;
  /** Default severity. */
  readonly severity: Severity;
  /** One line. */
  readonly title: string;
  /** What the rule checks and why it matters. */
  readonly description: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** The Dynamo release the rule applies from, when it depends on one. */
  readonly since?: string;
}

/** One violation of one rule by one object. */
export interface Finding {
  /** The rule's id. */
  readonly ruleId: string;
  /** Severity of this finding. */
  readonly severity: Severity;
  /** The object at fault. */
  readonly object: ObjectRef;
  /** The field path inside the object, e.g. `spec.triggers[0].metadata.start`. */
  readonly path: string;
  /** The offending value, when there is one. */
  readonly value?: any;
  /** The message: names the object, the field, the value and what is allowed. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
  /** Where the object was read from. */
  readonly source?: ManifestSource;
  /** The construct path that produced the object, when known. */
  readonly constructPath?: string;
}

/** Options of a check run. */
export interface CheckOptions {
  /**
   * The Dynamo release whose rules apply, `MAJOR.MINOR`.
   * @default - the newest the library knows
   */
  readonly dynamoRelease?: string;
  /**
   * Namespace of objects that have none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Only these rule ids run.
   * @default - every rule
   */
  readonly enable?: string[];
  /**
   * These rule ids do not run.
   * @default - none
   */
  readonly disable?: string[];
  /**
   * Validate known custom resources against the bundled CRD schemas (structural schema,
   * pruned fields, CEL rules) and HPAs against Kubernetes' validation.
   * @default true
   */
  readonly schema?: boolean;
}

/** The result of a check run. */
export interface CheckResult {
  /** Every finding, in input order. */
  readonly findings: Finding[];
  /** Objects of kinds the rules know and checked. */
  readonly checked: number;
  /** Objects of kinds the rules do not know (passed through unchecked). */
  readonly unknown: number;
}
