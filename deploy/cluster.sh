#!/usr/bin/env bash
# deploy/cluster.sh - start a real multi-node tokenpool cluster on this machine: N nodes, each the
# official Tomcat distribution started by deploy/run.sh, all sharing one MariaDB/MySQL database
# (and so one token pool and one Quartz cluster). Runs in the foreground; Ctrl-C stops every node.
#
# Usage:
#   deploy/cluster.sh            # three nodes on http://127.0.0.1:8081..8083
#   deploy/cluster.sh 5          # five nodes
#   deploy/cluster.sh --help     # this text
#
# Environment:
#   BASE_PORT               HTTP port of node 1; node i listens on BASE_PORT+i-1 (default 8081)
#   JMX_BASE_PORT           with JMX_PASSWORD_FILE and JMX_ACCESS_FILE: node i serves JMX on
#                           JMX_BASE_PORT+i-1 (default: no remote JMX)
#   TOKENPOOL_DB_URL        the shared database (default jdbc:mysql://127.0.0.1:3306/tokenpool,
#                           created on the local MariaDB, which deploy/ensure-mariadb.sh installs
#                           or starts where needed)
#   TOKENPOOL_DB_USER, TOKENPOOL_DB_PASSWORD   (defaults root and empty for the local database)
#   TOKENPOOL_ADMIN_PASSWORD_FILE  the admin API password of every node; if neither it nor
#                           TOKENPOOL_ADMIN_PASSWORD is set, the script generates one into
#                           target/cluster/admin-password (mode 600; kept for the next run), so
#                           that all nodes share it. Never printed.
#   any other TOKENPOOL_* setting applies to every node (see docs/configuration.md)
# Logs: target/cluster/node-<i>.log.
#
# The token API needs an API key, and nodes on MariaDB create none at their start: once the nodes
# are up, the script creates a service key (scope tokens:any-user) with the admin login and writes
# it to target/cluster/api-key (mode 600), or keeps the key already there if the cluster still
# accepts it. Send it as 'Authorization: Bearer <key>'.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=cluster LOG_TIMESTAMP=0
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
NODES="${1:-3}"
[[ "$NODES" =~ ^[1-9][0-9]?$ ]] || die "the number of nodes must be 1 to 99, was '$NODES'"
BASE_PORT="${BASE_PORT:-8081}"
LOGS="$REPO/target/cluster"
mkdir -p "$LOGS"

if [[ -z "${TOKENPOOL_DB_URL:-}" ]]; then
  bash "$REPO/deploy/ensure-mariadb.sh"
  client="$(command -v mariadb || command -v mysql)"
  "$client" --protocol=TCP -h 127.0.0.1 -P 3306 -uroot -e "CREATE DATABASE IF NOT EXISTS tokenpool"
  export TOKENPOOL_DB_URL="jdbc:mysql://127.0.0.1:3306/tokenpool"
  export TOKENPOOL_DB_USER="${TOKENPOOL_DB_USER:-root}"
  export TOKENPOOL_DB_PASSWORD="${TOKENPOOL_DB_PASSWORD:-}"
fi
if [[ -z "${TOKENPOOL_ADMIN_PASSWORD:-}" && -z "${TOKENPOOL_ADMIN_PASSWORD_FILE:-}" ]]; then
  # The password goes to a file only this user can read, never to the terminal or a log.
  export TOKENPOOL_ADMIN_PASSWORD_FILE="$LOGS/admin-password"
  if [[ ! -s "$TOKENPOOL_ADMIN_PASSWORD_FILE" ]]; then
    ( umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$TOKENPOOL_ADMIN_PASSWORD_FILE" )
  fi
  chmod 600 "$TOKENPOOL_ADMIN_PASSWORD_FILE"
  log "admin API password of every node (user ${TOKENPOOL_ADMIN_USER:-admin}) in $TOKENPOOL_ADMIN_PASSWORD_FILE (mode 600)"
fi

pids=()
stop_all() {
  trap - INT TERM
  log "stopping ${#pids[@]} node(s)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  log "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

healthy() { http_200 "http://127.0.0.1:$1/health" 2>/dev/null; }

start_node() {
  local i="$1" port=$((BASE_PORT + $1 - 1))
  local jmx=()
  if [[ -n "${JMX_BASE_PORT:-}" ]]; then jmx=(JMX_PORT=$((JMX_BASE_PORT + i - 1))); fi
  # Node 1 builds the WAR if it is missing or stale; the others reuse it.
  env PORT="$port" TOKENPOOL_NODE_ID="node-$i" ${jmx[@]+"${jmx[@]}"} \
    TOKENPOOL_SKIP_BUILD="$([[ $i -eq 1 ]] && echo "${TOKENPOOL_SKIP_BUILD:-}" || echo 1)" \
    bash "$REPO/deploy/run.sh" > "$LOGS/node-$i.log" 2>&1 &
  pids+=("$!")
  if wait_until_alive "${pids[-1]}" 180 1 healthy "$port"; then
    log "node-$i up on http://127.0.0.1:$port (log: $LOGS/node-$i.log)"; return 0
  elif (( $? == 2 )); then
    stop_all; die "node-$i exited; see $LOGS/node-$i.log"
  fi
  stop_all
  die "node-$i did not become healthy in 180 s; see $LOGS/node-$i.log"
}

# ---- an API key for the token API ----
# Secrets go to curl on its standard input (-K - for the login, -H @- for the key), never on its
# command line, where ps shows them.
KEY_FILE="$LOGS/api-key"
NODE1="http://127.0.0.1:$BASE_PORT"
bearer() { printf 'Authorization: Bearer %s\n' "$(< "$KEY_FILE")"; }
admin_login() { # a curl config with the admin login, quoted for curl
  local password="${TOKENPOOL_ADMIN_PASSWORD:-}"
  if [[ -z "$password" ]]; then password="$(< "$TOKENPOOL_ADMIN_PASSWORD_FILE")"; fi
  local user="${TOKENPOOL_ADMIN_USER:-admin}:$password"
  user="${user//\\/\\\\}"
  printf 'user = "%s"\n' "${user//\"/\\\"}"
}
key_works() {
  [[ -s "$KEY_FILE" ]] && [[ "$(bearer | curl -s -o /dev/null -m 5 -w '%{http_code}' -H @- \
    "$NODE1/api/tokens?limit=1" || true)" == 200 ]]
}
create_key() {
  local name answer status
  name="cluster-$(date -u +%Y%m%dT%H%M%SZ)"
  answer="$(mktemp "$LOGS/.api-key.XXXXXX")"   # mode 600
  status="$(admin_login | curl -s -m 10 -o "$answer" -w '%{http_code}' -K - -X POST \
    -H 'Content-Type: application/json' -d "{\"name\":\"$name\",\"scope\":\"tokens:any-user\"}" \
    "$NODE1/api/admin/api-keys" || true)"
  if [[ "$status" == 201 ]]; then
    ( umask 077; sed -n 's/.*"key":"\(tpk_[^"]*\)".*/\1/p' "$answer" > "$KEY_FILE.new" )
    mv "$KEY_FILE.new" "$KEY_FILE"
  fi
  rm -f "$answer"
  [[ "$status" == 201 && -s "$KEY_FILE" ]] \
    || { log "WARNING: could not create an API key (HTTP $status from POST /api/admin/api-keys)"; return 1; }
  log "created the API key '$name' (scope tokens:any-user)"
}

for i in $(seq 1 "$NODES"); do start_node "$i"; done
if key_works || create_key; then
  log "API key in $KEY_FILE (mode 600; it names any user), e.g.:"
  log "  curl -H \"Authorization: Bearer \$(cat ${KEY_FILE#"$PWD"/})\" $NODE1/api/tokens"
fi
log "$NODES node(s) share $TOKENPOOL_DB_URL; Ctrl-C stops them all"
wait
