// Times the simulator on a week of 15 s samples (40,320 steps) with a behavior policy,
// for BENCH.md. Run: npx ts-node --transpile-only scripts/bench-simulate.ts
import * as fs from 'fs';
import * as path from 'path';
import { simulate } from '../src/simulate/engine';
import { policiesFromManifests } from '../src/simulate/policy';
import { parseTrace, Trace } from '../src/simulate/trace';

const file = path.join(__dirname, '..', 'examples', 'traces', 'bursty-day.csv');
const day = parseTrace(fs.readFileSync(file, 'utf8'), file);
const week: Trace = {
  t: Array.from({ length: day.t.length * 7 }, (_, i) => i * 15),
  load: Array.from({ length: 7 }, () => day.load).flat(),
  step: 15,
};
const [policy] = policiesFromManifests([{
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'bench' },
  spec: {
    minReplicas: 1,
    maxReplicas: 50,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] }, scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } },
  },
}], 'bench');
const model = { capacityPerReplica: 3, startupSeconds: 90, scaleDownDelaySeconds: 30, baseLatencySeconds: 0.2, initialReplicas: 1 };
simulate(policy, week, model); // warm-up
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = simulate(policy, week, model);
  const c1 = process.cpuUsage(c0);
  wall.push(Number(process.hrtime.bigint() - start) / 1e6);
  cpu.push((c1.user + c1.system) / 1000);
  if (r.samples.length !== 40320) throw new Error('wrong length');
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
// CPU time is the figure to compare across machines; wall time depends on what else runs.
console.log(`simulate: ${week.t.length} steps (a week at 15 s), HPA with behavior, up to 50 replicas: `
  + `median ${cpu[2].toFixed(0)} ms CPU (min ${cpu[0].toFixed(0)}), median ${wall[2].toFixed(0)} ms wall over 5 runs, node ${process.version}`);
