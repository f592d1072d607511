import * as fs from 'fs';
import { checkManifests, listRules } from '../rules';
import { decodeText, parseStream } from './read';
import { describeObject, isAtOrAbove } from './report';
import { CheckResult, Finding, ManifestInput, RuleInfo, Severity } from '../rules/types';

/** Status of a validation report, as cdk8s-cli spells it. */
export enum ValidationReportStatus {
  /** No violation at or above the plugin's `failOn`. */
  SUCCESS = 'success',
  /** At least one violation at or above the plugin's `failOn`. */
  FAILURE = 'failure',
}

/** Construct metadata of one synthesized resource (cdk8s-cli's `ResourceConstructMetadata`). */
export interface ValidationResourceMetadata {
  /** The construct path of the ApiObject that produced the resource. */
  readonly path: string;
}

/** One resource that breaks a rule (cdk8s-cli's `ValidationViolatingResource`). */
export interface ValidationViolatingResource {
  /** `metadata.name` of the resource (cdk8s-cli looks its construct path up by it). */
  readonly resourceName: string;
  /** What is wrong where: one line per finding. */
  readonly locations: string[];
  /** The manifest file the resource is in. */
  readonly manifestPath: string;
}

/** One rule and the resources that break it (cdk8s-cli's `ValidationViolation`). */
export interface ValidationViolation {
  /** The rule: `DYN101: <title>`. */
  readonly ruleName: string;
  /** What the rule checks and why it matters. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The resources at fault. */
  readonly violatingResources: ValidationViolatingResource[];
}

/** The report a validation plugin fills (cdk8s-cli's `ValidationReport`). */
export interface IValidationReport {
  /**
   * Adds a violation.
   * @param violation the rule and the resources at fault
   */
  addViolation(violation: ValidationViolation): void;
  /**
   * Submits the report.
   * @param status success or failure
   * @param metadata shown in the report's summary
   */
  submit(status: ValidationReportStatus, metadata?: { [key: string]: string }): void;
}

/**
 * What cdk8s-cli hands a validation plugin (its `ValidationContext`): the synthesized
 * manifest files, the construct metadata of their resources, and the report to fill.
 */
export interface IValidationContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: string[];
  /** Construct metadata by resource name (`metadata.name`). */
  readonly metadata?: { [resourceName: string]: ValidationResourceMetadata };
  /** The report to fill and submit. */
  readonly report: IValidationReport;
}

/** Properties of the plugin: the `properties:` of its entry in cdk8s.yaml. */
export interface DynamoValidationProps {
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
   * Validate against the bundled CRD schemas and Kubernetes' HPA validation.
   * @default true
   */
  readonly schema?: boolean;
  /**
   * Findings at or above this severity fail `cdk8s synth` (`error` or `warning`).
   * @default Severity.ERROR
   */
  readonly failOn?: Severity;
}

/**
 * A cdk8s-cli validation plugin: `cdk8s synth` runs the library's rules and schema
 * checks on the synthesized manifests and fails on findings. Each rule with findings is
 * one violation (rule id and title, description, fix); each resource at fault is listed
 * with its manifest, its construct path and one location per finding (field path and
 * message). In cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-dynamo
 *     version: 0.0.0          # any exact version: the local package is used as installed
 *     class: DynamoValidation
 *     properties:
 *       dynamoRelease: '1.5'
 * ```
 */
export class DynamoValidation {
  private readonly props: DynamoValidationProps;

  public constructor(props: DynamoValidationProps = {}) {
    this.props = props ?? {};
    const failOn = this.props.failOn;
    if (failOn !== undefined && failOn !== Severity.ERROR && failOn !== Severity.WARNING) {
      throw new Error(`cdk8s-dynamo validation plugin: property 'failOn' (${JSON.stringify(failOn)}) must be 'error' or 'warning'`);
    }
  }

  /**
   * Checks the manifests of `context` and fills its report.
   * @param context what cdk8s-cli hands the plugin
   */
  public async validate(context: IValidationContext): Promise<void> {
    const report = context.report;
    let inputs: ManifestInput[];
    let result: CheckResult;
    try {
      inputs = readManifests(context);
      result = checkManifests(inputs, {
        dynamoRelease: this.props.dynamoRelease,
        defaultNamespace: this.props.defaultNamespace,
        enable: this.props.enable,
        disable: this.props.disable,
        schema: this.props.schema,
      });
    } catch (e: any) {
      // A bad option or an unreadable manifest: fail the synth with the reason, not a stack.
      report.addViolation({
        ruleName: 'cdk8s-dynamo: could not check the manifests',
        recommendation: String(e?.message ?? e),
        fix: 'Fix the plugin properties in cdk8s.yaml or the manifest named above.',
        violatingResources: [],
      });
      report.submit(ValidationReportStatus.FAILURE, { error: String(e?.message ?? e) });
      return;
    }

    const failOn = this.props.failOn ?? Severity.ERROR;
    const rules = new Map<string, RuleInfo>(listRules().map((r) => [r.id, r]));
    for (const violation of toViolations(result.findings, rules)) report.addViolation(violation);
    const failing = result.findings.filter((f) => isAtOrAbove(f.severity, failOn)).length;
    report.submit(failing > 0 ? ValidationReportStatus.FAILURE : ValidationReportStatus.SUCCESS, {
      'Objects checked': String(result.checked),
      'Objects of other kinds': String(result.unknown),
      'Findings': String(result.findings.length),
      'Fail on': failOn,
    });
  }
}

/** The manifests of a synth, each object with its file, position and construct path. */
function readManifests(context: IValidationContext): ManifestInput[] {
  const metadata = context.metadata ?? {};
  const inputs: ManifestInput[] = [];
  for (const file of context.manifests) {
    const { inputs: parsed } = parseStream(file, decodeText(file, fs.readFileSync(file)));
    for (const input of parsed) {
      const name = input.manifest?.metadata?.name;
      const constructPath = typeof name === 'string' ? metadata[name]?.path : undefined;
      inputs.push(constructPath === undefined ? input : { ...input, constructPath });
    }
  }
  return inputs;
}

/** Findings grouped by rule, then by resource: one violation per rule, in rule-id order. */
function toViolations(findings: Finding[], rules: Map<string, RuleInfo>): ValidationViolation[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  return [...byRule.keys()].sort().map((ruleId) => {
    const list = byRule.get(ruleId)!;
    const rule = rules.get(ruleId);
    const resources = new Map<string, { resourceName: string; manifestPath: string; locations: string[] }>();
    for (const f of list) {
      const file = f.source?.file ?? '(unknown manifest)';
      const key = `${file}\u0000${describeObject(f.object)}`;
      let r = resources.get(key);
      if (!r) resources.set(key, r = { resourceName: f.object.name, manifestPath: file, locations: [] });
      const at = f.source?.line !== undefined ? ` (line ${f.source.line})` : '';
      r.locations.push(`${f.severity}: ${f.message}${at}`);
    }
    return {
      ruleName: `${ruleId}: ${rule?.title ?? ruleId}`,
      recommendation: rule?.description ?? list[0].message,
      fix: rule?.fix ?? list[0].fix ?? '',
      violatingResources: [...resources.values()],
    };
  });
}
