#!/usr/bin/env bash
# Makes sure the Debian packages the integration tests use beside MariaDB and Chromium are
# installed: faketime (libfaketime, preloaded into forked nodes to skew their clocks in
# dev.tokenpool.cluster.SkewedClocksIT). Installs them with apt where they are missing.
set -euo pipefail

log() { echo "[ensure-test-tools] $*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" > /dev/null; then
  log "faketime is installed"
  exit 0
fi
log "installing faketime with apt"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" > /dev/null || {
  log "libfaketime is still missing after apt-get install"
  exit 1
}
log "installed faketime"
