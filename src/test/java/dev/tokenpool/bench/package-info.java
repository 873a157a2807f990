/**
 * The benchmark behind {@code deploy/bench.sh} and docs/performance.md: real nodes started with
 * {@code deploy/run.sh}, loaded with wrk over HTTP and compared with plain JDBC on the same
 * database, in one run.
 */
package dev.tokenpool.bench;
