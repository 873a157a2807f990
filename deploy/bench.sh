#!/usr/bin/env bash
# deploy/bench.sh - the benchmark of docs/performance.md, in one run on this machine.
#
# Usage (from any directory):
#   deploy/bench.sh            # the full run, about 20 minutes
#   deploy/bench.sh --quick    # every measurement, shorter and once, about 8 minutes
#   deploy/bench.sh --only=startup,scheduler   # those sections; the others keep the last run's
#   deploy/bench.sh --only=auth  # bearer tokens against the commit before issue 16, about 15 min
#   BENCH_VERSUS_COMMIT=<commit> deploy/bench.sh --only=versus  # the hot path against that commit
#                                # (any commit since issue 16), both WARs in alternating rounds, ~12 min
#   deploy/bench.sh --only=renew  # renewals against activations on one node (issue 18), ~4 min
#   deploy/bench.sh --only=handoff  # a released token to its waiter, and its event to a stream
#   deploy/bench.sh --only=pools  # 10,000 pools of 100 tokens against one pool (issue 19), ~4 min
#   deploy/bench.sh --only=tracing  # activations with traces exported by OTLP against tracing off
#                                   # (issue 20), both nodes in alternating rounds, ~3 min
#   deploy/bench.sh --jfr ...    # every node also records a JFR profile (target/bench/nodes/*/node.jfr);
#                                # BENCH_AUTH_POOLS=100 / BENCH_VERSUS_POOLS=100 limit those sections to that pool size
#
# It measures, with nodes started by deploy/run.sh on the official Tomcat and the node's default
# settings, on the local MariaDB (127.0.0.1:3306, root; installed/started by ensure-mariadb.sh):
#   activation through the API (wrk) and the same SQL over plain JDBC, pools of 100 and 100,000,
#   1/8/32/128 connections; reads; the expiry pass; an idle and a busy 3-node cluster; startup;
#   and (auth) activations with bearer credentials (16 API keys, 16 JWTs of an OpenID provider the
#   benchmark serves on loopback) against the anonymous API of the commit before issue 16
#   (BENCH_BASELINE_COMMIT, default 70a4550), whose WAR it builds once into target/bench/baseline/.
# Requests to the token API carry API keys made through the admin API; credentials go to the load
# generator in files of mode 600 (deleted after the run), never on a command line.
# Everything listens on 127.0.0.1 only. It writes target/bench/results.json, the generated part of
# docs/performance.md (the main part and the "Authentication cost" part, each when its sections
# were measured) and docs/images/bench-activation.png. Databases tokenpool_bench* on the
# local server are dropped and recreated. Nothing else may run on the machine meanwhile if the
# figures are to mean anything.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=bench LOG_TIMESTAMP=0
handle_help "$@"

REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$REPO"
LIMIT=45m
for arg in "$@"; do
  case "$arg" in
    --quick) LIMIT=20m ;;
    --only=*) ;;
    --jfr) ;;
    *) die "unknown argument '$arg' (--quick, --jfr, --only=startup,activation,sweep,scheduler,auth,versus,renew,handoff,pools,tracing)" ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  log "wrk is missing: installing Debian's package"
  apt_get update -qq
  apt_get install -y -qq wrk >/dev/null
fi
command -v wrk >/dev/null 2>&1 || die "wrk could not be installed"
bash "$REPO/deploy/ensure-mariadb.sh"

log "building the WAR, Tomcat and the benchmark (mvn -DskipTests package)"
mvn -B -q -DskipTests package || die "the build failed"
mkdir -p target/bench
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt >/dev/null || die "cannot resolve the class path"

log "running (at most $LIMIT)"
exec timeout --signal=TERM --kill-after=30s "$LIMIT" \
  java -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  dev.tokenpool.bench.Benchmark "$@"
