// The conflict checks remember that they passed, because cdk8s re-validates the whole
// app once per chart it synthesizes. These tests pin that a pass is not remembered past
// a change: an autoscaler added after one synthesis is still caught by the next.
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { DynamoGraphDeployment, HpaAutoscaler, KedaAutoscaler, KedaTrigger, PromQuery, ServiceRole } from '../src';

function fleet() {
  const app = new App();
  const a = new Chart(app, 'a', { namespace: 'prod' });
  const b = new Chart(app, 'b', { namespace: 'prod' });
  const dgd = new DynamoGraphDeployment(a, 'llm', { name: 'llm' });
  const frontend = dgd.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND });
  const decode = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
  const cpu = () => plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70));
  new HpaAutoscaler(a, 'frontend-hpa', { target: frontend.adapter, maxReplicas: 4, metrics: [cpu()] });
  return { app, a, b, dgd, frontend, decode, cpu };
}

test('a fleet of many charts synthesizes and every chart keeps its objects', () => {
  const app = new App();
  for (let i = 0; i < 20; i++) {
    const chart = new Chart(app, `c${i}`, { namespace: 'prod' });
    const dgd = new DynamoGraphDeployment(chart, 'llm', { name: `llm-${i}` });
    const s = dgd.addService('decode', { image: 'runtime:1.5.1', role: ServiceRole.DECODE });
    new KedaAutoscaler(chart, 'scaler', {
      target: s.adapter,
      triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1 })],
    });
  }
  const docs = app.charts.flatMap((c) => c.toJson());
  expect(docs.filter((d) => d.kind === 'ScaledObject').map((d) => d.metadata.name))
    .toEqual(Array.from({ length: 20 }, (_, i) => `llm-${i}-decode-scaler`));
});

test('a second autoscaler on the same target, added after a passing synthesis, fails the next one', () => {
  const { app, b, frontend } = fleet();
  expect(() => app.synthYaml()).not.toThrow();
  new KedaAutoscaler(b, 'frontend-scaler', {
    target: frontend.adapter,
    triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: PromQuery.raw('up'), threshold: 1 })],
  });
  expect(() => app.synthYaml()).toThrow(/\[a\/frontend-hpa\] DYN603 .*ScaledObject [^ ]*\/llm-frontend-scaler already scales .*\(the other is at b\/frontend-scaler;/);
  expect(() => app.synthYaml()).toThrow(/\[b\/frontend-scaler\] DYN603 .*HorizontalPodAutoscaler [^ ]*\/llm-frontend-hpa already scales .*\(the other is at a\/frontend-hpa;/);
});

test('a cdk8s-plus HPA added after a passing synthesis is reported on the next one', () => {
  const { app, b, frontend, cpu } = fleet();
  expect(() => app.synthYaml()).not.toThrow();
  new plus.HorizontalPodAutoscaler(b, 'plus-hpa', { target: frontend.adapter, maxReplicas: 3, metrics: [cpu()] });
  expect(() => app.synthYaml()).toThrow(/\[b\/plus-hpa\] DYN603 .*HorizontalPodAutoscaler [^ ]*\/llm-frontend-hpa already scales .*\(the other is at a\/frontend-hpa;/);
});

test('an autoscaler on a service added after a passing synthesis is still checked', () => {
  const { app, b, dgd, cpu } = fleet();
  expect(() => app.synthYaml()).not.toThrow();
  const prefill = dgd.addService('prefill', { image: 'runtime:1.5.1', role: ServiceRole.PREFILL });
  new HpaAutoscaler(b, 'prefill-hpa', { target: prefill.adapter, maxReplicas: 4, metrics: [cpu()] });
  new HpaAutoscaler(b, 'prefill-hpa-2', { target: prefill.adapter, maxReplicas: 4, metrics: [cpu()], qualifier: 'again' });
  expect(() => app.synthYaml()).toThrow(/DYN603 .*HorizontalPodAutoscaler [^ ]*\/llm-prefill-hpa already scales .*\(the other is at b\/prefill-hpa;/);
});
