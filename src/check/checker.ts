import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkManifests } from '../rules';
import { formatFindings, isAtOrAbove } from './report';
import { CheckOptions, CheckResult, Finding, ManifestInput, Severity } from '../rules/types';

/** Options of the test checker's asserting methods. */
export interface AssertCleanOptions extends CheckOptions {
  /**
   * Findings at or above this severity make the check throw.
   * @default Severity.ERROR
   */
  readonly failOn?: Severity;
}

/**
 * The rule engine for users' own tests: check a chart, an app or a list of manifests
 * and get the findings (the same rule ids as `cdk8s-dynamo lint` and the `cdk8s synth`
 * plugin), or assert that there are none with an error that reads like the lint report.
 *
 * ```ts
 * test('inference chart', () => {
 *   const chart = new InferenceChart(Testing.app(), 'inference');
 *   // synthesizes like Testing.synth, throws on findings, returns the manifests
 *   expect(DynamoLint.synth(chart)).toMatchSnapshot();
 * });
 * ```
 */
export class DynamoLint {
  /**
   * Synthesizes `scope` (an App, a Chart, or any construct holding charts) as
   * `Testing.synth` does, chart by chart, and checks the manifests; each object carries
   * its construct path. Construct validations run as in `cdk8s synth`.
   * @param scope an App, a Chart, or a construct with charts under it
   * @param options release, default namespace, rules, schema validation
   */
  public static check(scope: IConstruct, options?: CheckOptions): CheckResult {
    return checkManifests(DynamoLint.inputsOf(scope), options ?? {});
  }

  /**
   * Checks plain manifests (parsed YAML or `Testing.synth` output).
   * @param manifests Kubernetes objects
   * @param options release, default namespace, rules, schema validation
   */
  public static checkManifests(manifests: any[], options?: CheckOptions): CheckResult {
    if (!Array.isArray(manifests)) throw new Error(`DynamoLint.checkManifests: 'manifests' must be an array of Kubernetes objects, got ${typeof manifests}`);
    return checkManifests(manifests.map((manifest) => ({ manifest })), options ?? {});
  }

  /**
   * Synthesizes `scope`, checks it, and returns the manifests (in `Testing.synth`
   * order, charts one after the other) so a snapshot test checks and snapshots in one
   * go. Throws an error listing every finding at or above `failOn`.
   * @param scope an App, a Chart, or a construct with charts under it
   * @param options release, default namespace, rules, schema validation, failOn
   */
  public static synth(scope: IConstruct, options?: AssertCleanOptions): any[] {
    const inputs = DynamoLint.inputsOf(scope);
    DynamoLint.throwIfFailing(checkManifests(inputs, options ?? {}), options, scope.node.path || '<app>');
    return inputs.map((i) => i.manifest);
  }

  /**
   * Throws an error listing every finding at or above `failOn` in `scope`'s manifests.
   * @param scope an App, a Chart, or a construct with charts under it
   * @param options release, default namespace, rules, schema validation, failOn
   */
  public static assertClean(scope: IConstruct, options?: AssertCleanOptions): void {
    DynamoLint.throwIfFailing(DynamoLint.check(scope, options), options, scope.node.path || '<app>');
  }

  /**
   * Throws an error listing every finding at or above `failOn` in `manifests`.
   * @param manifests Kubernetes objects
   * @param options release, default namespace, rules, schema validation, failOn
   */
  public static assertManifestsClean(manifests: any[], options?: AssertCleanOptions): void {
    DynamoLint.throwIfFailing(DynamoLint.checkManifests(manifests, options), options, `${manifests.length} manifests`);
  }

  /**
   * Findings as text, one block per finding (location, severity, rule id, object,
   * field path, message, fix, construct path), then the count.
   * @param findings findings of a check
   */
  public static formatFindings(findings: Finding[]): string {
    return formatFindings(findings);
  }

  private static throwIfFailing(result: CheckResult, options: AssertCleanOptions | undefined, what: string): void {
    const failOn = options?.failOn ?? Severity.ERROR;
    const failing = result.findings.filter((f) => isAtOrAbove(f.severity, failOn));
    if (failing.length === 0) return;
    const err = new Error(`cdk8s-dynamo: ${what} has ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${failOn}:\n\n${formatFindings(failing)}`);
    err.name = 'DynamoLintError';
    throw err;
  }

  /** Every ApiObject under `scope`, synthesized chart by chart, with its construct path. */
  private static inputsOf(scope: IConstruct): ManifestInput[] {
    const charts = scope.node.findAll().filter((c): c is Chart => Chart.isChart(c));
    if (charts.length === 0) {
      const isApp = scope.node.scope === undefined;
      throw new Error(`DynamoLint: ${isApp ? 'the app' : `'${scope.node.path}'`} holds no charts to check`);
    }
    const inputs: ManifestInput[] = [];
    for (const chart of charts) {
      // Chart.toJson() is Testing.synth: dependencies resolved, validations run, in
      // dependency order. Tie each object back to its ApiObject for the construct path.
      const manifests: any[] = chart.toJson();
      const paths = new Map<string, string>();
      for (const o of chart.node.findAll()) {
        if (ApiObject.isApiObject(o) && Chart.of(o) === chart) {
          const key = identity(o.apiVersion, o.kind, o.name);
          if (!paths.has(key)) paths.set(key, o.node.path);
        }
      }
      for (const manifest of manifests) {
        const constructPath = paths.get(identity(manifest?.apiVersion, manifest?.kind, manifest?.metadata?.name));
        inputs.push(constructPath === undefined ? { manifest } : { manifest, constructPath });
      }
    }
    return inputs;
  }

  private constructor() {}
}

function identity(apiVersion: unknown, kind: unknown, name: unknown): string {
  return `${apiVersion}\u0000${kind}\u0000${name}`;
}
