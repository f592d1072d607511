#!/usr/bin/env bash
# Consumer test: the library as a user gets it. Packs the compiled library with `npm pack`
# and installs the tarball, with cdk8s packages from the npm registry, into two fresh
# cdk8s TypeScript apps (written here: `cdk8s init` fetches its templates from the network):
#   - plus28: an app on cdk8s-plus-28, the vocabulary the library was first written in;
#   - plus33: an app on cdk8s-plus-33, as `cdk8s init typescript-app` scaffolds one today.
# Both run scripts/consumer-app.ts.txt: the app's own cdk8s-plus Deployment, Metric,
# ScalingRules and HorizontalPodAutoscaler with the library, and the library's own
# vocabulary (HpaMetric). Each app is type-checked strictly (tsc --noEmit, skipLibCheck
# off), synthesized with `cdk8s synth`, and its YAML checked against the real CRDs, the
# Kubernetes HPA rules and the kinds, names and fields it asked for
# (scripts/consumer-validate.ts).
#
# What this catches that the unit tests cannot: files missing from the package, .d.ts
# that do not type-check in a consumer's strict build, a cdk8s-plus the app did not
# choose pulled in beside its own (a peer dependency), and the handshake with another
# cdk8s-plus version's objects at run time.
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
mkdir -p "$PKG"

echo "== npm pack"
TARBALL="$PKG/$(npm pack --silent --pack-destination "$PKG" | tail -n 1)"
test -f "$TARBALL" || { echo "npm pack produced no tarball" >&2; exit 1; }
echo "packed $(basename "$TARBALL") ($(tar -tzf "$TARBALL" | wc -l) files)"
CDK8S_CLI="$ROOT/node_modules/.bin/cdk8s"

# make_app <dir> <cdk8s-plus package> <version range>: the README's install line (the
# library, cdk8s, constructs and the app's own cdk8s-plus), strict tsconfig, cdk8s.yaml.
make_app() {
  local app="$1" plus="$2" range="$3"
  mkdir -p "$app"
  node - "$ROOT/package.json" "$app/package.json" "$TARBALL" "$plus" "$range" <<'EOF'
const fs = require('fs');
const [src, out, tarball, plus, range] = process.argv.slice(2);
const dev = JSON.parse(fs.readFileSync(src, 'utf8')).devDependencies;
const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]));
fs.writeFileSync(out, JSON.stringify({
  name: `cdk8s-dynamo-consumer-${plus}`,
  version: '0.0.0',
  private: true,
  dependencies: { ...pick(['cdk8s', 'constructs']), [plus]: range, 'cdk8s-dynamo': `file:${tarball}` },
  devDependencies: pick(['typescript', 'ts-node', '@types/node']),
}, null, 2));
EOF
  cat > "$app/tsconfig.json" <<'EOF'
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
  cat > "$app/cdk8s.yaml" <<'EOF'
language: typescript
app: npx ts-node main.ts
EOF
  sed "s/__PLUS__/$plus/g" "$ROOT/scripts/consumer-app.ts.txt" > "$app/main.ts"
}

PLUS28="$(node -p "require('$ROOT/package.json').devDependencies['cdk8s-plus-28']")"
for variant in "plus28 cdk8s-plus-28 $PLUS28" "plus33 cdk8s-plus-33 ^2.5.57"; do
  read -r name plus range <<<"$variant"
  app="$WORK/$name"
  echo "== app $name: $plus@$range"
  make_app "$app" "$plus" "$range"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  resolved="$(cd "$app" && node -p "require.resolve('cdk8s-dynamo')")"
  case "$resolved" in
    "$app"/node_modules/cdk8s-dynamo/*) echo "cdk8s-dynamo resolves to ${resolved#"$app"/}" ;;
    *) echo "cdk8s-dynamo resolves outside the app's node_modules: $resolved" >&2; exit 1 ;;
  esac
  echo "-- tsc --noEmit (strict, skipLibCheck off)"
  (cd "$app" && npx tsc --noEmit -p tsconfig.json)
  echo "-- cdk8s synth (project's cdk8s-cli $("$CDK8S_CLI" --no-check-upgrade --version))"
  (cd "$app" && "$CDK8S_CLI" synth --no-check-upgrade --output dist >/dev/null)
  echo "-- validate"
  npx ts-node --transpile-only scripts/consumer-validate.ts "$app/dist" "$app/node_modules" "$plus"
done
echo "consumer test took $((SECONDS - started)) s"
