package dev.tokenpool.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What traces cost the hot path (issue 20): activations at {@value #CONNECTIONS} connections on two
 * nodes of this WAR side by side, one with tracing off (no OTEL_* setting) and one exporting every
 * request's trace by OTLP to a sink on loopback that reads and drops the exports, each node on a
 * fresh MariaDB database of its own with a pool of {@value #POOL} (every activation evicts, so each
 * trace has the most statements), in alternating rounds of one run.
 */
final class TracingCost {

  static final int POOL = 100;
  static final int API_KEYS = 16;
  static final int CONNECTIONS = 32;

  private record Side(String name, BenchNode node, String db, Path credentials) {}

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final double seconds;
  private final double warmup;

  TracingCost(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 3 : 4;
    this.seconds = settings.quick() ? 6 : 8;
    this.warmup = settings.quick() ? 12 : 16;
  }

  Map<String, Object> measure() throws Exception {
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    out.put("pool_size", POOL);
    out.put("connections", CONNECTIONS);
    out.put("rounds", rounds);
    out.put("seconds_per_load", seconds);
    out.put("warmup_seconds", warmup);
    String offDb = Benchmark.DB + "_tracing_off";
    String onDb = Benchmark.DB + "_tracing_on";
    bench.preparePool(settings.repo(), offDb, POOL);
    bench.preparePool(settings.repo(), onDb, POOL);
    Path offKeys = settings.work().resolve("tracing-off-keys.txt");
    Path onKeys = settings.work().resolve("tracing-on-keys.txt");
    Map<String, String> traced = new HashMap<>(Benchmark.nodeEnv(onDb, POOL));
    try (Sink sink = Sink.start()) {
      traced.put("OTEL_EXPORTER_OTLP_ENDPOINT", sink.endpoint());
      traced.put("OTEL_SERVICE_NAME", "tokenpool-bench");
      try (BenchNode offNode =
              bench.startNode(settings.repo(), "tracing-off", Benchmark.nodeEnv(offDb, POOL));
          BenchNode onNode = bench.startNode(settings.repo(), "tracing-on", traced)) {
        BenchCredentials.write(
            offKeys, BenchCredentials.createApiKeys(offNode.url(), "tracing-off", API_KEYS));
        BenchCredentials.write(
            onKeys, BenchCredentials.createApiKeys(onNode.url(), "tracing-on", API_KEYS));
        List<Side> sides =
            List.of(new Side("off", offNode, offDb, offKeys), new Side("on", onNode, onDb, onKeys));
        Benchmark.log("warming up both nodes");
        for (Side side : sides) {
          JitWarmUp.run(
              bench,
              "tracing-" + side.name(),
              side.node(),
              side.db(),
              false,
              warmup,
              4,
              chunk -> run(side, chunk));
        }
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        sides.forEach(side -> measured.put(side.name(), new ArrayList<>()));
        long exportsBefore = sink.exports();
        long bytesBefore = sink.bytes();
        long tracedRequests = 0;
        for (int round = 0; round < rounds; round++) {
          // Each round in the other order, so that a drift of the machine favours neither side.
          List<Side> order = new ArrayList<>(sides);
          Collections.rotate(order, -round);
          for (Side side : order) {
            Measurement m = bench.measuredOnServer(side.node(), () -> run(side, seconds));
            measured.get(side.name()).add(m);
            if (side.name().equals("on")) {
              tracedRequests += m.requests();
            }
            Benchmark.log(
                String.format(
                    "round %d, tracing %s: %.0f/s, p99 %.1f ms, node CPU %.0f µs/request, %d"
                        + " failed",
                    round + 1,
                    side.name(),
                    m.rps(),
                    m.p99Ms(),
                    JitWarmUp.cpuPerRequest(m),
                    m.failures()));
          }
        }
        out.putAll(summarise(measured));
        out.put("exports", sink.exports() - exportsBefore);
        out.put(
            "export_bytes_per_request",
            (sink.bytes() - bytesBefore) / (double) Math.max(1, tracedRequests));
      }
    } finally {
      Files.deleteIfExists(offKeys);
      Files.deleteIfExists(onKeys);
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  private Measurement run(Side side, double seconds) throws Exception {
    return bench
        .wrk()
        .run(
            "tracing-" + side.name(),
            side.node().url(),
            "activate.lua",
            CONNECTIONS,
            seconds,
            Map.of("BENCH_CREDENTIALS", side.credentials().toString()));
  }

  private static Map<String, Object> summarise(Map<String, List<Measurement>> measured) {
    Map<String, Object> out = new LinkedHashMap<>();
    Measurement off = Measurement.median(measured.get("off"));
    Measurement on = Measurement.median(measured.get("on"));
    out.put("off", off);
    out.put("on", on);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < measured.get("off").size(); i++) {
      ratios.add(measured.get("on").get(i).rps() / measured.get("off").get(i).rps());
    }
    out.put("ratio_of_medians", on.rps() / off.rps());
    out.put("ratios_by_round", ratios);
    out.put("median_of_ratios", Measurement.medianOf(ratios));
    out.put(
        "cpu_us_per_request_change", JitWarmUp.cpuPerRequest(on) - JitWarmUp.cpuPerRequest(off));
    out.put("by_round", measured);
    Benchmark.log(
        String.format(
            "tracing off %.0f/s, on %.0f/s = %.2f × (rounds' median %.2f ×), CPU %+.0f µs/request",
            off.rps(),
            on.rps(),
            on.rps() / off.rps(),
            (Double) out.get("median_of_ratios"),
            (Double) out.get("cpu_us_per_request_change")));
    return out;
  }

  /**
   * An OTLP/HTTP endpoint on loopback that reads every export and drops it, answering success: a
   * collector that costs the machine as little as possible.
   */
  static final class Sink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private Sink(HttpServer server) {
      this.server = server;
    }

    static Sink start() throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Sink sink = new Sink(server);
      server.createContext("/v1/traces", sink::receive);
      server.setExecutor(Executors.newSingleThreadExecutor());
      server.start();
      return sink;
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long exports() {
      return exports.get();
    }

    long bytes() {
      return bytes.get();
    }

    private void receive(HttpExchange exchange) throws IOException {
      try (exchange;
          InputStream body = exchange.getRequestBody()) {
        bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
        exports.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }
}
