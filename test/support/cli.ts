import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RuleEngine } from '../../src/cli/engine';
import { CliIo } from '../../src/cli/io';
import { CheckOptions, CheckResult, Finding, ManifestInput, RuleInfo, Severity } from '../../src/rules/types';

/** What a command run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `CliIo` over strings: stdin as given, stdout/stderr collected. */
export function fakeIo(opts: { stdin?: string; cwd?: string; isTTY?: boolean } = {}): {
  io: CliIo;
  out: () => { stdout: string; stderr: string };
  stdinReads: () => number;
} {
  let stdout = '';
  let stderr = '';
  let reads = 0;
  const io: CliIo = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => {
      reads++;
      if (opts.stdin === undefined) throw new Error('is a terminal (the test gave no stdin)');
      return opts.stdin;
    },
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd ?? process.cwd(),
  };
  return { io, out: () => ({ stdout, stderr }), stdinReads: () => reads };
}

/** A fresh temporary folder with the given files (path -> content). */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dynamo-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

/**
 * Rules of the fake engine: an object is at fault when its annotation
 * `test.invalid/finding` names a rule id. Lets the command's reading, options, formats
 * and exit codes be tested apart from the real rules.
 */
export const FAKE_RULES: RuleInfo[] = [
  { id: 'FAKE001', severity: Severity.ERROR, title: 'Marked broken', description: 'The object carries the test annotation for FAKE001.', fix: 'Remove the annotation.' },
  { id: 'FAKE002', severity: Severity.WARNING, title: 'Marked doubtful', description: 'The object carries the test annotation for FAKE002.', fix: 'Remove the annotation & <think> about "it".' },
];

/** Kinds the fake engine "knows"; everything else is passed through and counted. */
export const FAKE_KNOWN_KINDS = new Set(['HorizontalPodAutoscaler', 'DynamoGraphDeployment', 'ScaledObject']);

/** The fake engine, recording the options of each call. */
export function fakeEngine(): RuleEngine & { calls: { inputs: ManifestInput[]; options?: CheckOptions }[] } {
  const calls: { inputs: ManifestInput[]; options?: CheckOptions }[] = [];
  return {
    calls,
    listRules: () => FAKE_RULES,
    checkManifests: (inputs: ManifestInput[], options?: CheckOptions): CheckResult => {
      calls.push({ inputs, options });
      const findings: Finding[] = [];
      let checked = 0;
      let unknown = 0;
      for (const input of inputs) {
        const m = input.manifest;
        if (!FAKE_KNOWN_KINDS.has(m.kind)) { unknown++; continue; }
        checked++;
        const ids = String(m.metadata?.annotations?.['test.invalid/finding'] ?? '').split(',').filter((s) => s);
        for (const id of ids) {
          if (options?.enable && !options.enable.includes(id)) continue;
          if (options?.disable?.includes(id)) continue;
          const rule = FAKE_RULES.find((r) => r.id === id)!;
          findings.push({
            ruleId: id,
            severity: rule.severity,
            object: { apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata?.namespace ?? options?.defaultNamespace ?? 'default', name: m.metadata?.name },
            path: 'metadata.annotations',
            value: id,
            message: `${m.kind} ${m.metadata?.name}: annotation 'test.invalid/finding' (${JSON.stringify(id)}) marks it`,
            fix: rule.fix,
            source: input.source,
            constructPath: input.constructPath,
          });
        }
      }
      return { findings, checked, unknown };
    },
  };
}

/** A YAML object of a kind the fake engine checks, optionally marked with rule ids. */
export function hpa(name: string, finding?: string, namespace?: string): string {
  return [
    'apiVersion: autoscaling/v2',
    'kind: HorizontalPodAutoscaler',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(finding ? ['  annotations:', `    test.invalid/finding: ${finding}`] : []),
    'spec:',
    '  maxReplicas: 3',
    '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }',
  ].join('\n') + '\n';
}

const SARIF_SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));

/** A validator for SARIF 2.1.0 logs: draft-04 schema, formats (uri, uri-reference, date-time) checked. */
export function sarifValidator() {
  const ajv = new Ajv4({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

/** Parses JUnit XML after checking it is well-formed; attributes kept, `@_` prefixed. */
export function parseJunit(xml: string): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`JUnit XML is not well-formed: ${JSON.stringify(valid.err)}`);
  return new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(xml);
}

