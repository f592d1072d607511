import { InputFile, SkippedDocument } from '../../check/read';
import { isAtOrAbove } from '../../check/report';
import { CheckResult, Finding, ManifestInput, RuleInfo, Severity } from '../../rules/types';

/** Everything a lint run produced: what each output format renders. */
export interface LintReport {
  /** `cdk8s-dynamo` and the package version. */
  readonly tool: { readonly name: string; readonly version: string };
  /** The streams read, in order. */
  readonly files: InputFile[];
  /** The objects read, in order. */
  readonly inputs: ManifestInput[];
  /** The engine's result. */
  readonly result: CheckResult;
  /** The rules that ran (after --enable/--disable). */
  readonly rules: RuleInfo[];
  /** Findings at or above this severity fail the run. */
  readonly failOn: Severity;
  /** Documents that were not Kubernetes objects. */
  readonly skipped: SkippedDocument[];
  /** Working directory (SARIF makes paths relative to it). */
  readonly cwd: string;
}

/** Whether the report fails the run (exit code 1). */
export function failed(report: LintReport): boolean {
  return report.result.findings.some((f) => isAtOrAbove(f.severity, report.failOn));
}

/** A key that ties a finding to the object it was read as: the stream and position. */
export function sourceKey(s: { file?: string; document?: number; line?: number; column?: number } | undefined): string | undefined {
  if (!s?.file || s.line === undefined) return undefined;
  return `${s.file}\u0000${s.line}\u0000${s.column ?? 1}`;
}

/** `apiVersion/kind/namespace/name`: ties a finding without a source to its object. */
export function refKey(r: { apiVersion?: string; kind?: string; namespace?: string; name?: string }): string {
  return [r.apiVersion ?? '', r.kind ?? '', r.namespace ?? '', r.name ?? ''].join('\u0000');
}

/**
 * Groups findings by the object they are about, in input order: each input gets the
 * findings whose source is its position (or, failing that, whose object is it); findings
 * that match no input are returned apart.
 */
export function findingsByInput(report: LintReport, defaultNamespace: string): { perInput: Finding[][]; unmatched: Finding[] } {
  const bySource = new Map<string, number>();
  const byRef = new Map<string, number>();
  report.inputs.forEach((input, i) => {
    const sk = sourceKey(input.source);
    if (sk !== undefined && !bySource.has(sk)) bySource.set(sk, i);
    const m = input.manifest ?? {};
    const ref = { apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata?.namespace ?? defaultNamespace, name: m.metadata?.name };
    const rk = refKey(ref);
    if (!byRef.has(rk)) byRef.set(rk, i);
    // cluster-scoped objects have no namespace in the finding
    const rk2 = refKey({ ...ref, namespace: m.metadata?.namespace });
    if (!byRef.has(rk2)) byRef.set(rk2, i);
  });
  const perInput: Finding[][] = report.inputs.map(() => []);
  const unmatched: Finding[] = [];
  for (const f of report.result.findings) {
    const sk = sourceKey(f.source);
    const i = (sk !== undefined ? bySource.get(sk) : undefined) ?? byRef.get(refKey(f.object));
    if (i === undefined) unmatched.push(f);
    else perInput[i].push(f);
  }
  return { perInput, unmatched };
}
