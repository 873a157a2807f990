package dev.tokenpool.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The generated "Against an earlier commit" part of docs/performance.md ({@link VersusCommit}). */
final class VersusReport {

  private VersusReport() {}

  static String markdown(Map<String, Object> versus) {
    Map<String, Object> env = Report.map(versus.get("environment"));
    StringBuilder md = new StringBuilder("## Against an earlier commit\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "`BENCH_VERSUS_COMMIT=%s deploy/bench.sh --only=versus` on %s: commit `%s`%s (after)"
                + " against `%s` (before), %s s in all. Machine: %s, %s cores, %s GiB; %s; MariaDB"
                + " %s; wrk %s; Tomcat %s.%n%n",
            versus.get("before_commit"),
            env.get("date"),
            env.get("commit"),
            Boolean.TRUE.equals(env.get("uncommitted_changes"))
                ? " with the working tree's uncommitted changes"
                : "",
            versus.get("before_commit"),
            versus.get("wall_seconds"),
            env.get("cpu"),
            env.get("cores"),
            env.get("memory_gib"),
            env.get("java"),
            env.get("mariadb"),
            String.valueOf(env.get("wrk")).replaceAll("^wrk (\\S+).*", "$1"),
            env.get("tomcat")));
    md.append(
        String.format(
            Locale.ROOT,
            "Both WARs run side by side through `deploy/run.sh` with the node's defaults (and"
                + " `TOKENPOOL_CLIENT_RATE=%s`), each on a fresh MariaDB database of its own; the"
                + " earlier WAR is built from its commit (`git archive`, cached in"
                + " `target/bench/baseline/`). Load: `wrk` with `deploy/bench/activate.lua` at %s"
                + " connections, a new random user id per request, with %s API keys of the"
                + " node's own (scope `tokens:any-user`) in turn. After a warm-up of each node"
                + " until its JIT settles (at least %s s), %s rounds of %s s per node in"
                + " alternating order; figures are the medians of the rounds; `after / before`"
                + " is the ratio of medians, then the median, lowest and highest of the rounds'"
                + " own ratios. Node CPU is the Tomcat JVM's user and system time per request.%n%n",
            Benchmark.CLIENT_RATE,
            versus.get("connections"),
            VersusCommit.API_KEYS,
            fmt(versus.get("warmup_seconds")),
            versus.get("rounds"),
            fmt(versus.get("seconds_per_load"))));
    md.append(
        "| pool | before req/s | after req/s | after / before | by round: median (min to max) |"
            + " p99 ms before / after | failed before / after | node CPU µs/req before / after"
            + " |\n");
    md.append("|---:|---:|---:|---:|---|---|---|---|\n");
    for (int poolSize : VersusCommit.POOLS) {
      Object value = versus.get("pool_" + poolSize);
      if (value == null) {
        continue;
      }
      Map<String, Object> pool = Report.map(value);
      Measurement before = Report.measurement(pool.get("before"));
      Measurement after = Report.measurement(pool.get("after"));
      @SuppressWarnings("unchecked")
      List<Number> ratios = (List<Number>) pool.get("ratios_by_round");
      double min = ratios.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
      double max = ratios.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.0f | %.0f | %.2f | %.2f (%.2f to %.2f) | %.1f / %.1f | %d / %d | %.0f /"
                  + " %.0f |%n",
              poolSize,
              before.rps(),
              after.rps(),
              ((Number) pool.get("ratio_of_medians")).doubleValue(),
              ((Number) pool.get("median_of_ratios")).doubleValue(),
              min,
              max,
              before.p99Ms(),
              after.p99Ms(),
              before.failures(),
              after.failures(),
              JitWarmUp.cpuPerRequest(before),
              JitWarmUp.cpuPerRequest(after)));
    }
    md.append("\n");
    return md.toString();
  }

  private static String fmt(Object number) {
    double value = ((Number) number).doubleValue();
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
