#!/usr/bin/env bash
# deploy/ha.sh - the production topology of tokenpool on this one machine, loopback only:
#
#   clients -> HTTPS load balancer (HAProxy: TLS 1.2/1.3, HTTP/2 or 1.1; health-checks
#              /health/ready on each node's health port; sends a request to another node only
#              when its node could not be reached or closed without answering; sends the client's
#              address in X-Forwarded-For)
#           -> N tokenpool nodes (deploy/run.sh over HTTPS, one clustered Quartz scheduler)
#           -> single-writer database proxy (HAProxy TCP: one active Galera node, two backups,
#              Galera-aware health check); the nodes' TLS passes through it to the Galera node
#           -> 3-node MariaDB Galera cluster (replication, incremental and full state transfer
#              over TLS; a mariadbd without a certificate of the kit's CA cannot join)
#
# Every hop is TLS, with a private CA that `up` creates (target/ha/tls/ca.pem) and a certificate
# per host signed by it; each side verifies the other's certificate against that CA.
#
# Usage:
#   deploy/ha.sh up       # install what is missing, start everything, wait until healthy,
#                         # create the kit's API keys, write target/ha/topology.json
#   deploy/ha.sh status   # each part's health, and whether the operator key is accepted
#   deploy/ha.sh down     # stop everything; nothing is left running
#   deploy/ha.sh rogue-check  # on a running topology: two strangers (a mariadbd with a
#                         # certificate of another CA, one without TLS) try to join the Galera
#                         # cluster; prints the evidence that both were refused and got no data;
#                         # exits 1 if either joined
#   deploy/ha.sh db-sessions  # the writer's client sessions with their TLS version and cipher
#   deploy/ha.sh --help   # this text
# Parts, for deploy/chaos.sh and operators (each acts on one part of a running topology):
#   deploy/ha.sh app-start I | app-stop I     deploy/ha.sh db-start I | db-stop I
#   deploy/ha.sh app-restart I   drain node I, wait until the balancer has taken it out and its
#                                requests have finished, stop, start, back in rotation (a rolling
#                                restart is this for each node in turn)
#   deploy/ha.sh db-proxy-cut | db-proxy-restore
#   deploy/ha.sh pid PART (app-I, db-I, lb, db-proxy) | deploy/ha.sh writer
#
# Environment:
#   HA_APP_NODES        tokenpool nodes (default 3)
#   HA_LB_PORT          the load balancer's port (default 18180; the tests' embedded Tomcat takes 18080)
#   HA_APP_BASE_PORT    node i listens (HTTPS) on HA_APP_BASE_PORT+i-1 (default 18081)
#   HA_APP_HEALTH_BASE_PORT  node i's health port (plain HTTP, /health and /health/ready only,
#                       the balancer's check) is HA_APP_HEALTH_BASE_PORT+i-1 (default 18281)
#   HA_DB_PROXY_PORT    the database proxy's port (default 13300)
#   HA_DB_BASE_PORT     Galera node i serves SQL on HA_DB_BASE_PORT+i-1 (default 13306)
#   HA_GALERA_BASE_PORT Galera node i replicates on HA_GALERA_BASE_PORT+10(i-1), IST on +1 and
#                       state snapshots (mariabackup) on +2 (default 14567); rogue-check's
#                       strangers take the slots of nodes 4 and 5
#   HA_TLS              1 (the default): TLS on every hop. 0: no TLS anywhere (plain HTTP, plain
#                       database connections and replication), for measuring what TLS costs
#                       (deploy/tls-cost.sh) and nothing else
#   HA_CLOCK_SKEW       e.g. +90s: the last app node's JVM sees this host's clock shifted so
#                       (Debian's libfaketime, preloaded), to show that the cluster decides by the
#                       database's clock (decision 64); ahead only, as a node behind would find
#                       the kit's fresh certificates not yet valid. Default: none
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
#   secrets.env   the generated passwords (database accounts, state transfer, admin)
#   db-password, db-migration-password  the two database logins the nodes use: tokenpool (data
#                 only: SELECT, INSERT, UPDATE, DELETE) and tokenpool_migrate (the schema, for
#                 Flyway); both accounts REQUIRE SSL
#   tls/          the kit's CA (ca.pem, ca.key), each host's certificate and key, ca.p12 (the CA
#                 as a PKCS12 trust store without a password, for Java clients); the directory is
#                 700, every file in it 600; each Galera node reads copies in db-I/tls
# topology.json (mode 600 too) names the key files: "operator_key_file", "service_key_file", and
# the CA: "ca". E.g.
#   printf 'Authorization: Bearer %s\n' "$(cat target/ha/operator.key)" \
#     | curl --cacert target/ha/tls/ca.pem -H @- 'https://127.0.0.1:18180/api/tokens?state=active'
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=ha LOG_TIMESTAMP=0
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
HA="$REPO/target/ha"
# deploy/ha: galera-check.sh, the balancer's error pages and the templates of the configuration
# files (*.template, rendered by render_template of deploy/lib.sh).
CONF="$REPO/deploy/ha"
TLS_DIR="$HA/tls"
DB_NODES=3
APP_NODES="${HA_APP_NODES:-3}"
LB_PORT="${HA_LB_PORT:-18180}"
# How long the balancer gives a waiting activation: the nodes' longest wait (TOKENPOOL_MAX_WAIT,
# PT<n>S or PT<n>M; 30 s by default) and 6 s for its answer, as for any other request. A node that
# is frozen is then answered 504 like the others, not held for minutes.
max_wait_seconds() {
  local wait="${TOKENPOOL_MAX_WAIT:-PT30S}"
  case "$wait" in
    PT*S) echo "${wait:2:-1}" ;;
    PT*M) echo $(( ${wait:2:-1} * 60 )) ;;
    *) echo 300 ;;
  esac
}
WAIT_TIMEOUT_S=$(( $(max_wait_seconds) + 6 ))
APP_BASE_PORT="${HA_APP_BASE_PORT:-18081}"
APP_HEALTH_BASE_PORT="${HA_APP_HEALTH_BASE_PORT:-18281}"
DB_PROXY_PORT="${HA_DB_PROXY_PORT:-13300}"
DB_BASE_PORT="${HA_DB_BASE_PORT:-13306}"
GALERA_BASE_PORT="${HA_GALERA_BASE_PORT:-14567}"
for setting in APP_NODES LB_PORT APP_BASE_PORT APP_HEALTH_BASE_PORT DB_PROXY_PORT DB_BASE_PORT GALERA_BASE_PORT; do
  [[ "${!setting}" =~ ^[0-9]{1,5}$ ]] || die "HA_$setting='${!setting}' must be a number"
done
(( APP_NODES >= 1 && APP_NODES <= 20 )) || die "HA_APP_NODES must be 1 to 20, was $APP_NODES"
# TLS: chosen by `up` (HA_TLS) and kept in target/ha/kit.env, so that the commands on a running
# topology (app-start, db-start, status, ...) act the way it was brought up.
if [[ -f "$HA/kit.env" && "${1:-}" != up && "${1:-}" != _up ]]; then
  TLS="$(sed -n 's/^TLS=\([01]\)$/\1/p' "$HA/kit.env")"
  CLOCK_SKEW="$(sed -n 's/^CLOCK_SKEW=//p' "$HA/kit.env")"
else
  TLS="${HA_TLS:-1}"
  CLOCK_SKEW="${HA_CLOCK_SKEW:-}"
fi
[[ -z "$CLOCK_SKEW" || "$CLOCK_SKEW" =~ ^\+[0-9]{1,6}s$ ]] \
  || die "HA_CLOCK_SKEW must be empty or like +90s (ahead only), was '$CLOCK_SKEW'"
[[ "$TLS" == 0 || "$TLS" == 1 ]] || die "HA_TLS must be 1 (TLS on every hop, the default) or 0, was '$TLS'"
SCHEME=https
(( TLS )) || SCHEME=http
# curl against the balancer and the nodes trusts the kit's CA only.
CURL_TLS=()
if (( TLS )); then CURL_TLS=(--cacert "$TLS_DIR/ca.pem"); fi

# ---- packages --------------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  # mariadbd alone (mariadb-server-core) is not enough: the state transfer scripts that a
  # joining Galera node runs come with mariadb-server.
  { command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]]; } \
    && [[ -x /usr/bin/wsrep_sst_mariabackup ]] || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  [[ -f /usr/lib/galera/libgalera_smm.so ]] || missing+=(galera-4)
  command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  # State transfers: mariabackup copies, socat carries the stream (over TLS: socat with OpenSSL).
  command -v mariabackup >/dev/null || missing+=(mariadb-backup)
  command -v socat >/dev/null || missing+=(socat)   # also HAProxy's runtime API
  command -v openssl >/dev/null || missing+=(openssl)   # the kit's CA and certificates
  command -v curl >/dev/null || missing+=(curl)
  if [[ -n "$CLOCK_SKEW" ]]; then
    compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" >/dev/null || missing+=(faketime)
  fi
  (( ${#missing[@]} == 0 )) && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [[ "$(id -u)" -eq 0 ]] || sudo=(sudo -n)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null \
    || die "apt-get update failed (root or passwordless sudo is needed to install ${missing[*]})"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
  # The Debian package starts its own MariaDB and HAProxy services; this topology uses neither.
  if [[ " ${missing[*]} " == *" haproxy "* ]]; then
    "${sudo[@]}" systemctl disable --now haproxy >/dev/null 2>&1 || true
  fi
}

# ---- the kit's CA and certificates ----------------------------------------------------------
# One private CA per `up`, its key in target/ha/tls only; a certificate per host (EC P-256, 30
# days: the kit lives as long as one `up`), each naming the host (app-I, db-I, lb) and, for
# clients that check names, localhost and 127.0.0.1. Nothing here asks for a password: the keys
# are unencrypted files only their owner can read (mode 600 in a 700 directory).
create_ca() {
  ( umask 077
    mkdir -p "$TLS_DIR"
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
      -days 30 -subj "/O=tokenpool ha kit/CN=tokenpool ha kit CA $(date -u +%Y%m%d%H%M%S)" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" 2> "$TLS_DIR/openssl.log" \
      || die "could not create the kit's CA; see $TLS_DIR/openssl.log"
    # The CA for Java clients (the nodes' database driver, ChaosLoad, jconsole): a PKCS12 trust
    # store that needs no password to read (it holds a certificate only; keytool insists on a
    # password when writing, which it reads from a file and which protects nothing).
    head -c 12 /dev/urandom | base64 > "$TLS_DIR/.store-pass"
    "${JAVA_HOME:+$JAVA_HOME/bin/}keytool" -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE \
      -J-Dkeystore.pkcs12.macAlgorithm=NONE -importcert -noprompt -alias tokenpool-ha-ca \
      -file "$TLS_DIR/ca.pem" -keystore "$TLS_DIR/ca.p12" -storetype PKCS12 \
      -storepass:file "$TLS_DIR/.store-pass" >> "$TLS_DIR/openssl.log" 2>&1 \
      || die "could not write the trust store $TLS_DIR/ca.p12; see $TLS_DIR/openssl.log"
    rm -f "$TLS_DIR/.store-pass" )
  chmod 700 "$TLS_DIR"
  log "CA: $TLS_DIR/ca.pem (key $TLS_DIR/ca.key, mode 600)"
}

# issue_cert NAME: NAME.key and NAME.pem in target/ha/tls, signed by the kit's CA, for a server
# and a client (Galera and state transfers use one certificate both ways).
issue_cert() {
  local name="$1"
  ( umask 077
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
      -subj "/O=tokenpool ha kit/CN=$name" -keyout "$TLS_DIR/$name.key" -out "$TLS_DIR/$name.csr" \
      2>> "$TLS_DIR/openssl.log" || die "could not create the key of $name"
    printf '%s\n' "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth,clientAuth" > "$TLS_DIR/$name.ext"
    openssl x509 -req -sha256 -days 30 -in "$TLS_DIR/$name.csr" -CA "$TLS_DIR/ca.pem" \
      -CAkey "$TLS_DIR/ca.key" -CAcreateserial -extfile "$TLS_DIR/$name.ext" \
      -out "$TLS_DIR/$name.pem" 2>> "$TLS_DIR/openssl.log" || die "could not sign the certificate of $name"
    rm -f "$TLS_DIR/$name.csr" "$TLS_DIR/$name.ext" )
}

create_certificates() {
  (( TLS )) || return 0
  create_ca
  local i
  for i in $(seq 1 $DB_NODES); do issue_cert "db-$i"; done
  for i in $(seq 1 "$APP_NODES"); do issue_cert "app-$i"; done
  issue_cert lb
  # HAProxy reads its certificate and key from one file.
  ( umask 077; cat "$TLS_DIR/lb.pem" "$TLS_DIR/lb.key" > "$TLS_DIR/lb.crt-key.pem" )
  log "certificates for db-1..db-$DB_NODES, app-1..app-$APP_NODES and lb in $TLS_DIR (mode 600)"
}

# db_tls_files I: db-I's own copies of the CA, its certificate and key, owned by the account the
# Galera node runs as (which cannot enter target/ha/tls).
db_tls_files() {
  local i="$1" dir
  dir="$(db_dir "$i")/tls"
  ( umask 077
    mkdir -p "$dir"
    cp "$TLS_DIR/ca.pem" "$dir/ca.pem"
    cp "$TLS_DIR/db-$i.pem" "$dir/server.pem"
    cp "$TLS_DIR/db-$i.key" "$dir/server.key" )
  chown -R "$(db_os_user)": "$dir"
}

# Mozilla's "intermediate" TLS 1.2 ciphers (TLS 1.3's are all AEAD and left at their defaults).
TLS12_CIPHERS='ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305'

# ---- Galera ----------------------------------------------------------------------------------
# Galera node I's directory: db-1..db-3; rogue-check's strangers take the slots 4 and 5.
db_dir() { if (( $1 > DB_NODES )); then echo "$HA/rogue-$1"; else echo "$HA/db-$1"; fi; }
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
db_synced() { [[ "$(db_state "$1")" == Synced ]]; }

# write_db_config I [CLUSTER_ADDRESS]: db-I's my.cnf (mode 600: it holds the state transfer
# account's password).
write_db_config() {
  local i="$1" dir addresses="${2:-}" j
  dir="$(db_dir "$i")"
  if [[ -z "$addresses" ]]; then
    for j in $(seq 1 $DB_NODES); do addresses+="${addresses:+,}127.0.0.1:$(gcomm_port "$j")"; done
  fi
  local gcomm; gcomm="$(gcomm_port "$i")"
  # shellcheck disable=SC1091
  source "$HA/secrets.env"
  local provider="gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$((gcomm + 1));gcache.size=128M"
  # Replication and incremental state transfer over TLS: a peer must present a certificate of
  # the kit's CA, and is shown this node's.
  if (( TLS )); then provider+=";socket.ssl_cert=$dir/tls/server.pem;socket.ssl_key=$dir/tls/server.key;socket.ssl_ca=$dir/tls/ca.pem"; fi
  # deploy/ha/galera.cnf.template, and with TLS deploy/ha/galera-tls.cnf.template after it.
  ( umask 077
  render_template "$CONF/galera.cnf.template" DIR="$dir" PORT="$(db_port "$i")" \
    CLUSTER_ADDRESS="$addresses" NODE_NAME="$(basename "$dir")" PROVIDER_OPTIONS="$provider" \
    SST_PASSWORD="$SST_PASSWORD" SST_PORT="$((gcomm + 2))" > "$dir/my.cnf"
  if (( TLS )); then
    render_template "$CONF/galera-tls.cnf.template" DIR="$dir" TLS12_CIPHERS="$TLS12_CIPHERS" >> "$dir/my.cnf"
  fi )
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
  if wait_until_alive "$launcher" 240 0.5 db_synced "$i"; then
    log "db-$i synced on port $(db_port "$i")"; return 0
  elif (( $? == 2 )); then
    die "db-$i exited; see $dir/mariadbd.log"
  fi
  die "db-$i did not reach Synced in 120 s; see $dir/mariadbd.log"
}

# stop_pid NAME PID: a clean stop (SIGTERM), waited for up to 60 s, then SIGKILL.
stop_pid() {
  local name="$1" pid="$2"
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || return 0
  if wait_until 120 0.5 pid_gone "$pid"; then log "$name stopped"; return 0; fi
  kill -KILL "$pid" 2>/dev/null || true
  log "$name killed after 60 s"
}

db_stop() { stop_pid "db-$1" "$(db_pid "$1")"; }

# db_create I [CLUSTER_ADDRESS]: an empty data directory, TLS files and my.cnf for db-I.
db_create() {
  local i="$1" dir
  dir="$(db_dir "$i")"
  mkdir -p "$dir/data"
  if (( TLS )) && [[ -f "$TLS_DIR/db-$i.pem" ]]; then db_tls_files "$i"; fi
  write_db_config "$i" "${2:-}"
  chown -R "$(db_os_user)": "$dir"
  mariadb-install-db --defaults-file="$dir/my.cnf" --user="$(db_os_user)" \
    --skip-test-db > "$dir/install.log" 2>&1 \
    || die "mariadb-install-db failed for db-$i; see $dir/install.log"
}

create_galera() {
  local i
  for i in $(seq 1 $DB_NODES); do db_create "$i"; done
  db_start 1 bootstrap
  # Accounts replicate to the nodes that join. The statements go in on standard input: a
  # password on mariadb's command line shows in ps.
  #   tokenpool          the nodes at run time: the data, nothing of the schema (decision 53)
  #   tokenpool_migrate  the nodes' schema migrations (Flyway, TOKENPOOL_DB_MIGRATION_USER)
  #   check              the proxy's health check: no password, no privilege but to connect
  #   sst                the state transfer's copy on the donor (mariabackup), over the socket
  local require=""
  if (( TLS )); then require=" REQUIRE SSL"; fi
  mariadb --no-defaults -uroot -S "$(db_dir 1)/mariadbd.sock" -N -B <<EOF
CREATE DATABASE tokenpool;
CREATE USER 'tokenpool'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD'$require;
GRANT SELECT, INSERT, UPDATE, DELETE ON tokenpool.* TO 'tokenpool'@'127.0.0.1';
CREATE USER 'tokenpool_migrate'@'127.0.0.1' IDENTIFIED BY '$DB_MIGRATION_PASSWORD'$require;
GRANT ALL ON tokenpool.* TO 'tokenpool_migrate'@'127.0.0.1';
CREATE USER 'check'@'127.0.0.1'$require;
CREATE USER 'sst'@'localhost' IDENTIFIED BY '$SST_PASSWORD';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'sst'@'localhost';
EOF
  db_start 2
  db_start 3
}

# ---- strangers -------------------------------------------------------------------------------
# rogue-check: two mariadbd that are not of the kit try to join the running cluster, with its
# name and its nodes' addresses: rogue-4 with TLS, trusting the kit's CA (a CA certificate is no
# secret) but showing a certificate of a CA of its own (a self-signed one); rogue-5 without TLS.
# Galera's TLS refuses both at the handshake (the kit's nodes accept only peers whose certificate
# chains to the kit's CA), so neither reaches the cluster, gets a state transfer, or sees a row.
# The evidence is printed; exit 1 if either joined.
rogue_check() {
  [[ -f "$HA/kit.env" ]] || die "no topology is up (deploy/ha.sh up)"
  (( TLS )) || die "this topology runs without TLS (HA_TLS=0): any mariadbd can join it; rogue-check needs the default, HA_TLS=1"
  local peers="" j i
  for j in $(seq 1 $DB_NODES); do peers+="${peers:+,}127.0.0.1:$(gcomm_port "$j")"; done
  local size_before; size_before="$(cluster_size)"
  local -A log_lines
  local -a rogue_pid
  for j in $(seq 1 $DB_NODES); do log_lines[$j]="$(wc -l < "$(db_dir "$j")/mariadbd.log")"; done
  log "cluster size before: $size_before (wsrep_cluster_size on a kit node)"
  for i in 4 5; do
    stop_pid "rogue-$i" "$(db_pid "$i")" > /dev/null
    rm -rf "$(db_dir "$i")"
    mkdir -p "$(db_dir "$i")"
    if (( i == 4 )); then
      # A certificate of a CA of its own (self-signed); the kit's CA certificate to check the
      # kit's nodes with, as anyone may have it.
      local dir; dir="$(db_dir 4)/tls"
      ( umask 077; mkdir -p "$dir"
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
          -subj "/O=tokenpool ha kit/CN=rogue-4" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
          -keyout "$dir/server.key" -out "$dir/server.pem" 2>/dev/null \
          || die "could not make rogue-4's certificate"
        cp "$TLS_DIR/ca.pem" "$dir/ca.pem" )
      db_create 4 "$peers"
    else
      TLS=0; db_create 5 "$peers"; TLS=1
    fi
    # Give up joining after 15 s instead of Galera's default 30 s.
    sed -i 's/^wsrep_provider_options="\(.*\)"$/wsrep_provider_options="\1;pc.wait_prim_timeout=PT15S"/' "$(db_dir "$i")/my.cnf"
    setsid /usr/sbin/mariadbd --defaults-file="$(db_dir "$i")/my.cnf" --user="$(db_os_user)" \
      >> "$(db_dir "$i")/launch.log" 2>&1 < /dev/null &
    rogue_pid[i]=$!
  done
  log "rogue-4 (TLS, certificate of a CA of its own) and rogue-5 (no TLS) started, cluster tokenpool-ha, peers $peers"
  local verdict=0 state started=$SECONDS
  for i in 4 5; do
    state="gave up and exited"
    while (( SECONDS - started < 60 )); do
      [[ "$(db_state "$i")" == Synced ]] && { state="JOINED"; break; }
      kill -0 "${rogue_pid[i]}" 2>/dev/null || break
      sleep 0.5
    done
    if [[ "$state" != JOINED ]] && kill -0 "${rogue_pid[i]}" 2>/dev/null; then
      state="still not in the cluster after 60 s (stopped now)"
    fi
    stop_pid "rogue-$i" "${rogue_pid[i]}" > /dev/null
    [[ "$state" == JOINED ]] && verdict=1
    echo "---- rogue-$i: $([[ $i == 4 ]] && echo "TLS, a certificate of another CA" || echo "no TLS"): $state after $((SECONDS - started)) s"
    echo "  its log (mariadbd.log), the first refusal and the end:"
    { grep -m 1 -E 'certificate verify failed|handshake|SSL routines|timed out, no messages' "$(db_dir "$i")/mariadbd.log" || true
      grep -E 'failed to reach primary view|Aborting' "$(db_dir "$i")/mariadbd.log" || true
    } | cut -c1-220 | sed 's/^/    /' 
    local tables
    tables="$(find "$(db_dir "$i")/data" -path '*/tokenpool/*' -name '*.frm' 2>/dev/null | wc -l)"
    echo "  its data directory: $(find "$(db_dir "$i")/data" -mindepth 1 -maxdepth 1 -type d -printf '%f ' | sort)"
    echo "  tokenpool tables in it: $tables$([[ -d "$(db_dir "$i")/data/tokenpool" ]] && echo " (a tokenpool directory exists!)")"
    (( tables == 0 )) || verdict=1
  done
  echo "---- the kit's Galera nodes, since the strangers started (their logs):"
  for j in $(seq 1 $DB_NODES); do
    tail -n +"$(( ${log_lines[$j]} + 1 ))" "$(db_dir "$j")/mariadbd.log" \
      | { grep -iE 'handshake|SSL|certificate|verify|rogue|14597|14607' || echo "(nothing about the strangers)"; } \
      | cut -c1-220 | sed "s/^/  db-$j: /" | tail -n 3
  done
  local size_after; size_after="$(cluster_size)"
  echo "---- cluster size before: $size_before, after: $size_after"
  [[ "$size_after" == "$size_before" ]] || verdict=1
  if (( verdict == 0 )); then
    log "rogue-check: REFUSED: neither stranger joined the cluster or received any data"
  else
    log "rogue-check: FAILED: a stranger joined or received data (see above)"
  fi
  return $verdict
}

# db_sessions: every client session on the writer, with its TLS version and cipher (empty: none).
db_sessions() {
  local writer; writer="$(haproxy_api db-proxy "show table galera" | sed -n 's/.*server_key=db-\([0-9]*\).*/\1/p' | head -1)"
  writer="${writer:-1}"
  echo "sessions on db-$writer (the writer), by account, address and TLS:"
  db_sql "$writer" "SELECT t.PROCESSLIST_USER, t.PROCESSLIST_HOST, COALESCE(NULLIF(v.VARIABLE_VALUE, ''), 'none'),
      COALESCE(NULLIF(c.VARIABLE_VALUE, ''), 'none'), COUNT(*)
    FROM performance_schema.threads t
    LEFT JOIN performance_schema.status_by_thread v ON v.THREAD_ID = t.THREAD_ID AND v.VARIABLE_NAME = 'Ssl_version'
    LEFT JOIN performance_schema.status_by_thread c ON c.THREAD_ID = t.THREAD_ID AND c.VARIABLE_NAME = 'Ssl_cipher'
    WHERE t.TYPE = 'FOREGROUND' AND t.PROCESSLIST_USER IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4" \
    | awk -F'\t' 'BEGIN { printf "  %-18s %-10s %-8s %-24s %s\n", "account", "address", "TLS", "cipher", "sessions" }
                  { printf "  %-18s %-10s %-8s %-24s %s\n", $1, $2, $3, $4, $5 }'
}

# The size of the cluster as its first reachable kit node sees it.
cluster_size() {
  local j size
  for j in $(seq 1 $DB_NODES); do
    size="$(db_sql "$j" "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | cut -f2)"
    [[ -n "$size" ]] && { echo "$size"; return 0; }
  done
  echo "unknown"
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
  local cfg="$HA/db-proxy/haproxy.cfg" i servers="" nl=$'\n'
  mkdir -p "$HA/db-proxy"
  # The check connects over TLS and checks the node's certificate against the kit's CA
  # (galera-check.sh reads the CA's path from GALERA_CHECK_CA).
  {
    echo "#!/bin/sh"
    echo "# Written by deploy/ha.sh: HAProxy's external check of a Galera node."
    if (( TLS )); then echo "GALERA_CHECK_CA='$TLS_DIR/ca.pem'; export GALERA_CHECK_CA"; fi
    echo "exec '$CONF/galera-check.sh' \"\$@\""
  } > "$HA/db-proxy/check.sh"
  chmod 700 "$HA/db-proxy/check.sh"
  # deploy/ha/db-proxy.haproxy.cfg.template; DB_SERVERS: a server line per Galera node.
  for i in $(seq 1 $DB_NODES); do
    servers+="${servers:+$nl}  server db-$i 127.0.0.1:$(db_port "$i") check"
    if (( i > 1 )); then servers+=" backup"; fi
  done
  render_template "$CONF/db-proxy.haproxy.cfg.template" HA="$HA" DB_PROXY_PORT="$DB_PROXY_PORT" \
    DB_SERVERS="$servers" > "$cfg"
  echo "$cfg"
}

write_lb_config() {
  local cfg="$HA/lb/haproxy.cfg" i bind="" server_tls="" forwarded_proto="" servers="" nl=$'\n'
  mkdir -p "$HA/lb"
  if (( TLS )); then
    # Clients: TLS 1.2/1.3, HTTP/2 or HTTP/1.1 by ALPN. Nodes: TLS, their certificate checked
    # against the kit's CA and their name (app-I); the health check goes to the node's plain
    # health port (`port`: HAProxy then checks without TLS).
    bind=" ssl crt $TLS_DIR/lb.crt-key.pem alpn h2,http/1.1"
    server_tls=" ssl verify required ca-file $TLS_DIR/ca.pem"
    # One more line of the frontend, after its use_backend lines.
    forwarded_proto=$'\n  http-request set-header X-Forwarded-Proto https'
  fi
  # APP_SERVERS: a server line per node, the same in each of the three backends.
  for i in $(seq 1 "$APP_NODES"); do
    servers+="${servers:+$nl}  server app-$i 127.0.0.1:$(app_port "$i")${server_tls:+$server_tls verifyhost app-$i} check port $(app_health_port "$i")"
  done
  # deploy/ha/lb.haproxy.cfg.template
  render_template "$CONF/lb.haproxy.cfg.template" HA="$HA" CONF="$CONF" LB_PORT="$LB_PORT" \
    BIND_TLS="$bind" X_FORWARDED_PROTO="$forwarded_proto" TLS12_CIPHERS="$TLS12_CIPHERS" \
    WAIT_TIMEOUT_S="$WAIT_TIMEOUT_S" APP_SERVERS="$servers" > "$cfg"
  echo "$cfg"
}

# haproxy_api NAME COMMAND: a command on the runtime API.
haproxy_api() { echo "$2" | socat stdio "unix-connect:$HA/$1/admin.sock"; }

# ---- tokenpool nodes -------------------------------------------------------------------------
app_port() { echo $((APP_BASE_PORT + $1 - 1)); }
app_health_port() { echo $((APP_HEALTH_BASE_PORT + $1 - 1)); }
app_url() { echo "$SCHEME://127.0.0.1:$(app_port "$1")"; }
LB_URL="$SCHEME://127.0.0.1:$LB_PORT"
app_pid() { cat "$HA/app-$1/pid" 2>/dev/null || true; }
# Healthy: the node's health port says so, and its main port answers (over TLS: with its
# certificate of the kit's CA).
app_healthy() {
  http_200 -m 2 "http://127.0.0.1:$(app_health_port "$1")/health" \
    && http_200 -m 2 "${CURL_TLS[@]}" "$(app_url "$1")/health/ready"
}

app_launch() { # starts node I in the background (the pid is its JVM: run.sh execs Tomcat)
  local i="$1" build="${2:-skip}"
  mkdir -p "$HA/app-$i"
  local pid; pid="$(app_pid "$i")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then log "app-$i already runs"; return 0; fi
  # The node's HTTPS certificate, and the database over TLS: Connector/J checks the Galera
  # node's certificate against the kit's CA (the trust store ca.p12, read without a password)
  # and its name (127.0.0.1 is in every certificate of the kit).
  local tls=() db_url="jdbc:mysql://127.0.0.1:$DB_PROXY_PORT/tokenpool"
  if (( TLS )); then
    [[ -f "$TLS_DIR/app-$i.pem" ]] || issue_cert "app-$i"
    tls=(TOKENPOOL_TLS_CERT="$TLS_DIR/app-$i.pem" TOKENPOOL_TLS_KEY="$TLS_DIR/app-$i.key")
    db_url+="?sslMode=VERIFY_IDENTITY&tlsVersions=TLSv1.3,TLSv1.2"
    db_url+="&trustCertificateKeyStoreUrl=file:$TLS_DIR/ca.p12&trustCertificateKeyStoreType=PKCS12"
  fi
  # The last node may run with a skewed clock (HA_CLOCK_SKEW): its JVM preloads libfaketime.
  local skew=()
  if [[ -n "$CLOCK_SKEW" && "$i" == "$APP_NODES" ]]; then
    local lib; lib="$(compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" | head -1)"
    [[ -n "$lib" ]] || die "HA_CLOCK_SKEW needs libfaketime (Debian's faketime package)"
    skew=(LD_PRELOAD="$lib" FAKETIME="$CLOCK_SKEW")
    log "app-$i runs with its clock $CLOCK_SKEW off this host's"
  fi
  # Passwords reach the node as files (the _FILE settings): on env's command line they would
  # show in ps. A password the caller's environment holds would clash with its file: unset.
  # Two database logins: TOKENPOOL_DB_USER for the data, TOKENPOOL_DB_MIGRATION_USER for the
  # schema (decision 53).
  setsid env -u TOKENPOOL_DB_PASSWORD -u TOKENPOOL_ADMIN_PASSWORD -u TOKENPOOL_DB_MIGRATION_PASSWORD \
    PORT="$(app_port "$i")" TOKENPOOL_BIND_ADDRESS=127.0.0.1 TOKENPOOL_NODE_ID="app-$i" \
    TOKENPOOL_HEALTH_PORT="$(app_health_port "$i")" "${tls[@]}" "${skew[@]}" \
    TOKENPOOL_BASE_DIR="$HA/app-$i/base" \
    TOKENPOOL_DB_URL="$db_url" \
    TOKENPOOL_DB_USER=tokenpool TOKENPOOL_DB_PASSWORD_FILE="$HA/db-password" \
    TOKENPOOL_DB_MIGRATION_USER=tokenpool_migrate \
    TOKENPOOL_DB_MIGRATION_PASSWORD_FILE="$HA/db-migration-password" \
    TOKENPOOL_ADMIN_PASSWORD_FILE="$HA/admin-password" \
    TOKENPOOL_SKIP_BUILD="$([[ "$build" == build ]] && echo "${TOKENPOOL_SKIP_BUILD:-}" || echo 1)" \
    bash "$REPO/deploy/run.sh" >> "$HA/app-$i/node.log" 2>&1 < /dev/null &
  echo $! > "$HA/app-$i/pid"
}

app_wait() {
  local i="$1"
  if wait_until_alive "$(app_pid "$i")" 360 0.5 app_healthy "$i"; then
    log "app-$i healthy on $(app_url "$i")"; return 0
  elif (( $? == 2 )); then
    die "app-$i exited; see $HA/app-$i/node.log"
  fi
  die "app-$i not healthy in 180 s; see $HA/app-$i/node.log"
}

app_stop() { stop_pid "app-$1" "$(app_pid "$1")"; }

# One step of a rolling restart, the way an operator restarts a node without losing a request:
# drain it (deploy/drain.sh, as systemd's ExecStop and Kubernetes' preStop do: its readiness
# turns 503 while it serves what still reaches it), wait until the balancer has taken it out of
# every backend and the requests it sent there have finished (a waiting activation may take
# TOKENPOOL_MAX_WAIT; event streams are cut and resume elsewhere by Last-Event-ID), stop it with
# SIGTERM, start it, and wait until the balancer sends to it again.
app_restart() {
  local i="$1" tls=()
  (( TLS )) && tls=(TOKENPOOL_TLS_CERT="$TLS_DIR/app-$i.pem" TOKENPOOL_DRAIN_CA="$TLS_DIR/ca.pem")
  env -u TOKENPOOL_ADMIN_PASSWORD PORT="$(app_port "$i")" TOKENPOOL_BIND_ADDRESS=127.0.0.1 \
    TOKENPOOL_ADMIN_PASSWORD_FILE="$HA/admin-password" TOKENPOOL_DRAIN_WAIT=0 "${tls[@]}" \
    bash "$REPO/deploy/drain.sh"
  wait_until "$(( (WAIT_TIMEOUT_S + 30) * 4 ))" 0.25 lb_out_of_rotation "$i" \
    || die "the balancer still sends requests to app-$i, or they did not finish"
  log "app-$i is out of the balancer's rotation and has no request in flight"
  app_stop "$i"
  app_launch "$i"
  app_wait "$i"
  wait_until 240 0.25 lb_in_rotation "$i" || die "the balancer did not take app-$i back in 60 s"
  log "app-$i is back in the balancer's rotation"
}
# HAProxy's "show stat": field 1 the backend, 2 the server, 5 its requests in flight (scur),
# 18 its status.
lb_server_stats() { haproxy_api lb "show stat" | awk -F, -v s="app-$1" '$2 == s { print $1, $5, $18 }'; }
lb_out_of_rotation() {
  lb_server_stats "$1" | awk '$3 !~ /^(DOWN|MAINT)/ || ($1 != "tokenpool-streams" && $2 > 0) { busy = 1 }
    END { exit busy + (NR == 0) }'
}
lb_in_rotation() { lb_server_stats "$1" | awk '$3 != "UP" { down = 1 } END { exit down + (NR == 0) }'; }

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
    echo "  \"lb\": {\"url\": \"$SCHEME://127.0.0.1:$LB_PORT\", \"pid\": $(proxy_pid lb)},"
    # The kit's CA: the certificate that the balancer's, the nodes' and the Galera nodes'
    # certificates chain to ("" with HA_TLS=0), and the same as a PKCS12 trust store for Java.
    if (( TLS )); then
      echo "  \"ca\": \"$TLS_DIR/ca.pem\", \"ca_truststore\": \"$TLS_DIR/ca.p12\", \"tls\": true,"
    else
      echo "  \"ca\": \"\", \"ca_truststore\": \"\", \"tls\": false,"
    fi
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
      echo "    {\"node_id\": \"app-$i\", \"url\": \"$(app_url "$i")\", \"health_url\": \"http://127.0.0.1:$(app_health_port "$i")/health/ready\", \"pid\": $(app_pid "$i")}$sep"
    done
    echo "  ],"
    echo "  \"db_user\": \"tokenpool\", \"db_password\": \"$DB_PASSWORD\","
    echo "  \"db_migration_user\": \"tokenpool_migrate\", \"db_migration_password_file\": \"$HA/db-migration-password\","
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
    printf '%s\n' "$DB_MIGRATION_PASSWORD" > "$HA/db-migration-password"
    printf '%s\n' "$ADMIN_PASSWORD" > "$HA/admin-password"
    # curl -K: the admin login, and (with TLS) the kit's CA as the only one trusted.
    { printf 'user = "admin:%s"\n' "$ADMIN_PASSWORD"
      if (( TLS )); then printf 'cacert = "%s"\n' "$TLS_DIR/ca.pem"; fi
    } > "$HA/admin.curl"
    # The database login for the kit's tools (mariadb --defaults-file): over TLS, the server's
    # certificate checked against the kit's CA and its name.
    { printf '[client]\nuser=tokenpool\npassword=%s\nhost=127.0.0.1\n' "$DB_PASSWORD"
      if (( TLS )); then printf 'ssl\nssl-ca=%s\nssl-verify-server-cert\n' "$TLS_DIR/ca.pem"; fi
    } > "$HA/db-client.cnf" )
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
      "$LB_URL/api/admin/api-keys" || true)"
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

# ports_free: every port of the topology is free, or die naming the first one taken (another
# kit, from another checkout, may run on the same ports: see the HA_* settings).
ports_free() {
  local port i
  local ports=("$LB_PORT" "$DB_PROXY_PORT")
  for i in $(seq 1 $DB_NODES); do ports+=("$(db_port "$i")" "$(gcomm_port "$i")" $(( $(gcomm_port "$i") + 1 )) $(( $(gcomm_port "$i") + 2 ))); done
  for i in $(seq 1 "$APP_NODES"); do ports+=("$(app_port "$i")" "$(app_health_port "$i")"); done
  for port in "${ports[@]}"; do
    if port_in_use 127.0.0.1 "$port" 1; then
      die "something already listens on 127.0.0.1:$port (another kit, from another checkout?); stop it or choose other HA_* ports"
    fi
  done
}

up() {
  ensure_packages
  [[ -f "$HA/topology.json" || -f "$HA/secrets.env" ]] && down
  ports_free
  rm -rf "$HA"
  mkdir -p "$HA"
  chmod 755 "$HA"   # the mysql account reaches its data directories through it
  secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
  (umask 077
   printf 'DB_PASSWORD=%s\nDB_MIGRATION_PASSWORD=%s\nSST_PASSWORD=%s\nADMIN_PASSWORD=%s\n' \
     "$(secret)" "$(secret)" "$(secret)" "$(secret)" > "$HA/secrets.env"
   printf 'TLS=%s\nCLOCK_SKEW=%s\n' "$TLS" "$CLOCK_SKEW" > "$HA/kit.env")
  # shellcheck disable=SC1091
  source "$HA/secrets.env"
  if (( TLS )); then
    log "TLS on every hop (the kit's own CA)"
  else
    log "HA_TLS=0: NO TLS on any hop (plain HTTP, database and replication): for measuring what TLS costs only"
  fi
  write_credential_files
  create_certificates
  create_galera
  start_haproxy db-proxy "$(write_db_proxy_config)"
  app_launch 1 build
  app_wait 1
  local i
  for i in $(seq 2 "$APP_NODES"); do app_launch "$i"; done
  for i in $(seq 2 "$APP_NODES"); do app_wait "$i"; done
  start_haproxy lb "$(write_lb_config)"
  wait_until 20 0.5 http_200 -m 2 "${CURL_TLS[@]}" "$LB_URL/health" || true
  create_api_keys
  write_topology
  log "up: $LB_URL (admin password, the API key files and the CA in $HA/topology.json)"
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
    if app_healthy "$i"; then printf '%-9s %-12s %s\n' "app-$i" "healthy" "$(app_url "$i")"
    else printf '%-9s %-12s %s\n' "app-$i" "unhealthy" "$(app_url "$i")"; ok=1; fi
  done
  if http_200 -m 2 "${CURL_TLS[@]}" "$LB_URL/health"; then
    printf '%-9s %-12s %s\n' "lb" "healthy" "$LB_URL"
  else
    printf '%-9s %-12s %s\n' "lb" "unhealthy" "$LB_URL"; ok=1
  fi
  # The token API needs a bearer credential: the kit's operator key, through the balancer.
  if [[ -s "$HA/operator.key" ]]; then
    local answer
    answer="$(bearer "$HA/operator.key" | curl -s -o /dev/null -m 5 -w '%{http_code}' -H @- \
      "${CURL_TLS[@]}" "$LB_URL/api/tokens?limit=1" || true)"
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
  rogue-check) rogue_check ;;
  db-sessions) db_sessions ;;
  app-start) app_launch "${2:?node number}"; app_wait "$2"; write_topology ;;
  app-launch) app_launch "${2:?node number}" ;;
  app-wait) app_wait "${2:?node number}"; write_topology ;;
  app-stop) app_stop "${2:?node number}" ;;
  app-restart) app_restart "${2:?node number}"; write_topology ;;
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
  help) usage ;;   # -h and --help: handle_help, at the start
  *) usage; exit 2 ;;
esac
