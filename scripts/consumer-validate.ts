/**
 * Second half of scripts/consumer-test.sh: checks what the consumer app synthesized
 * (`<dist dir>`) and what it installed (`<node_modules>`).
 * Usage: ts-node scripts/consumer-validate.ts <dist dir> <app node_modules>
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { crdErrors, hasCrd } from '../test/support/crd-schema';

const [distDir, modulesDir] = process.argv.slice(2);
if (!distDir || !modulesDir) {
  console.error('usage: consumer-validate.ts <dist dir> <app node_modules>');
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

// The installed package: what `npm pack` shipped.
const pkgDir = path.join(modulesDir, 'cdk8s-dynamo');
const shipped = (rel: string) => fs.existsSync(path.join(pkgDir, rel));
check('package ships lib/src/index.js and index.d.ts', shipped('lib/src/index.js') && shipped('lib/src/index.d.ts'));
check('package ships the jsii assembly (.jsii)', shipped('.jsii'));
check('package leaves out sources, tests and scripts', !shipped('src') && !shipped('test') && !shipped('scripts'));
const plusCopies = ['cdk8s-plus-28', 'cdk8s', 'constructs'].filter((p) => shipped(path.join('node_modules', p)));
check('peer dependencies resolve to the app\'s copies (none nested in the package)', plusCopies.length === 0, plusCopies);

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
  'ScaledObject/gateway-scaler',
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
check('custom resources validated: the DGD and 3 ScaledObjects', validated === 4, validated);

const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
const adapterRef = (name: string) => ({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const dgd = find('DynamoGraphDeployment', 'llm');
for (const s of ['Frontend', 'VllmPrefillWorker', 'VllmDecodeWorker']) {
  const svc = dgd?.spec?.services?.[s];
  check(`DGD service ${s}: adapter enabled, replicas left to the autoscaler`, svc?.scalingAdapter?.enabled === true && svc.replicas === undefined, svc);
}
const hpa = find('HorizontalPodAutoscaler', 'llm-frontend-hpa');
check('HPA targets the Frontend adapter', same(hpa?.spec?.scaleTargetRef, adapterRef('llm-frontend')), hpa?.spec?.scaleTargetRef);
check('HPA scales on CPU 70% between 1 and 6', same(hpa?.spec?.metrics, [{ resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' }])
  && hpa.spec.minReplicas === 1 && hpa.spec.maxReplicas === 6, hpa?.spec);
for (const [service, metric] of [['vllmprefillworker', 'time_to_first_token_seconds_bucket'], ['vllmdecodeworker', 'queued_requests']]) {
  const so = find('ScaledObject', `llm-${service}-scaler`);
  check(`ScaledObject llm-${service}-scaler targets adapter llm-${service}`, same(so?.spec?.scaleTargetRef, adapterRef(`llm-${service}`)), so?.spec?.scaleTargetRef);
  const query: string = so?.spec?.triggers?.[0]?.metadata?.query ?? '';
  check(`ScaledObject llm-${service}-scaler queries dynamo_frontend_${metric} of dynamo_namespace inference-llm`,
    query.includes(`dynamo_frontend_${metric}`) && query.includes('dynamo_namespace="inference-llm"'), query);
}
const gateway = find('Deployment', 'gateway');
check('cdk8s-plus Deployment leaves replicas to its autoscaler', gateway !== undefined && gateway.spec.replicas === undefined, gateway?.spec?.replicas);
const gatewayScaler = find('ScaledObject', 'gateway-scaler');
check('ScaledObject gateway-scaler targets the Deployment',
  same(gatewayScaler?.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' }), gatewayScaler?.spec?.scaleTargetRef);

console.log(`consumer test: ${passed} passed, ${failures.length} failed`);
if (failures.length) process.exit(1);
