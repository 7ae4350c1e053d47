#!/usr/bin/env bash
# Installs what deskvm needs on a fresh Debian 12 or Ubuntu 24.04 machine, then builds the workspace.
# Usage: scripts/setup.sh start|test
#   As root, missing system packages are installed with apt-get. As another user, the script prints the exact
#   command to run and exits with status 1.
set -euo pipefail

purpose=${1:-start}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/system-packages.sh

log() { printf 'deskvm setup: %s\n' "$*" >&2; }

check_node() {
  local version
  version=$(node -p 'process.versions.node' 2>/dev/null) || {
    log "Node.js was not found. Install Node.js 20.19 or newer, then run this again."
    exit 1
  }
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    log "Node.js $version is too old. Install Node.js 20.19 or newer, then run this again."
    exit 1
  fi
}

missing_packages() {
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$package"
    fi
  done
}

chromium_found() {
  [[ -n "${DESKVM_CHROMIUM:-}" && -x "${DESKVM_CHROMIUM}" ]] && return 0
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

install_system_packages() {
  local wanted=()
  case "$purpose" in
    start) wanted=("${start_packages[@]}") ;;
    test)
      wanted=("${test_packages[@]}")
      chromium_found || wanted+=("$(chromium_package)")
      ;;
    *)
      log "Unknown purpose '$purpose'. Use 'start' or 'test'."
      exit 2
      ;;
  esac

  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "dpkg-query was not found: this script supports Debian and Ubuntu. Install these packages by hand: ${wanted[*]}"
    exit 1
  fi

  local missing
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi

  local command=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [[ $(id -u) -ne 0 ]]; then
    log "These system packages are missing: ${missing[*]}"
    log "Install them, then run this again:"
    printf '  sudo apt-get update && sudo %s\n' "${command[*]}" >&2
    exit 1
  fi

  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  "${command[@]}" >&2
}

install_node_modules() {
  # npm ci only when node_modules is missing or older than the lockfile.
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    return 0
  fi
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
}

build_workspace() {
  log "building"
  npx nx run-many -t build bundle --output-style=stream-without-prefixes >&2
}

check_node
install_system_packages
install_node_modules
build_workspace
