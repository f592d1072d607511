import * as YAML from 'yaml';
import { adapterVersions, ConversionLoss, convertDgd, retargetedApiVersion } from './convert';
import { DynamoValidationError } from '../base/errors';
import { DGD_KIND } from '../dynamo/deployment';
import { DynamoApiVersion } from '../dynamo/types';

function isList(js: any): boolean {
  return js !== null && typeof js === 'object' && typeof js.kind === 'string' && js.kind.endsWith('List') && Array.isArray(js.items);
}

/** The result of converting a YAML stream. @internal */
export interface ConvertedStream {
  /** The converted stream. */
  readonly text: string;
  /** Fields with no place in the target version, in input order. */
  readonly losses: ConversionLoss[];
  /** How many DGDs changed version. */
  readonly converted: number;
  /** How many autoscalers' scaleTargetRef.apiVersion followed their DGD. */
  readonly retargeted: number;
}

/**
 * Converts every DGD of a YAML stream to `to`. Other documents pass through as they
 * were (comments included), except that an autoscaler (HPA, KEDA ScaledObject, AIBrix
 * PodAutoscaler) whose `scaleTargetRef` names the scaling adapter of a DGD in the stream
 * gets that DGD's apiVersion.
 * @internal
 */
export function convertYamlStream(text: string, file: string, to: DynamoApiVersion): ConvertedStream {
  const lines = new YAML.LineCounter();
  const parsed = YAML.parseAllDocuments(text, { lineCounter: lines });
  const docs = Array.isArray(parsed) ? parsed : [];
  const losses: ConversionLoss[] = [];
  const out: Array<YAML.Document | undefined> = [];
  const dgds: any[] = [];
  const lists: Array<{ js: any; index: number }> = [];
  let converted = 0;
  docs.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      throw new DynamoValidationError(`[${file}${pos ? `:${pos.line}:${pos.col}` : ''}] invalid YAML in document ${i + 1}: ${error.message.split('\n')[0]}`);
    }
    const js = doc.toJS({ maxAliasCount: 100 });
    if (js === null || js === undefined) {
      out.push(undefined);
      return;
    }
    const where = `${file}, document ${i + 1} (line ${lines.linePos(doc.contents?.range?.[0] ?? 0).line})`;
    if (isList(js)) {
      // `kubectl get ... -o yaml` of several objects: a List whose DGD items convert.
      let changed = false;
      const items = js.items.map((item: any, j: number) => {
        if (item?.kind !== DGD_KIND) return item;
        const result = convertDgd(item, to, `${where}, items[${j}]`, losses);
        dgds.push(result);
        if (result !== item) {
          changed = true;
          converted += 1;
        }
        return result;
      });
      lists.push({ js: { ...js, items }, index: out.length });
      if (changed) {
        const next = new YAML.Document({ ...js, items });
        next.commentBefore = doc.commentBefore;
        out.push(next);
      } else {
        out.push(doc);
      }
      return;
    }
    if (js?.kind !== DGD_KIND) {
      out.push(doc);
      return;
    }
    const result = convertDgd(js, to, where, losses);
    dgds.push(result);
    if (result === js) {
      out.push(doc);
      return;
    }
    converted += 1;
    const next = new YAML.Document(result);
    next.commentBefore = doc.commentBefore;
    out.push(next);
  });
  const adapters = adapterVersions(dgds);
  let retargeted = 0;
  for (const list of lists) {
    const doc = out[list.index]!;
    list.js.items.forEach((item: any, j: number) => {
      const version = retargetedApiVersion(item, adapters);
      if (version === undefined) return;
      doc.setIn(['items', j, 'spec', 'scaleTargetRef', 'apiVersion'], version);
      retargeted += 1;
    });
  }
  out.forEach((doc) => {
    if (!doc) return;
    const version = retargetedApiVersion(doc.toJS(), adapters);
    if (version === undefined) return;
    doc.setIn(['spec', 'scaleTargetRef', 'apiVersion'], version);
    retargeted += 1;
  });
  const kept = out.filter((d): d is YAML.Document => d !== undefined);
  const body = kept.map((d) => d.toString({ lineWidth: 0 }).replace(/^---\n/, '')).join('---\n');
  return { text: body, losses, converted, retargeted };
}
