#!/usr/bin/env bash
# HAProxy's external check of a Galera node (arguments: proxy address, proxy port, server
# address, server port). Healthy only when the node is Synced (wsrep_local_state = 4) and ready
# to take queries (wsrep_ready = ON): a donor, joiner or a node cut off from the primary
# component accepts TCP connections but must not take writes.
# With GALERA_CHECK_CA set (deploy/ha.sh's wrapper target/ha/db-proxy/check.sh sets it when the
# kit runs with TLS), the check connects over TLS and checks the node's certificate against that
# CA: a node that cannot show one of the kit's certificates is not healthy.
set -u
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
handle_help "$@"
host="${HAPROXY_SERVER_ADDR:-$3}"
port="${HAPROXY_SERVER_PORT:-$4}"
tls=()
if [[ -n "${GALERA_CHECK_CA:-}" ]]; then
  tls=(--ssl --ssl-ca="$GALERA_CHECK_CA" --ssl-verify-server-cert)
fi
status="$(timeout 3 mariadb --no-defaults -h "$host" -P "$port" -u check "${tls[@]}" -N -B \
  -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')" 2>/dev/null)" \
  || exit 1
grep -qx $'wsrep_local_state\t4' <<< "$status" && grep -qx $'wsrep_ready\tON' <<< "$status"
