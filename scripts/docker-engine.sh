#!/usr/bin/env bash
# Makes sure a Docker engine responds, and prints its address (a DOCKER_HOST value) on stdout.
#   1. DOCKER_HOST when it is set, else the default socket /var/run/docker.sock, when the engine there responds.
#   2. As root on a machine run by systemd: `systemctl start docker`.
#   3. As root without systemd (a container, a CI machine): starts Debian's dockerd on deskvm's own socket and data
#      root, /run/deskvm/docker.sock and /var/lib/deskvm/docker, with no bridge network and no iptables rules.
#      Containers then run with the host network or none. `deskvm` finds this socket by itself.
# As another user it never starts anything: it prints the command to run and exits with status 1.
set -euo pipefail

own_socket=/run/deskvm/docker.sock
own_data_root=/var/lib/deskvm/docker
own_log=/var/log/deskvm-dockerd.log

log() { printf 'deskvm docker-engine: %s\n' "$*" >&2; }

responds() {
  timeout 10 docker --host "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

wait_for() {
  local address=$1 tries=120
  while ((tries-- > 0)); do
    if responds "$address"; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

if ! command -v docker >/dev/null 2>&1; then
  log "the docker command was not found: install the docker.io package (scripts/setup.sh does)."
  exit 1
fi

for address in "${DOCKER_HOST:-}" unix:///var/run/docker.sock "unix://$own_socket"; do
  if [[ -n "$address" ]] && responds "$address"; then
    echo "$address"
    exit 0
  fi
done

if [[ -n "${DOCKER_HOST:-}" ]]; then
  log "no Docker engine responds at DOCKER_HOST=$DOCKER_HOST. Start that engine, or unset DOCKER_HOST."
  exit 1
fi

if [[ $(id -u) -ne 0 ]]; then
  log "no Docker engine responds. Start one, then run this again:"
  log "  sudo systemctl start docker    (and: sudo usermod -aG docker \"\$USER\", then log in again)"
  exit 1
fi

if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
  log "starting the docker service"
  systemctl start docker
  if wait_for unix:///var/run/docker.sock; then
    echo unix:///var/run/docker.sock
    exit 0
  fi
  log "the docker service did not respond within 60 s; see: journalctl -u docker"
  exit 1
fi

log "starting dockerd on $own_socket (data root $own_data_root, log $own_log)"
mkdir -p "$(dirname "$own_socket")" "$own_data_root"
# setsid: the engine outlives this script and the terminal, as a service would.
setsid dockerd \
  --host "unix://$own_socket" \
  --data-root "$own_data_root" \
  --exec-root /run/deskvm/docker-exec \
  --pidfile /run/deskvm/dockerd.pid \
  --bridge=none \
  --iptables=false \
  </dev/null >>"$own_log" 2>&1 &

if wait_for "unix://$own_socket"; then
  echo "unix://$own_socket"
  exit 0
fi
log "dockerd did not respond within 60 s. The end of $own_log:"
tail -n 20 "$own_log" >&2 || true
exit 1
