#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed, for the console's browser tests
# (dev.tokenpool.deployed.ConsoleBrowserIT). Installs them with apt where they are missing; the
# tests then drive /usr/bin/chromium through /usr/bin/chromedriver, nothing downloaded at run time.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=ensure-chromium LOG_TIMESTAMP=0
handle_help "$@"

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  log "chromium and chromedriver are installed"
  exit 0
fi
log "installing chromium and chromium-driver with apt"
apt_get update -qq
apt_get install -y -qq chromium chromium-driver >/dev/null
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || {
  log "chromium or chromedriver is still missing after apt-get install"
  exit 1
}
log "installed: $(/usr/bin/chromedriver --version | head -1)"
