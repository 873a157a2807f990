package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renewals against activations on one node (issue 18): {@value #HOLDINGS} holdings of 20 minutes
 * made before the load, renewed round robin by {@code wrk} ({@code deploy/bench/renew.lua}) at
 * {@value #CONNECTIONS} connections, in rounds that alternate with new users' activations ({@code
 * activate.lua}) on the same node, pool of 100,000 (no activation evicts).
 */
final class RenewThroughput {

  static final int POOL = 100_000;
  static final int HOLDINGS = 256;
  static final int API_KEYS = 16;
  static final int CONNECTIONS = 32;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final double seconds;

  RenewThroughput(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 2 : 3;
    this.seconds = settings.quick() ? 6 : 12;
  }

  Map<String, Object> measure() throws Exception {
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    out.put("pool_size", POOL);
    out.put("holdings", HOLDINGS);
    out.put("connections", CONNECTIONS);
    out.put("rounds", rounds);
    out.put("seconds_per_load", seconds);
    String db = Benchmark.DB + "_renew";
    bench.preparePool(settings.repo(), db, POOL);
    Path keys = settings.work().resolve("renew-keys.txt");
    Path holdings = settings.work().resolve("renew-holdings.txt");
    try (BenchNode node = bench.startNode(settings.repo(), "renew", Benchmark.nodeEnv(db, POOL))) {
      List<String> apiKeys = BenchCredentials.createApiKeys(node.url(), "renew", API_KEYS);
      BenchCredentials.write(keys, apiKeys);
      Files.write(holdings, hold(node.url(), apiKeys.get(0)));
      Map<String, String> renewEnv =
          Map.of("BENCH_CREDENTIALS", keys.toString(), "BENCH_HOLDINGS", holdings.toString());
      Map<String, String> activateEnv = Map.of("BENCH_CREDENTIALS", keys.toString());
      JitWarmUp.run(
          bench,
          "renew",
          node,
          db,
          false,
          settings.quick() ? 12 : 24,
          4,
          chunk -> bench.wrk().run("renew", node.url(), "renew.lua", CONNECTIONS, chunk, renewEnv));
      Map<String, List<Measurement>> measured = new LinkedHashMap<>();
      measured.put("renew", new ArrayList<>());
      measured.put("activate", new ArrayList<>());
      for (int round = 0; round < rounds; round++) {
        for (String load :
            round % 2 == 0 ? List.of("renew", "activate") : List.of("activate", "renew")) {
          boolean renew = load.equals("renew");
          Measurement m =
              bench.measuredOnServer(
                  node,
                  () ->
                      bench
                          .wrk()
                          .run(
                              load,
                              node.url(),
                              renew ? "renew.lua" : "activate.lua",
                              CONNECTIONS,
                              seconds,
                              renew ? renewEnv : activateEnv));
          measured.get(load).add(m);
          Benchmark.log(
              String.format(
                  "round %d, %s: %.0f/s, p50 %.1f ms, p99 %.1f ms, node CPU %.0f µs/request, %d"
                      + " failed",
                  round + 1,
                  load,
                  m.rps(),
                  m.p50Ms(),
                  m.p99Ms(),
                  JitWarmUp.cpuPerRequest(m),
                  m.failures()));
        }
      }
      Measurement renew = Measurement.median(measured.get("renew"));
      Measurement activate = Measurement.median(measured.get("activate"));
      out.put("renew", renew);
      out.put("activate", activate);
      out.put("renew_to_activate", renew.rps() / activate.rps());
      out.put("by_round", measured);
      Benchmark.log(
          String.format(
              "renewals %.0f/s (p99 %.1f ms), activations %.0f/s (p99 %.1f ms): %.2f ×",
              renew.rps(),
              renew.p99Ms(),
              activate.rps(),
              activate.p99Ms(),
              renew.rps() / activate.rps()));
    } finally {
      Files.deleteIfExists(keys);
      Files.deleteIfExists(holdings);
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  /** Activates {@value #HOLDINGS} users with a lease of 20 minutes; "token_id fence" lines. */
  private static List<String> hold(String nodeUrl, String key) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < HOLDINGS; i++) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(nodeUrl + "/api/tokens/activate"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + key)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"user_id\":\"renew-user-" + i + "\",\"lease\":\"PT20M\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "activation for the renewals answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      JsonNode body = JSON.readTree(response.body());
      lines.add(body.get("token_id").asText() + " " + body.get("fence").asLong());
    }
    return lines;
  }
}
