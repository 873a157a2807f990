#!/usr/bin/env bash
# Takes a node out of its balancers' rotation before it stops, then waits for them to notice:
# POST /api/admin/drain with the admin login, after which the node's /health/ready answers 503
# while it keeps serving every request that reaches it; then sleeps TOKENPOOL_DRAIN_WAIT seconds
# (default 5: two checks of a balancer that checks every 2 s). For systemd's ExecStop (systemd
# sends SIGTERM once it returns) and Kubernetes' preStop. Exits 0 even when the node does not
# answer (it may be stopping already), saying so.
#
# Usage: deploy/drain.sh [--help]
#   PORT                     the node's port (default 8080), on TOKENPOOL_BIND_ADDRESS (default
#                            127.0.0.1); HTTPS when TOKENPOOL_TLS_CERT is set, the certificate
#                            checked against TOKENPOOL_DRAIN_CA (default: TOKENPOOL_TLS_CERT) for
#                            the name TOKENPOOL_DRAIN_HOST (default localhost)
#   TOKENPOOL_ADMIN_USER     the admin login (default admin); its password from
#                            TOKENPOOL_ADMIN_PASSWORD_FILE, TOKENPOOL_ADMIN_PASSWORD, or the
#                            node's generated <TOKENPOOL_DATA_DIR>/admin-password; handed to curl
#                            on its standard input, never on a command line
#   TOKENPOOL_DRAIN_WAIT     seconds to wait after draining (default 5)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=drain LOG_TIMESTAMP=1
handle_help "$@"

command -v curl >/dev/null 2>&1 || die "curl is missing (Debian: apt-get install curl)"
PORT="${PORT:-8080}"
ADDRESS="${TOKENPOOL_BIND_ADDRESS:-127.0.0.1}"
WAIT="${TOKENPOOL_DRAIN_WAIT:-5}"
[[ "$WAIT" =~ ^[0-9]{1,4}$ ]] || die "TOKENPOOL_DRAIN_WAIT='$WAIT' is not a number of seconds"
USER_NAME="${TOKENPOOL_ADMIN_USER:-admin}"
if [[ -n "${TOKENPOOL_ADMIN_PASSWORD_FILE:-}" ]]; then
  PASSWORD="$(cat -- "$TOKENPOOL_ADMIN_PASSWORD_FILE")" \
    || die "cannot read TOKENPOOL_ADMIN_PASSWORD_FILE"
elif [[ -n "${TOKENPOOL_ADMIN_PASSWORD:-}" ]]; then
  PASSWORD="$TOKENPOOL_ADMIN_PASSWORD"
elif [[ -r "${TOKENPOOL_DATA_DIR:-data}/admin-password" ]]; then
  PASSWORD="$(cat -- "${TOKENPOOL_DATA_DIR:-data}/admin-password")"
else
  die "no admin password: set TOKENPOOL_ADMIN_PASSWORD_FILE"
fi

tls=()
if [[ -n "${TOKENPOOL_TLS_CERT:-}" ]]; then
  host="${TOKENPOOL_DRAIN_HOST:-localhost}"
  url="https://$host:$PORT/api/admin/drain"
  tls=(--cacert "${TOKENPOOL_DRAIN_CA:-$TOKENPOOL_TLS_CERT}" --resolve "$host:$PORT:$ADDRESS")
else
  url="http://$ADDRESS:$PORT/api/admin/drain"
fi

# curl's configuration syntax: the value in double quotes, backslashes and quotes escaped.
escaped="${USER_NAME}:${PASSWORD}"
escaped="${escaped//\\/\\\\}"
escaped="${escaped//\"/\\\"}"
if answer="$(printf 'user = "%s"\n' "$escaped" \
    | curl --silent --show-error --fail --max-time 10 --config - "${tls[@]}" \
      -X POST -H 'Content-Type: application/json' "$url" 2>&1)"; then
  log "draining: $answer; waiting ${WAIT}s for the balancers to notice"
  sleep "$WAIT"
else
  log "the node did not take the drain ($answer); it may be stopping already"
fi
