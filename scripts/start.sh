#!/usr/bin/env bash
# Installs what is missing, builds, makes sure a Docker engine runs, then runs `deskvm up`: the agent's desktop in a
# container, streamed to the viewer address it prints. The first run also builds the desktop image (minutes).
# Extra arguments go to `deskvm up`, for example `npm start -- --size 1920x1080`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh start
DOCKER_HOST=$(bash scripts/docker-engine.sh)
export DOCKER_HOST
exec node apps/cli/dist/main.js up "$@"
