import { failed, LintReport } from './report';
import { label } from '../../check/read';
import { countLine, formatFinding, TextStyle } from '../../check/report';

/**
 * The human format: each finding with `file:line:col`, severity, rule id, object, field
 * path, message and fix; then a summary of what was read and checked.
 */
export function formatText(report: LintReport, style: TextStyle): string {
  const { result } = report;
  const out: string[] = [];
  for (const f of result.findings) out.push(formatFinding(f, style), '');
  for (const s of report.skipped) out.push(style.dim(`note: ${label(s.file)}:${s.line}: skipped: ${s.reason}`));
  if (report.skipped.length > 0) out.push('');
  out.push(summaryLine(report));
  if (result.findings.length === 0) {
    out.push('no findings');
  } else {
    const verdict = failed(report)
      ? style.error(`failed: findings at or above --fail-on ${report.failOn}`)
      : `passed: no findings at or above --fail-on ${report.failOn}`;
    out.push(`${countLine(result.findings)}: ${verdict}`);
  }
  return out.join('\n') + '\n';
}

/** `12 objects from 3 files: 10 checked, 2 of kinds not checked (passed through)`. */
export function summaryLine(report: LintReport): string {
  const { result } = report;
  const n = report.inputs.length;
  const files = report.files.length;
  const parts = [`${result.checked} checked`, `${result.unknown} of kinds not checked (passed through)`];
  if (report.skipped.length > 0) parts.push(`${report.skipped.length} document${report.skipped.length === 1 ? '' : 's'} skipped (not Kubernetes objects)`);
  return `${n} object${n === 1 ? '' : 's'} from ${files} ${files === 1 ? 'stream' : 'streams'}: ${parts.join(', ')}`;
}
