/**
 * The `cdk8s-dynamo` binary dispatches every subcommand: simulate, import and convert
 * reached through `main` as a user's shell would reach them.
 */
import * as path from 'path';
import { fakeIo } from './support/cli';
import { main, SUBCOMMANDS } from '../src/cli/main';

const ROOT = path.resolve(__dirname, '..');
const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web-hpa, namespace: team }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

describe('cdk8s-dynamo subcommands', () => {
  test('the help lists every subcommand', async () => {
    const { io, out } = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    const text = out().stdout + out().stderr;
    for (const s of SUBCOMMANDS) expect(text).toContain(s.name);
    expect(SUBCOMMANDS.map((s) => s.name)).toEqual(expect.arrayContaining(['lint', 'rules', 'simulate', 'import', 'convert']));
  });

  test('simulate: an HPA from stdin through the shipped bursty-day trace prints the summary', async () => {
    const { io, out } = fakeIo({ stdin: HPA, cwd: ROOT });
    const code = await main(['simulate', '--policy', '-', '--trace', 'examples/traces/bursty-day.csv', '--capacity', '12', '--startup', '60'], io);
    expect(out().stderr).toBe('');
    expect(code).toBe(0);
    expect(out().stdout).toMatch(/policy\s+web-hpa/);
    expect(out().stdout).toMatch(/replica-hours\s+\d+\.\d+/);
    expect(out().stdout).toMatch(/scale events \(up\/down\)\s+\d+ \(\d+\/\d+\)/);
  });

  test('simulate: a missing trace is a usage error naming the file, exit 2, no stack', async () => {
    const { io, out } = fakeIo({ stdin: HPA, cwd: ROOT });
    const code = await main(['simulate', '--policy', '-', '--trace', 'no-such-trace.csv', '--capacity', '12'], io);
    expect(code).toBe(2);
    expect(out().stderr).toContain('no-such-trace.csv');
    expect(out().stderr).not.toMatch(/\n\s+at /);
  });

  /** One v1alpha1 DGD, as a user would pipe it in. */
  const ALPHA_DGD = `apiVersion: nvidia.com/v1alpha1
kind: DynamoGraphDeployment
metadata: { name: llm, namespace: team }
spec:
  backendFramework: vllm
  services:
    Frontend:
      componentType: frontend
      replicas: 1
      extraPodSpec:
        mainContainer: { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.1' }
`;

  test('convert: a v1alpha1 DGD from stdin comes out as v1beta1 with a main container', async () => {
    const { io, out } = fakeIo({ stdin: ALPHA_DGD, cwd: ROOT });
    expect(await main(['convert', '--to', 'v1beta1', '-'], io)).toBe(0);
    expect(out().stdout).toContain('apiVersion: nvidia.com/v1beta1');
    expect(out().stdout).toMatch(/components:\n\s+- name: Frontend/);
    expect(out().stdout).toMatch(/name: main\n\s+image: nvcr.io\/nvidia\/ai-dynamo\/vllm-runtime:1.5.1/);
  });

  test('import: writes a program that uses the library', async () => {
    const { io, out } = fakeIo({ stdin: ALPHA_DGD, cwd: ROOT });
    expect(await main(['import', '-'], io)).toBe(0);
    expect(out().stdout).toContain("from 'cdk8s-dynamo'");
    expect(out().stdout).toContain('new DynamoGraphDeployment(');
    expect(out().stdout).toContain("addService('Frontend'");
  });
});
