#!/usr/bin/env bash
# Consumer test: the library as a user gets it. Packs the compiled library with `npm pack`,
# installs the tarball into a fresh cdk8s TypeScript app (written here, since `cdk8s init`
# fetches templates from the network), synthesizes that app with the project's cdk8s CLI,
# and checks the YAML against the real CRDs (test/support/crd-schema.ts) and against the
# kinds, names and fields the app asked for.
#
# What this catches that the unit tests cannot: files missing from the package, .d.ts
# that do not type-check in a consumer's strict build (ts-node type-checks main.ts), and
# peer dependencies resolving to a second copy of cdk8s-plus-28 (the library checks
# `instanceof Metric` on the consumer's metrics).
#
# Usage: scripts/consumer-test.sh   (CONSUMER_TEST_SKIP_COMPILE=1 to reuse lib/ as built)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
started=$SECONDS

if [ "${CONSUMER_TEST_SKIP_COMPILE:-}" != "1" ]; then
  echo "== compile"
  npx projen compile >/dev/null
fi
test -f lib/src/index.js || { echo "lib/src/index.js is missing: run 'npx projen compile'" >&2; exit 1; }

WORK="$(mktemp -d -t cdk8s-dynamo-consumer.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
PKG="$WORK/pkg"
APP="$WORK/app"
mkdir -p "$PKG" "$APP"

echo "== npm pack"
TARBALL="$PKG/$(npm pack --silent --pack-destination "$PKG" | tail -n 1)"
test -f "$TARBALL" || { echo "npm pack produced no tarball" >&2; exit 1; }
echo "packed $(basename "$TARBALL") ($(tar -tzf "$TARBALL" | wc -l) files)"

# The app pins the versions this project builds and tests against.
node - "$ROOT/package.json" "$APP/package.json" "$TARBALL" <<'EOF'
const fs = require('fs');
const [src, out, tarball] = process.argv.slice(2);
const dev = JSON.parse(fs.readFileSync(src, 'utf8')).devDependencies;
const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]));
fs.writeFileSync(out, JSON.stringify({
  name: 'cdk8s-dynamo-consumer',
  version: '0.0.0',
  private: true,
  dependencies: { ...pick(['cdk8s', 'cdk8s-plus-28', 'constructs']), 'cdk8s-dynamo': `file:${tarball}` },
  devDependencies: pick(['typescript', 'ts-node', '@types/node']),
}, null, 2));
EOF

cat > "$APP/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "lib": ["es2022"],
    "strict": true,
    "noImplicitAny": true,
    "noUnusedLocals": true,
    "esModuleInterop": true,
    "skipLibCheck": false,
    "types": ["node"]
  },
  "include": ["main.ts"]
}
EOF

cat > "$APP/cdk8s.yaml" <<'EOF'
language: typescript
app: npx ts-node main.ts
EOF

cat > "$APP/main.ts" <<'EOF'
import { App, Chart, Duration } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  BackendFramework, DynamoGraphDeployment, DynamoMetrics, HpaAutoscaler, KedaAutoscaler,
  KedaMetricType, KedaTrigger, ScaleTarget, ServiceRole,
} from 'cdk8s-dynamo';

const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

const app = new App();
const chart = new Chart(app, 'inference', { namespace: 'inference' });

const dgd = new DynamoGraphDeployment(chart, 'llm', { name: 'llm', backendFramework: BackendFramework.VLLM });
const frontend = dgd.addService('Frontend', { role: ServiceRole.FRONTEND, replicas: 2 });
const prefill = dgd.addService('VllmPrefillWorker', { role: ServiceRole.PREFILL, resources: { limits: { gpu: 1 } } });
const decode = dgd.addService('VllmDecodeWorker', { role: ServiceRole.DECODE, resources: { limits: { gpu: 1 } } });

new HpaAutoscaler(chart, 'frontend-hpa', {
  target: frontend.adapter,
  maxReplicas: 6,
  metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))],
  scaleDown: { stabilizationWindow: Duration.minutes(5) },
});
new KedaAutoscaler(chart, 'prefill-scaler', {
  target: prefill.adapter,
  maxReplicas: 8,
  triggers: [KedaTrigger.prometheus({
    serverAddress: PROMETHEUS,
    query: DynamoMetrics.ttftQuantile({ deployment: dgd, quantile: 0.95, window: Duration.minutes(5) }),
    threshold: 0.5,
  })],
});
new KedaAutoscaler(chart, 'decode-scaler', {
  target: decode.adapter,
  maxReplicas: 8,
  pollingInterval: Duration.seconds(15),
  triggers: [KedaTrigger.prometheus({
    serverAddress: PROMETHEUS,
    query: DynamoMetrics.queueDepth({ deployment: dgd }),
    threshold: 10,
  })],
});

// A cdk8s-plus workload beside the DGD: the scale-target handshake must reach the
// consumer's own cdk8s-plus-28 objects.
const gateway = new plus.Deployment(chart, 'gateway', {
  metadata: { name: 'gateway' },
  containers: [{ image: 'nginx:1.27', portNumber: 8080 }],
});
new KedaAutoscaler(chart, 'gateway-scaler', {
  target: ScaleTarget.fromWorkload(gateway),
  maxReplicas: 4,
  triggers: [KedaTrigger.cpu({ metricType: KedaMetricType.UTILIZATION, value: 60 })],
});

app.synth();
EOF

echo "== npm install (app)"
(cd "$APP" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
resolved="$(cd "$APP" && node -p "require.resolve('cdk8s-dynamo')")"
case "$resolved" in
  "$APP"/node_modules/cdk8s-dynamo/*) echo "cdk8s-dynamo resolves to ${resolved#$APP/}" ;;
  *) echo "cdk8s-dynamo resolves outside the app's node_modules: $resolved" >&2; exit 1 ;;
esac

echo "== cdk8s synth (project's cdk8s-cli $("$ROOT/node_modules/.bin/cdk8s" --no-check-upgrade --version))"
(cd "$APP" && "$ROOT/node_modules/.bin/cdk8s" synth --no-check-upgrade --output dist)

echo "== validate"
npx ts-node --transpile-only scripts/consumer-validate.ts "$APP/dist" "$APP/node_modules"
echo "consumer test took $((SECONDS - started)) s"
