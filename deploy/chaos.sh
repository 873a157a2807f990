#!/usr/bin/env bash
# deploy/chaos.sh - proves that tokens and job runs survive node and database failures.
#
# Brings up a fresh deploy/ha.sh topology with short settings (token lifetime 5 s, expiry every
# 2 s, cluster check-in every 1 s), runs steady load through the load balancer, and meanwhile,
# in order, with recovery after each:
#   1. kill -9 an app node, later restart it; then a rolling restart of every app node
#   2. SIGSTOP the app node that ran the latest expiry run, past failure detection; SIGCONT
#   3. kill -9 the Galera node behind the writer proxy (the proxy fails over); restart it
#   4. cut every app node's database link for 10 s (the proxy's servers disabled); restore
#   5. stop every app node for longer than three intervals; start them together
# The load renews and releases by fence, activates with on_full fail and wait (up to 7 s), and
# holds one event stream (GET /api/events) that resumes by Last-Event-ID whenever its node goes.
# Then it quiesces and checks the invariants from a Galera node directly (not through the app),
# and lets two strangers try to join the Galera cluster (deploy/ha.sh rogue-check, while the
# checks wait: a mariadbd with a certificate of another CA, one without TLS; both must be
# refused and get no data); prints the figures, and exits 1 on any violation.
#
# Everything runs with the kit's TLS on every hop (deploy/ha.sh): the load and the probes speak
# HTTPS to the balancer and trust the kit's CA only ("ca" in target/ha/topology.json); the
# invariants are read over TLS too (target/ha/db-client.cnf names the CA).
#
# The load and the probes authenticate as the kit's operator (the API key deploy/ha.sh up creates,
# scope tokens:admin: it clears the pool and releases any token); the key stays in its file
# (target/ha/operator.key, mode 600) and reaches curl on its standard input and ChaosLoad as the
# file's path, never on a command line. The invariants are read from the database directly.
#
# Usage:
#   deploy/chaos.sh              # the full run; writes the figures into docs/reliability.md
#   deploy/chaos.sh --reduced    # CI: 2 app nodes, faults 1 (with the rolling restart) and 3
#                                # only (and the strangers);
#                                # figures in target/chaos
#   deploy/chaos.sh --help       # this text
# Environment: HA_APP_NODES (default 3; --reduced: 2), HA_CLOCK_SKEW (the full run: +90s on the
#   last app node; empty: none), CHAOS_KEEP=1 leaves the topology up,
#   TOKENPOOL_CLIENT_RATE (default here 100000: see the comment where it is set).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=chaos LOG_TIMESTAMP=1
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
HA="$REPO/target/ha"
OUT="$REPO/target/chaos"
MODE=full
[[ "${1:-}" == "--reduced" ]] && MODE=reduced
[[ $# -eq 0 || "$MODE" == reduced ]] || die "unknown argument '$1' (expected --reduced or nothing)"

export HA_APP_NODES="${HA_APP_NODES:-$([[ $MODE == reduced ]] && echo 2 || echo 3)}"
# The full run's last app node sees a clock 90 s ahead (libfaketime): every invariant must hold all
# the same, as every node decides by the database's clock (decision 64). HA_CLOCK_SKEW= turns it off.
export HA_CLOCK_SKEW="${HA_CLOCK_SKEW-$([[ $MODE == full ]] && echo +90s)}"
INTERVAL_MS=2000
export TOKENPOOL_TOKEN_LIFETIME=PT5S TOKENPOOL_EXPIRY_INTERVAL=PT2S TOKENPOOL_MAX_WAIT=PT7S
export TOKENPOOL_CLUSTER_CHECKIN_INTERVAL=PT1S TOKENPOOL_POOL_SIZE="${TOKENPOOL_POOL_SIZE:-50}"
# Each expiry run holds 1 s before it ends anything (a drill setting), so that a node can be
# frozen while it runs the job.
export TOKENPOOL_EXPIRY_RUN_DELAY=PT1S
# The load is one client (the operator key) sending about 300 requests/s, all of them to one node
# while another is down: far past the per-client rate limit (100/s per node by default), which
# would answer most of it 429. The run tests failures, not the limiter, so the kit's nodes get a
# rate no load here reaches; the limiter still runs on every request, so its cost is in the
# figures. (Several keys would not do: the balancer sends any key's requests to every node, and
# with one node left each key would need to stay under 100/s.) ChaosLoad counts any 429 as a
# violation, so a limit that bites does not go unnoticed.
export TOKENPOOL_CLIENT_RATE="${TOKENPOOL_CLIENT_RATE:-100000}"
DB_PORTS=$(seq "${HA_DB_BASE_PORT:-13306}" $(( ${HA_DB_BASE_PORT:-13306} + 2 )))

ha() { bash "$REPO/deploy/ha.sh" "$@"; }
now_ms() { date +%s%3N; }

rm -rf "$OUT"
mkdir -p "$OUT"
cleanup() {
  touch "$OUT/stop"
  if [[ -n "${LOAD_PID:-}" ]]; then wait "$LOAD_PID" 2>/dev/null || true; fi
  if [[ "${CHAOS_KEEP:-0}" != 1 ]]; then ha down > "$OUT/down.log" 2>&1 || true; fi
}
trap cleanup EXIT

log "bringing up the topology ($HA_APP_NODES app nodes)"
ha up | tee "$OUT/up.log"
# The balancer's URL, the kit's CA and the operator key's file, as deploy/ha.sh up names them in
# topology.json.
topology() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$HA/topology.json" | head -n 1; }
LB="$(sed -n 's/.*"lb": {"url": *"\([^"]*\)".*/\1/p' "$HA/topology.json")"
[[ -n "$LB" ]] || die "no balancer URL in $HA/topology.json"
CA="$(topology ca)"
CURL_TLS=()
[[ -n "$CA" ]] && CURL_TLS=(--cacert "$CA")
KEY_FILE="$(topology operator_key_file)"
[[ -n "$KEY_FILE" && -s "$KEY_FILE" ]] || die "no operator key file in $HA/topology.json"
# The Authorization header line, for curl -H @- (printf is a builtin: the key is in no argv).
bearer() { printf 'Authorization: Bearer %s\n' "$(< "$KEY_FILE")"; }
# The database login from deploy/ha.sh's owner-only file, not from the command line.
sql_on() { # sql_on PORT SQL
  mariadb --defaults-file="$HA/db-client.cnf" -P "$1" -N -B tokenpool -e "$2"
}
# Checks read a Galera node directly: the first one that is Synced.
db_direct() {
  local port
  for port in $DB_PORTS; do
    if sql_on "$port" "SELECT 1" >/dev/null 2>&1; then
      sql_on "$port" "$1"
      return
    fi
  done
  die "no Galera node answers"
}
app_pid() { ha pid "$1"; }
fault() { # fault NAME START END no-fail|may-fail MAX_GAP_MS
  echo "$1|$2|$3|$4|$5" >> "$OUT/faults.csv"
  log "$1: $(( ($3 - $2) / 1000 )) s from fault to recovery"
}
# Recovered: an activation through the load balancer succeeds again.
activates() {
  bearer | http_200 -m 5 "${CURL_TLS[@]}" -X POST -H @- -H 'Content-Type: application/json' \
    -d "{\"user_id\":\"$(cat /proc/sys/kernel/random/uuid)\"}" "$LB/api/tokens/activate"
}
wait_lb() { wait_until 240 0.25 activates || die "no activation succeeded for 60 s"; }
proxy_status() { echo "show stat" | socat stdio "unix-connect:$HA/db-proxy/admin.sock" | awk -F, -v s="$1" '$1 == "galera" && $2 == s { print $18 }'; }
proxy_down() { [[ "$(proxy_status "$1")" == DOWN* ]]; }

: > "$OUT/faults.csv"
log "load starts through $LB"
java "$REPO/deploy/chaos/ChaosLoad.java" run "$LB" "$KEY_FILE" "$OUT/events.csv" "$OUT/stop" 8 "$CA" \
  > "$OUT/load.log" 2>&1 &
LOAD_PID=$!
sleep 10

# 1. An app node killed -9: the balancer must route around it without one failed request.
start=$(now_ms)
victim=app-2
pid="$(app_pid $victim)"
kill -KILL "$pid"
log "killed $victim (kill -9)"
wait_while 0.1 pid_alive "$pid"
sleep 8
ha app-start 2 > "$OUT/app-2-restart.log"
fault "app node killed (kill -9), restarted" "$start" "$(now_ms)" no-fail 0
sleep 5

# 1b. A rolling restart: each app node in turn drained, taken out by the balancer, stopped with
#     SIGTERM once its requests have finished, started and taken back (deploy/ha.sh app-restart).
#     No request may fail.
start=$(now_ms)
for i in $(seq 1 "$HA_APP_NODES"); do
  ha app-restart "$i" > "$OUT/app-$i-rolling-restart.log"
  log "app-$i restarted (drained, SIGTERM, started)"
done
fault "rolling restart of every app node (drain, SIGTERM, start)" "$start" "$(now_ms)" no-fail 0
sleep 5

if [[ $MODE == full ]]; then
  # 2. The node running the expiry job frozen past failure detection (1 s + 7.5 s): the cluster
  #    recovers the fire on another node; the thawed node finishes its own run too. The requests
  #    that reached the frozen node before the balancer's check took it out (about 1.5 s) get a
  #    504 when their 6 s are up: the balancer does not send a request that reached a node to
  #    another one (decision 54). Activations through the other nodes go on meanwhile.
  running=""
  for _ in $(seq 1 100); do
    running="$(db_direct "SELECT node_id, fire_instance_id FROM job_runs
      WHERE job_name = 'expire-tokens' AND outcome = 'RUNNING' AND manual = FALSE LIMIT 1")"
    [[ -n "$running" ]] && break
    sleep 0.1
  done
  [[ -n "$running" ]] || die "no expiry run was running for 10 s"
  runner="$(cut -f1 <<< "$running")"
  start=$(now_ms)
  kill -STOP "$(app_pid "$runner")"
  log "froze $runner (SIGSTOP) while it ran $(cut -f2 <<< "$running")"
  sleep 15
  kill -CONT "$(app_pid "$runner")"
  log "thawed $runner (SIGCONT)"
  wait_until 60 0.5 http_200 -m 2 \
    "http://127.0.0.1:$(( ${HA_APP_HEALTH_BASE_PORT:-18281} + ${runner#app-} - 1 ))/health" || true
  fault "app node running the expiry job frozen 15 s (SIGSTOP/SIGCONT)" "$start" "$(now_ms)" may-fail 8000
  sleep 5
fi

# 3. The writer killed -9: the proxy fails over to a backup; the app answers 503 meanwhile.
writer="$(ha writer)"
[[ -n "$writer" ]] || die "cannot tell which Galera node is the writer"
start=$(now_ms)
pid="$(ha pid "$writer")"
kill -KILL "$pid"
log "killed the writer $writer (kill -9)"
wait_while 0.1 pid_alive "$pid"
wait_until 120 0.25 proxy_down "$writer" || true
proxy_down "$writer" || die "the database proxy did not mark $writer down in 30 s"
log "the database proxy marked $writer down"
wait_lb
log "the database proxy writes to $(ha writer) now"
recovered=$(now_ms)
log "activations succeed again; $writer restarts and rejoins"
ha db-start "${writer#db-}" > "$OUT/$writer-restart.log"
fault "Galera writer killed (kill -9): proxy failover; node rejoined" "$start" "$recovered" may-fail 12000
sleep 5

if [[ $MODE == full ]]; then
  # 4. Every app node's database link cut for 10 s.
  start=$(now_ms)
  ha db-proxy-cut
  sleep 10
  ha db-proxy-restore
  wait_lb
  fault "database link of every app node cut 10 s" "$start" "$(now_ms)" may-fail 25000
  sleep 5

  # 5. Every app node stopped for longer than three intervals, then all started together.
  start=$(now_ms)
  for i in $(seq 1 "$HA_APP_NODES"); do ha app-stop "$i" > /dev/null & done
  sleep 1
  wait_while 0.5 pgrep -f "$HA/app-" > /dev/null
  STOPPED_AT=$(now_ms)
  log "every app node stopped; waiting $((4 * INTERVAL_MS / 1000)) s"
  sleep $((4 * INTERVAL_MS / 1000))
  RESTART_AT=$(now_ms)
  for i in $(seq 1 "$HA_APP_NODES"); do ha app-launch "$i"; done
  for i in $(seq 1 "$HA_APP_NODES"); do ha app-wait "$i" > /dev/null; done
  wait_lb
  fault "every app node stopped $((4 * INTERVAL_MS / 1000)) s, then started together" "$start" "$(now_ms)" may-fail 0
  sleep 8
fi

# ---- quiesce and check -------------------------------------------------------------------------
touch "$OUT/stop"
wait "$LOAD_PID" || true
LOAD_PID=
# Strangers try to join the Galera cluster meanwhile (about 30 s; they change no data).
ha rogue-check > "$OUT/rogue-check.txt" 2>&1 &
ROGUE_PID=$!
log "load stopped; waiting two intervals and 5 s for the last expiries"
sleep $(( (2 * INTERVAL_MS + 5000) / 1000 + 1 ))
# Then no new run, and the last one (each holds 1 s) finishes: a RUNNING run after that was lost.
# (admin.curl holds the admin login and the kit's CA.)
paused="$(curl -s -o /dev/null -m 10 -w '%{http_code}' -K "$HA/admin.curl" -X POST \
  -H 'Content-Type: application/json' "$LB/api/admin/jobs/expire-tokens/pause" || true)"
[[ "$paused" == 200 ]] || die "could not pause the expiry job (HTTP $paused)"
log "expiry job paused for the checks"
sleep 4

violations=0
check() { # check DESCRIPTION SQL: the SQL must give 0
  local value
  value="$(db_direct "$2")"
  if [[ "$value" == 0 ]]; then
    printf '| %s | 0 | ok |\n' "$1" >> "$OUT/checks.md"
  else
    printf '| %s | %s | VIOLATION |\n' "$1" "$value" >> "$OUT/checks.md"
    violations=$((violations + 1))
  fi
}
printf '| invariant | found | verdict |\n| --- | ---: | --- |\n' > "$OUT/checks.md"
check "tokens with two open usages" \
  "SELECT COUNT(*) FROM (SELECT token_id FROM usages WHERE ended_at IS NULL GROUP BY token_id HAVING COUNT(*) > 1) t"
check "users with two open usages" \
  "SELECT COUNT(*) FROM (SELECT user_id FROM usages WHERE ended_at IS NULL GROUP BY user_id HAVING COUNT(*) > 1) t"
check "runs whose released count differs from the usages they ended (a usage ended twice)" \
  "SELECT COUNT(*) FROM job_runs r LEFT JOIN (SELECT ended_by_run, COUNT(*) n FROM usages
     WHERE ended_by_run IS NOT NULL GROUP BY ended_by_run) u ON u.ended_by_run = r.fire_instance_id
   WHERE r.outcome = 'SUCCESS' AND r.released <> COALESCE(u.n, 0)"
check "usages ended by a run that never started" \
  "SELECT COUNT(*) FROM usages u LEFT JOIN job_runs r ON r.fire_instance_id = u.ended_by_run
   WHERE u.ended_by_run IS NOT NULL AND r.id IS NULL"
check "usages still open past expires_at + interval + 5 s" \
  "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL
     AND expires_at < UNIX_TIMESTAMP(NOW(3)) * 1000 - $((INTERVAL_MS + 5000))"
check "scheduled fires that ran twice (recovery runs aside)" \
  "SELECT COUNT(*) FROM (SELECT scheduled_at FROM job_runs WHERE job_name = 'expire-tokens'
     AND manual = FALSE AND recovering = FALSE GROUP BY scheduled_at HAVING COUNT(*) > 1) t"
check "runs still RUNNING" "SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'"
check "usages without exactly one activated event and, once ended, exactly one end event" \
  "SELECT COUNT(*) FROM usages u LEFT JOIN (SELECT fence, SUM(type = 'activated') started,
     SUM(type NOT IN ('activated', 'renewed')) ended FROM events GROUP BY fence) e ON e.fence = u.id
   WHERE e.fence IS NULL OR e.started <> 1 OR e.ended <> (u.ended_at IS NOT NULL)"
# The load's event stream, resumed by Last-Event-ID whenever its node went away: every event the
# database holds between the first and the last it received, once each, in order.
stream_check() { # stream_check DESCRIPTION VALUE: the value must be 0
  if [[ "$2" == 0 ]]; then
    printf '| %s | 0 | ok |\n' "$1" >> "$OUT/checks.md"
  else
    printf '| %s | %s | VIOLATION |\n' "$1" "$2" >> "$OUT/checks.md"
    violations=$((violations + 1))
  fi
}
grep -E '^[0-9]+,' "$OUT/streamed.csv" | cut -d, -f1 > "$OUT/streamed-ids.txt" || true
received="$(wc -l < "$OUT/streamed-ids.txt")"
resumed="$(grep -c '^resumed,' "$OUT/streamed.csv" || true)"
if (( received == 0 )); then
  stream_check "events the load's stream received (must be more than 0)" "none"
else
  first_id="$(head -1 "$OUT/streamed-ids.txt")"
  last_id="$(tail -1 "$OUT/streamed-ids.txt")"
  db_direct "SELECT id FROM events WHERE id BETWEEN $first_id AND $last_id ORDER BY id" \
    > "$OUT/db-event-ids.txt"
  stream_check "events the stream received twice or out of order ($received received, resumed $resumed times)" \
    "$(awk 'NR > 1 && $1 <= prev { n++ } { prev = $1 } END { print n + 0 }' "$OUT/streamed-ids.txt")"
  stream_check "events of the database the stream missed (between its first and last)" \
    "$(LC_ALL=C comm -23 <(LC_ALL=C sort "$OUT/db-event-ids.txt") <(LC_ALL=C sort -u "$OUT/streamed-ids.txt") | wc -l)"
  stream_check "gaps the stream was told of (events pruned before it resumed)" \
    "$(grep -c '^gap,' "$OUT/streamed.csv" || true)"
fi
if [[ $MODE == full ]]; then
  # Exactly one catch-up run: after the restart, one run at once, then the normal cadence.
  catchup="$(db_direct "SELECT COUNT(*) FROM job_runs r, (SELECT MIN(fired_at) first FROM job_runs
     WHERE job_name = 'expire-tokens' AND fired_at >= $RESTART_AT) f
     WHERE r.job_name = 'expire-tokens' AND r.fired_at >= f.first AND r.fired_at < f.first + $((INTERVAL_MS * 3 / 4))")"
  during="$(db_direct "SELECT COUNT(*) FROM job_runs WHERE job_name = 'expire-tokens'
     AND fired_at > $STOPPED_AT AND fired_at < $RESTART_AT")"
  if [[ "$catchup" == 1 && "$during" == 0 ]]; then
    printf '| catch-up runs after the full stop (must be exactly 1; runs while stopped: %s) | %s | ok |\n' "$during" "$catchup" >> "$OUT/checks.md"
  else
    printf '| catch-up runs after the full stop (must be exactly 1; runs while stopped: %s) | %s | VIOLATION |\n' "$during" "$catchup" >> "$OUT/checks.md"
    violations=$((violations + 1))
  fi
fi
# The three Galera nodes hold the same data.
sleep 2
sums=""
for port in $DB_PORTS; do
  sum="$(sql_on "$port" "SELECT (SELECT COUNT(*) FROM tokens), (SELECT COUNT(*) FROM usages), (SELECT COUNT(*) FROM job_runs);
        CHECKSUM TABLE tokens, usages, job_runs" 2>&1 | tr '\n\t' '  ' | sed 's/tokenpool\.//g')" \
    || sum="unreachable"
  sums+="$port: $sum"$'\n'
done
echo "$sums" > "$OUT/galera-sums.txt"
if [[ "$(cut -d: -f2- "$OUT/galera-sums.txt" | sed '/^$/d' | sort -u | wc -l)" == 1 ]]; then
  printf '| Galera nodes with other row counts or checksums than the others | 0 | ok |\n' >> "$OUT/checks.md"
else
  printf '| Galera nodes with other row counts or checksums than the others | see below | VIOLATION |\n' >> "$OUT/checks.md"
  violations=$((violations + 1))
fi

# Cluster membership: strangers with the cluster's name and its nodes' addresses, one with a
# certificate of another CA, one without TLS, must be refused and get no data.
if wait "$ROGUE_PID"; then
  printf '| strangers that joined the Galera cluster or received data (deploy/ha.sh rogue-check) | 0 | ok |\n' >> "$OUT/checks.md"
else
  printf '| strangers that joined the Galera cluster or received data (deploy/ha.sh rogue-check) | see below | VIOLATION |\n' >> "$OUT/checks.md"
  violations=$((violations + 1))
fi

# HAProxy's own counters: requests it sent again (wretr) and to another node (wredis).
retries="$(echo "show stat" | socat stdio "unix-connect:$HA/lb/admin.sock" \
  | awk -F, '$1 == "tokenpool" && $2 == "BACKEND" { printf "%s connection retries (wretr), %s requests redispatched to another node (wredis)", $16, $17 }')"

load_status=0
java "$REPO/deploy/chaos/ChaosLoad.java" analyze "$OUT/events.csv" "$OUT/faults.csv" "$OUT/load.md" \
  > /dev/null || load_status=1
totals="$(db_direct "SELECT CONCAT((SELECT COUNT(*) FROM usages), ' usages, ',
  (SELECT COUNT(*) FROM job_runs WHERE job_name = 'expire-tokens'), ' expiry runs (',
  (SELECT COUNT(*) FROM job_runs WHERE recovering), ' recovery, ',
  (SELECT COUNT(*) FROM job_runs WHERE outcome = 'FAILED'), ' failed), ',
  (SELECT COUNT(DISTINCT node_id) FROM job_runs), ' nodes ran expiry runs')")"

{
  echo "Run: \`deploy/chaos.sh$([[ $MODE == reduced ]] && echo " --reduced")\`, $(date -u +%Y-%m-%d), $HA_APP_NODES app nodes, 3 Galera nodes, pool of $TOKENPOOL_POOL_SIZE, lifetime 5 s, expiry every 2 s. Database: $totals."
  if [[ -n "$HA_CLOCK_SKEW" ]]; then
    echo
    echo "app-$HA_APP_NODES ran with its clock $HA_CLOCK_SKEW off the host's (libfaketime); its log: $(grep -ho "This node's clock is [0-9]* ms [a-z ]*the database's" "$HA/app-$HA_APP_NODES/node.log" | head -1 || true)."
  fi
  echo
  echo "### Requests through the load balancer"
  echo
  cat "$OUT/load.md"
  echo
  echo "Retries by the load balancer (HAProxy's counters): $retries."
  echo
  echo "### Invariants, read from a Galera node directly"
  echo
  cat "$OUT/checks.md"
  echo
  echo "Per Galera node (port: tokens usages job_runs, then CHECKSUM TABLE):"
  echo
  echo '```'
  sed '/^$/d' "$OUT/galera-sums.txt"
  echo '```'
  if [[ -f "$OUT/rogue-check.txt" ]]; then
    echo
    echo "### Strangers refused by the Galera cluster (deploy/ha.sh rogue-check)"
    echo
    echo '```'
    cat "$OUT/rogue-check.txt"
    echo '```'
  fi
} > "$OUT/report.md"
cat "$OUT/report.md"

if [[ $MODE == full ]]; then
  # Replace what stands between the two markers of docs/reliability.md.
  awk -v report="$OUT/report.md" '
    /<!-- chaos:end -->/ { skipping = 0 }
    !skipping { print }
    /<!-- chaos:begin -->/ { print ""; while ((getline line < report) > 0) print line; print ""; skipping = 1 }
  ' "$REPO/docs/reliability.md" > "$OUT/reliability.md" && mv "$OUT/reliability.md" "$REPO/docs/reliability.md"
  log "figures written into docs/reliability.md"
fi

if (( violations > 0 || load_status != 0 )); then
  log "FAILED: $violations invariant violation(s), load verdict $load_status (see above)"
  exit 1
fi
log "every invariant holds"
