package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes a benchmark's results: {@code target/bench/results.json} for machines, the generated part
 * of docs/performance.md (between its {@code bench:begin} and {@code bench:end} markers) for
 * people, and the chart {@code docs/images/bench-activation.png}.
 */
final class Report {

  static final String BEGIN = "<!-- bench:begin (written by deploy/bench.sh; do not edit) -->";
  static final String END = "<!-- bench:end -->";
  static final String AUTH_BEGIN =
      "<!-- bench:auth:begin (written by deploy/bench.sh --only=auth; do not edit) -->";
  static final String AUTH_END = "<!-- bench:auth:end -->";
  static final String VERSUS_BEGIN =
      "<!-- bench:versus:begin (written by deploy/bench.sh --only=versus; do not edit) -->";
  static final String VERSUS_END = "<!-- bench:versus:end -->";
  static final String RENEW_BEGIN =
      "<!-- bench:renew:begin (written by deploy/bench.sh --only=renew; do not edit) -->";
  static final String RENEW_END = "<!-- bench:renew:end -->";

  static final String POOLS_BEGIN =
      "<!-- bench:pools:begin (written by deploy/bench.sh --only=pools; do not edit) -->";
  static final String POOLS_END = "<!-- bench:pools:end -->";

  static final String HANDOFF_BEGIN =
      "<!-- bench:handoff:begin (written by deploy/bench.sh --only=handoff; do not edit) -->";
  static final String HANDOFF_END = "<!-- bench:handoff:end -->";

  /** The generated hand-off part: a released token to its waiter, and its event to a stream. */
  static String handOffMarkdown(Map<String, Object> handoff) {
    Map<String, Object> env = map(handoff.get("environment"));
    Map<String, Object> hand = map(handoff.get("hand_off_ms"));
    Map<String, Object> lag = map(handoff.get("event_lag_ms"));
    return String.format(
        Locale.ROOT,
        "`deploy/bench.sh --only=handoff` on %s, commit `%s`, %s s in all; MariaDB %s. One node"
            + " through `deploy/run.sh`, a full pool of %d; in each of %s rounds (after %s to warm"
            + " up) one request waits (`on_full: wait`), a random holding is released, and the"
            + " clock runs from the release's answer.%n%n"
            + "| from the release's answer to | p50 (ms) | p99 (ms) | max (ms) | missing |%n"
            + "| --- | ---: | ---: | ---: | ---: |%n"
            + "| the waiter's answer (hand-off) | %s | %s | %s | %s |%n"
            + "| its `released` event on an open `GET /api/events` stream | %s | %s | %s | %s |%n",
        env.get("date"),
        env.get("commit"),
        handoff.get("wall_seconds"),
        env.get("mariadb"),
        ((Number) handoff.get("pool_size")).intValue(),
        handoff.get("rounds"),
        handoff.get("warm_up_rounds"),
        hand.get("p50"),
        hand.get("p99"),
        hand.get("max"),
        hand.get("missing"),
        lag.get("p50"),
        lag.get("p99"),
        lag.get("max"),
        lag.get("missing"));
  }

  /** The generated "Renewals" part: renewals against activations on one node. */
  static String renewMarkdown(Map<String, Object> renew) {
    Map<String, Object> env = map(renew.get("environment"));
    Measurement renewals = measurement(renew.get("renew"));
    Measurement activations = measurement(renew.get("activate"));
    StringBuilder md = new StringBuilder("## Renewals\n\n");
    md.append(
        String.format(
            java.util.Locale.ROOT,
            "`deploy/bench.sh --only=renew` on %s, commit `%s`, %s s in all; MariaDB %s. One node"
                + " through `deploy/run.sh`, pool of %,d, %s connections; %s holdings of 20"
                + " minutes made first and renewed round robin (`deploy/bench/renew.lua`, each"
                + " with its fence and a lease of 20 minutes), in %s rounds of %s s alternating"
                + " with new users' activations (`activate.lua`); medians of the rounds.%n%n",
            env.get("date"),
            env.get("commit"),
            renew.get("wall_seconds"),
            env.get("mariadb"),
            ((Number) renew.get("pool_size")).intValue(),
            renew.get("connections"),
            renew.get("holdings"),
            renew.get("rounds"),
            renew.get("seconds_per_load")));
    md.append(
        "| load | req/s | p50 ms | p99 ms | failed | node CPU µs/req |\n"
            + "|---|---:|---:|---:|---:|---:|\n");
    for (Measurement m : List.of(renewals, activations)) {
      md.append(
          String.format(
              java.util.Locale.ROOT,
              "| %s | %.0f | %.1f | %.1f | %d | %.0f |%n",
              m.name(),
              m.rps(),
              m.p50Ms(),
              m.p99Ms(),
              m.failures(),
              JitWarmUp.cpuPerRequest(m)));
    }
    md.append(
        String.format(
            java.util.Locale.ROOT,
            "%nRenewals per second against activations: %.2f ×.%n",
            ((Number) renew.get("renew_to_activate")).doubleValue()));
    return md.toString();
  }

  static final String CHART = "images/bench-activation.png";

  private final Path repo;
  private final Path work;

  Report(Path repo, Path work) {
    this.repo = repo;
    this.work = work;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** The last run's results, for a run that measures only some sections; empty if there is none. */
  static Map<String, Object> previousResults(Path work) throws IOException {
    Path file = work.resolve("results.json");
    if (!Files.exists(file)) {
      return Map.of();
    }
    return JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() {});
  }

  /** A measurement of this run, or one read back from the last run's results. */
  static Measurement measurement(Object value) {
    return value instanceof Measurement measurement
        ? measurement
        : JSON.convertValue(value, Measurement.class);
  }

  /**
   * Writes every result to results.json, and the generated parts of docs/performance.md whose
   * sections this run measured: the main one (with the chart) needs all of its sections, from this
   * run or the last; the authentication part is written when {@code auth} was measured.
   */
  void write(
      Map<String, Object> results,
      boolean main,
      boolean auth,
      boolean versus,
      boolean renew,
      boolean handoff,
      boolean pools,
      boolean tracing)
      throws IOException {
    Path file = work.resolve("results.json");
    JSON.writeValue(file.toFile(), results);
    Benchmark.log("wrote " + file);
    Path doc = repo.resolve("docs/performance.md");
    String text =
        Files.exists(doc) ? Files.readString(doc) : "# Performance\n\n" + BEGIN + "\n" + END + "\n";
    if (main) {
      if (Benchmark.MAIN_SECTIONS.stream().allMatch(results::containsKey)) {
        chart(results);
        text = replaceBetween(doc, text, BEGIN, END, markdown(results));
      } else {
        Benchmark.log(
            "the main part of "
                + doc
                + " is kept: results.json lacks some of "
                + Benchmark.MAIN_SECTIONS);
      }
    }
    if (auth && results.containsKey("auth")) {
      if (!text.contains(AUTH_BEGIN)) {
        text = text.stripTrailing() + "\n\n" + AUTH_BEGIN + "\n" + AUTH_END + "\n";
      }
      text =
          replaceBetween(
              doc, text, AUTH_BEGIN, AUTH_END, AuthReport.markdown(map(results.get("auth"))));
    }
    if (versus && results.containsKey("versus")) {
      if (!text.contains(VERSUS_BEGIN)) {
        text = text.stripTrailing() + "\n\n" + VERSUS_BEGIN + "\n" + VERSUS_END + "\n";
      }
      text =
          replaceBetween(
              doc,
              text,
              VERSUS_BEGIN,
              VERSUS_END,
              VersusReport.markdown(map(results.get("versus"))));
    }
    if (renew && results.containsKey("renew")) {
      if (!text.contains(RENEW_BEGIN)) {
        text = text.stripTrailing() + "\n\n" + RENEW_BEGIN + "\n" + RENEW_END + "\n";
      }
      text =
          replaceBetween(
              doc, text, RENEW_BEGIN, RENEW_END, renewMarkdown(map(results.get("renew"))));
    }
    if (handoff && results.containsKey("handoff")) {
      if (!text.contains(HANDOFF_BEGIN)) {
        text = text.stripTrailing() + "\n\n" + HANDOFF_BEGIN + "\n" + HANDOFF_END + "\n";
      }
      text =
          replaceBetween(
              doc, text, HANDOFF_BEGIN, HANDOFF_END, handOffMarkdown(map(results.get("handoff"))));
    }
    if (pools && results.containsKey("pools")) {
      if (!text.contains(POOLS_BEGIN)) {
        text = text.stripTrailing() + "\n\n" + POOLS_BEGIN + "\n" + POOLS_END + "\n";
      }
      text =
          replaceBetween(
              doc, text, POOLS_BEGIN, POOLS_END, PoolsReport.markdown(map(results.get("pools"))));
    }
    if (tracing && results.containsKey("tracing")) {
      if (!text.contains(TracingReport.BEGIN)) {
        text =
            text.stripTrailing() + "\n\n" + TracingReport.BEGIN + "\n" + TracingReport.END + "\n";
      }
      text =
          replaceBetween(
              doc,
              text,
              TracingReport.BEGIN,
              TracingReport.END,
              TracingReport.markdown(map(results.get("tracing"))));
    }
    Files.writeString(doc, text);
    Benchmark.log("wrote " + doc);
  }

  private static String replaceBetween(
      Path doc, String text, String beginMarker, String endMarker, String generated) {
    int begin = text.indexOf(beginMarker);
    int end = text.indexOf(endMarker);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(
          doc + " lacks the markers " + beginMarker + " and " + endMarker);
    }
    return text.substring(0, begin)
        + beginMarker
        + "\n"
        + generated
        + endMarker
        + text.substring(end + endMarker.length());
  }

  // ---- the chart ------------------------------------------------------------------------------

  private void chart(Map<String, Object> results) throws IOException {
    Map<String, Object> pool100 = pool(results, "pool_100");
    Map<String, Object> pool100k = pool(results, "pool_100000");
    int[] xs = rows(pool100).stream().mapToInt(r -> (Integer) r.get("connections")).toArray();
    Color blue = new Color(31, 119, 180);
    Color orange = new Color(230, 120, 20);
    Color grey = new Color(120, 120, 120);
    List<Chart.Series> throughput = new ArrayList<>();
    List<Chart.Series> p99 = new ArrayList<>();
    for (var entry : List.of(Map.entry(pool100, "pool 100"), Map.entry(pool100k, "pool 100,000"))) {
      Color color = entry.getKey() == pool100 ? blue : orange;
      throughput.add(
          new Chart.Series(
              "API, " + entry.getValue(),
              color,
              false,
              column(entry.getKey(), "api", Measurement::rps)));
      throughput.add(
          new Chart.Series(
              "JDBC floor, " + entry.getValue(),
              color,
              true,
              column(entry.getKey(), "floor", Measurement::rps)));
      p99.add(
          new Chart.Series(
              "API, " + entry.getValue(),
              color,
              false,
              column(entry.getKey(), "api", Measurement::p99Ms)));
      p99.add(
          new Chart.Series(
              "JDBC floor, " + entry.getValue(),
              color,
              true,
              column(entry.getKey(), "floor", Measurement::p99Ms)));
    }
    throughput.add(
        new Chart.Series(
            "minimal schema, pool 100",
            grey,
            true,
            column(pool100, "minimal_schema", Measurement::rps)));
    Chart.write(
        repo.resolve("docs").resolve(CHART),
        "Activation: API vs the same SQL over plain JDBC (one node, MariaDB)",
        xs,
        List.of(
            new Chart.Panel("Throughput", "activations per second", false, throughput),
            new Chart.Panel("p99 latency", "milliseconds (log)", true, p99)));
  }

  // ---- the text -------------------------------------------------------------------------------

  private String markdown(Map<String, Object> results) {
    StringBuilder md = new StringBuilder();
    Map<String, Object> env = map(results.get("environment"));
    Map<String, Object> run = map(env.get("run"));
    md.append("## Latest run\n\n");
    md.append(
        String.format(
            "`deploy/bench.sh%s` on %s, commit `%s`, %s s in all. Machine: %s, %s cores, %s GiB."
                + " %s; %s; wrk %s; Tomcat %s, Jersey %s, Hibernate %s, Connector/J %s.%n%n",
            Boolean.TRUE.equals(run.get("quick")) ? " --quick" : "",
            env.get("date"),
            env.get("commit"),
            results.get("wall_seconds"),
            env.get("cpu"),
            env.get("cores"),
            env.get("memory_gib"),
            env.get("java"),
            "MariaDB " + env.get("mariadb"),
            env.get("wrk"),
            env.get("tomcat"),
            env.get("jersey"),
            env.get("hibernate"),
            env.get("mysql_connector_j")));
    md.append(
        String.format(
            "Each load ran %s s after warm-up, in %s alternating round(s); figures are the medians of"
                + " the rounds. %s. The load generator, the node and MariaDB share the machine's cores.%n%n",
            fmt(run.get("seconds_per_load")),
            run.get("rounds"),
            capitalise((String) env.get("node_settings"))));
    md.append("![Activation throughput and p99 against connections](")
        .append(CHART)
        .append(")\n\n");
    md.append(targets(results));
    for (String key : List.of("pool_100", "pool_100000")) {
      Map<String, Object> pool = pool(results, key);
      md.append(String.format("### Activation, pool %,d%n%n", (Integer) pool.get("pool_size")));
      md.append(
          "| conns | API req/s | p50 ms | p99 ms | p99.9 ms | failed | floor req/s | floor p50 | floor p99 | API/floor req/s | API/floor p99 | minimal schema req/s | node CPU µs/req | DB CPU µs/tx API / floor | statements/tx |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map<String, Object> row : rows(pool)) {
        Measurement api = measurement(row.get("api"));
        Measurement floor = measurement(row.get("floor"));
        Measurement minimal = measurement(row.get("minimal_schema"));
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %,.0f | %.1f | %.1f | %.1f | %d | %,.0f | %.1f | %.1f | %.2f | %.2f | %,.0f | %.0f | %.0f / %.0f | %.1f |%n",
                api.connections(),
                api.rps(),
                api.p50Ms(),
                api.p99Ms(),
                api.p999Ms(),
                api.failures(),
                floor.rps(),
                floor.p50Ms(),
                floor.p99Ms(),
                (Double) row.get("api_to_floor_rps"),
                (Double) row.get("api_to_floor_p99"),
                minimal.rps(),
                api.notes().getOrDefault("node_cpu_us_per_request", Double.NaN),
                api.notes().getOrDefault("db_cpu_us_per_tx", Double.NaN),
                floor.notes().getOrDefault("db_cpu_us_per_tx", Double.NaN),
                api.notes().getOrDefault("statements_per_tx", Double.NaN)));
      }
      md.append('\n');
      if (pool.containsKey("reads")) {
        md.append(reads(map(pool.get("reads"))));
      }
    }
    md.append(sweep(map(results.get("sweep"))));
    md.append(scheduler(map(results.get("scheduler"))));
    Map<String, Object> startup = map(results.get("startup"));
    md.append(
        "### Startup\n\nTo the first `200` on `/health` (WAR built, Tomcat unpacked). First start: an empty"
            + " database and a new `CATALINA_BASE`. Restart: the same node started again (median of three), with the"
            + " class data archive its first stop wrote.\n\n| database | first start, from launch | restart, from launch"
            + " of `deploy/run.sh` | restart, from the JVM's start |\n|---|---:|---:|---:|\n");
    for (var db :
        List.of(Map.entry("h2", "embedded H2"), Map.entry("mariadb", "MariaDB, pool 100"))) {
      Map<String, Object> s = map(startup.get(db.getKey()));
      md.append(
          String.format(
              "| %s | %,d ms | %,.0f ms | %,.0f ms |%n",
              db.getValue(),
              num(s, "first_start_ms"),
              dbl(s, "restart_ms_p50"),
              dbl(s, "restart_jvm_ms_p50")));
    }
    md.append('\n');
    return md.toString();
  }

  /** The targets, each with the figure that meets or misses it. */
  private String targets(Map<String, Object> results) {
    StringBuilder md = new StringBuilder("### Targets\n\n| target | measured | |\n|---|---|---|\n");
    for (String key : List.of("pool_100", "pool_100000")) {
      Map<String, Object> pool = pool(results, key);
      String name = String.format("pool %,d", (Integer) pool.get("pool_size"));
      Map<String, Object> c32 = row(pool, 32);
      Map<String, Object> c1 = row(pool, 1);
      Map<String, Object> c8 = row(pool, 8);
      if (c32 != null) {
        double ratio = (Double) c32.get("api_to_floor_rps");
        target(
            md,
            "32 connections, " + name + ": API ≥ 0.7 × floor",
            String.format("%.2f ×", ratio),
            ratio >= 0.7);
        double p99 = (Double) c32.get("api_to_floor_p99");
        target(
            md,
            "32 connections, " + name + ": API p99 ≤ 3 × floor p99",
            String.format("%.2f ×", p99),
            p99 <= 3);
      }
      if (c1 != null) {
        double p50 = (Double) c1.get("api_to_floor_p50");
        target(
            md,
            "1 connection, " + name + ": API p50 ≤ 1.5 × floor p50",
            String.format("%.2f ×", p50),
            p50 <= 1.5);
      }
      if (c1 != null && c8 != null) {
        double grow = measurement(c8.get("api")).rps() / measurement(c1.get("api")).rps();
        target(
            md,
            name + ": throughput grows from 1 to 8 connections",
            String.format("%.2f ×", grow),
            grow > 1);
      }
    }
    Map<String, Object> sweep = map(results.get("sweep"));
    double rate =
        maps(sweep.get("release_passes")).stream()
            .mapToDouble(p -> ((Number) p.get("releases_per_second")).doubleValue())
            .max()
            .orElse(0);
    target(md, "expiry pass ≥ 20,000 releases/s", String.format("%,.0f/s", rate), rate >= 20_000);
    for (Map<String, Object> empty : maps(sweep.get("empty_passes"))) {
      if (((Number) empty.get("pool_size")).intValue() == 1_000_000) {
        double ms = ((Number) empty.get("run_ms_p50")).doubleValue();
        target(
            md,
            "empty pass ≤ 5 ms at 1,000,000 tokens",
            String.format("%.0f ms (p50 of the recorded run)", ms),
            ms <= 5);
      }
    }
    double during = ((Number) sweep.get("p99_during_to_without")).doubleValue();
    target(
        md,
        "activation p99 during a 100,000-release pass ≤ 3 × without",
        String.format("%.2f ×", during),
        during <= 3);
    Map<String, Object> scheduler = map(results.get("scheduler"));
    double idle =
        ((Number) map(scheduler.get("idle_cluster")).get("queries_per_second_per_node"))
            .doubleValue();
    target(md, "idle scheduler ≤ 5 queries/s per node", String.format("%.2f/s", idle), idle <= 5);
    double lag =
        ((Number) map(scheduler.get("lag_and_lateness")).get("fire_to_start_ms_p99")).doubleValue();
    target(md, "fire-to-start p99 ≤ 100 ms", String.format("%.0f ms", lag), lag <= 100);
    Map<String, Object> startup = map(results.get("startup"));
    double start =
        Math.max(
            dbl(map(startup.get("mariadb")), "restart_jvm_ms_p50"),
            dbl(map(startup.get("h2")), "restart_jvm_ms_p50"));
    target(
        md,
        "JVM start to healthy ≤ 5 s (restart, slower of H2 and MariaDB)",
        String.format("%,.0f ms", start),
        start <= 5_000);
    return md.append('\n').toString();
  }

  private static void target(StringBuilder md, String target, String measured, boolean met) {
    md.append("| ")
        .append(target)
        .append(" | ")
        .append(measured)
        .append(" | ")
        .append(met ? "met" : "**missed**")
        .append(" |\n");
  }

  private String reads(Map<String, Object> reads) {
    StringBuilder md =
        new StringBuilder(
            "### Reads, pool 100\n\n| request | conns | req/s | p50 ms | p99 ms | failed |\n|---|---:|---:|---:|---:|---:|\n");
    for (Object value : reads.values()) {
      Measurement m = measurement(value);
      String request =
          m.name().equals("one token")
              ? "`GET /api/tokens/{id}`"
              : "`GET /api/tokens?state=active`";
      md.append(
          String.format(
              "| %s | %d | %,.0f | %.1f | %.1f | %d |%n",
              request, m.connections(), m.rps(), m.p50Ms(), m.p99Ms(), m.failures()));
    }
    return md.append('\n').toString();
  }

  private String sweep(Map<String, Object> sweep) {
    StringBuilder md =
        new StringBuilder(
            "### Expiry pass\n\nA manual pass (`POST /api/admin/expire-now`) over 100,000 usages that expired a minute ago, in a pool of 200,000; `run ms` is the run as recorded in `job_runs`:\n\n| released | run ms | releases/s | HTTP s | rows read |\n|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> pass : maps(sweep.get("release_passes"))) {
      md.append(
          String.format(
              "| %,d | %,d | %,.0f | %.2f | %,d |%n",
              num(pass, "released"),
              num(pass, "run_ms"),
              ((Number) pass.get("releases_per_second")).doubleValue(),
              ((Number) pass.get("http_seconds")).doubleValue(),
              num(pass, "rows_read")));
    }
    Measurement without = measurement(sweep.get("activation_without_pass"));
    Measurement during = measurement(sweep.get("activation_during_pass"));
    md.append(
        String.format(
            "%nActivations at 32 connections (pool 200,000, free tokens available) without a pass: %,.0f/s, p99 %.1f ms;"
                + " while a 100,000-release pass ran (%s): %,.0f/s, p99 %.1f ms (%.2f ×).%n%n",
            without.rps(),
            without.p99Ms(),
            describePass(map(sweep.get("pass_under_load"))),
            during.rps(),
            during.p99Ms(),
            ((Number) sweep.get("p99_during_to_without")).doubleValue()));
    md.append(
        "Passes that find nothing expired (p50 of repeated passes):\n\n| pool | run ms p50 | run ms max | HTTP ms p50 | rows read per pass |\n|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> empty : maps(sweep.get("empty_passes"))) {
      md.append(
          String.format(
              "| %,d | %.0f | %.0f | %.1f | %.0f |%n",
              num(empty, "pool_size"),
              ((Number) empty.get("run_ms_p50")).doubleValue(),
              ((Number) empty.get("run_ms_max")).doubleValue(),
              ((Number) empty.get("http_ms_p50")).doubleValue(),
              ((Number) empty.get("rows_read_p50")).doubleValue()));
    }
    return md.append('\n').toString();
  }

  private static String describePass(Map<String, Object> pass) {
    return String.format("%,d released in %,d ms", num(pass, "released"), num(pass, "run_ms"));
  }

  private String scheduler(Map<String, Object> scheduler) {
    Map<String, Object> idle = map(scheduler.get("idle_cluster"));
    Map<String, Object> lag = map(scheduler.get("lag_and_lateness"));
    return String.format(
        "### Scheduler%n%nAn idle cluster of %s nodes (defaults: 30 s expiry interval, 10 s check-in) for %s s,"
            + " counted by MariaDB (`Questions`): %.2f queries/s per node (%.2f selects, %.2f updates, %.2f commits).%n%n"
            + "A busy cluster of 3 nodes (expiry interval 1 s, lifetime 5 s, %,d activations over %s s,"
            + " measured from 5 s after the last node was healthy):"
            + " %d scheduled fires, fire-to-start lag (`job_runs.started_at - scheduled_at`) p50 %.0f ms,"
            + " p99 %.0f ms, max %.0f ms. Release lateness, from `expires_at` to the moment the usage was"
            + " really ended: by the job (%,d usages, bounded by the end of the run that ended them) p50 %.0f ms,"
            + " p99 %.0f ms, max %.0f ms; lazily by a later activation (%,d usages) p50 %.0f ms, p99 %.0f ms."
            + " The recorded `ended_at` is `expires_at` in both cases.%n%n",
        idle.get("nodes"),
        fmt(idle.get("seconds")),
        dbl(idle, "queries_per_second_per_node"),
        dbl(idle, "com_select_per_second_per_node"),
        dbl(idle, "com_update_per_second_per_node"),
        dbl(idle, "com_commit_per_second_per_node"),
        num(lag, "activations"),
        fmt(lag.get("seconds")),
        num(lag, "scheduled_fires"),
        dbl(lag, "fire_to_start_ms_p50"),
        dbl(lag, "fire_to_start_ms_p99"),
        dbl(lag, "fire_to_start_ms_max"),
        num(lag, "swept_usages"),
        dbl(lag, "swept_lateness_ms_p50"),
        dbl(lag, "swept_lateness_ms_p99"),
        dbl(lag, "swept_lateness_ms_max"),
        num(lag, "lazily_ended_usages"),
        dbl(lag, "lazy_lateness_ms_p50"),
        dbl(lag, "lazy_lateness_ms_p99"));
  }

  // ---- access to the results tree -------------------------------------------------------------

  private static Map<String, Object> pool(Map<String, Object> results, String key) {
    return map(map(results.get("activation")).get(key));
  }

  private static List<Map<String, Object>> rows(Map<String, Object> pool) {
    return maps(pool.get("rows"));
  }

  private static Map<String, Object> row(Map<String, Object> pool, int connections) {
    return rows(pool).stream()
        .filter(r -> (Integer) r.get("connections") == connections)
        .findFirst()
        .orElse(null);
  }

  private static double[] column(
      Map<String, Object> pool, String load, ToDoubleFunction<Measurement> figure) {
    return rows(pool).stream()
        .mapToDouble(r -> figure.applyAsDouble(measurement(r.get(load))))
        .toArray();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return (List<Map<String, Object>>) value;
  }

  private static long num(Map<String, Object> map, String key) {
    return ((Number) map.get(key)).longValue();
  }

  private static double dbl(Map<String, Object> map, String key) {
    return ((Number) map.get(key)).doubleValue();
  }

  private static String fmt(Object number) {
    double value = ((Number) number).doubleValue();
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String capitalise(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
