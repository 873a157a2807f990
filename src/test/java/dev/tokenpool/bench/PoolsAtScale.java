package dev.tokenpool.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many pools on one database (issue 19): {@value #POOLS} named pools of {@value #TOKENS} tokens (a
 * million tokens) beside the default pool, against a database that has the default pool alone, in
 * one run. Measured: activation throughput on one pool of each ({@code wrk}, {@value #CONNECTIONS}
 * connections, alternating rounds, medians), empty expiry passes and passes that end one holding in
 * each of 1,000 and 10,000 pools, and the creation of a pool of {@value #BIG} tokens through the
 * admin API.
 */
final class PoolsAtScale {

  static final int POOLS = 10_000;
  static final int TOKENS = 100;
  static final int BIG = 100_000;
  static final int CONNECTIONS = 32;
  static final String TARGET = "p-05000";

  /**
   * The InnoDB buffer pool this section runs with, at least: a million tokens and their indexes
   * (about 370 MB) fit in it, as they would on a server sized for them. MariaDB's default of 128 MB
   * would make every figure a measure of disk reads instead.
   */
  static final long BUFFER_POOL = 1L << 30;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final double seconds;

  PoolsAtScale(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 2 : 4;
    this.seconds = settings.quick() ? 6 : 12;
  }

  Map<String, Object> measure() throws Exception {
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    out.put("pools", POOLS);
    out.put("tokens_per_pool", TOKENS);
    out.put("connections", CONNECTIONS);
    out.put("rounds", rounds);
    out.put("seconds_per_load", seconds);
    long bufferPool = BenchDatabase.scalar(null, "SELECT @@GLOBAL.innodb_buffer_pool_size");
    BenchDatabase.execute(
        null, "SET GLOBAL innodb_buffer_pool_size = " + Math.max(bufferPool, BUFFER_POOL));
    out.put(
        "innodb_buffer_pool_mb",
        BenchDatabase.scalar(null, "SELECT @@GLOBAL.innodb_buffer_pool_size") >> 20);
    try {
      measureWith(out);
    } finally {
      BenchDatabase.execute(null, "SET GLOBAL innodb_buffer_pool_size = " + bufferPool);
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  private void measureWith(Map<String, Object> out) throws Exception {
    String one = Benchmark.DB + "_one_pool";
    String many = Benchmark.DB + "_many_pools";
    bench.preparePool(settings.repo(), one, TOKENS);
    bench.preparePool(settings.repo(), many, TOKENS);
    long seeding = System.nanoTime();
    BenchDatabase.addPools(many, POOLS, TOKENS);
    out.put("seed_seconds_sql", (System.nanoTime() - seeding) / 1e9);
    out.put(
        "tokens_in_many",
        BenchDatabase.scalar(many, "SELECT COUNT(*) FROM tokens WHERE live_pool_id IS NOT NULL"));
    Map<String, String> oneEnv = Benchmark.nodeEnv(one, TOKENS);
    oneEnv.put("TOKENPOOL_EXPIRY_INTERVAL", "PT1H");
    Map<String, String> manyEnv = Benchmark.nodeEnv(many, TOKENS);
    manyEnv.put("TOKENPOOL_EXPIRY_INTERVAL", "PT1H");
    try (BenchNode single = bench.startNode(settings.repo(), "pools-one", oneEnv);
        BenchNode multi = bench.startNode(settings.repo(), "pools-many", manyEnv)) {
      out.put("activation", activation(single, multi));
      out.put("empty_pass", emptyPasses(multi, many));
      List<Map<String, Object>> passes = new ArrayList<>();
      for (int pools : new int[] {1_000, POOLS}) {
        BenchDatabase.holdExpiredAcrossPools(many, pools);
        Map<String, Object> pass = bench.expireNow(multi, many);
        pass.put("pools_with_expired", pools);
        passes.add(pass);
        Benchmark.log("pass ending one holding in each of " + pools + " pools: " + pass);
      }
      out.put("passes", passes);
      out.put("create_big_pool_seconds", createPool(multi, "big", BIG));
      out.put("create_small_pool_seconds", createPool(multi, "small", TOKENS));
    } finally {
      BenchDatabase.drop(one);
      BenchDatabase.drop(many);
    }
  }

  /** Activations on the one pool of a database against one pool among many, alternating. */
  private Map<String, Object> activation(BenchNode single, BenchNode multi) throws Exception {
    Map<String, String> oneEnv =
        Map.of("BENCH_CREDENTIALS", bench.credentialsFor(single).toString());
    Map<String, String> manyEnv =
        Map.of(
            "BENCH_CREDENTIALS",
            bench.credentialsFor(multi).toString(),
            "BENCH_PATH",
            "/api/pools/" + TARGET + "/tokens/activate");
    double warmUp = settings.quick() ? 10 : 30;
    bench.wrk().run("warm-one", single.url(), "activate.lua", CONNECTIONS, warmUp, oneEnv);
    bench.wrk().run("warm-many", multi.url(), "activate.lua", CONNECTIONS, warmUp, manyEnv);
    List<Measurement> ones = new ArrayList<>();
    List<Measurement> manys = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (boolean alone : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
        BenchNode node = alone ? single : multi;
        Measurement m =
            bench.measuredOnServer(
                node,
                () ->
                    bench
                        .wrk()
                        .run(
                            alone ? "one-pool" : "one-of-many",
                            node.url(),
                            "activate.lua",
                            CONNECTIONS,
                            seconds,
                            alone ? oneEnv : manyEnv));
        (alone ? ones : manys).add(m);
        Benchmark.log(
            String.format(
                "round %d, %s: %.0f/s, p50 %.1f ms, p99 %.1f ms, %d failed",
                round + 1,
                alone ? "the only pool" : "one of " + (POOLS + 1) + " pools",
                m.rps(),
                m.p50Ms(),
                m.p99Ms(),
                m.failures()));
      }
    }
    Measurement alone = Measurement.median(ones);
    Measurement among = Measurement.median(manys);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("one_pool", alone);
    out.put("one_of_many", among);
    out.put("ratio", among.rps() / alone.rps());
    out.put("by_round", Map.of("one_pool", ones, "one_of_many", manys));
    Benchmark.log(
        String.format(
            "activations: %.0f/s alone, %.0f/s among %d pools: %.2f ×",
            alone.rps(), among.rps(), POOLS + 1, among.rps() / alone.rps()));
    return out;
  }

  /** Expiry passes that find nothing to end, among a million tokens: run times and rows read. */
  private Map<String, Object> emptyPasses(BenchNode node, String db) throws Exception {
    for (int i = 0; i < 3; i++) {
      bench.expireNow(node, db);
    }
    List<Double> runMs = new ArrayList<>();
    List<Double> rowsRead = new ArrayList<>();
    for (int i = 0; i < (settings.quick() ? 10 : 30); i++) {
      Map<String, Object> pass = bench.expireNow(node, db);
      runMs.add(((Number) pass.get("run_ms")).doubleValue());
      rowsRead.add(((Number) pass.get("rows_read")).doubleValue());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("passes", runMs.size());
    out.put("run_ms_p50", Benchmark.percentile(runMs, 50));
    out.put("run_ms_max", Benchmark.percentile(runMs, 100));
    out.put("rows_read_p50", Benchmark.percentile(rowsRead, 50));
    Benchmark.log("empty passes among " + POOLS + " pools: " + out);
    return out;
  }

  /** Seconds for {@code POST /api/admin/pools} to create a pool of {@code size} tokens. */
  private static double createPool(BenchNode node, String name, int size) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + "/api/admin/pools"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                ("admin:" + Benchmark.ADMIN_PASSWORD)
                                    .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"size\":" + size + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "creating pool " + name + " answered " + response.statusCode() + ": " + response.body());
    }
    Benchmark.log(String.format("pool %s of %,d tokens created in %.2f s", name, size, seconds));
    return seconds;
  }
}
