/**
 * Load traces: requests per second over time, from CSV, JSON, or a Prometheus
 * `query_range` response. Bad input is refused with the file, the row and what is
 * allowed; the simulator never fills a gap or reorders samples on its own.
 */

export interface Trace {
  /** Sample times, seconds (epoch or relative), strictly increasing, evenly spaced. */
  readonly t: readonly number[];
  /** Requests per second at each sample. */
  readonly load: readonly number[];
  /** Seconds between samples. */
  readonly step: number;
  /** Samples where the metrics pipeline failed (`error` in the trace), if any. */
  readonly errors?: readonly boolean[];
}

export class TraceError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

function parseTime(raw: string, where: string): number {
  const s = raw.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Number(s);
  // ISO 8601 with an explicit zone only: a local-time reading would differ between machines.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return Date.parse(s) / 1000;
  throw new TraceError(`${where}: time ${JSON.stringify(raw)} is not seconds or an ISO 8601 timestamp with a zone (e.g. 2026-01-05T10:00:00Z)`);
}

function parseLoad(raw: unknown, where: string): { value: number; error: boolean } {
  if (raw === 'error') return { value: NaN, error: true };
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new TraceError(`${where}: load ${JSON.stringify(raw)} is not a number (write "error" to mark a failed scrape)`);
  if (n < 0) throw new TraceError(`${where}: load ${n} is negative; requests per second must be >= 0`);
  return { value: n, error: false };
}

/**
 * Checks order and spacing. A gap (a missing sample) is an error unless `allowGaps`,
 * which holds the previous value across it and says so in `notes`.
 */
export function buildTrace(
  rows: ReadonlyArray<{ t: number; value: number; error: boolean; where: string }>, source: string, allowGaps = false, notes?: string[],
): Trace {
  if (rows.length < 2) throw new TraceError(`${source}: a trace needs at least 2 samples (got ${rows.length})`);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].t <= rows[i - 1].t) {
      throw new TraceError(`${rows[i].where}: time ${rows[i].t} is not after the previous sample (${rows[i - 1].t}); samples must be sorted by time with no duplicates`);
    }
  }
  const step = rows[1].t - rows[0].t;
  const t: number[] = [];
  const load: number[] = [];
  const errors: boolean[] = [];
  let filled = 0;
  let lastGood = 0;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) {
      const dt = rows[i].t - rows[i - 1].t;
      const k = dt / step;
      if (Math.abs(k - Math.round(k)) > 1e-6 || Math.round(k) < 1) {
        throw new TraceError(`${rows[i].where}: samples are ${dt} s apart here but ${step} s apart at the start; resample the trace to an even step`);
      }
      if (Math.round(k) > 1) {
        if (!allowGaps) {
          throw new TraceError(`${rows[i].where}: gap of ${dt} s after t=${rows[i - 1].t} (step ${step} s); fill it, or pass --allow-gaps to hold the previous value (an approximation, reported in the output)`);
        }
        for (let g = 1; g < Math.round(k); g++) {
          t.push(rows[i - 1].t + g * step);
          load.push(lastGood);
          errors.push(false);
          filled++;
        }
      }
    }
    const r = rows[i];
    t.push(r.t);
    load.push(r.error ? lastGood : r.value);
    errors.push(r.error);
    if (!r.error) lastGood = r.value;
  }
  if (filled > 0) notes?.push(`APPROXIMATION: ${filled} missing samples in ${source} were filled with the previous value (--allow-gaps).`);
  return { t, load, step, errors: errors.some((e) => e) ? errors : undefined };
}

/** CSV with a header: a time column (t, time, timestamp, seconds) and a load column (rps, load, value, requests). */
export function parseCsvTrace(text: string, source: string, allowGaps = false, notes?: string[]): Trace {
  const lines = text.split(/\r?\n/).map((l, i) => ({ l: l.trim(), n: i + 1 })).filter((x) => x.l !== '' && !x.l.startsWith('#'));
  if (lines.length === 0) throw new TraceError(`${source}: empty file`);
  const header = lines[0].l.split(',').map((h) => h.trim().toLowerCase());
  const ti = header.findIndex((h) => ['t', 'time', 'timestamp', 'seconds'].includes(h));
  const li = header.findIndex((h) => ['rps', 'load', 'value', 'requests', 'requests_per_second'].includes(h));
  if (ti < 0 || li < 0) {
    throw new TraceError(`${source}:${lines[0].n}: the header ${JSON.stringify(lines[0].l)} needs a time column (t, time, timestamp, seconds) and a load column (rps, load, value, requests)`);
  }
  const rows = lines.slice(1).map(({ l, n }) => {
    const cells = l.split(',');
    const where = `${source}:${n}`;
    if (cells.length !== header.length) throw new TraceError(`${where}: ${cells.length} columns, the header has ${header.length}`);
    const v = parseLoad(cells[li].trim(), where);
    return { t: parseTime(cells[ti], where), value: v.value, error: v.error, where };
  });
  return buildTrace(rows, source, allowGaps, notes);
}

/**
 * JSON: `[{"t": ..., "rps": ...}, ...]`, `{"samples": [...]}`, or a Prometheus
 * `query_range` response (`{"status":"success","data":{"resultType":"matrix",...}}`) with
 * exactly one series.
 */
export function parseJsonTrace(text: string, source: string, allowGaps = false, notes?: string[]): Trace {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TraceError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (doc && typeof doc === 'object' && doc.data && doc.data.resultType !== undefined) return buildTrace(promRows(doc, source), source, allowGaps, notes);
  const arr = Array.isArray(doc) ? doc : doc?.samples;
  if (!Array.isArray(arr)) throw new TraceError(`${source}: expected an array of {t, rps} samples, {"samples": [...]}, or a Prometheus query_range response`);
  const rows = arr.map((s: any, i: number) => {
    const where = `${source}[${i}]`;
    if (!s || typeof s !== 'object') throw new TraceError(`${where}: expected an object {t, rps}`);
    const tRaw = s.t ?? s.time ?? s.timestamp;
    const lRaw = s.rps ?? s.load ?? s.value;
    if (tRaw === undefined) throw new TraceError(`${where}: missing the time (t)`);
    const v = parseLoad(lRaw, where);
    return { t: parseTime(String(tRaw), where), value: v.value, error: v.error, where };
  });
  return buildTrace(rows, source, allowGaps, notes);
}

function promRows(doc: any, source: string): Array<{ t: number; value: number; error: boolean; where: string }> {
  if (doc.status !== 'success') throw new TraceError(`${source}: Prometheus response status is ${JSON.stringify(doc.status)}, not "success"`);
  if (doc.data.resultType !== 'matrix') throw new TraceError(`${source}: resultType ${JSON.stringify(doc.data.resultType)}; export a range query (query_range), which returns a matrix`);
  const result = doc.data.result;
  if (!Array.isArray(result) || result.length !== 1) {
    throw new TraceError(`${source}: the query returned ${Array.isArray(result) ? result.length : 0} series; aggregate it to one (e.g. sum(rate(...)))`);
  }
  return (result[0].values as Array<[number, string]>).map(([ts, v], i) => {
    const where = `${source} values[${i}]`;
    // Prometheus writes NaN for a failed evaluation; that is a gap in the data, not load.
    if (v === 'NaN') throw new TraceError(`${where}: NaN in the Prometheus data at ${ts}; fix the query range or drop the sample and pass --allow-gaps`);
    const p = parseLoad(v, where);
    return { t: Number(ts), value: p.value, error: false, where };
  });
}

/** Reads a trace by its content (CSV, JSON or Prometheus JSON). */
export function parseTrace(text: string, source: string, allowGaps = false, notes?: string[]): Trace {
  const head = text.trimStart()[0];
  return head === '[' || head === '{' ? parseJsonTrace(text, source, allowGaps, notes) : parseCsvTrace(text, source, allowGaps, notes);
}

/**
 * Load from what Prometheus recorded: a per-replica metric and the replica count at
 * the same times. `perReplicaRps` multiplies (rps per pod x pods); `utilization` turns
 * CPU percent back into requests with the model's capacity.
 */
export function loadFromRecorded(metric: Trace, replicas: Trace, kind: 'perReplicaRps' | 'utilization', capacityPerReplica: number, source: string): Trace {
  if (metric.t.length !== replicas.t.length || metric.t.some((t, i) => t !== replicas.t[i])) {
    throw new TraceError(`${source}: the metric and replica series must have the same timestamps (query both with the same start, end and step)`);
  }
  const load = metric.load.map((v, i) => (kind === 'perReplicaRps' ? v * replicas.load[i] : (v / 100) * capacityPerReplica * replicas.load[i]));
  return { t: metric.t, load, step: metric.step };
}
