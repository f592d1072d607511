#!/usr/bin/env bash
# Consumer test of the `cdk8s synth` validation plugin and the `cdk8s-dynamo` command, as
# a user gets them: packs the compiled library with `npm pack`, installs the tarball into
# a fresh cdk8s TypeScript app (written here, offline, as scripts/consumer-test.sh does)
# whose cdk8s.yaml names the plugin (DynamoValidation), and runs the project's real
# cdk8s-cli `cdk8s synth` twice:
#   1. a clean app built with the library's constructs: synth passes, the plugin reports
#      success;
#   2. an app with a planted mistake written without the library's constructs (raw
#      ApiObjects): an HPA on a DGD service whose scaling adapter is off. cdk8s synth must
#      fail, and its report must carry the rule id, the rule's message, the resource and
#      the construct path.
# Then the installed bin: `npx cdk8s-dynamo lint` on both outputs (exit 0 and 1), and as
# a Helm post-renderer on the clean output (the stream comes back unchanged).
#
# Usage: scripts/consumer-plugin-test.sh   (CONSUMER_TEST_SKIP_COMPILE=1 to reuse lib/ as built)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
started=$SECONDS

# The rule the planted mistake breaks: an autoscaler whose target is the scaling adapter
# of a DGD service that has no enabled adapter.
EXPECTED_RULE="DYN602"

if [ "${CONSUMER_TEST_SKIP_COMPILE:-}" != "1" ]; then
  echo "== compile"
  npx projen compile >/dev/null
fi
test -f lib/src/index.js || { echo "lib/src/index.js is missing: run 'npx projen compile'" >&2; exit 1; }
test -f lib/src/cli/main.js || { echo "lib/src/cli/main.js is missing: run 'npx projen compile'" >&2; exit 1; }

WORK="$(mktemp -d -t cdk8s-dynamo-plugin.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
PKG="$WORK/pkg"
APP="$WORK/app"
mkdir -p "$PKG" "$APP"

echo "== npm pack"
TARBALL="$PKG/$(npm pack --silent --pack-destination "$PKG" | tail -n 1)"
test -f "$TARBALL" || { echo "npm pack produced no tarball" >&2; exit 1; }
tar -tzf "$TARBALL" > "$PKG/files.txt"
grep -qx 'package/lib/src/cli/main.js' "$PKG/files.txt" || { echo "the package has no lib/src/cli/main.js (the bin)" >&2; exit 1; }
VERSION="$(node -p "require('$ROOT/package.json').version")"

node - "$ROOT/package.json" "$APP/package.json" "$TARBALL" <<'EOF'
const fs = require('fs');
const [src, out, tarball] = process.argv.slice(2);
const dev = JSON.parse(fs.readFileSync(src, 'utf8')).devDependencies;
const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]));
fs.writeFileSync(out, JSON.stringify({
  name: 'cdk8s-dynamo-plugin-consumer',
  version: '0.0.0',
  private: true,
  dependencies: { ...pick(['cdk8s', 'cdk8s-plus-28', 'constructs']), 'cdk8s-dynamo': `file:${tarball}` },
  devDependencies: pick(['typescript', 'ts-node', '@types/node']),
}, null, 2));
EOF

cat > "$APP/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022", "module": "commonjs", "lib": ["es2022"], "strict": true,
    "esModuleInterop": true, "skipLibCheck": false, "types": ["node"]
  },
  "include": ["clean.ts", "broken.ts"]
}
EOF

# The plugin is the app's own installed cdk8s-dynamo, named by local path: cdk8s-cli
# loads a package that starts with './' directly (an npm name would make it run
# `npm install <name>@<version>` into its plugins directory). `version` must be exact.
write_config() {
  cat > "$APP/cdk8s.yaml" <<EOF
language: typescript
app: npx ts-node $1
validations:
  - package: ./node_modules/cdk8s-dynamo
    version: $VERSION
    class: DynamoValidation
    properties:
      dynamoRelease: '1.5'
EOF
}

# A clean app, written with the library's constructs.
cat > "$APP/clean.ts" <<'EOF'
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { BackendFramework, DynamoGraphDeployment, HpaAutoscaler, ServiceRole } from 'cdk8s-dynamo';

const app = new App();
const chart = new Chart(app, 'inference', { namespace: 'inference' });
const dgd = new DynamoGraphDeployment(chart, 'llm', { name: 'llm', backendFramework: BackendFramework.VLLM });
const image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0';
const frontend = dgd.addService('Frontend', { role: ServiceRole.FRONTEND, image, replicas: 2 });
dgd.addService('VllmDecodeWorker', { role: ServiceRole.DECODE, image, resources: { limits: { gpu: 1 } } });
new HpaAutoscaler(chart, 'frontend-hpa', {
  target: frontend.adapter,
  maxReplicas: 6,
  metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))],
});
app.synth();
EOF

# The planted mistake, written without the library's constructs: the DGD's Frontend has
# no scaling adapter enabled, yet an HPA targets the adapter the operator would create
# for it (llm-frontend). The operator never creates it, and the HPA never scales.
cat > "$APP/broken.ts" <<'EOF'
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'inference', { namespace: 'inference' });
new ApiObject(chart, 'llm', {
  apiVersion: 'nvidia.com/v1alpha1',
  kind: 'DynamoGraphDeployment',
  metadata: { name: 'llm' },
  spec: {
    backendFramework: 'vllm',
    services: {
      Frontend: { componentType: 'frontend', replicas: 2, extraPodSpec: { mainContainer: { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0' } } },
      VllmDecodeWorker: {
        componentType: 'worker', replicas: 1, resources: { limits: { gpu: '1' } },
        extraPodSpec: { mainContainer: { image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.5.0' } },
      },
    },
  },
});
new ApiObject(chart, 'frontend-hpa', {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'llm-frontend-hpa' },
  spec: {
    scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-frontend' },
    minReplicas: 1,
    maxReplicas: 6,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});
app.synth();
EOF

echo "== npm install (app)"
(cd "$APP" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)

CDK8S="$ROOT/node_modules/.bin/cdk8s"
echo "== cdk8s synth, clean app (cdk8s-cli $("$CDK8S" --no-check-upgrade --version))"
write_config clean.ts
if ! (cd "$APP" && "$CDK8S" synth --no-check-upgrade --output dist-clean --plugins-dir "$WORK/plugins" \
  --validation-reports-output-file "$WORK/clean-reports.json") > "$WORK/clean.log" 2>&1; then
  cat "$WORK/clean.log"; echo "FAIL: cdk8s synth of the clean app failed" >&2; exit 1
fi
node - "$WORK/clean-reports.json" <<'EOF2' || { cat "$WORK/clean.log"; exit 1; }
const { reports } = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const report = reports.find((r) => /cdk8s-dynamo/.test(r.title));
if (!report) throw new Error('FAIL: the plugin did not run on the clean app');
if (report.summary.status !== 'success' || report.violations.length !== 0) {
  throw new Error(`FAIL: the clean app's report is ${report.summary.status}: ${JSON.stringify(report.violations)}`);
}
if (Number(report.summary.metadata['Objects checked']) < 2) throw new Error(`FAIL: the plugin checked ${report.summary.metadata['Objects checked']} objects`);
EOF2
echo "ok: clean app synthesized, plugin reported success"

echo "== cdk8s synth, app with a planted mistake (must fail)"
write_config broken.ts
set +e
(cd "$APP" && "$CDK8S" synth --no-check-upgrade --output dist-broken --plugins-dir "$WORK/plugins" \
  --validation-reports-output-file "$WORK/reports.json") > "$WORK/broken.log" 2>&1
code=$?
set -e
cat "$WORK/broken.log"
[ "$code" -ne 0 ] || { echo "FAIL: cdk8s synth passed an app with the planted mistake" >&2; exit 1; }
node - "$WORK/reports.json" "$EXPECTED_RULE" <<'EOF'
const fs = require('fs');
const [file, rule] = process.argv.slice(2);
const { reports } = JSON.parse(fs.readFileSync(file, 'utf8'));
const report = reports.find((r) => /cdk8s-dynamo/.test(r.title));
if (!report) throw new Error(`no cdk8s-dynamo report in ${file}`);
if (report.summary.status !== 'failure') throw new Error(`report status is ${report.summary.status}, not failure`);
const v = report.violations.find((x) => x.ruleName.startsWith(`${rule}:`));
if (!v) throw new Error(`no ${rule} violation; violations: ${report.violations.map((x) => x.ruleName).join(', ')}`);
const c = v.violatingConstructs.find((x) => x.resourceName === 'llm-frontend-hpa');
if (!c) throw new Error(`${rule} does not name the HPA llm-frontend-hpa: ${JSON.stringify(v.violatingConstructs)}`);
if (c.constructPath !== 'inference/frontend-hpa') throw new Error(`construct path is ${c.constructPath}, not inference/frontend-hpa`);
if (!c.locations.some((l) => l.includes('llm-frontend'))) throw new Error(`the message does not name the adapter: ${c.locations}`);
console.log(`ok: cdk8s synth failed with ${v.ruleName} on ${c.resourceName} (${c.constructPath}): ${c.locations[0]}`);
EOF
grep -q "$EXPECTED_RULE" "$WORK/broken.log" || { echo "FAIL: the printed report does not show $EXPECTED_RULE" >&2; exit 1; }

echo "== npx cdk8s-dynamo (the installed bin)"
(cd "$APP" && npx --no-install cdk8s-dynamo --version) | grep -qx "$VERSION" || { echo "FAIL: cdk8s-dynamo --version is not $VERSION" >&2; exit 1; }
(cd "$APP" && npx --no-install cdk8s-dynamo lint dist-clean) || { echo "FAIL: lint of the clean output did not exit 0" >&2; exit 1; }
set +e
(cd "$APP" && npx --no-install cdk8s-dynamo lint dist-broken --format json) > "$WORK/lint.json"
code=$?
set -e
[ "$code" -eq 1 ] || { echo "FAIL: lint of the broken output exited $code, not 1" >&2; exit 1; }
node -e "const r = require('$WORK/lint.json'); if (!r.findings.some((f) => f.ruleId === '$EXPECTED_RULE')) throw new Error('lint json lacks $EXPECTED_RULE'); console.log('ok: lint found', r.findings.map((f) => f.ruleId).join(', '))"
# Helm post-renderer: the stream as Helm writes it, back unchanged on stdout.
stream="$WORK/stream.yaml"
for f in "$APP"/dist-clean/*.yaml; do printf -- '---\n# Source: chart/templates/%s\n' "$(basename "$f")"; cat "$f"; printf '\n'; done > "$stream"
(cd "$APP" && npx --no-install cdk8s-dynamo lint --post-renderer < "$stream" > "$WORK/rendered.yaml") || { echo "FAIL: post-renderer refused the clean release" >&2; exit 1; }
cmp -s "$stream" "$WORK/rendered.yaml" || { echo "FAIL: post-renderer changed the release" >&2; exit 1; }
echo "ok: post-renderer passed the clean release through unchanged"

echo "consumer plugin test passed in $((SECONDS - started)) s"
