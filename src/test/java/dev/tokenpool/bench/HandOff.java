package dev.tokenpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How fast a released token reaches a request that waits for it, and an event its stream (issue
 * 18), on one node through {@code deploy/run.sh}: a full pool of {@value #POOL}; in each round one
 * request waits ({@code on_full: wait}), a random holding is released, and the time from the
 * release's answer to the waiter's answer is the hand-off; the time from the release's answer to
 * its {@code released} event on an open {@code GET /api/events} stream is the event's lag.
 */
final class HandOff {

  static final int POOL = 32;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final int warmUp;

  HandOff(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 100 : 400;
    this.warmUp = settings.quick() ? 20 : 50;
  }

  Map<String, Object> measure() throws Exception {
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    out.put("pool_size", POOL);
    out.put("rounds", rounds);
    out.put("warm_up_rounds", warmUp);
    String db = Benchmark.DB + "_handoff";
    bench.preparePool(settings.repo(), db, POOL);
    try (BenchNode node =
        bench.startNode(settings.repo(), "handoff", Benchmark.nodeEnv(db, POOL))) {
      String key = BenchCredentials.createApiKeys(node.url(), "handoff", 1).get(0);
      Map<String, Long> released = new ConcurrentHashMap<>();
      Thread stream = new Thread(() -> listen(node.url(), key, released), "handoff-events");
      stream.setDaemon(true);
      stream.start();
      List<String[]> held = new ArrayList<>();
      for (int i = 0; i < POOL; i++) {
        JsonNode holding =
            activate(node.url(), key, "holder-" + i, false).get(30, TimeUnit.SECONDS);
        held.add(holding(holding));
      }
      Thread.sleep(500); // the stream is open and has caught up
      Random random = new Random(18);
      List<Double> handOffs = new ArrayList<>();
      List<Double> lags = new ArrayList<>();
      for (int round = 0; round < rounds + warmUp; round++) {
        CompletableFuture<JsonNode> waiter = activate(node.url(), key, "waiter-" + round, true);
        Thread.sleep(30); // admitted and queued (the pool is full)
        String[] victim = held.remove(random.nextInt(held.size()));
        release(node.url(), key, victim);
        long releasedAt = System.nanoTime();
        JsonNode served = waiter.get(30, TimeUnit.SECONDS);
        long servedAt = System.nanoTime();
        held.add(holding(served));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!released.containsKey(victim[2]) && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        Long eventAt = released.get(victim[2]);
        if (round >= warmUp) {
          handOffs.add((servedAt - releasedAt) / 1e6);
          lags.add(eventAt == null ? Double.NaN : Math.max(0, eventAt - releasedAt) / 1e6);
        }
      }
      out.put("hand_off_ms", percentiles(handOffs));
      out.put("event_lag_ms", percentiles(lags));
      Benchmark.log(
          String.format(
              "hand-off %s ms; event lag %s ms", out.get("hand_off_ms"), out.get("event_lag_ms")));
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  /** p50, p99 and max, in milliseconds; events that never came count as missing. */
  private static Map<String, Object> percentiles(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values.stream().filter(v -> !v.isNaN()).toList());
    Collections.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p50", round(sorted.get(sorted.size() / 2)));
    out.put("p99", round(sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100))));
    out.put("max", round(sorted.get(sorted.size() - 1)));
    out.put("missing", values.size() - sorted.size());
    return out;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** token id, user id, fence. */
  private static String[] holding(JsonNode body) {
    return new String[] {
      body.get("token_id").asText(), body.get("user_id").asText(), body.get("fence").asText()
    };
  }

  private static CompletableFuture<JsonNode> activate(
      String url, String key, String user, boolean waits) {
    String body =
        "{\"user_id\":\""
            + user
            + "\",\"lease\":\"PT10M\""
            + (waits ? ",\"on_full\":\"wait\",\"wait\":\"PT30S\"" : "")
            + "}";
    return HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(url + "/api/tokens/activate"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "activation answered " + response.statusCode() + ": " + response.body());
              }
              try {
                return JSON.readTree(response.body());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  private static void release(String url, String key, String[] holding) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + "/api/tokens/" + holding[0] + "/release"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"user_id\":\"" + holding[1] + "\",\"fence\":" + holding[2] + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "release answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Records when each released event arrives, by the fence of the holding. */
  private static void listen(String url, String key, Map<String, Long> released) {
    try {
      HttpResponse<Stream<String>> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/api/events"))
                  .header("Accept", "text/event-stream")
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      String type = null;
      for (String line : (Iterable<String>) response.body()::iterator) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:") && "released".equals(type)) {
          released.put(JSON.readTree(line.substring(5)).get("fence").asText(), System.nanoTime());
        } else if (line.isEmpty()) {
          type = null;
        }
      }
    } catch (Exception e) {
      Benchmark.log("the event stream ended: " + e);
    }
  }
}
