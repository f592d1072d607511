import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { LintReport } from './report';
import { describeObject } from '../../check/report';
import { Finding, RuleInfo, Severity } from '../../rules/types';

/** The base every relative artifact URI is resolved against (the working directory). */
const SRCROOT = '%SRCROOT%';

/**
 * `--format sarif`: a SARIF 2.1.0 log with one run. The driver lists the rules that ran
 * (id, title, description, fix as help, default level); each finding is a result with its
 * rule id and index, level, message, the physical location of its object (file relative
 * to the working directory, line and column) and the object as a logical location. The
 * fix text is the rule's help and the result's `properties.fix`: SARIF's own `fixes`
 * need concrete text edits, which a rule's advice is not.
 */
export function formatSarif(report: LintReport): string {
  const rules: RuleInfo[] = [...report.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of report.result.findings) {
    // a finding of a rule not listed (it cannot be, but a log must stay consistent)
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push({ id: f.ruleId, severity: f.severity, title: f.ruleId, description: f.message, fix: f.fix ?? '' });
    }
  }
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: report.tool.name,
          version: report.tool.version,
          rules: rules.map(toDescriptor),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(report.cwd).href.replace(/\/?$/, '/')}` } },
      results: report.result.findings.map((f) => toResult(f, index.get(f.ruleId)!, report.cwd)),
      columnKind: 'unicodeCodePoints',
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function level(s: Severity): sarif.ReportingConfiguration.level {
  return s === Severity.ERROR ? 'error' : 'warning';
}

function toDescriptor(rule: RuleInfo): sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascal(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: rule.fix, markdown: `**Fix:** ${rule.fix}` },
    defaultConfiguration: { level: level(rule.severity) },
    properties: rule.since ? { since: rule.since } : undefined,
  };
}

function toResult(f: Finding, ruleIndex: number, cwd: string): sarif.Result {
  const object = describeObject(f.object);
  const location: sarif.Location = {
    logicalLocations: [{ name: f.object.name, fullyQualifiedName: object, kind: 'object' }],
  };
  const src = f.source;
  if (src?.file) {
    location.physicalLocation = {
      artifactLocation: artifact(src.file, cwd),
      region: src.line !== undefined ? { startLine: src.line, startColumn: src.column ?? 1 } : undefined,
    };
  }
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: level(f.severity),
    message: { text: `${object}: ${f.path ? `${f.path}: ` : ''}${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
    locations: [location],
    properties: {
      object: f.object,
      path: f.path,
      ...(f.fix !== undefined ? { fix: f.fix } : {}),
      ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
    },
  };
}

/** A file as a SARIF artifact: relative to the working directory when inside it. */
function artifact(file: string, cwd: string): sarif.ArtifactLocation {
  if (file === '-') return { description: { text: 'standard input' } };
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

/** `Adapter is disabled` -> `AdapterIsDisabled` (SARIF's rule `name` is an identifier). */
function pascal(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());
}
