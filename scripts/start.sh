#!/usr/bin/env bash
# Installs what is missing, builds, and runs `deskvm serve`: a live desktop streamed to a viewer page.
# Extra arguments go to `deskvm serve`, for example `npm start -- --size 1920x1080`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh start
exec node apps/cli/dist/main.js serve "$@"
