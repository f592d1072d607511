import { findingsByInput, LintReport } from './report';
import { label } from '../../check/read';
import { describeObject, isAtOrAbove } from '../../check/report';
import { Finding, ManifestInput } from '../../rules/types';

/**
 * `--format junit`: JUnit XML as CI servers read it. One `<testsuite>` per stream read,
 * one `<testcase>` per object (name `Kind namespace/name`, classname the file, the line
 * in `file`/`line` attributes). A finding at or above --fail-on is a `<failure>` (type
 * the rule id); findings below it are listed in `<system-out>`. Findings that belong to
 * no object read are one more testcase of their own.
 */
export function formatJunit(report: LintReport, defaultNamespace: string): string {
  const { perInput, unmatched } = findingsByInput(report, defaultNamespace);
  const suites = new Map<string, { cases: string[]; tests: number; failures: number }>();
  const suite = (file: string) => {
    let s = suites.get(file);
    if (!s) suites.set(file, s = { cases: [], tests: 0, failures: 0 });
    return s;
  };
  for (const f of report.files) suite(f.name);

  report.inputs.forEach((input, i) => {
    const file = input.source?.file ?? '-';
    const s = suite(file);
    const m = input.manifest;
    const name = describeObject({ apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata?.namespace, name: m.metadata?.name ?? '(no name)' });
    s.cases.push(testcase(name, label(file), input, perInput[i], report));
    s.tests++;
    if (perInput[i].some((f) => isAtOrAbove(f.severity, report.failOn))) s.failures++;
  });
  if (unmatched.length > 0) {
    const s = suite('(cross-object)');
    s.cases.push(testcase('findings not tied to one object read', '(cross-object)', undefined, unmatched, report));
    s.tests++;
    if (unmatched.some((f) => isAtOrAbove(f.severity, report.failOn))) s.failures++;
  }

  let tests = 0;
  let failures = 0;
  const body: string[] = [];
  for (const [file, s] of suites) {
    tests += s.tests;
    failures += s.failures;
    body.push(`  <testsuite name="${attr(label(file))}" tests="${s.tests}" failures="${s.failures}" errors="0" skipped="0">`);
    body.push(...s.cases);
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`${report.tool.name} lint`)}" tests="${tests}" failures="${failures}" errors="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(name: string, file: string, input: ManifestInput | undefined, findings: Finding[], report: LintReport): string {
  const line = input?.source?.line;
  const attrs = [`name="${attr(name)}"`, `classname="${attr(file)}"`, `file="${attr(file)}"`];
  if (line !== undefined) attrs.push(`line="${line}"`);
  const failing = findings.filter((f) => isAtOrAbove(f.severity, report.failOn));
  const below = findings.filter((f) => !isAtOrAbove(f.severity, report.failOn));
  if (failing.length === 0 && below.length === 0) return `    <testcase ${attrs.join(' ')}/>`;
  const out = [`    <testcase ${attrs.join(' ')}>`];
  for (const f of failing) {
    out.push(`      <failure type="${attr(f.ruleId)}" message="${attr(`${f.ruleId}: ${f.message}`)}">${text(details(f))}</failure>`);
  }
  if (below.length > 0) out.push(`      <system-out>${text(below.map((f) => `${f.severity} ${f.ruleId}: ${details(f)}`).join('\n\n'))}</system-out>`);
  out.push('    </testcase>');
  return out.join('\n');
}

function details(f: Finding): string {
  const lines = [`${describeObject(f.object)}${f.path ? ` ${f.path}` : ''}: ${f.message}`];
  if (f.fix) lines.push(`fix: ${f.fix}`);
  if (f.source?.file) lines.push(`at: ${label(f.source.file)}${f.source.line !== undefined ? `:${f.source.line}:${f.source.column ?? 1}` : ''}`);
  if (f.constructPath) lines.push(`construct: ${f.constructPath}`);
  return lines.join('\n');
}

/**
 * XML 1.0 text: escapes markup and drops the characters XML 1.0 cannot hold at all
 * (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF), which user
 * values in messages could otherwise carry into the report.
 */
function text(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
