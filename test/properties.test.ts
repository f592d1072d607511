/**
 * Property tests: random valid compositions always synthesize to manifests the CRDs
 * accept, with valid, deterministic, unique names; random invalid inputs always fail
 * with the library's own error, never with an exception from inside cdk8s.
 */
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { DynamoApiVersion, DynamoGraphDeployment, DynamoNames, ServiceRole } from '../src';
import { crdErrors, hasCrd } from './support';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
const mixed = lower + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const dnsLabel = (max: number) => fc.tuple(
  fc.constantFrom(...lower),
  fc.array(fc.constantFrom(...(lower + '-')), { maxLength: Math.max(0, max - 2) }),
  fc.constantFrom(...lower),
).map(([a, mid, z]) => a + mid.join('') + z);
const serviceName = fc.tuple(
  fc.constantFrom(...mixed),
  fc.array(fc.constantFrom(...(mixed + '-')), { maxLength: 14 }),
  fc.constantFrom(...mixed),
).map(([a, mid, z]) => a + mid.join('') + z);

const roles = [ServiceRole.FRONTEND, ServiceRole.WORKER, ServiceRole.PREFILL, ServiceRole.DECODE, ServiceRole.PLANNER];

const serviceSpec = fc.record({
  // 'Resource' is the id cdk8s constructs conventionally use for their ApiObject.
  name: fc.oneof(serviceName, fc.constant('Resource')),
  role: fc.constantFrom(...roles),
  replicas: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  gpu: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  adapter: fc.boolean(),
  image: fc.option(fc.constantFrom('img:1', 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag'), { nil: undefined }),
  args: fc.option(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), { nil: undefined }),
  env: fc.option(fc.dictionary(fc.constantFrom('A', 'B_C', 'HF_HOME', 'x.y'), fc.string({ maxLength: 10 })), { nil: undefined }),
});

const composition = fc.record({
  dgdName: dnsLabel(20),
  namespace: dnsLabel(12),
  version: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
  services: fc.uniqueArray(serviceSpec, { minLength: 1, maxLength: 8, selector: (s) => s.name.toLowerCase() }),
});

function build(c: fc.RecordValue<any>): { app: App; dgd: DynamoGraphDeployment } {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: c.namespace });
  const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: c.dgdName, apiVersion: c.version });
  for (const s of c.services) {
    dgd.addService(s.name, {
      role: s.role,
      replicas: s.replicas,
      scalingAdapter: s.adapter,
      image: s.image,
      args: s.args,
      env: s.env,
      resources: s.gpu === undefined ? undefined : { limits: { gpu: s.gpu } },
    });
  }
  return { app, dgd };
}

describe('properties', () => {
  test('valid compositions validate against the CRDs, deterministically', () => {
    fc.assert(fc.property(composition, (c) => {
      const { app, dgd } = build(c);
      const manifests = Testing.synth(app.charts[0]);
      for (const m of manifests.filter(hasCrd)) expect(crdErrors(m)).toEqual([]);
      const names = dgd.services.map((s) => s.adapter.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      for (const s of dgd.services) expect(s.adapter.name).toBe(DynamoNames.adapterName(c.dgdName, s.serviceName));
      // Synthesizing twice, or an identical second app, gives byte-identical YAML.
      const again = build(c).app;
      expect(Yaml.stringify(...Testing.synth(again.charts[0]))).toBe(Yaml.stringify(...manifests));
      expect(app.synthYaml()).toBe(app.synthYaml());
    }), { numRuns: RUNS });
  });

  test('invalid names and counts fail with the library error, never a cdk8s crash', () => {
    const badDgdName = fc.oneof(
      fc.string({ maxLength: 10 }).filter((s) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s)),
      fc.constant('a'.repeat(254)),
      fc.constantFrom('UPPER', '-lead', 'trail-', 'has space', 'quote"d', 'new\nline'),
    );
    fc.assert(fc.property(badDgdName, (name) => {
      const chart = Testing.chart();
      expect(() => new DynamoGraphDeployment(chart, 'dgd', { name })).toThrow(/^\[test\/dgd\] 'name' \(.*\): must be a DNS subdomain/s);
    }), { numRuns: RUNS });

    const badService = fc.oneof(
      fc.record({ name: fc.constantFrom('-x', 'x-', 'a b', 'a_b', 'é', ''), replicas: fc.constant(1) }),
      fc.record({ name: fc.constant('ok'), replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true })) }),
    );
    fc.assert(fc.property(badService, ({ name, replicas }) => {
      const chart = Testing.chart();
      const dgd = new DynamoGraphDeployment(chart, 'dgd', { name: 'd' });
      let error: any;
      try {
        dgd.addService(name, { role: ServiceRole.WORKER, replicas });
      } catch (e) {
        error = e;
      }
      expect(error?.name).toBe('DynamoValidationError');
      expect(error.message).toMatch(/^\[test\/dgd(\/[^\]]*)?\] '(name|replicas)' \(/);
    }), { numRuns: RUNS });
  });
});
