#!/usr/bin/env bash
# deploy/scale-out.sh - many app nodes on one database: does every scheduled fire still run on
# exactly one node, what does each node cost in memory, and how many queries does an idle node
# send the database? Brings up deploy/ha.sh with N app nodes (default 10), expiry every 2 s and
# cluster check-in every 1 s, lets it idle, measures, and writes the figures into
# docs/reliability.md (between the scale-out markers). Exits 1 when a fire ran twice.
#
# It sends no request to the token API or /metrics: the figures come from the database (through
# deploy/ha.sh's owner-only login file, target/ha/db-client.cnf) and from ps.
#
# Usage: deploy/scale-out.sh [N] [SECONDS]     (defaults 10 nodes, 60 s of measurement)
#        deploy/scale-out.sh --help
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=scale-out LOG_TIMESTAMP=1
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
HA="$REPO/target/ha"
NODES="${1:-10}"
SECONDS_MEASURED="${2:-60}"
[[ "$NODES" =~ ^[0-9]+$ && "$SECONDS_MEASURED" =~ ^[0-9]+$ ]] || die "usage: $0 [NODES] [SECONDS]"
export HA_APP_NODES="$NODES"
# Short intervals by default, so that a minute holds many fires; set both to measure others
# (PT30S and PT10S are the production defaults). The figures go between the markers named by
# SCALE_MARKER (default scale-out) in docs/reliability.md.
export TOKENPOOL_EXPIRY_INTERVAL="${TOKENPOOL_EXPIRY_INTERVAL:-PT2S}"
export TOKENPOOL_CLUSTER_CHECKIN_INTERVAL="${TOKENPOOL_CLUSTER_CHECKIN_INTERVAL:-PT1S}"
MARKER="${SCALE_MARKER:-scale-out}"
[[ "$TOKENPOOL_EXPIRY_INTERVAL" =~ ^PT([0-9]+)S$ ]] \
  || die "TOKENPOOL_EXPIRY_INTERVAL='$TOKENPOOL_EXPIRY_INTERVAL' must be whole seconds here (PT<n>S)"
INTERVAL_S=$(( 10#${BASH_REMATCH[1]} ))
CHECKIN_TEXT="$TOKENPOOL_CLUSTER_CHECKIN_INTERVAL"
[[ "$CHECKIN_TEXT" =~ ^PT([0-9.]+)S$ ]] && CHECKIN_TEXT="${BASH_REMATCH[1]} s"

ha() { bash "$REPO/deploy/ha.sh" "$@"; }
trap 'ha down > /dev/null 2>&1 || true' EXIT

log "bringing up $NODES app nodes on one Galera cluster"
ha up
writer="$(ha writer)"
writer_port=$((${HA_DB_BASE_PORT:-13306} + ${writer#db-} - 1))
# The password comes from ha.sh's owner-only file: on mariadb's command line it would show in ps.
sql() { mariadb --defaults-file="$HA/db-client.cnf" -P "$writer_port" -N -B tokenpool -e "$1"; }
questions() { sql "SHOW GLOBAL STATUS LIKE 'Questions'" | cut -f2; }

log "settling for 10 s, then measuring for $SECONDS_MEASURED s with no load"
sleep 10
from_ms=$(date +%s%3N)
q0=$(questions)
sleep "$SECONDS_MEASURED"
q1=$(questions)
to_ms=$(date +%s%3N)
# The measuring session's own two queries are left out.
rate=$(awk -v q=$((q1 - q0 - 2)) -v s="$SECONDS_MEASURED" -v n="$NODES" \
  'BEGIN { printf "%.1f queries/s in all, %.2f per node", q / s, q / s / n }')

fires=$(sql "SELECT COUNT(*) FROM job_runs WHERE job_name = 'expire-tokens' AND manual = FALSE
  AND fired_at BETWEEN $from_ms AND $to_ms")
twice=$(sql "SELECT COUNT(*) FROM (SELECT scheduled_at FROM job_runs WHERE job_name = 'expire-tokens'
  AND manual = FALSE GROUP BY scheduled_at HAVING COUNT(*) > 1) t")
per_node=$(sql "SELECT node_id, COUNT(*) FROM job_runs WHERE job_name = 'expire-tokens'
  AND fired_at BETWEEN $from_ms AND $to_ms GROUP BY node_id ORDER BY node_id" | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
rss=""
total_kb=0
for i in $(seq 1 "$NODES"); do
  kb=$(ps -o rss= -p "$(ha pid "app-$i")" | tr -d ' ')
  total_kb=$((total_kb + kb))
  rss+="${rss:+, }app-$i $((kb / 1024))"
done
avg_mb=$((total_kb / NODES / 1024))

report="$(cat <<EOF
Run: \`deploy/scale-out.sh $NODES $SECONDS_MEASURED\`, $(date -u +%Y-%m-%d), $NODES app nodes on one 3-node Galera cluster (through the single-writer proxy), expiry every $INTERVAL_S s, check-in every $CHECKIN_TEXT, no load.

| figure | value |
| --- | --- |
| scheduled expiry fires in $SECONDS_MEASURED s | $fires (one every $INTERVAL_S s: $((SECONDS_MEASURED / INTERVAL_S)) expected) |
| fires that ran on more than one node | $twice |
| fires per node | $per_node |
| database queries while idle (writer's \`Questions\` counter) | $rate |
| resident memory per node (MiB) | $rss; $avg_mb on average |
EOF
)"
echo "$report"
awk -v report="$report" -v marker="$MARKER" '
  $0 == "<!-- " marker ":end -->" { skipping = 0 }
  !skipping { print }
  $0 == "<!-- " marker ":begin -->" { print ""; print report; print ""; skipping = 1 }
' "$REPO/docs/reliability.md" > "$HA/reliability.md" && mv "$HA/reliability.md" "$REPO/docs/reliability.md"
log "figures written into docs/reliability.md"
[[ "$twice" == 0 ]] || die "$twice fire(s) ran on more than one node"
