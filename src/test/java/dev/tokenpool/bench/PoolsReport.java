package dev.tokenpool.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The generated "Many pools" part of docs/performance.md, from {@link PoolsAtScale}'s results. */
final class PoolsReport {

  private PoolsReport() {}

  static String markdown(Map<String, Object> pools) {
    Map<String, Object> env = Report.map(pools.get("environment"));
    Map<String, Object> activation = Report.map(pools.get("activation"));
    Measurement alone = Report.measurement(activation.get("one_pool"));
    Measurement among = Report.measurement(activation.get("one_of_many"));
    Map<String, Object> empty = Report.map(pools.get("empty_pass"));
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "`deploy/bench.sh --only=pools` on %s, commit `%s`, %s s in all; MariaDB %s (InnoDB"
                + " buffer pool %s MB, raised for the section). Two nodes"
                + " side by side: one on a database with the default pool alone (%d tokens), one"
                + " on a database with %,d named pools of %d tokens beside it (%,d live tokens,"
                + " seeded by SQL in %.1f s). `wrk` activates new users (`activate.lua`, %s"
                + " connections, evicting once full) on the only pool and on the pool `%s` of the"
                + " many, in %s alternating rounds of %s s; medians.%n%n",
            env.get("date"),
            env.get("commit"),
            pools.get("wall_seconds"),
            env.get("mariadb"),
            pools.get("innodb_buffer_pool_mb"),
            ((Number) pools.get("tokens_per_pool")).intValue(),
            ((Number) pools.get("pools")).intValue(),
            ((Number) pools.get("tokens_per_pool")).intValue(),
            ((Number) pools.get("tokens_in_many")).longValue(),
            ((Number) pools.get("seed_seconds_sql")).doubleValue(),
            pools.get("connections"),
            PoolsAtScale.TARGET,
            pools.get("rounds"),
            pools.get("seconds_per_load")));
    out.append("| activations on | requests/s | p50 (ms) | p99 (ms) | failed |\n");
    out.append("| --- | ---: | ---: | ---: | ---: |\n");
    for (Measurement m : List.of(alone, among)) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.1f | %.1f | %d |%n",
              m == alone ? "the only pool" : "one pool among " + pools.get("pools"),
              m.rps(),
              m.p50Ms(),
              m.p99Ms(),
              m.failures()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nRatio: **%.2f ×** (target ≥ 0.9 ×).%n%n",
            ((Number) activation.get("ratio")).doubleValue()));
    out.append("| expiry pass among the million tokens | run (ms) | rows read | ended |\n");
    out.append("| --- | ---: | ---: | ---: |\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| empty (median of %s; max %.0f ms) | %.0f | %.0f | 0 |%n",
            empty.get("passes"),
            ((Number) empty.get("run_ms_max")).doubleValue(),
            ((Number) empty.get("run_ms_p50")).doubleValue(),
            ((Number) empty.get("rows_read_p50")).doubleValue()));
    for (Object each : (List<?>) pools.get("passes")) {
      Map<String, Object> pass = Report.map(each);
      out.append(
          String.format(
              Locale.ROOT,
              "| one expired holding in each of %,d pools | %s | %,d | %,d |%n",
              ((Number) pass.get("pools_with_expired")).intValue(),
              pass.get("run_ms"),
              ((Number) pass.get("rows_read")).longValue(),
              ((Number) pass.get("released")).longValue()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nCreating a pool through `POST /api/admin/pools` (the answer comes once every token"
                + " exists): %,d tokens in %.2f s, %d tokens in %.2f s.%n",
            PoolsAtScale.BIG,
            ((Number) pools.get("create_big_pool_seconds")).doubleValue(),
            ((Number) pools.get("tokens_per_pool")).intValue(),
            ((Number) pools.get("create_small_pool_seconds")).doubleValue()));
    return out.toString();
  }
}
