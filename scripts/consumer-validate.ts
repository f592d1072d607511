/**
 * Second half of scripts/consumer-test.sh: checks what the consumer app synthesized
 * (`<dist dir>`) and what it installed (`<node_modules>`).
 * Usage: ts-node scripts/consumer-validate.ts <dist dir> <app node_modules> <app's cdk8s-plus package>
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as YAML from 'yaml';
import { crdErrors, hasCrd, hpaRuleErrors } from '../test/support/crd-schema';

const [distDir, modulesDir, plusPackage] = process.argv.slice(2);
if (!distDir || !modulesDir || !plusPackage) {
  console.error('usage: consumer-validate.ts <dist dir> <app node_modules> <cdk8s-plus package>');
  process.exit(2);
}

let passed = 0;
const failures: string[] = [];
function check(what: string, ok: boolean, detail?: unknown): void {
  if (ok) {
    passed++;
    console.log(`  ok   ${what}`);
  } else {
    failures.push(what);
    console.log(`  FAIL ${what}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  }
}

const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

// The installed package: what `npm pack` shipped.
const pkgDir = path.join(modulesDir, 'cdk8s-dynamo');
const shipped = (rel: string) => fs.existsSync(path.join(pkgDir, rel));
check('package ships lib/src/index.js and index.d.ts', shipped('lib/src/index.js') && shipped('lib/src/index.d.ts'));
check('package ships the jsii assembly (.jsii)', shipped('.jsii'));
check('package leaves out sources, tests and scripts', !shipped('src') && !shipped('test') && !shipped('scripts'));
const nested = ['cdk8s-plus-28', 'cdk8s-plus-33', 'cdk8s', 'constructs'].filter((p) => shipped(path.join('node_modules', p)));
check('peer dependencies resolve to the app\'s copies (none nested in the package)', nested.length === 0, nested);
const pluses = fs.readdirSync(modulesDir).filter((d) => /^cdk8s-plus-\d+$/.test(d));
check(`the app has only its own cdk8s-plus (${plusPackage}); the library pulls in no other`, same(pluses, [plusPackage]), pluses);
const peers = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).peerDependencies ?? {};
check('the library has no cdk8s-plus peer dependency', !Object.keys(peers).some((p) => p.startsWith('cdk8s-plus')), peers);

// The synthesized manifests.
const files = fs.readdirSync(distDir).filter((f) => f.endsWith('.yaml'));
check('cdk8s synth wrote one YAML file per chart', files.length === 1, files);
const docs: any[] = files.flatMap((f) =>
  YAML.parseAllDocuments(fs.readFileSync(path.join(distDir, f), 'utf8')).map((d) => d.toJS()).filter((d) => d));
const id = (d: any) => `${d.kind}/${d.metadata?.name}`;
const expected = [
  'DynamoGraphDeployment/llm',
  'HorizontalPodAutoscaler/llm-frontend-hpa',
  'ScaledObject/llm-vllmprefillworker-scaler',
  'ScaledObject/llm-vllmdecodeworker-scaler',
  'Deployment/gateway',
  'HorizontalPodAutoscaler/gateway-hpa',
  'DynamoGraphDeployment/embed',
  'HorizontalPodAutoscaler/embed-worker-hpa',
];
check('exactly the expected objects', JSON.stringify(docs.map(id).sort()) === JSON.stringify([...expected].sort()), docs.map(id));
check('every object is in namespace inference', docs.every((d) => d.metadata?.namespace === 'inference'),
  docs.filter((d) => d.metadata?.namespace !== 'inference').map(id));

let validated = 0;
for (const d of docs) {
  if (!hasCrd(d)) continue;
  validated++;
  const errors = crdErrors(d);
  check(`${id(d)} validates against its CRD (${d.apiVersion})`, errors.length === 0, errors);
}
check('custom resources validated: 2 DGDs and 2 ScaledObjects', validated === 4, validated);
// The library's HPAs (the app's cdk8s-plus HPA writes quantities as numbers, which
// Kubernetes accepts but the checker, written for the library's canonical strings, does not).
for (const d of docs.filter((x) => x.kind === 'HorizontalPodAutoscaler' && x.metadata.name !== 'embed-worker-hpa')) {
  const errors = hpaRuleErrors(d);
  check(`${id(d)} obeys the Kubernetes autoscaling/v2 rules`, errors.length === 0, errors);
}

const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
const adapterRef = (name: string) => ({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name });
const dgd = find('DynamoGraphDeployment', 'llm');
for (const s of ['Frontend', 'VllmPrefillWorker', 'VllmDecodeWorker']) {
  const svc = dgd?.spec?.services?.[s];
  check(`DGD service ${s}: adapter enabled, replicas left to the autoscaler`, svc?.scalingAdapter?.enabled === true && svc.replicas === undefined, svc);
  check(`DGD service ${s} has an image`, typeof svc?.extraPodSpec?.mainContainer?.image === 'string' && svc.extraPodSpec.mainContainer.image.length > 0, svc?.extraPodSpec);
}
const hpa = find('HorizontalPodAutoscaler', 'llm-frontend-hpa');
check('HPA targets the Frontend adapter', same(hpa?.spec?.scaleTargetRef, adapterRef('llm-frontend')), hpa?.spec?.scaleTargetRef);
check('HPA scales on CPU 70% between 1 and 6 (the app\'s cdk8s-plus Metric)',
  same(hpa?.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }])
  && hpa.spec.minReplicas === 1 && hpa.spec.maxReplicas === 6, hpa?.spec);
check('HPA behavior from the app\'s cdk8s-plus ScalingStrategy and Replicas, with tolerance',
  same(hpa?.spec?.behavior, {
    scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }], tolerance: '50m' },
    scaleDown: { stabilizationWindowSeconds: 300 },
  }), hpa?.spec?.behavior);
const prefillScaler = find('ScaledObject', 'llm-vllmprefillworker-scaler');
check('ScaledObject behavior carries the scale-down tolerance',
  same(prefillScaler?.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior, { scaleDown: { stabilizationWindowSeconds: 600, tolerance: '100m' } }),
  prefillScaler?.spec?.advanced);
for (const [service, metric] of [['vllmprefillworker', 'time_to_first_token_seconds_bucket'], ['vllmdecodeworker', 'queued_requests']]) {
  const so = find('ScaledObject', `llm-${service}-scaler`);
  check(`ScaledObject llm-${service}-scaler targets adapter llm-${service}`, same(so?.spec?.scaleTargetRef, adapterRef(`llm-${service}`)), so?.spec?.scaleTargetRef);
  const query: string = so?.spec?.triggers?.[0]?.metadata?.query ?? '';
  check(`ScaledObject llm-${service}-scaler queries dynamo_frontend_${metric} of dynamo_namespace inference-llm`,
    query.includes(`dynamo_frontend_${metric}`) && query.includes('dynamo_namespace="inference-llm"'), query);
}
const gateway = find('Deployment', 'gateway');
check('the app\'s cdk8s-plus Deployment leaves replicas to its autoscaler', gateway !== undefined && gateway.spec.replicas === undefined, gateway?.spec?.replicas);
const gatewayHpa = find('HorizontalPodAutoscaler', 'gateway-hpa');
check('HPA gateway-hpa targets the Deployment, on HpaMetric CPU 60%',
  same(gatewayHpa?.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' })
  && same(gatewayHpa?.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]), gatewayHpa?.spec);
const embedHpa = find('HorizontalPodAutoscaler', 'embed-worker-hpa');
check('the app\'s cdk8s-plus HPA targets the embed Worker adapter', same(embedHpa?.spec?.scaleTargetRef, adapterRef('embed-worker')), embedHpa?.spec?.scaleTargetRef);
const embedWorker = find('DynamoGraphDeployment', 'embed')?.spec?.services?.Worker;
check('the cdk8s-plus HPA\'s handshake enabled the adapter and dropped replicas',
  embedWorker?.scalingAdapter?.enabled === true && embedWorker.replicas === undefined, embedWorker);

console.log(`consumer test: ${passed} passed, ${failures.length} failed`);
if (failures.length) process.exit(1);
