#!/usr/bin/env bash
# deploy/ha.sh - the production topology of tokenpool on this one machine, loopback only:
#
#   clients -> HTTP load balancer (HAProxy, health-checks /health/ready, retries on another node,
#              sends the client's address in X-Forwarded-For)
#           -> N tokenpool nodes (deploy/run.sh, one clustered Quartz scheduler)
#           -> single-writer database proxy (HAProxy TCP: one active Galera node, two backups,
#              Galera-aware health check)
#           -> 3-node MariaDB Galera cluster
#
# Usage:
#   deploy/ha.sh up       # install what is missing, start everything, wait until healthy,
#                         # create the kit's API keys, write target/ha/topology.json
#   deploy/ha.sh status   # each part's health, and whether the operator key is accepted
#   deploy/ha.sh down     # stop everything; nothing is left running
#   deploy/ha.sh --help   # this text
# Parts, for deploy/chaos.sh and operators (each acts on one part of a running topology):
#   deploy/ha.sh app-start I | app-stop I     deploy/ha.sh db-start I | db-stop I
#   deploy/ha.sh db-proxy-cut | db-proxy-restore
#   deploy/ha.sh pid PART (app-I, db-I, lb, db-proxy) | deploy/ha.sh writer
#
# Environment:
#   HA_APP_NODES        tokenpool nodes (default 3)
#   HA_LB_PORT          the load balancer's port (default 18180; the tests' embedded Tomcat takes 18080)
#   HA_APP_BASE_PORT    node i listens on HA_APP_BASE_PORT+i-1 (default 18081)
#   HA_DB_PROXY_PORT    the database proxy's port (default 13300)
#   HA_DB_BASE_PORT     Galera node i serves SQL on HA_DB_BASE_PORT+i-1 (default 13306)
#   HA_GALERA_BASE_PORT Galera node i replicates on HA_GALERA_BASE_PORT+10(i-1), IST on +1 and
#                       state snapshots (rsync) on +2 (default 14567)
#   TOKENPOOL_*         passed to every tokenpool node (see docs/configuration.md)
# Every `up` starts from empty data directories under target/ha (see docs/deployment.md for
# real machines). Logs: target/ha/*/*.log.
#
# Credentials, each in a file of target/ha only its owner can read (mode 600), never on a command
# line (curl gets them with -K FILE or -H @- on its standard input):
#   operator.key  API key with scope tokens:admin, for the kit's own tools (deploy/chaos.sh)
#   service.key   API key with scope tokens:any-user, for clients acting for users
#   admin.curl    curl config with the admin login (curl -K target/ha/admin.curl ...)
#   db-client.cnf the database login (mariadb --defaults-file=target/ha/db-client.cnf ...)
#   secrets.env   the generated database and admin passwords
# topology.json (mode 600 too) names the key files: "operator_key_file", "service_key_file". E.g.
#   printf 'Authorization: Bearer %s\n' "$(cat target/ha/operator.key)" \
#     | curl -H @- 'http://127.0.0.1:18180/api/tokens?state=active'
set -euo pipefail

log() { echo "[ha] $*"; }
die() { echo "[ha] ERROR: $*" >&2; exit 1; }

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
HA="$REPO/target/ha"
CONF="$REPO/deploy/ha"
DB_NODES=3
APP_NODES="${HA_APP_NODES:-3}"
LB_PORT="${HA_LB_PORT:-18180}"
APP_BASE_PORT="${HA_APP_BASE_PORT:-18081}"
DB_PROXY_PORT="${HA_DB_PROXY_PORT:-13300}"
DB_BASE_PORT="${HA_DB_BASE_PORT:-13306}"
GALERA_BASE_PORT="${HA_GALERA_BASE_PORT:-14567}"
for setting in APP_NODES LB_PORT APP_BASE_PORT DB_PROXY_PORT DB_BASE_PORT GALERA_BASE_PORT; do
  [[ "${!setting}" =~ ^[0-9]{1,5}$ ]] || die "HA_$setting='${!setting}' must be a number"
done
(( APP_NODES >= 1 && APP_NODES <= 20 )) || die "HA_APP_NODES must be 1 to 20, was $APP_NODES"

# ---- packages --------------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  # mariadbd alone (mariadb-server-core) is not enough: the state transfer scripts that a
  # joining Galera node runs come with mariadb-server.
  { command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]]; } \
    && [[ -x /usr/bin/wsrep_sst_rsync ]] || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  [[ -f /usr/lib/galera/libgalera_smm.so ]] || missing+=(galera-4)
  command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  command -v rsync >/dev/null || missing+=(rsync)   # Galera's default state transfer
  command -v socat >/dev/null || missing+=(socat)   # HAProxy's runtime API
  command -v curl >/dev/null || missing+=(curl)
  (( ${#missing[@]} == 0 )) && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [[ "$(id -u)" -eq 0 ]] || sudo=(sudo -n)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
    || die "apt-get update failed (root or passwordless sudo is needed to install ${missing[*]})"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
  # The Debian package starts its own MariaDB and HAProxy services; this topology uses neither.
  if [[ " ${missing[*]} " == *" haproxy "* ]]; then
    "${sudo[@]}" systemctl disable --now haproxy >/dev/null 2>&1 || true
  fi
}

# ---- Galera ----------------------------------------------------------------------------------
db_dir() { echo "$HA/db-$1"; }
# As root, the Galera nodes run as the mysql account: the rsync state transfer's daemon, started
# by root, would drop to "nobody" and could not write the data directory.
db_os_user() { if [[ "$(id -u)" -eq 0 ]] && id mysql >/dev/null 2>&1; then echo mysql; else id -un; fi; }
db_port() { echo $((DB_BASE_PORT + $1 - 1)); }
gcomm_port() { echo $((GALERA_BASE_PORT + 10 * ($1 - 1))); }
db_pid() { cat "$(db_dir "$1")/mariadbd.pid" 2>/dev/null || true; }
db_sql() { # db_sql I SQL...: as root over the node's socket
  mariadb --no-defaults -uroot -S "$(db_dir "$1")/mariadbd.sock" -N -B -e "$2"
}
db_state() { db_sql "$1" "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2; }

write_db_config() {
  local i="$1" dir addresses="" j
  dir="$(db_dir "$i")"
  for j in $(seq 1 $DB_NODES); do addresses+="${addresses:+,}127.0.0.1:$(gcomm_port "$j")"; done
  local gcomm; gcomm="$(gcomm_port "$i")"
  cat > "$dir/my.cnf" <<EOF
[mariadbd]
datadir=$dir/data
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/mariadbd.log
port=$(db_port "$i")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-storage-engine=InnoDB
innodb_buffer_pool_size=128M
innodb_log_file_size=64M
# Galera needs row-based replication and interleaved auto-increment locks.
binlog_format=ROW
innodb_autoinc_lock_mode=2
# The app's trigger (usages end once) is created by Flyway; with Galera's binary logging of
# writesets a trigger needs this or SUPER.
log_bin_trust_function_creators=1
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=tokenpool-ha
wsrep_cluster_address=gcomm://$addresses
wsrep_node_name=db-$i
wsrep_node_address=127.0.0.1
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$((gcomm + 1));gcache.size=128M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((gcomm + 2))
wsrep_slave_threads=2
EOF
}

# db_start I [bootstrap]: starts Galera node I; "bootstrap" founds a new cluster with it.
db_start() {
  local i="$1" mode="${2:-join}" dir
  dir="$(db_dir "$i")"
  [[ -d "$dir/data" ]] || die "db-$i has no data directory; run deploy/ha.sh up"
  if [[ -n "$(db_pid "$i")" ]] && kill -0 "$(db_pid "$i")" 2>/dev/null; then
    log "db-$i already runs"; return 0
  fi
  rm -f "$dir/mariadbd.pid"
  local extra=()
  [[ "$mode" == bootstrap ]] && extra=(--wsrep-new-cluster)
  setsid /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" --user="$(db_os_user)" "${extra[@]}" \
    >>"$dir/launch.log" 2>&1 < /dev/null &
  local launcher=$!
  for _ in $(seq 1 240); do
    if [[ "$(db_state "$i")" == Synced ]]; then log "db-$i synced on port $(db_port "$i")"; return 0; fi
    kill -0 "$launcher" 2>/dev/null || die "db-$i exited; see $dir/mariadbd.log"
    sleep 0.5
  done
  die "db-$i did not reach Synced in 120 s; see $dir/mariadbd.log"
}

# stop_pid NAME PID: a clean stop (SIGTERM), waited for up to 60 s, then SIGKILL.
stop_pid() {
  local name="$1" pid="$2"
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { log "$name stopped"; return 0; }; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  log "$name killed after 60 s"
}

db_stop() { stop_pid "db-$1" "$(db_pid "$1")"; }

create_galera() {
  local i
  for i in $(seq 1 $DB_NODES); do
    mkdir -p "$(db_dir "$i")/data"
    write_db_config "$i"
    chown -R "$(db_os_user)": "$(db_dir "$i")"
    mariadb-install-db --defaults-file="$(db_dir "$i")/my.cnf" --user="$(db_os_user)" \
      --skip-test-db > "$(db_dir "$i")/install.log" 2>&1 \
      || die "mariadb-install-db failed for db-$i; see $(db_dir "$i")/install.log"
  done
  db_start 1 bootstrap
  # Accounts replicate to the nodes that join: the application's, and the proxy's status check.
  # The statements go in on standard input: a password on mariadb's command line shows in ps.
  mariadb --no-defaults -uroot -S "$(db_dir 1)/mariadbd.sock" -N -B <<EOF
CREATE DATABASE tokenpool;
CREATE USER 'tokenpool'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL ON tokenpool.* TO 'tokenpool'@'127.0.0.1';
CREATE USER 'check'@'127.0.0.1';
EOF
  db_start 2
  db_start 3
}

# ---- HAProxy ---------------------------------------------------------------------------------
haproxy_bin() { command -v haproxy || echo /usr/sbin/haproxy; }
proxy_pid() { cat "$HA/$1/haproxy.pid" 2>/dev/null || true; }

start_haproxy() { # start_haproxy NAME CONFIG
  local name="$1"
  mkdir -p "$HA/$name"
  "$(haproxy_bin)" -c -q -f "$2" || die "invalid $name configuration $2"
  "$(haproxy_bin)" -D -p "$HA/$name/haproxy.pid" -f "$2" >> "$HA/$name/haproxy.log" 2>&1 \
    || die "$name did not start; see $HA/$name/haproxy.log"
  log "$name started (pid $(proxy_pid "$name"))"
}

write_db_proxy_config() {
  local cfg="$HA/db-proxy/haproxy.cfg" i
  mkdir -p "$HA/db-proxy"
  {
    cat <<EOF
global
  # The Galera-aware check runs a script: HAProxy must be allowed to fork it.
  external-check
  insecure-fork-wanted
  stats socket $HA/db-proxy/admin.sock mode 600 level admin
  log stdout format raw local0 notice

defaults
  mode tcp
  log global
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout check 2s

# One writer at a time: Quartz's row locks and the token pool's FOR UPDATE locks only exclude
# each other on the same Galera node. db-1 is preferred; db-2, then db-3, take over when it
# fails. The one-entry stick table keeps every connection on the node that took over, even once
# the failed node is back: two writers at once would turn locks into certification failures.
frontend galera
  bind 127.0.0.1:$DB_PROXY_PORT
  default_backend galera

backend galera
  option external-check
  external-check path "/usr/bin:/bin:/usr/sbin:/sbin"
  external-check command $CONF/galera-check.sh
  stick-table type ip size 1
  stick on dst
  default-server inter 1s fall 2 rise 3 on-marked-down shutdown-sessions
EOF
    for i in $(seq 1 $DB_NODES); do
      echo "  server db-$i 127.0.0.1:$(db_port "$i") check$([[ $i -gt 1 ]] && echo " backup")"
    done
  } > "$cfg"
  echo "$cfg"
}

write_lb_config() {
  local cfg="$HA/lb/haproxy.cfg" i
  mkdir -p "$HA/lb"
  {
    cat <<EOF
global
  stats socket $HA/lb/admin.sock mode 600 level admin
  log stdout format raw local0 notice

defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 30s
  # A node answers within its request deadline (5 s) or not at all (frozen, dying): then the
  # request goes to another node. Activation is retry-safe: a repeat returns the same token.
  timeout server 6s
  timeout check 1s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  # Answers of the balancer itself are problem documents too.
  errorfile 502 $CONF/errors/502.http
  errorfile 503 $CONF/errors/503.http
  errorfile 504 $CONF/errors/504.http

frontend api
  bind 127.0.0.1:$LB_PORT
  # This balancer is the edge: an X-Forwarded-For or X-Forwarded-Proto a client sends is dropped,
  # never believed (the nodes believe these headers from the balancer's address).
  http-request del-header X-Forwarded-For
  http-request del-header X-Forwarded-Proto
  default_backend tokenpool

backend tokenpool
  balance roundrobin
  option http-buffer-request
  # The client's address for the nodes: their RemoteIpValve (deploy/tomcat/server.xml) trusts the
  # header from this balancer's address only, so that the per-address limit on failed logins
  # counts each client, not the balancer.
  option forwardfor
  # Readiness only: /health also reports the cluster-wide expiry job, and a stalled job must not
  # take every node out of rotation.
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
EOF
    for i in $(seq 1 "$APP_NODES"); do
      echo "  server app-$i 127.0.0.1:$((APP_BASE_PORT + i - 1)) check"
    done
  } > "$cfg"
  echo "$cfg"
}

# haproxy_api NAME COMMAND: a command on the runtime API.
haproxy_api() { echo "$2" | socat stdio "unix-connect:$HA/$1/admin.sock"; }

# ---- tokenpool nodes -------------------------------------------------------------------------
app_port() { echo $((APP_BASE_PORT + $1 - 1)); }
app_pid() { cat "$HA/app-$1/pid" 2>/dev/null || true; }
app_healthy() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(app_port "$1")/health" | grep -q 200; }

app_launch() { # starts node I in the background (the pid is its JVM: run.sh execs Tomcat)
  local i="$1" build="${2:-skip}"
  mkdir -p "$HA/app-$i"
  local pid; pid="$(app_pid "$i")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then log "app-$i already runs"; return 0; fi
  # Passwords reach the node as files (the _FILE settings): on env's command line they would
  # show in ps. A password the caller's environment holds would clash with its file: unset.
  setsid env -u TOKENPOOL_DB_PASSWORD -u TOKENPOOL_ADMIN_PASSWORD \
    PORT="$(app_port "$i")" TOKENPOOL_BIND_ADDRESS=127.0.0.1 TOKENPOOL_NODE_ID="app-$i" \
    TOKENPOOL_BASE_DIR="$HA/app-$i/base" \
    TOKENPOOL_DB_URL="jdbc:mysql://127.0.0.1:$DB_PROXY_PORT/tokenpool" \
    TOKENPOOL_DB_USER=tokenpool TOKENPOOL_DB_PASSWORD_FILE="$HA/db-password" \
    TOKENPOOL_ADMIN_PASSWORD_FILE="$HA/admin-password" \
    TOKENPOOL_SKIP_BUILD="$([[ "$build" == build ]] && echo "${TOKENPOOL_SKIP_BUILD:-}" || echo 1)" \
    bash "$REPO/deploy/run.sh" >> "$HA/app-$i/node.log" 2>&1 < /dev/null &
  echo $! > "$HA/app-$i/pid"
}

app_wait() {
  local i="$1"
  for _ in $(seq 1 360); do
    app_healthy "$i" && { log "app-$i healthy on http://127.0.0.1:$(app_port "$i")"; return 0; }
    kill -0 "$(app_pid "$i")" 2>/dev/null || die "app-$i exited; see $HA/app-$i/node.log"
    sleep 0.5
  done
  die "app-$i not healthy in 180 s; see $HA/app-$i/node.log"
}

app_stop() { stop_pid "app-$1" "$(app_pid "$1")"; }

# ---- topology --------------------------------------------------------------------------------
write_topology() {
  # shellcheck disable=SC1091
  source "$HA/secrets.env"
  local i sep mask
  # It holds the generated passwords: readable by its owner only.
  mask="$(umask)"
  umask 077
  {
    echo "{"
    echo "  \"lb\": {\"url\": \"http://127.0.0.1:$LB_PORT\", \"pid\": $(proxy_pid lb)},"
    echo "  \"db_proxy\": {\"host\": \"127.0.0.1\", \"port\": $DB_PROXY_PORT, \"pid\": $(proxy_pid db-proxy)},"
    echo "  \"db_nodes\": ["
    for i in $(seq 1 $DB_NODES); do
      sep=""; [[ $i -lt $DB_NODES ]] && sep=","
      echo "    {\"name\": \"db-$i\", \"port\": $(db_port "$i"), \"pid\": $(db_pid "$i"), \"datadir\": \"$(db_dir "$i")/data\"}$sep"
    done
    echo "  ],"
    echo "  \"app_nodes\": ["
    for i in $(seq 1 "$APP_NODES"); do
      sep=""; [[ $i -lt $APP_NODES ]] && sep=","
      echo "    {\"node_id\": \"app-$i\", \"url\": \"http://127.0.0.1:$(app_port "$i")\", \"pid\": $(app_pid "$i")}$sep"
    done
    echo "  ],"
    echo "  \"db_user\": \"tokenpool\", \"db_password\": \"$DB_PASSWORD\","
    echo "  \"admin_user\": \"admin\", \"admin_password\": \"$ADMIN_PASSWORD\","
    # The kit's API keys, each in a file of mode 600 (created by up: create_api_keys).
    echo "  \"operator_key_file\": \"$HA/operator.key\", \"operator_key_scope\": \"tokens:admin\","
    echo "  \"service_key_file\": \"$HA/service.key\", \"service_key_scope\": \"tokens:any-user\""
    echo "}"
  } > "$HA/topology.json.tmp"
  mv "$HA/topology.json.tmp" "$HA/topology.json"
  umask "$mask"
}

# ---- credentials -----------------------------------------------------------------------------
# Every secret lives in a file of mode 600 under target/ha and reaches a program through a file
# or its standard input, never its command line (which any user sees in ps).
write_credential_files() {
  # shellcheck disable=SC1091
  source "$HA/secrets.env"
  ( umask 077
    printf '%s\n' "$DB_PASSWORD" > "$HA/db-password"
    printf '%s\n' "$ADMIN_PASSWORD" > "$HA/admin-password"
    printf 'user = "admin:%s"\n' "$ADMIN_PASSWORD" > "$HA/admin.curl"
    printf '[client]\nuser=tokenpool\npassword=%s\nhost=127.0.0.1\n' "$DB_PASSWORD" > "$HA/db-client.cnf" )
}

# bearer KEY_FILE: the Authorization header line for curl -H @- (printf is a shell builtin).
bearer() { printf 'Authorization: Bearer %s\n' "$(< "$1")"; }

# create_api_key NAME SCOPE FILE: a key made with the admin login through the balancer; its
# secret, shown in the answer only, goes into FILE (mode 600) and nowhere else.
create_api_key() {
  local name="$1" scope="$2" file="$3" answer="$HA/.api-key-answer" status=000
  rm -f "$answer" "$file"
  ( umask 077; : > "$answer" )
  for _ in $(seq 1 20); do
    status="$(curl -s -m 10 -o "$answer" -w '%{http_code}' -K "$HA/admin.curl" -X POST \
      -H 'Content-Type: application/json' -d "{\"name\":\"$name\",\"scope\":\"$scope\"}" \
      "http://127.0.0.1:$LB_PORT/api/admin/api-keys" || true)"
    # A 4xx will not change by asking again (409: the name is taken).
    [[ "$status" == 000 || "$status" == 5* ]] || break
    sleep 0.5
  done
  if [[ "$status" != 201 ]]; then
    rm -f "$answer"
    die "could not create the API key '$name' ($scope): HTTP $status from POST /api/admin/api-keys"
  fi
  ( umask 077; sed -n 's/.*"key":"\(tpk_[^"]*\)".*/\1/p' "$answer" > "$file" )
  rm -f "$answer"
  [[ -s "$file" ]] || die "the answer to POST /api/admin/api-keys for '$name' held no key"
  log "API key '$name' ($scope) in $file (mode $(stat -c '%a' "$file"))"
}

# The kit's own keys: the operator's for its tools (the chaos load clears the pool and releases
# any token), and a service key for clients that act for users they name.
create_api_keys() {
  create_api_key ha-operator tokens:admin "$HA/operator.key"
  create_api_key ha-service tokens:any-user "$HA/service.key"
}

up() {
  ensure_packages
  [[ -f "$HA/topology.json" || -f "$HA/secrets.env" ]] && down
  rm -rf "$HA"
  mkdir -p "$HA"
  chmod 755 "$HA"   # the mysql account reaches its data directories through it
  secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
  (umask 077; printf 'DB_PASSWORD=%s\nADMIN_PASSWORD=%s\n' "$(secret)" "$(secret)" > "$HA/secrets.env")
  # shellcheck disable=SC1091
  source "$HA/secrets.env"
  write_credential_files
  create_galera
  start_haproxy db-proxy "$(write_db_proxy_config)"
  app_launch 1 build
  app_wait 1
  local i
  for i in $(seq 2 "$APP_NODES"); do app_launch "$i"; done
  for i in $(seq 2 "$APP_NODES"); do app_wait "$i"; done
  start_haproxy lb "$(write_lb_config)"
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$LB_PORT/health" | grep -q 200 && break
    sleep 0.5
  done
  create_api_keys
  write_topology
  log "up: http://127.0.0.1:$LB_PORT (admin password and the API key files in $HA/topology.json)"
}

down() {
  local i pid
  for name in lb db-proxy; do
    pid="$(proxy_pid "$name")"
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && log "$name stopped"
  done
  # Every app node at once: each finishes its running job and gives its cluster id back.
  local stopping=()
  for i in $(seq 1 20); do
    if [[ -f "$HA/app-$i/pid" ]]; then app_stop "$i" & stopping+=($!); fi
  done
  for pid in "${stopping[@]}"; do wait "$pid" || true; done
  for i in $(seq $DB_NODES -1 1); do [[ -d "$(db_dir "$i")" ]] && db_stop "$i"; done
  rm -f "$HA/topology.json"
  # Nothing of the topology may outlive down: no Tomcat, no mariadbd, no HAProxy of target/ha.
  local left
  left="$(pgrep -f "$HA/" || true)"
  if [[ -n "$left" ]]; then
    log "killing leftovers: $left"
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL $left 2>/dev/null || true
  fi
  log "down"
}

status() {
  local i ok=0
  [[ -f "$HA/secrets.env" ]] || { log "not up"; return 1; }
  for i in $(seq 1 $DB_NODES); do
    local state; state="$(db_state "$i" || true)"
    printf '%-9s %-12s %s\n' "db-$i" "${state:-down}" "127.0.0.1:$(db_port "$i")"
    [[ "$state" == Synced ]] || ok=1
  done
  if [[ -S "$HA/db-proxy/admin.sock" ]]; then
    haproxy_api db-proxy "show stat" \
      | awk -F, '$1 == "galera" && $2 ~ /^db-/ { printf "%-9s %-12s %s\n", "proxy>" $2, $18, ($21 == "1" ? "backup" : "primary") }'
    local writer
    writer="$(haproxy_api db-proxy "show table galera" | sed -n 's/.*server_key=\([^ ]*\).*/\1/p; s/.*server_name=\([^ ]*\).*/\1/p' | head -1)"
    printf '%-9s %-12s %s\n' "db-proxy" "up" "127.0.0.1:$DB_PROXY_PORT, writer: ${writer:-none chosen yet}"
  else
    printf '%-9s %-12s\n' "db-proxy" "down"; ok=1
  fi
  for i in $(seq 1 20); do
    [[ -f "$HA/app-$i/pid" ]] || continue
    if app_healthy "$i"; then printf '%-9s %-12s %s\n' "app-$i" "healthy" "http://127.0.0.1:$(app_port "$i")"
    else printf '%-9s %-12s %s\n' "app-$i" "unhealthy" "http://127.0.0.1:$(app_port "$i")"; ok=1; fi
  done
  if curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$LB_PORT/health" | grep -q 200; then
    printf '%-9s %-12s %s\n' "lb" "healthy" "http://127.0.0.1:$LB_PORT"
  else
    printf '%-9s %-12s %s\n' "lb" "unhealthy" "http://127.0.0.1:$LB_PORT"; ok=1
  fi
  # The token API needs a bearer credential: the kit's operator key, through the balancer.
  if [[ -s "$HA/operator.key" ]]; then
    local answer
    answer="$(bearer "$HA/operator.key" | curl -s -o /dev/null -m 5 -w '%{http_code}' -H @- \
      "http://127.0.0.1:$LB_PORT/api/tokens?limit=1" || true)"
    if [[ "$answer" == 200 ]]; then
      printf '%-9s %-12s %s\n' "api" "authorized" "GET /api/tokens with $HA/operator.key"
    else
      printf '%-9s %-12s %s\n' "api" "HTTP $answer" "GET /api/tokens with $HA/operator.key"; ok=1
    fi
  else
    printf '%-9s %-12s %s\n' "api" "no key" "$HA/operator.key is missing"; ok=1
  fi
  return $ok
}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# up and down of one topology never overlap (a down's sweep of leftovers would hit the next up).
# flock holds the lock itself (-o): the daemons that up starts must not inherit it.
serialized() {
  mkdir -p "$REPO/target"
  exec flock -o "$REPO/target/ha.lock" bash "$0" "_$1"
}

case "${1:-}" in
  up) serialized up ;;
  down) serialized down ;;
  _up) up ;;
  _down) down ;;
  status) status ;;
  app-start) app_launch "${2:?node number}"; app_wait "$2"; write_topology ;;
  app-launch) app_launch "${2:?node number}" ;;
  app-wait) app_wait "${2:?node number}"; write_topology ;;
  app-stop) app_stop "${2:?node number}" ;;
  db-start) db_start "${2:?node number}"; write_topology ;;
  db-stop) db_stop "${2:?node number}" ;;
  pid) # pid PART: the process a kill -9 of PART would stop (app-I, db-I, lb, db-proxy)
    case "${2:?part}" in
      app-*) app_pid "${2#app-}" ;;
      db-proxy|lb) proxy_pid "$2" ;;
      db-*) db_pid "${2#db-}" ;;
      *) die "unknown part '$2'" ;;
    esac ;;
  writer) # the Galera node the database proxy sends every connection to
    haproxy_api db-proxy "show table galera" | sed -n 's/.*server_key=\(db-[0-9]*\).*/\1/p' | head -1 ;;
  db-proxy-cut)
    for i in $(seq 1 $DB_NODES); do
      haproxy_api db-proxy "set server galera/db-$i state maint" >/dev/null
      haproxy_api db-proxy "shutdown sessions server galera/db-$i" >/dev/null
    done
    log "database proxy cut: no connection reaches any Galera node" ;;
  db-proxy-restore)
    for i in $(seq 1 $DB_NODES); do haproxy_api db-proxy "set server galera/db-$i state ready" >/dev/null; done
    log "database proxy restored" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
