package dev.tokenpool.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The generated "Tracing cost" part of docs/performance.md ({@link TracingCost}). */
final class TracingReport {

  static final String BEGIN =
      "<!-- bench:tracing:begin (written by deploy/bench.sh --only=tracing; do not edit) -->";
  static final String END = "<!-- bench:tracing:end -->";

  private TracingReport() {}

  static String markdown(Map<String, Object> tracing) {
    Map<String, Object> env = Report.map(tracing.get("environment"));
    Measurement off = Report.measurement(tracing.get("off"));
    Measurement on = Report.measurement(tracing.get("on"));
    @SuppressWarnings("unchecked")
    List<Number> ratios = (List<Number>) tracing.get("ratios_by_round");
    double min = ratios.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    double max = ratios.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    StringBuilder md = new StringBuilder("## Tracing cost\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "`deploy/bench.sh --only=tracing` on %s, commit `%s`%s, %s s in all. Machine: %s, %s"
                + " cores, %s GiB; %s; MariaDB %s. Two nodes of this WAR side by side through"
                + " `deploy/run.sh`, each on a fresh MariaDB database with a pool of %d (every"
                + " activation evicts): one without any OTEL_* setting (tracing off), one with"
                + " `OTEL_EXPORTER_OTLP_ENDPOINT` at a sink on loopback that reads and drops each"
                + " export (every request traced: server span, transaction, statements). Load:"
                + " `wrk` with `deploy/bench/activate.lua` at %s connections; after a warm-up of"
                + " each node until its JIT settles (at least %s s), %s rounds of %s s per node in"
                + " alternating order; figures are the medians of the rounds.%n%n",
            env.get("date"),
            env.get("commit"),
            Boolean.TRUE.equals(env.get("uncommitted_changes"))
                ? " with the working tree's uncommitted changes"
                : "",
            tracing.get("wall_seconds"),
            env.get("cpu"),
            env.get("cores"),
            env.get("memory_gib"),
            env.get("java"),
            env.get("mariadb"),
            ((Number) tracing.get("pool_size")).intValue(),
            tracing.get("connections"),
            fmt(tracing.get("warmup_seconds")),
            tracing.get("rounds"),
            fmt(tracing.get("seconds_per_load"))));
    md.append(
        "| tracing | req/s | p50 ms | p99 ms | failed | node CPU µs/req |\n"
            + "|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Measurement> side :
        Map.of("off", off, "on", on).entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      Measurement m = side.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.1f | %.1f | %d | %.0f |%n",
              side.getKey(),
              m.rps(),
              m.p50Ms(),
              m.p99Ms(),
              m.failures(),
              JitWarmUp.cpuPerRequest(m)));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nOn / off: %.2f × (rounds' own ratios: median %.2f, %.2f to %.2f); node CPU %+.0f"
                + " µs per request; %s exports, %.0f bytes of OTLP per traced request.%n",
            ((Number) tracing.get("ratio_of_medians")).doubleValue(),
            ((Number) tracing.get("median_of_ratios")).doubleValue(),
            min,
            max,
            ((Number) tracing.get("cpu_us_per_request_change")).doubleValue(),
            tracing.get("exports"),
            ((Number) tracing.get("export_bytes_per_request")).doubleValue()));
    return md.toString();
  }

  private static String fmt(Object number) {
    double value = ((Number) number).doubleValue();
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
