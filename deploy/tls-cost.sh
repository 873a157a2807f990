#!/usr/bin/env bash
# deploy/tls-cost.sh - what TLS on every hop costs: activation throughput through the load
# balancer of deploy/ha.sh, brought up without TLS (HA_TLS=0, for this comparison only) and with
# it (the kit's default), in alternating order over ROUNDS rounds (plain then TLS, then TLS then
# plain, ...), with the same load in each:
#   keep-alive   wrk with CONNECTIONS connections kept open (TLS costs the encryption, the
#                balancer's second TLS hop to the node, and the database's TLS)
#   new each     the same, but every request on a new connection (Connection: close): each pays
#                a full TLS handshake with the balancer
# Each is measured after a warm-up; every request is a new user's activation with the kit's
# service key (wrk reads the key from its file; it is on no command line).
# It writes target/tls-cost/report.md, and the figures into docs/performance.md between the
# markers <!-- tls-cost:begin --> and <!-- tls-cost:end -->.
#
# Usage: deploy/tls-cost.sh [SECONDS [ROUNDS]]   (defaults 30 s per measurement and 2 rounds:
#        about 20 minutes; each round brings the kit up twice)
#        deploy/tls-cost.sh --help
# Environment: HA_APP_NODES (default 2), TLS_COST_CONNECTIONS (default 32), TLS_COST_THREADS
#   (default 2), TOKENPOOL_POOL_SIZE (default here 100000: a pool that never fills in a run, so
#   that activations do not queue for the eviction of the oldest holder, which would measure the
#   pool's lock instead of the transport). Needs wrk (Debian package wrk). Nothing else should run
#   on the machine meanwhile.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=tls-cost LOG_TIMESTAMP=1
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
SECONDS_MEASURED="${1:-30}"
ROUNDS="${2:-2}"
[[ "$SECONDS_MEASURED" =~ ^[0-9]+$ ]] || die "SECONDS must be a number, was '$SECONDS_MEASURED'"
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || die "ROUNDS must be 1 to 99, was '$ROUNDS'"
CONNECTIONS="${TLS_COST_CONNECTIONS:-32}"
THREADS="${TLS_COST_THREADS:-2}"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
HA="$REPO/target/ha"
OUT="$REPO/target/tls-cost"
export HA_APP_NODES="${HA_APP_NODES:-2}"
# One client key sends everything: the per-client limit would measure the limiter (see chaos.sh).
export TOKENPOOL_CLIENT_RATE="${TOKENPOOL_CLIENT_RATE:-1000000}"
export TOKENPOOL_POOL_SIZE="${TOKENPOOL_POOL_SIZE:-100000}"
export BENCH_LUA_DIR="$REPO/deploy/bench"

ha() { bash "$REPO/deploy/ha.sh" "$@"; }
trap 'ha down > /dev/null 2>&1 || true' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# measure NAME URL [HEADER]: one wrk run; its RESULT line into $OUT/NAME.json.
measure() {
  local name="$1" url="$2" script="$REPO/deploy/bench/activate.lua"
  if [[ -n "${3:-}" ]]; then
    # activate.lua with one more header on every request.
    script="$OUT/activate-close.lua"
    sed 's/^  wrk.headers\["Content-Type"\] = "application\/json"$/&\n  wrk.headers["Connection"] = "close"/' \
      "$REPO/deploy/bench/activate.lua" > "$script"
    grep -q '"Connection"' "$script" || die "could not add the Connection header to activate.lua"
  fi
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 5s -s "$script" "$url" > /dev/null 2>&1 || true   # warm-up
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_MEASURED}s" --latency -s "$script" "$url" \
    > "$OUT/$name.txt" 2>&1 || die "wrk failed; see $OUT/$name.txt"
  sed -n 's/^RESULT //p' "$OUT/$name.txt" > "$OUT/$name.json"
  log "$name: $(cat "$OUT/$name.json")"
}

for round in $(seq 1 "$ROUNDS"); do
  order="0 1"
  (( round % 2 == 0 )) && order="1 0"
  for tls in $order; do
    mode=$([[ $tls == 1 ]] && echo tls || echo plain)
    log "round $round: bringing up the kit with HA_TLS=$tls ($HA_APP_NODES app nodes)"
    HA_TLS=$tls ha up > "$OUT/up-$mode-r$round.log" 2>&1 \
      || die "deploy/ha.sh up failed; see $OUT/up-$mode-r$round.log"
    url="$(sed -n 's/.*"lb": {"url": *"\([^"]*\)".*/\1/p' "$HA/topology.json")"
    # The service key's file, as the load's credential file (credentials.lua reads it).
    export BENCH_CREDENTIALS="$HA/service.key"
    measure "$mode-keepalive-r$round" "$url"
    measure "$mode-close-r$round" "$url" close
    ha down > "$OUT/down-$mode-r$round.log" 2>&1
  done
done

# values NAME FIELD: that figure of every round's measurement NAME-rR, one a line.
values() {
  local r
  for r in $(seq 1 "$ROUNDS"); do sed -n "s/.*\"$2\":\\([0-9.]*\\).*/\\1/p" "$OUT/$1-r$r.json"; done
}
mean() { awk '{ s += $1; n++ } END { printf "%.1f", (n ? s / n : 0) }'; }
total() { awk '{ s += $1 } END { printf "%d", s }'; }
each() { paste -sd/ - | sed 's:/: / :g'; }
row() { # row LABEL NAME_PLAIN NAME_TLS
  local plain tls
  plain="$(values "$2" rps | mean)"
  tls="$(values "$3" rps | mean)"
  printf '| %s | %s (%s) | %s (%s) | %s | %s / %s | %s / %s | %s / %s |\n' "$1" \
    "$plain" "$(values "$2" rps | each)" "$tls" "$(values "$3" rps | each)" \
    "$(awk -v a="$tls" -v b="$plain" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" \
    "$(values "$2" p50_ms | mean)" "$(values "$3" p50_ms | mean)" \
    "$(values "$2" p99_ms | mean)" "$(values "$3" p99_ms | mean)" \
    "$(values "$2" non_2xx | total)" "$(values "$3" non_2xx | total)"
}
{
  echo "Run: \`deploy/tls-cost.sh $SECONDS_MEASURED $ROUNDS\`, $(date -u +%Y-%m-%d), $HA_APP_NODES app nodes behind the balancer, 3 Galera nodes, pool of $TOKENPOOL_POOL_SIZE, wrk $THREADS threads and $CONNECTIONS connections, ${SECONDS_MEASURED} s per measurement after 5 s of warm-up, $ROUNDS round(s) in alternating order (the kit brought up anew for each); every request a new user's activation (POST /api/tokens/activate) with the kit's service key. Without TLS: \`HA_TLS=0\` (no TLS on any hop). With TLS: the kit's default (client to balancer, balancer to node, node to database, Galera replication). Means over the rounds; each round's figure in brackets."
  echo
  echo "| connections | activations/s without TLS | with TLS | with / without | p50 ms without / with | p99 ms without / with | non-2xx without / with |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  row "kept alive" plain-keepalive tls-keepalive
  row "new for each request" plain-close tls-close
} > "$OUT/report.md"
cat "$OUT/report.md"
if grep -q '<!-- tls-cost:begin' "$REPO/docs/performance.md"; then
  awk -v report="$OUT/report.md" '
    /<!-- tls-cost:end/ { skipping = 0 }
    !skipping { print }
    /<!-- tls-cost:begin/ { print ""; while ((getline line < report) > 0) print line; print ""; skipping = 1 }
  ' "$REPO/docs/performance.md" > "$OUT/performance.md" && mv "$OUT/performance.md" "$REPO/docs/performance.md"
  log "figures written into docs/performance.md"
fi
