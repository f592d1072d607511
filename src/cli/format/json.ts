import { failed, LintReport } from './report';
import { Severity } from '../../rules/types';

/**
 * `--format json`: one object, stable field names, for scripts:
 * `{ tool, summary: { objects, checked, unknown, skipped, files, errors, warnings, failOn, failed }, findings, skipped }`.
 * Findings are the engine's `Finding` objects as they are.
 */
export function formatJson(report: LintReport): string {
  const findings = report.result.findings;
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  return JSON.stringify({
    tool: report.tool,
    summary: {
      files: report.files.length,
      objects: report.inputs.length,
      checked: report.result.checked,
      unknown: report.result.unknown,
      skipped: report.skipped.length,
      errors,
      warnings: findings.length - errors,
      failOn: report.failOn,
      failed: failed(report),
    },
    findings,
    skipped: report.skipped,
  }, null, 2) + '\n';
}
