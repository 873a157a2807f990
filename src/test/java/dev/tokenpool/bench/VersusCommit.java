package dev.tokenpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot path against an earlier commit: activations at {@value #CONNECTIONS} connections on the
 * current WAR and on the WAR of {@code BENCH_VERSUS_COMMIT} (any commit since issue 16: both take
 * the same API keys), pools of 100 (every activation evicts) and 100,000 (none does), the two nodes
 * side by side, each on a fresh MariaDB database of its own, measured in alternating rounds of one
 * run. It is how a change to the hot path reports its before and after.
 */
final class VersusCommit {

  static final String COMMIT = System.getenv("BENCH_VERSUS_COMMIT");
  static final int API_KEYS = 16;
  static final int CONNECTIONS = 32;
  static final double TARGET_RATIO = 0.9;

  /** The pool sizes; {@code BENCH_VERSUS_POOLS=100} measures one (for a profile, say). */
  static final int[] POOLS =
      java.util.Arrays.stream(
              System.getenv().getOrDefault("BENCH_VERSUS_POOLS", "100,100000").split(","))
          .map(String::strip)
          .mapToInt(Integer::parseInt)
          .toArray();

  /** One side of a round. */
  private record Side(String name, BenchNode node, String db, Path credentials) {}

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final double seconds;
  private final double warmup;

  VersusCommit(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 3 : 6;
    this.seconds = settings.quick() ? 6 : 15;
    this.warmup = settings.quick() ? 16 : 40;
  }

  Map<String, Object> measure() throws Exception {
    if (COMMIT == null || COMMIT.isBlank()) {
      throw new IllegalStateException(
          "--only=versus compares with the commit in BENCH_VERSUS_COMMIT, which is not set");
    }
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    Path before = Baseline.build(settings.repo(), settings.work().resolve("baseline"), COMMIT);
    out.put("before_commit", COMMIT);
    out.put("before_commit_full", Files.readString(before.resolve(".built")).trim());
    out.put("connections", CONNECTIONS);
    out.put("rounds", rounds);
    out.put("seconds_per_load", seconds);
    out.put("warmup_seconds", warmup);
    out.put("jfr", settings.jfr());
    for (int pool : POOLS) {
      out.put("pool_" + pool, atPool(pool, before));
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  private Map<String, Object> atPool(int poolSize, Path beforeRepo) throws Exception {
    boolean reset = poolSize > 1_000;
    String beforeDb = Benchmark.DB + "_versus_before";
    String afterDb = Benchmark.DB + "_versus_after";
    bench.preparePool(beforeRepo, beforeDb, poolSize);
    bench.preparePool(settings.repo(), afterDb, poolSize);
    Path beforeKeys = settings.work().resolve("versus-before-keys.txt");
    Path afterKeys = settings.work().resolve("versus-after-keys.txt");
    try (BenchNode beforeNode =
            bench.startNode(
                beforeRepo, "versus-before-" + poolSize, Benchmark.nodeEnv(beforeDb, poolSize));
        BenchNode afterNode =
            bench.startNode(
                settings.repo(),
                "versus-after-" + poolSize,
                Benchmark.nodeEnv(afterDb, poolSize))) {
      BenchCredentials.write(
          beforeKeys,
          BenchCredentials.createApiKeys(beforeNode.url(), "versus-" + poolSize, API_KEYS));
      BenchCredentials.write(
          afterKeys,
          BenchCredentials.createApiKeys(afterNode.url(), "versus-" + poolSize, API_KEYS));
      List<Side> sides =
          List.of(
              new Side("before", beforeNode, beforeDb, beforeKeys),
              new Side("after", afterNode, afterDb, afterKeys));
      for (Side side : sides) {
        int status =
            BenchCredentials.activateOnce(
                side.node().url(), Files.readAllLines(side.credentials()).get(0));
        if (status != 200) {
          throw new IllegalStateException(
              side.name() + " answered " + status + " to an activation; see " + side.node().log());
        }
      }
      Benchmark.log("warming up both nodes, pool " + poolSize);
      Map<String, Object> warmups = new LinkedHashMap<>();
      for (Side side : sides) {
        warmups.put(
            side.name(),
            JitWarmUp.run(
                bench,
                side.name(),
                side.node(),
                side.db(),
                reset,
                warmup,
                settings.quick() ? 4 : 5,
                chunk -> run(side, chunk)));
      }
      Map<String, List<Measurement>> measured = new LinkedHashMap<>();
      sides.forEach(side -> measured.put(side.name(), new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        // Each round in the other order, so that a drift of the machine favours neither side.
        List<Side> order = new ArrayList<>(sides);
        Collections.rotate(order, -round);
        for (Side side : order) {
          if (reset) {
            BenchDatabase.freeAll(side.db());
          }
          Measurement m = bench.measuredOnServer(side.node(), () -> run(side, seconds));
          measured.get(side.name()).add(m);
          Benchmark.log(
              String.format(
                  "pool %d, round %d, %s: %.0f/s, p99 %.1f ms, node CPU %.0f µs/request, %d failed",
                  poolSize,
                  round + 1,
                  side.name(),
                  m.rps(),
                  m.p99Ms(),
                  JitWarmUp.cpuPerRequest(m),
                  m.failures()));
        }
      }
      Map<String, Object> out = summarise(poolSize, measured);
      out.put("warmup", warmups);
      return out;
    } finally {
      Files.deleteIfExists(beforeKeys);
      Files.deleteIfExists(afterKeys);
    }
  }

  private Measurement run(Side side, double seconds) throws Exception {
    return bench
        .wrk()
        .run(
            side.name(),
            side.node().url(),
            "activate.lua",
            CONNECTIONS,
            seconds,
            Map.of("BENCH_CREDENTIALS", side.credentials().toString()));
  }

  private static Map<String, Object> summarise(
      int poolSize, Map<String, List<Measurement>> measured) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pool_size", poolSize);
    Measurement before = Measurement.median(measured.get("before"));
    Measurement after = Measurement.median(measured.get("after"));
    out.put("before", before);
    out.put("after", after);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < measured.get("before").size(); i++) {
      ratios.add(measured.get("after").get(i).rps() / measured.get("before").get(i).rps());
    }
    out.put("ratio_of_medians", after.rps() / before.rps());
    out.put("ratios_by_round", ratios);
    out.put("median_of_ratios", Measurement.medianOf(ratios));
    out.put(
        "cpu_us_per_request_change",
        JitWarmUp.cpuPerRequest(after) - JitWarmUp.cpuPerRequest(before));
    out.put("by_round", measured);
    Benchmark.log(
        String.format(
            "pool %d: before %.0f/s, after %.0f/s = %.2f × (rounds' median %.2f ×), CPU %+.0f"
                + " µs/request",
            poolSize,
            before.rps(),
            after.rps(),
            after.rps() / before.rps(),
            (Double) out.get("median_of_ratios"),
            (Double) out.get("cpu_us_per_request_change")));
    return out;
  }
}
