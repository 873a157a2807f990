#!/usr/bin/env bash
# deploy/run.sh - build the WAR if needed and run ONE tokenpool node in the foreground on the
# official Apache Tomcat distribution (org.apache.tomcat:tomcat:${tomcat.version}:tar.gz, which the
# Maven build fetches from Maven Central and unpacks into target/tomcat/apache-tomcat-<version>/).
# The WAR is served at the root context; all configuration comes from the environment.
#
# Usage (from any directory):
#   deploy/run.sh
#   PORT=8081 TOKENPOOL_NODE_ID=node-b TOKENPOOL_DATA_DIR=/tmp/tokenpool-b deploy/run.sh
#   deploy/run.sh --help    # this text
#
# Stop it with Ctrl-C (SIGINT) or SIGTERM: the script exec's into catalina.sh, which exec's into
# java, so the signal reaches the JVM and Tomcat's shutdown hook stops the node cleanly.
# (A shell without job control starts background jobs with SIGINT ignored, and the JVM then
# ignores it too; stop such a node with SIGTERM.)
#
# Environment read by this script:
#   PORT                    the node's port: plain HTTP, or HTTPS with the two settings below
#                           (default 8080)
#   TOKENPOOL_TLS_CERT, TOKENPOOL_TLS_KEY  PEM files of the node's certificate and its private
#                           key (unencrypted; readable by the node's account only: no permission
#                           for others, no write for the group). With both set the port serves
#                           HTTPS only (TLS 1.2 and 1.3, Mozilla's "intermediate" ciphers) and
#                           plain HTTP is off; with neither it serves plain HTTP (the quick start).
#                           The log says which. New files: restart, or reload over JMX
#                           (docs/operations.md)
#   TOKENPOOL_TLS_CHAIN     PEM file of the intermediate certificates (optional; needs the two above)
#   TOKENPOOL_HEALTH_PORT   a second, plain HTTP port on the same address that serves /health and
#                           /health/ready only (403 to anything else), with threads of its own:
#                           for the balancer's readiness check, which a flood of API requests then
#                           cannot starve. Unset (the default): no such port
#   TOKENPOOL_BIND_ADDRESS  address the connectors listen on (default 0.0.0.0)
#   TOKENPOOL_INTERNAL_PROXIES  the load balancers whose X-Forwarded-For Tomcat believes (its
#                           RemoteIpValve's internalProxies): a Java regular expression matched
#                           against the connecting address, e.g. '10\.0\.0\.5|10\.0\.0\.6'
#                           (default: loopback, 127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0:0:0:0:0:0:0:1|::1);
#                           'none': no balancer, the header is never believed
#   TOKENPOOL_NODE_ID       node id: checked here (1 to 64 letters, digits, '.', '_' or '-') and
#                           passed to the application as it is. Unset, this script sets none:
#                           the application makes its own, <host>-<pid>-<6 random hex digits>.
#                           Also names the node's Tomcat directory, node-$PORT when unset (see
#                           TOKENPOOL_BASE_DIR)
#   TOKENPOOL_BASE_DIR      CATALINA_BASE of this node
#                           (default <repo>/target/nodes/${TOKENPOOL_NODE_ID:-node-$PORT});
#                           its conf/ is regenerated on every start, webapps/ whenever the WAR
#                           changed
#   TOKENPOOL_DATA_DIR      directory of the embedded H2 database (default <repo>/data, exported).
#                           Nodes on the embedded database need one directory each; nodes that
#                           share state use TOKENPOOL_DB_URL instead
#   TOKENPOOL_LOG_FORMAT    text (the default) or json: with json, standard output carries one
#                           JSON object per line and nothing else: the application's log, Tomcat's
#                           own (conf/logging.properties from deploy/tomcat/json/), the access log
#                           (server.xml's jsonlog variant) and this script's messages
#                           (docs/operations.md, Logs). Standard output must then be a terminal, a
#                           pipe or a file, which Tomcat opens again as /dev/stdout (not a socket,
#                           as systemd's journal is). Also passed to the application
#   TOKENPOOL_SKIP_BUILD=1  never run Maven; use the existing target/tokenpool.war and Tomcat
#   MVN                     Maven command (default mvn)
#   JAVA_HOME               JDK to run Tomcat on (default: java on the PATH)
#   JAVA_OPTS, CATALINA_OPTS  extra JVM options, passed through (e.g. JAVA_OPTS=-Xmx512m)
#   JMX_PORT                remote JMX on this port (RMI registry and server); unset: no remote JMX.
#                           With TOKENPOOL_TLS_CERT/KEY, JMX (registry and server) speaks TLS only,
#                           with the node's certificate; without them it is plain, and allowed on
#                           a loopback JMX_HOST only (docs/operations.md: jconsole over TLS)
#   JMX_HOST                address JMX listens on and announces (default 127.0.0.1)
#   JMX_PASSWORD_FILE, JMX_ACCESS_FILE  the JDK's jmxremote password and access files (required
#                           with JMX_PORT; templates in deploy/jmx/; the password file chmod 600)
# Passed through unchanged to the application, which reads them from the environment
# (see docs/configuration.md):
#   TOKENPOOL_DB_URL, TOKENPOOL_DB_USER, TOKENPOOL_DB_PASSWORD(_FILE), TOKENPOOL_DB_MAX_CONNECTIONS,
#   TOKENPOOL_DB_MIGRATION_USER, TOKENPOOL_DB_MIGRATION_PASSWORD_FILE,
#   TOKENPOOL_POOL_SIZE, TOKENPOOL_TOKEN_LIFETIME, TOKENPOOL_NODE_ID, TOKENPOOL_DATA_DIR,
#   TOKENPOOL_LOG_LEVEL, TOKENPOOL_OIDC_ISSUER, TOKENPOOL_INITIAL_API_KEY_FILE, ...
# A fresh node on the embedded database without an identity provider creates the first API key
# at its start and writes it to $TOKENPOOL_DATA_DIR/initial-api-key (mode 600); this script says
# where, never the key.
#
# No secret is ever on a command line (ps shows every process's): passwords and keys stay in
# files, and the JMX keystore's password, generated at each start, in a file of CATALINA_BASE
# only the node's account can read.
#
# The WAR is (re)built with `mvn -B -q -DskipTests package` when it or the unpacked Tomcat is
# missing, or when pom.xml or anything under src/ is newer than the WAR. In a release (the
# unpacked target/tokenpool-<version>.tar.gz, started by its bin/tokenpool) nothing is built.
set -euo pipefail

SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"   # follows a symlink to this script
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$SCRIPT")/lib.sh"
LOG_PREFIX=run LOG_TIMESTAMP=0
handle_help "$@"
REPO="$(cd "$(dirname "$SCRIPT")/.." && pwd -P)"
WAR="$REPO/target/tokenpool.war"
TEMPLATES="$REPO/deploy/tomcat"

# ---- log format -----------------------------------------------------------------------------
# First, so that every message below is in the chosen format. The application checks the same
# setting (TokenPoolConfig) and logback reads it (logback.xml).
LOG_FORMAT="${TOKENPOOL_LOG_FORMAT:-text}"
LOG_FORMAT="${LOG_FORMAT//[[:space:]]/}"
LOG_FORMAT="${LOG_FORMAT,,}"
case "$LOG_FORMAT" in
  text) ;;
  json)
    # Tomcat's log and the access log open /dev/stdout for themselves, beside the JVM's own
    # standard output. Standard output is opened again here for appending, so that on a file
    # every writer appends, instead of one overwriting the others' lines at its own offset. A
    # socket (systemd's journal) cannot be opened so.
    if ! { exec >>/dev/stdout; } 2>/dev/null; then
      die "TOKENPOOL_LOG_FORMAT=json needs a standard output that can be opened again as /dev/stdout (a terminal, a pipe or a file), where Tomcat writes its own log and the access log; this one cannot (a socket, such as systemd's journal: there use StandardOutput=append:FILE, or TOKENPOOL_LOG_FORMAT=text)"
    fi
    # This script's messages as JSON lines with the application's fields.
    log() {
      local message="$*" level=INFO
      [[ "$message" == WARNING:* ]] && level=WARN
      message="${message//\\/\\\\}"
      message="${message//\"/\\\"}"
      message="${message//$'\t'/\\t}"
      message="${message//$'\n'/\\n}"
      message="${message//[[:cntrl:]]/}"
      printf '{"time":"%s","level":"%s","thread":"main","logger":"deploy/run.sh","message":"%s"%s}\n' \
        "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$level" "$message" \
        "${TOKENPOOL_NODE_ID:+,\"node\":\"$TOKENPOOL_NODE_ID\"}"
    }
    ;;
  *) die "TOKENPOOL_LOG_FORMAT='${TOKENPOOL_LOG_FORMAT}' must be json or text" ;;
esac

# ---- settings -------------------------------------------------------------------------------
PORT="${PORT:-8080}"
if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || (( 10#$PORT < 1 || 10#$PORT > 65535 )); then
  die "PORT='$PORT' is not a TCP port number (1-65535)"
fi
PORT=$(( 10#$PORT ))
BIND_ADDRESS="${TOKENPOOL_BIND_ADDRESS:-0.0.0.0}"
# Every value below reaches a shell: catalina.sh evals CATALINA_OPTS. Only plain addresses and
# paths pass; anything with quotes, spaces, ';', '$' or backquotes is refused, not escaped.
[[ "$BIND_ADDRESS" =~ ^[A-Za-z0-9.:-]{1,253}$ ]] \
  || die "TOKENPOOL_BIND_ADDRESS='$BIND_ADDRESS' is not a host name or IP address"
if [[ -n "${TOKENPOOL_NODE_ID:-}" && ! "$TOKENPOOL_NODE_ID" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
  die "TOKENPOOL_NODE_ID='$TOKENPOOL_NODE_ID' must be 1 to 64 letters, digits, '.', '_' or '-'"
fi
# A regular expression, passed single-quoted (so '|', '$', '*' and '\' stay as they are): only
# the characters of addresses and of regular expressions over them; no quote, space or '${'.
LOOPBACK_PROXIES='127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0:0:0:0:0:0:0:1|::1'
INTERNAL_PROXIES="${TOKENPOOL_INTERNAL_PROXIES:-$LOOPBACK_PROXIES}"
[[ "$INTERNAL_PROXIES" == none ]] && INTERNAL_PROXIES=""
proxies_pattern='^[]A-Za-z0-9.:|\{}()^$*+?,[-]{0,1000}$'
# shellcheck disable=SC2016 # a literal '${': Tomcat would read it as a property reference
[[ "$INTERNAL_PROXIES" =~ $proxies_pattern && "$INTERNAL_PROXIES" != *'${'* ]] \
  || die "TOKENPOOL_INTERNAL_PROXIES='$INTERNAL_PROXIES' must be a regular expression of addresses (letters, digits and . : | \\ { } ( ) [ ] ^ \$ * + ? , - only) or 'none'"

# Fail fast when the port is taken (checked again, for real, when Tomcat binds it).
probe="$BIND_ADDRESS"
[[ "$probe" == "0.0.0.0" || "$probe" == "::" ]] && probe=127.0.0.1
if port_in_use "$probe" "$PORT" 2; then
  die "something already listens on $probe:$PORT; choose another PORT"
fi

absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
# A path that goes into CATALINA_OPTS: letters, digits and . _ - + / only.
safe_path() {
  [[ "$2" =~ ^[A-Za-z0-9._+/-]+$ ]] \
    || die "$1='$2' may contain only letters, digits and . _ - + / (it is passed to the JVM through a shell)"
}

# port_number NAME VALUE: the value as a TCP port number, or die naming the setting.
port_number() {
  if ! [[ "$2" =~ ^[0-9]{1,5}$ ]] || (( 10#$2 < 1 || 10#$2 > 65535 )); then
    die "$1='$2' is not a TCP port number (1-65535)"
  fi
  echo $(( 10#$2 ))
}

# ---- HTTPS ----------------------------------------------------------------------------------
# Both PEM files, or neither. The files are read by Tomcat (server.xml's https variant), whose
# path reaches it through CATALINA_OPTS; the key must be the node account's secret.
TLS_CERT="${TOKENPOOL_TLS_CERT:-}"
TLS_KEY="${TOKENPOOL_TLS_KEY:-}"
TLS_CHAIN="${TOKENPOOL_TLS_CHAIN:-}"
if [[ -n "$TLS_CERT" || -n "$TLS_KEY" ]]; then
  [[ -n "$TLS_CERT" && -n "$TLS_KEY" ]] \
    || die "HTTPS needs both TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY (PEM files); only one is set"
  for setting in TOKENPOOL_TLS_CERT TOKENPOOL_TLS_KEY ${TLS_CHAIN:+TOKENPOOL_TLS_CHAIN}; do
    [[ -f "${!setting}" && -r "${!setting}" ]] || die "$setting=${!setting} is not a readable file"
    printf -v "$setting" '%s' "$(readlink -f "${!setting}")"
    safe_path "$setting" "${!setting}"
  done
  TLS_CERT="$TOKENPOOL_TLS_CERT" TLS_KEY="$TOKENPOOL_TLS_KEY" TLS_CHAIN="${TOKENPOOL_TLS_CHAIN:-}"
  # Nobody but the node's account (and at most its group, reading) may read or replace the key.
  key_mode="$(stat -c '%a' "$TLS_KEY")"
  (( (8#$key_mode & 8#027) == 0 )) \
    || die "TOKENPOOL_TLS_KEY=$TLS_KEY must not be readable by others nor writable by its group (chmod 600), is $key_mode"
  grep -q -- '-----BEGIN [A-Z ]*PRIVATE KEY-----' "$TLS_KEY" \
    || die "TOKENPOOL_TLS_KEY=$TLS_KEY holds no PEM private key"
  grep -q -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' "$TLS_KEY" \
    && die "TOKENPOOL_TLS_KEY=$TLS_KEY is encrypted; the node takes an unencrypted key (a password would have to be given to it somewhere)"
  grep -q -- '-----BEGIN CERTIFICATE-----' "$TLS_CERT" \
    || die "TOKENPOOL_TLS_CERT=$TLS_CERT holds no PEM certificate"
elif [[ -n "$TLS_CHAIN" ]]; then
  die "TOKENPOOL_TLS_CHAIN is set without TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY"
fi
SCHEME=http
[[ -n "$TLS_CERT" ]] && SCHEME=https

# ---- health port ----------------------------------------------------------------------------
HEALTH_PORT=""
if [[ -n "${TOKENPOOL_HEALTH_PORT:-}" ]]; then
  HEALTH_PORT="$(port_number TOKENPOOL_HEALTH_PORT "$TOKENPOOL_HEALTH_PORT")" || exit 1
  (( HEALTH_PORT != PORT )) || die "TOKENPOOL_HEALTH_PORT must differ from PORT ($PORT)"
  if port_in_use "$probe" "$HEALTH_PORT" 2; then
    die "something already listens on $probe:$HEALTH_PORT; choose another TOKENPOOL_HEALTH_PORT"
  fi
fi

# Embedded H2 lives in a stable place whatever the current directory is.
TOKENPOOL_DATA_DIR="$(absolute "${TOKENPOOL_DATA_DIR:-$REPO/data}")"
export TOKENPOOL_DATA_DIR

# A release (target/tokenpool-<version>.tar.gz, unpacked) has a RELEASE file instead of pom.xml and
# src/: its WAR and Tomcat are built, and nothing is ever built or downloaded.
RELEASE_FILE="$REPO/RELEASE"
if [[ -f "$REPO/pom.xml" ]]; then
  TOMCAT_VERSION="$(sed -n 's:.*<tomcat\.version>[[:space:]]*\([^<[:space:]]*\)[[:space:]]*</tomcat\.version>.*:\1:p' \
    "$REPO/pom.xml" | head -n 1)"
  [[ -n "$TOMCAT_VERSION" ]] || die "cannot read <tomcat.version> from $REPO/pom.xml"
elif [[ -f "$RELEASE_FILE" ]]; then
  TOMCAT_VERSION="$(sed -n 's/^tomcat\.version=//p' "$RELEASE_FILE" | head -n 1)"
  [[ -n "$TOMCAT_VERSION" ]] || die "cannot read tomcat.version from $RELEASE_FILE"
  TOKENPOOL_SKIP_BUILD=1
else
  die "$REPO has neither pom.xml (a checkout) nor RELEASE (a release): run.sh cannot find Tomcat"
fi
CATALINA_HOME="$REPO/target/tomcat/apache-tomcat-$TOMCAT_VERSION"

# ---- build ----------------------------------------------------------------------------------
# Prints why a build is needed, or nothing when the WAR and Tomcat are up to date.
build_reason() {
  if [[ ! -f "$WAR" ]]; then
    echo "target/tokenpool.war is missing"
  elif [[ ! -x "$CATALINA_HOME/bin/catalina.sh" ]]; then
    echo "Tomcat $TOMCAT_VERSION is not unpacked in target/tomcat"
  else
    local newer
    newer="$(find "$REPO/src" "$REPO/pom.xml" -newer "$WAR" -print -quit 2>/dev/null || true)"
    if [[ -n "$newer" ]]; then
      echo "${newer#"$REPO"/} is newer than target/tokenpool.war"
    fi
  fi
  return 0
}

build() {
  # The dependency plugin skips unpacking while its marker exists, even if target/tomcat was
  # deleted: drop the marker so the distribution is unpacked again.
  if [[ ! -x "$CATALINA_HOME/bin/catalina.sh" ]]; then
    rm -f "$REPO"/target/dependency-maven-plugin-markers/org.apache.tomcat-tomcat-tar.gz-*.marker
  fi
  local mvn="${MVN:-mvn}"
  command -v "$mvn" >/dev/null 2>&1 || die "Maven ('$mvn') is not on the PATH; install it or set MVN"
  log "building: $mvn -B -q -DskipTests package (the first build downloads dependencies and Tomcat)"
  # Maven's output goes to standard error with json: standard output carries JSON lines only.
  local output=1
  [[ "$LOG_FORMAT" == json ]] && output=2
  if ! (cd "$REPO" && "$mvn" -B -q -DskipTests package >&"$output"); then
    die "the build failed; fix it, or run the existing WAR with TOKENPOOL_SKIP_BUILD=1"
  fi
}

if [[ "${TOKENPOOL_SKIP_BUILD:-}" == "1" ]]; then
  [[ -f "$WAR" ]] || die "TOKENPOOL_SKIP_BUILD=1 but $WAR does not exist"
  [[ -x "$CATALINA_HOME/bin/catalina.sh" ]] \
    || die "TOKENPOOL_SKIP_BUILD=1 but Tomcat $TOMCAT_VERSION is not unpacked in $CATALINA_HOME"
  if [[ -f "$RELEASE_FILE" && ! -f "$REPO/pom.xml" ]]; then
    log "a release ($(sed -n 's/^version=//p' "$RELEASE_FILE")): using its WAR and Tomcat $TOMCAT_VERSION"
  else
    log "TOKENPOOL_SKIP_BUILD=1: using the existing WAR"
  fi
else
  reason="$(build_reason)"
  if [[ -n "$reason" ]]; then
    # Nodes started together must not run Maven over the same target/ at once.
    mkdir -p "$REPO/target"
    exec 9>"$REPO/target/.run-build.lock"
    if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
      log "another run.sh is building; waiting for it"
      flock 9
    fi
    reason="$(build_reason)"
    if [[ -n "$reason" ]]; then
      log "build needed: $reason"
      build
    else
      log "the WAR was built meanwhile"
    fi
    exec 9>&-
    reason="$(build_reason)"
    if [[ "$reason" == *missing* || "$reason" == *"not unpacked"* ]]; then
      die "the build did not produce what run.sh needs: $reason"
    fi
  else
    log "WAR is up to date"
  fi
fi

# ---- CATALINA_BASE for this node ------------------------------------------------------------
CATALINA_BASE="$(absolute "${TOKENPOOL_BASE_DIR:-$REPO/target/nodes/${TOKENPOOL_NODE_ID:-node-$PORT}}")"
safe_path "TOKENPOOL_BASE_DIR" "$CATALINA_BASE"
mkdir -p "$CATALINA_BASE"/{conf,logs,temp,webapps,work}
# One node per directory: the lock is inherited through exec by the JVM and released when it exits.
if command -v flock >/dev/null 2>&1; then
  exec 8>"$CATALINA_BASE/node.lock"
  flock -n 8 || die "another node runs in $CATALINA_BASE; set another TOKENPOOL_NODE_ID or TOKENPOOL_BASE_DIR"
fi

# conf/: the distribution's files, then our templates (server.xml) over them, fresh every start.
find "$CATALINA_HOME/conf" -maxdepth 1 -type f -exec cp -f {} "$CATALINA_BASE/conf/" \;
find "$TEMPLATES" -maxdepth 1 -type f -exec cp -f {} "$CATALINA_BASE/conf/" \;
# Tomcat's own log: the distribution's (files in logs/, and standard error) for text; JSON lines
# on standard output for json.
if [[ "$LOG_FORMAT" == json ]]; then
  cp -f "$TEMPLATES/json/logging.properties" "$CATALINA_BASE/conf/logging.properties"
fi
# server.xml keeps the variants this node uses (the others' blocks, between their markers, go):
# one node connector (http or https), the health connector if there is a health port, and the
# access log of the log format (textlog: a file in logs/; jsonlog: JSON on standard output).
variants="$SCHEME${HEALTH_PORT:+ health} ${LOG_FORMAT}log"
awk -v keep=" $variants " -v chain="${TLS_CHAIN:+yes}" '
  /^[[:space:]]*<!-- variant:[a-z]+ -->[[:space:]]*$/ {
    name = $0; sub(/.*variant:/, "", name); sub(/ -->.*/, "", name)
    if (index(keep, " " name " ") == 0) skipping = 1
    next
  }
  /^[[:space:]]*<!-- \/variant:[a-z]+ -->[[:space:]]*$/ { skipping = 0; next }
  skipping { next }
  /certificateChainFile=/ && chain != "yes" { next }
  { print }
' "$TEMPLATES/server.xml" > "$CATALINA_BASE/conf/server.xml"
# The health connector answers /health and /health/ready only. RewriteValve's SERVER_PORT is
# the port the connection came in on (not the Host header's).
mkdir -p "$CATALINA_BASE/conf/Catalina/localhost"
{
  echo "# Written by deploy/run.sh at every start: the health port serves the health checks only."
  if [[ -n "$HEALTH_PORT" ]]; then
    echo "RewriteCond %{SERVER_PORT} =$HEALTH_PORT"
    echo 'RewriteRule !^/health(/ready)?$ - [F]'
  fi
} > "$CATALINA_BASE/conf/Catalina/localhost/rewrite.config"

# webapps/: nothing but our WAR as ROOT.war. When the WAR changed (or anything else is there), the
# old copy, its exploded ROOT/ and its work files go, so that Tomcat unpacks and deploys the new
# WAR rather than a stale copy; an unchanged WAR (same size and time, copied with cp -p) is kept
# with its exploded directory, which Tomcat then reuses instead of unpacking again.
if [[ "$(stat -c '%s %Y' "$WAR")" != "$(stat -c '%s %Y' "$CATALINA_BASE/webapps/ROOT.war" 2>/dev/null)" ]] \
    || [[ -n "$(find "$CATALINA_BASE/webapps" -mindepth 1 -maxdepth 1 ! -name ROOT.war ! -name ROOT -print -quit)" ]]; then
  rm -rf "$CATALINA_BASE/webapps" "$CATALINA_BASE/work/Catalina/localhost/ROOT"
  mkdir -p "$CATALINA_BASE/webapps"
  cp -p "$WAR" "$CATALINA_BASE/webapps/ROOT.war"
fi

# ---- JVM options ----------------------------------------------------------------------------
# server.xml reads these system properties. CATALINA_OPTS (unlike JAVA_OPTS) is used only when
# Tomcat runs, not by catalina.sh's other commands. The --add-opens options Tomcat needs are
# added by the distribution's catalina.sh itself.
CATALINA_OPTS="${CATALINA_OPTS:-} -Dport.http=$PORT -Dtokenpool.bind.address=$BIND_ADDRESS"
if [[ -n "$TLS_CERT" ]]; then
  CATALINA_OPTS="$CATALINA_OPTS -Dtokenpool.tls.cert=$TLS_CERT -Dtokenpool.tls.key=$TLS_KEY"
  [[ -n "$TLS_CHAIN" ]] && CATALINA_OPTS="$CATALINA_OPTS -Dtokenpool.tls.chain=$TLS_CHAIN"
fi
[[ -n "$HEALTH_PORT" ]] && CATALINA_OPTS="$CATALINA_OPTS -Dtokenpool.health.port=$HEALTH_PORT"
# RemoteIpValve's internalProxies (server.xml), single-quoted: catalina.sh evals CATALINA_OPTS.
# shellcheck disable=SC2089 # the quotes are for catalina.sh's eval
CATALINA_OPTS="$CATALINA_OPTS '-Dtokenpool.internal.proxies=$INTERNAL_PROXIES'"
# A node that cannot start ends the process (status 1, reason on stderr) instead of leaving a
# Tomcat that answers 404 everywhere; a supervisor then restarts it or reports it.
CATALINA_OPTS="$CATALINA_OPTS -Dtokenpool.exitOnStartFailure=true"

# ---- remote JMX -----------------------------------------------------------------------------
# With JMX_PORT set, the JVM serves JMX (the RMI registry and the RMI server on that one port) on
# JMX_HOST only (default 127.0.0.1), always with authentication, from the JDK's standard password
# and access files named by JMX_PASSWORD_FILE and JMX_ACCESS_FILE (templates in deploy/jmx/).
# A node with TOKENPOOL_TLS_CERT/KEY serves JMX over TLS only, registry included, with its own
# certificate (jmx_tls below); a node without them serves plain JMX, on a loopback address only:
# the JMX login would otherwise cross the network in clear.
configure_jmx() {
  [[ -n "${JMX_PORT:-}" ]] || return 0
  JMX_PORT="$(port_number JMX_PORT "$JMX_PORT")" || exit 1
  local host="${JMX_HOST:-127.0.0.1}"
  [[ "$host" =~ ^[A-Za-z0-9.:-]+$ ]] || die "JMX_HOST='$host' is not a host name or address"
  [[ "$host" != "0.0.0.0" && "$host" != "::" ]] \
    || die "JMX_HOST must be an address clients can reach (it is announced to them), not $host"
  if [[ -z "$TLS_CERT" && ! "$host" =~ ^(127\.[0-9.]+|::1|localhost)$ ]]; then
    die "JMX_HOST=$host is not a loopback address: plain JMX would send its login in clear; set TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY for JMX over TLS"
  fi
  local password_file="${JMX_PASSWORD_FILE:-}" access_file="${JMX_ACCESS_FILE:-}"
  [[ -n "$password_file" && -n "$access_file" ]] \
    || die "JMX_PORT needs JMX_PASSWORD_FILE and JMX_ACCESS_FILE (see deploy/jmx/*.template)"
  [[ -r "$password_file" ]] || die "JMX_PASSWORD_FILE=$password_file is not readable"
  [[ -r "$access_file" ]] || die "JMX_ACCESS_FILE=$access_file is not readable"
  # The JVM refuses a password file that others can read; say so before it does.
  local mode; mode="$(stat -c '%a' "$password_file")"
  [[ "$mode" =~ ^[4-7]00$ ]] || die "JMX_PASSWORD_FILE=$password_file must be readable by its owner only (chmod 600), is $mode"
  # Whoever can write the access file can make themselves readwrite.
  mode="$(stat -c '%a' "$access_file")"
  [[ "$mode" =~ ^[0-7][0-5][0-5]$ ]] || die "JMX_ACCESS_FILE=$access_file must be writable by its owner only (chmod 644 or stricter), is $mode"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.host=$host"
  CATALINA_OPTS="$CATALINA_OPTS -Djava.rmi.server.hostname=$host"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=true"
  if [[ -n "$TLS_CERT" ]]; then
    jmx_tls
  else
    CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl=false"
  fi
  password_file="$(readlink -f "$password_file")"
  access_file="$(readlink -f "$access_file")"
  safe_path JMX_PASSWORD_FILE "$password_file"
  safe_path JMX_ACCESS_FILE "$access_file"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.password.file=$password_file"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.access.file=$access_file"
  # The JDK deserialises a JMX request's arguments before it checks the login's access: only the
  # types our MBeans and a standard JMX client send may pass (single-quoted: catalina.sh evals).
  # shellcheck disable=SC2089 # the quotes are for catalina.sh's eval
  CATALINA_OPTS="$CATALINA_OPTS '-Dcom.sun.management.jmxremote.serial.filter.pattern=$JMX_SERIAL_FILTER'"
  log "JMX on service:jmx:rmi:///jndi/rmi://$host:$JMX_PORT/jmxrmi (authentication on, $([[ -n "$TLS_CERT" ]] && echo "TLS only, registry too" || echo "plain, loopback only"))"
}

# JMX over TLS: the JDK's JMX agent takes its keystore from the file named by
# com.sun.management.jmxremote.ssl.config.file (javax.net.ssl.keyStore and its password), so the
# password never is a -D option on the command line. The keystore is made at every start from
# the node's PEM files, with a fresh random password, in CATALINA_BASE/conf/jmx-tls (mode 700).
jmx_tls() {
  command -v openssl >/dev/null 2>&1 || die "JMX over TLS needs openssl (to turn the PEM files into a keystore)"
  local dir="$CATALINA_BASE/conf/jmx-tls"
  rm -rf "$dir"
  ( umask 077
    mkdir -p "$dir"
    head -c 24 /dev/urandom | base64 | tr '+/' '-_' > "$dir/keystore.pass"
    # -passout file: reads the password from the file; only its path is on the command line.
    openssl pkcs12 -export -name tokenpool -in "$TLS_CERT" -inkey "$TLS_KEY" \
      ${TLS_CHAIN:+-certfile "$TLS_CHAIN"} -passout "file:$dir/keystore.pass" \
      -out "$dir/keystore.p12" 2> "$dir/openssl.log" \
      || die "could not make the JMX keystore from TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY: $(cat "$dir/openssl.log")"
    { echo "javax.net.ssl.keyStore=$dir/keystore.p12"
      echo "javax.net.ssl.keyStoreType=PKCS12"
      echo "javax.net.ssl.keyStorePassword=$(cat "$dir/keystore.pass")"
    } > "$dir/ssl.properties"
    rm -f "$dir/keystore.pass" "$dir/openssl.log" )
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl=true"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.registry.ssl=true"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl.need.client.auth=false"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl.config.file=$dir/ssl.properties"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl.enabled.protocols=TLSv1.2,TLSv1.3"
  CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.ssl.enabled.cipher.suites=$JMX_CIPHERS"
}
# Mozilla's "intermediate" list in the JDK's names.
JMX_CIPHERS='TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'
JMX_SERIAL_FILTER='maxdepth=20;maxarray=100000;maxrefs=10000;java.lang.*;java.math.BigInteger;java.math.BigDecimal;java.util.ArrayList;java.rmi.MarshalledObject;javax.management.ObjectName;javax.management.Attribute;javax.management.AttributeList;javax.management.openmbean.*;javax.security.auth.Subject;!*'
configure_jmx

# ---- class data sharing ---------------------------------------------------------------------
# The JVM can map the classes a node loads (Tomcat's, the application's and its libraries') from
# an archive instead of loading and verifying them one by one: a start then takes about 2 s less
# (docs/performance.md). The archive is written when a node without one stops cleanly, and used
# by every later start with the same WAR, Tomcat and JDK; anything else changed, it is written
# anew. One archive per CATALINA_BASE, so that nodes starting together never write the same file.
# TOKENPOOL_CDS=0 turns this off.
configure_cds() {
  [[ "${TOKENPOOL_CDS:-1}" == "0" ]] && return 0
  [[ "${TOKENPOOL_CDS:-1}" == "1" ]] || die "TOKENPOOL_CDS='${TOKENPOOL_CDS}' must be 0 or 1"
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  local archive="$CATALINA_BASE/tokenpool.jsa"
  local key
  key="$(stat -c '%s %Y' "$WAR") $TOMCAT_VERSION $(readlink -f "$(command -v "$java")")"
  if [[ -f "$archive" && "$(cat "$archive.key" 2>/dev/null)" == "$key" ]]; then
    # An archive the JVM cannot use is ignored, never fatal.
    CATALINA_OPTS="$CATALINA_OPTS -XX:SharedArchiveFile=$archive"
    log "class data sharing: using $archive"
  else
    rm -f "$archive" "$archive.key"
    # Writing one needs the JDK's own base archive; without it the JVM would refuse to start.
    # shellcheck disable=SC2086
    if ! "$java" ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$CATALINA_BASE/temp/probe.jsa" \
        -Xlog:cds=off -Xlog:cds+dynamic=off -version >/dev/null 2>&1; then
      log "class data sharing: not available with this JDK and JAVA_OPTS; starting without"
      return 0
    fi
    rm -f "$CATALINA_BASE/temp/probe.jsa"
    echo "$key" > "$archive.key"
    CATALINA_OPTS="$CATALINA_OPTS -XX:ArchiveClassesAtExit=$archive"
    log "class data sharing: $archive will be written when this node stops cleanly"
  fi
  # The JVM reports every class it cannot archive; none of that is actionable here.
  CATALINA_OPTS="$CATALINA_OPTS -Xlog:cds=off -Xlog:cds+dynamic=off"
}
configure_cds

# shellcheck disable=SC2090 # catalina.sh evals CATALINA_OPTS: its single quotes take effect there
export CATALINA_HOME CATALINA_BASE CATALINA_OPTS
export JAVA_OPTS="${JAVA_OPTS:-}"

# ---- start ----------------------------------------------------------------------------------
log "Tomcat $TOMCAT_VERSION: CATALINA_HOME=$CATALINA_HOME"
log "node: CATALINA_BASE=$CATALINA_BASE"
log "data: TOKENPOOL_DATA_DIR=$TOKENPOOL_DATA_DIR${TOKENPOOL_DB_URL:+ (unused: TOKENPOOL_DB_URL is set)}"
settings="$(env | sed -n 's/^\(TOKENPOOL_[A-Z_]*\)=.*/\1/p' | sort | tr '\n' ' ')"
log "settings from the environment: ${settings:-none}"
if [[ -n "$TLS_CERT" ]]; then
  log "HTTPS on https://$BIND_ADDRESS:$PORT/ (TLS 1.2 and 1.3; certificate $TLS_CERT${TLS_CHAIN:+, chain $TLS_CHAIN}); plain HTTP is off"
else
  log "plain HTTP on http://$BIND_ADDRESS:$PORT/ (no TLS: set TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY for HTTPS)"
fi
[[ -n "$HEALTH_PORT" ]] && log "health port: http://$BIND_ADDRESS:$HEALTH_PORT/health/ready (plain HTTP, /health and /health/ready only)"
log "API at /api/tokens; Ctrl-C stops the node"

# The quick start's first credential. A node on the embedded database without an identity
# provider creates one service API key at its first start (an empty database) and writes it to
# a file only its owner can read; say where, and how to use it, never the key itself.
first_key_hint() {
  [[ -z "${TOKENPOOL_DB_URL:-}" && -z "${TOKENPOOL_OIDC_ISSUER:-}" ]] || return 0
  [[ ! -e "$TOKENPOOL_DATA_DIR/tokenpool.mv.db" ]] || return 0   # not fresh: it made its key before
  local file shown host="$BIND_ADDRESS"
  file="$(absolute "${TOKENPOOL_INITIAL_API_KEY_FILE:-$TOKENPOOL_DATA_DIR/initial-api-key}")"
  shown="${file#"$PWD"/}"
  if [[ -e "$file" ]]; then
    log "WARNING: $shown is left from an earlier database; this fresh node creates no first API key while it exists (delete it to get one, or create keys with POST /api/admin/api-keys)"
    return 0
  fi
  [[ "$host" == "0.0.0.0" || "$host" == "::" ]] && host=localhost
  [[ "$host" == *:* ]] && host="[$host]"
  log "first API key: this fresh node writes it to $shown (mode 600, scope tokens:any-user); use it as a bearer token, e.g."
  log "  curl -H \"Authorization: Bearer \$(cat $shown)\" $SCHEME://$host:$PORT/api/tokens"
}
first_key_hint
if [[ "$LOG_FORMAT" == json ]]; then
  # catalina.sh prints its "Using CATALINA_BASE: ..." lines when standard input is a terminal:
  # not JSON. Tomcat reads nothing from it (no shutdown port), and Ctrl-C still reaches it.
  exec "$CATALINA_HOME/bin/catalina.sh" run </dev/null
fi
exec "$CATALINA_HOME/bin/catalina.sh" run
