// The README "What if" example, reproducible: seed 004's TTFT ScaledObject and the
// frontend HPA, built from this library's constructs (examples/), replayed through
// examples/traces/bursty-day.csv. Writes examples/traces/what-if/: a summary per
// comparison (.txt), the chart (.svg) and, when rsvg-convert is installed (dev-time
// only: apt-get install librsvg2-bin), a PNG of it.
//   npx ts-node --transpile-only scripts/what-if-example.ts
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { build as buildFrontendHpa } from '../examples/hpa-cpu-frontend';
import { build as buildKedaTtft } from '../examples/keda-ttft';
import { simulate, SimulationResult } from '../src/simulate/engine';
import { policiesFromConstruct } from '../src/simulate/index';
import { TargetModel } from '../src/simulate/model';
import { kedaGeneratedHpa, Policy } from '../src/simulate/policy';
import { chartSvg, summaryTable } from '../src/simulate/report';
import { parseTrace } from '../src/simulate/trace';

const root = path.join(__dirname, '..');
const traceFile = path.join(root, 'examples', 'traces', 'bursty-day.csv');
const outDir = path.join(root, 'examples', 'traces', 'what-if');
const trace = parseTrace(fs.readFileSync(traceFile, 'utf8'), 'bursty-day.csv');

const app = new App();
buildFrontendHpa(app);
buildKedaTtft(app);
const policies = app.charts.flatMap((c) => policiesFromConstruct(c));
const frontend = policies.find((p) => p.name === 'frontend-hpa')!;
const ttft = policies.find((p) => p.kind === 'keda')!;
if (frontend.kind !== 'hpa' || ttft.kind !== 'keda') throw new Error('examples changed: expected an HPA and a ScaledObject');

function withScaleDownWindow(p: Extract<Policy, { kind: 'hpa' }>, window: number): Policy {
  const b = p.hpa.behavior!;
  return { ...p, name: `${p.name} (scaleDown ${window}s)`, hpa: { ...p.hpa, behavior: { ...b, scaleDown: { ...b.scaleDown, stabilizationWindowSeconds: window } } } };
}
function withValueTarget(p: Extract<Policy, { kind: 'keda' }>): Policy {
  const keda = { ...p.keda, triggers: p.keda.triggers.map((t) => ({ ...t, metricType: 'Value' as const })) };
  return { kind: 'keda', name: `${p.name} (metricType: Value)`, keda, hpa: kedaGeneratedHpa(keda) };
}

function run(name: string, title: string, ps: Policy[], model: TargetModel): void {
  const results: SimulationResult[] = ps.map((p) => simulate(p, trace, model));
  const header = `# ${title}\n# trace bursty-day.csv; model: ${model.capacityPerReplica} req/s per replica, start-up ${model.startupSeconds} s\n`;
  fs.writeFileSync(path.join(outDir, `${name}.txt`), header + summaryTable(results));
  const svg = chartSvg(results, title);
  fs.writeFileSync(path.join(outDir, `${name}.svg`), svg);
  const png = spawnSync('rsvg-convert', ['-w', '960', '-o', path.join(outDir, `${name}.png`), path.join(outDir, `${name}.svg`)]);
  if (png.error) console.log(`(no rsvg-convert: ${name}.png not written)`);
  console.log(header + summaryTable(results));
}

fs.mkdirSync(outDir, { recursive: true });
run('frontend-hpa-windows', 'frontend-hpa (CPU 70%): scale-down window 120 s vs 300 s',
  [withScaleDownWindow(frontend, 120), withScaleDownWindow(frontend, 300)],
  { capacityPerReplica: 12, startupSeconds: 60, scaleDownDelaySeconds: 0, baseLatencySeconds: 0.2, initialReplicas: 2 });
run('ttft-scaledobject', 'seed 004 TTFT ScaledObject: AverageValue (as written) vs Value',
  [ttft, withValueTarget(ttft)],
  { capacityPerReplica: 10, startupSeconds: 180, scaleDownDelaySeconds: 0, baseLatencySeconds: 0.2, initialReplicas: 2 });
