package dev.tokenpool.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The generated "Authentication cost (issue 16)" part of docs/performance.md ({@link AuthCost}).
 */
final class AuthReport {

  private static final Map<String, String> LOADS =
      Map.of(
          "baseline", "before issue 16, anonymous",
          "bearer", "issue 16, API keys and JWTs in turn",
          "api_keys", "issue 16, API keys only",
          "jwts", "issue 16, JWTs only");

  private AuthReport() {}

  static String markdown(Map<String, Object> auth) {
    Map<String, Object> env = Report.map(auth.get("environment"));
    StringBuilder md = new StringBuilder("## Authentication cost (issue 16)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "`deploy/bench.sh --only=auth` on %s, commit `%s`%s against `%s` (the commit before"
                + " issue 16: the anonymous API), %s s in all. Machine: %s, %s cores, %s GiB; %s;"
                + " MariaDB %s; wrk %s; Tomcat %s.%n%n",
            env.get("date"),
            env.get("commit"),
            Boolean.TRUE.equals(env.get("uncommitted_changes"))
                ? " with the working tree's uncommitted changes"
                : "",
            auth.get("baseline_commit"),
            auth.get("wall_seconds"),
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
            "Both WARs run side by side through `deploy/run.sh` with the node's defaults, each on a"
                + " fresh MariaDB database of its own; the baseline's WAR is built from its commit"
                + " (`git archive`, cached in `target/bench/baseline/`). The current node has"
                + " `TOKENPOOL_CLIENT_RATE=%s` (its maximum: the default of 100/s per client would"
                + " measure the limiter) and, as its OpenID provider, the benchmark's own (discovery"
                + " and JWKS served on loopback by the benchmark's JVM, one RSA 2048 key, RS256"
                + " tokens). Load: `wrk` with `deploy/bench/activate.lua` at %s connections, a new"
                + " random UUID user id per request; the current node's requests carry bearer"
                + " credentials taken in turn from a fixed set of %s API keys and %s JWTs (scope"
                + " `tokens:any-user`), read from files of mode 600. After a warm-up of each node"
                + " until its CPU time per request settles (at least %s s per node, in chunks),"
                + " %s rounds of %s s per load, each round measuring the four loads in rotating"
                + " order; figures are the medians of the rounds, `× baseline` the ratio of"
                + " medians (and the median, lowest and highest of the rounds' own ratios). Node"
                + " CPU is the Tomcat JVM's user and system time (`/proc/<pid>/stat`) during a"
                + " load, per request; the cost of authentication is that less the baseline's, and"
                + " includes everything else issue 16 added to the request (rate limit, its"
                + " headers, opaque user ids). The machine is shared and noisy: read the ratios,"
                + " not the absolute figures.%n%n",
            Benchmark.CLIENT_RATE.replaceAll("(\\d)(?=(\\d{3})+$)", "$1,"),
            auth.get("connections"),
            auth.get("api_keys"),
            auth.get("jwts"),
            fmt(((Number) auth.get("warmup_seconds")).doubleValue() / 2),
            auth.get("rounds"),
            fmt(auth.get("seconds_per_load"))));
    md.append("### Target\n\n| target | measured | |\n|---|---|---|\n");
    for (String key : List.of("pool_100", "pool_100000")) {
      Map<String, Object> pool = Report.map(auth.get(key));
      if (pool == null) {
        continue;
      }
      double ratio = ((Number) Report.map(pool.get("rps_to_baseline")).get("bearer")).doubleValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| 32 connections, pool %,d: bearer throughput ≥ %.1f × the commit before | %.3f ×"
                  + " | %s |%n",
              ((Number) pool.get("pool_size")).intValue(),
              AuthCost.TARGET_RATIO,
              ratio,
              ratio >= AuthCost.TARGET_RATIO ? "met" : "**missed**"));
    }
    md.append('\n');
    md.append(
        "| pool | load | req/s | × baseline | × baseline by round: median (min to max) | p50 ms |"
            + " p99 ms | failed | node CPU µs/req | authentication CPU µs/req |\n");
    md.append("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (String key : List.of("pool_100", "pool_100000")) {
      Map<String, Object> pool = Report.map(auth.get(key));
      if (pool == null) {
        continue;
      }
      Map<String, Object> loads = Report.map(pool.get("loads"));
      Map<String, Object> ratios = Report.map(pool.get("rps_to_baseline"));
      Map<String, Object> byRound = Report.map(pool.get("rps_to_baseline_by_round"));
      Map<String, Object> authCpu = Report.map(pool.get("auth_cpu_us_per_request"));
      for (String load : List.of("baseline", "bearer", "api_keys", "jwts")) {
        Measurement m = Report.measurement(loads.get(load));
        boolean base = load.equals("baseline");
        String rounds = "";
        if (!base) {
          @SuppressWarnings("unchecked")
          List<Number> values = (List<Number>) byRound.get(load);
          double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
          rounds =
              String.format(
                  Locale.ROOT,
                  "%.2f (%.2f to %.2f)",
                  Benchmark.percentile(values.stream().map(Number::doubleValue).toList(), 50),
                  sorted[0],
                  sorted[sorted.length - 1]);
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %,d | %s | %,.0f | %s | %s | %.1f | %.1f | %d | %.0f | %s |%n",
                ((Number) pool.get("pool_size")).intValue(),
                LOADS.get(load),
                m.rps(),
                base
                    ? "1"
                    : String.format(Locale.ROOT, "%.2f", ((Number) ratios.get(load)).doubleValue()),
                base ? "" : rounds,
                m.p50Ms(),
                m.p99Ms(),
                m.failures(),
                m.notes().getOrDefault("node_cpu_us_per_request", Double.NaN),
                base
                    ? ""
                    : String.format(
                        Locale.ROOT, "%+.0f", ((Number) authCpu.get(load)).doubleValue())));
      }
    }
    md.append('\n');
    if (auth.get("in_process") != null) {
      Map<String, Object> inProcess = Report.map(auth.get("in_process"));
      Map<String, Object> keys = Report.map(inProcess.get("api_keys"));
      Map<String, Object> jwts = Report.map(inProcess.get("jwts"));
      md.append(
          String.format(
              Locale.ROOT,
              "For a figure free of the machine's noise, the same authentication measured in the benchmark's JVM (`AuthInProcess`: the node's"
                  + " `ClientAuthenticator`, `ApiKeys` with its 5 s cache on the node's database,"
                  + " `JwtVerifier` with the provider's cached keys; one thread, the %s API keys"
                  + " or the %s JWTs in turn, after a warm-up), in CPU time per authentication of"
                  + " the thread: **API key %.1f µs**, **JWT %.1f µs**; of the whole JVM (with the"
                  + " garbage collector): API key %.1f µs, JWT %.1f µs (%,d and %,d"
                  + " authentications).%n%n",
              auth.get("api_keys"),
              auth.get("jwts"),
              ((Number) keys.get("cpu_us_per_authentication")).doubleValue(),
              ((Number) jwts.get("cpu_us_per_authentication")).doubleValue(),
              ((Number) keys.getOrDefault("process_cpu_us_per_authentication", Double.NaN))
                  .doubleValue(),
              ((Number) jwts.getOrDefault("process_cpu_us_per_authentication", Double.NaN))
                  .doubleValue(),
              ((Number) keys.get("authentications")).longValue(),
              ((Number) jwts.get("authentications")).longValue()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "The nodes fetched the provider's key set %s time(s) in the whole run.%n%n",
            auth.get("jwks_fetches")));
    return md.toString();
  }

  private static String fmt(Object number) {
    double value = ((Number) number).doubleValue();
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
