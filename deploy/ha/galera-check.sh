#!/usr/bin/env bash
# HAProxy's external check of a Galera node (arguments: proxy address, proxy port, server
# address, server port). Healthy only when the node is Synced (wsrep_local_state = 4) and ready
# to take queries (wsrep_ready = ON): a donor, joiner or a node cut off from the primary
# component accepts TCP connections but must not take writes.
set -u
host="${HAPROXY_SERVER_ADDR:-$3}"
port="${HAPROXY_SERVER_PORT:-$4}"
status="$(timeout 2 mariadb --no-defaults -h "$host" -P "$port" -u check -N -B \
  -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')" 2>/dev/null)" \
  || exit 1
grep -qx $'wsrep_local_state\t4' <<< "$status" && grep -qx $'wsrep_ready\tON' <<< "$status"
