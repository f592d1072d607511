// Writes examples/traces/bursty-day.csv: one day of request rates at 15 s resolution,
// a diurnal curve with random bursts and noise, from a fixed seed. Deterministic: the
// same seed writes the same bytes. Run: npx ts-node --transpile-only scripts/gen-bursty-trace.ts
import * as fs from 'fs';
import * as path from 'path';

const SEED = 20261205;
const STEP = 15;
const DAY = 24 * 3600;

/** mulberry32: a small seeded PRNG (deterministic across Node versions); bit mixing is its definition. */
/* eslint-disable no-bitwise */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

export function burstyDay(seed = SEED): Array<[number, number]> {
  const r = rng(seed);
  // Bursts: about one an hour in the day, 2-12 min long, 1.8-3.5x the base.
  const bursts: Array<{ start: number; end: number; factor: number }> = [];
  for (let t = 0; t < DAY; t += 3600) {
    if (r() < 0.85) {
      const start = t + Math.floor(r() * 3600);
      bursts.push({ start, end: start + 120 + Math.floor(r() * 600), factor: 1.8 + r() * 1.7 });
    }
  }
  const out: Array<[number, number]> = [];
  for (let t = 0; t < DAY; t += STEP) {
    const hour = t / 3600;
    // Night trough at 04:00, peak at 14:00: 8 rps to 40 rps.
    const base = 24 - 16 * Math.cos(((hour - 4) / 24) * 2 * Math.PI);
    let factor = 1;
    for (const b of bursts) if (t >= b.start && t < b.end) factor = Math.max(factor, b.factor);
    const noise = 1 + (r() - 0.5) * 0.2;
    out.push([t, Math.round(base * factor * noise * 100) / 100]);
  }
  return out;
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'examples', 'traces', 'bursty-day.csv');
  const rows = burstyDay().map(([t, v]) => `${t},${v}`);
  fs.writeFileSync(file, `# bursty day: 24 h at 15 s, seed ${SEED} (scripts/gen-bursty-trace.ts)\nt,rps\n${rows.join('\n')}\n`);
  console.log(`wrote ${rows.length} samples to ${path.relative(process.cwd(), file)}`);
}
