#!/usr/bin/env bash
# Runs every check: set-up, workspace sync, lint, typecheck, the Docker engine and the desktop image, then all jest
# projects (unit and integration tests against real GStreamer, Xvfb, Chromium and the Docker engine). Extra
# arguments go to jest, for example a test path pattern.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup.sh test

echo "deskvm test: checking that TypeScript project references match package dependencies" >&2
npx nx sync:check

echo "deskvm test: lint and typecheck" >&2
npx nx run-many -t lint typecheck --output-style=stream-without-prefixes

echo "deskvm test: the Docker engine" >&2
DOCKER_HOST=$(bash scripts/docker-engine.sh)
export DOCKER_HOST

# Built once and then reused from the engine; the container tests need it, and a build inside a test would hit
# jest's time limits.
echo "deskvm test: the desktop image" >&2
node apps/cli/dist/main.js image build

echo "deskvm test: jest" >&2
results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules" \
  node node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" || status=$?

# One plain closing line, whatever the number of jest projects.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results" || true
exit "$status"
