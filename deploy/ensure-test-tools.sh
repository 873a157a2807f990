#!/usr/bin/env bash
# Makes sure the Debian packages the integration tests use beside MariaDB and Chromium are
# installed: faketime (libfaketime, preloaded into forked nodes to skew their clocks in
# dev.tokenpool.cluster.SkewedClocksIT), shellcheck (to check the scripts in deploy/, with
# `shellcheck -x deploy/*.sh deploy/*/*.sh`), prometheus (promtool, for the unit tests of
# deploy/prometheus/alerts.yml, and the server PrometheusScrapeIT starts) and jq (JsonLogsIT reads a
# node's JSON log with `jq -c .`, as operators do). Installs them with apt where they are missing.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=ensure-test-tools LOG_TIMESTAMP=0
handle_help "$@"

has_faketime() { compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" > /dev/null; }
has_shellcheck() { command -v shellcheck > /dev/null 2>&1; }
has_promtool() { command -v promtool > /dev/null 2>&1; }
has_jq() { command -v jq > /dev/null 2>&1; }

missing=()
has_faketime || missing+=(faketime)
has_shellcheck || missing+=(shellcheck)
has_promtool || missing+=(prometheus)
has_jq || missing+=(jq)
if (( ${#missing[@]} == 0 )); then
  log "faketime, shellcheck, promtool and jq are installed"
  exit 0
fi
log "installing ${missing[*]} with apt"
apt_get update -qq
# --no-install-recommends: promtool is all the suite needs of the prometheus package.
apt_get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
has_faketime || {
  log "libfaketime is still missing after apt-get install"
  exit 1
}
has_shellcheck || {
  log "shellcheck is still missing after apt-get install"
  exit 1
}
has_promtool || {
  log "promtool (package prometheus) is still missing after apt-get install"
  exit 1
}
has_jq || {
  log "jq is still missing after apt-get install"
  exit 1
}
log "installed ${missing[*]}"
