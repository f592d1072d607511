import { Finding, ObjectRef, Severity } from '../rules/types';

/**
 * Plain-text rendering of findings, shared by the test checker's error, the `cdk8s synth`
 * plugin and `cdk8s-dynamo lint`'s text format, so a finding reads the same everywhere.
 */

const RANK: Record<string, number> = { [Severity.WARNING]: 1, [Severity.ERROR]: 2 };

/** Whether a finding of `severity` is at or above the threshold `failOn`. */
export function isAtOrAbove(severity: Severity, failOn: Severity): boolean {
  return (RANK[severity] ?? 2) >= (RANK[failOn] ?? 2);
}

/** `HorizontalPodAutoscaler inference/llm-frontend` (namespace left out when unknown). */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `file:line:col`, `file`, or undefined when the finding has no source. */
export function describeSource(f: Finding): string | undefined {
  const s = f.source;
  if (!s?.file) return undefined;
  return s.line !== undefined ? `${s.file}:${s.line}:${s.column ?? 1}` : s.file;
}

/** Styles for the text renderer; the identity when colour is off. */
export interface TextStyle {
  readonly error: (s: string) => string;
  readonly warning: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

/** No colour. */
export const PLAIN: TextStyle = { error: (s) => s, warning: (s) => s, dim: (s) => s, bold: (s) => s };

/**
 * One finding as text:
 * ```
 * dist/app.k8s.yaml:12:1 error DYN101 HorizontalPodAutoscaler ns/name
 *   spec.scaleTargetRef.name: <message>
 *   fix: <fix>
 *   construct: <path>
 * ```
 */
export function formatFinding(f: Finding, style: TextStyle = PLAIN): string {
  const sev = f.severity === Severity.ERROR ? style.error('error') : style.warning('warning');
  const where = describeSource(f);
  const head = [where ? style.bold(where) : undefined, sev, style.bold(f.ruleId), describeObject(f.object)].filter((x) => x !== undefined).join(' ');
  const lines = [head, `  ${f.path ? `${f.path}: ` : ''}${f.message}`];
  if (f.fix) lines.push(style.dim(`  fix: ${f.fix}`));
  if (f.constructPath) lines.push(style.dim(`  construct: ${f.constructPath}`));
  return lines.join('\n');
}

/** `2 errors, 1 warning`. */
export function countLine(findings: Finding[]): string {
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  const warnings = findings.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** Every finding, blank-line separated, then the count. */
export function formatFindings(findings: Finding[], style: TextStyle = PLAIN): string {
  if (findings.length === 0) return 'no findings';
  return `${findings.map((f) => formatFinding(f, style)).join('\n\n')}\n\n${countLine(findings)}`;
}
