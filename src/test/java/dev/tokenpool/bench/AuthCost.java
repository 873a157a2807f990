package dev.tokenpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What authentication costs (issue 16): activations at 32 connections with bearer credentials on
 * the current WAR against the anonymous API of the commit before the issue, on pools of 100 and
 * 100,000, the two WARs running side by side (each node on a fresh MariaDB database of its own) and
 * measured in alternating rounds of one run.
 *
 * <p>The current node gets a fixed set of clients: {@value #API_KEYS} API keys (made through the
 * admin API) and {@value #JWTS} JWTs from the benchmark's own provider ({@link BenchIssuer}), all
 * with the scope that names any user. Each round measures four loads in rotating order: the
 * baseline without credentials, the current node with keys and JWTs in turn, with keys only and
 * with JWTs only. The node's CPU time per request ({@code /proc/<pid>/stat}) of each load, less the
 * baseline's, is what authentication (and whatever else the issue added to the request) costs.
 */
final class AuthCost {

  static final String BASELINE_COMMIT =
      System.getenv().getOrDefault("BENCH_BASELINE_COMMIT", "70a4550");
  static final int API_KEYS = 16;
  static final int JWTS = 16;
  static final int CONNECTIONS = 32;
  static final double TARGET_RATIO = 0.9;
  static final Duration JWT_LIFETIME = Duration.ofHours(6);

  /** The pool sizes; {@code BENCH_AUTH_POOLS=100} measures one (for a profile, say). */
  static final int[] POOLS =
      java.util.Arrays.stream(
              System.getenv().getOrDefault("BENCH_AUTH_POOLS", "100,100000").split(","))
          .mapToInt(pool -> Integer.parseInt(pool.trim()))
          .toArray();

  static final int LAST_POOL = POOLS[POOLS.length - 1];

  /** One load of a round: which node, which credentials (null: none). */
  private record Load(String name, BenchNode node, String db, Path credentials) {}

  private final Benchmark bench;
  private final Benchmark.Settings settings;
  private final int rounds;
  private final double seconds;
  private final double warmup;

  AuthCost(Benchmark bench, Benchmark.Settings settings) {
    this.bench = bench;
    this.settings = settings;
    this.rounds = settings.quick() ? 3 : 5;
    this.seconds = settings.quick() ? 6 : 15;
    // Two nodes to warm up, one of them on three loads: more than the other sections' warm-up.
    this.warmup = settings.quick() ? 24 : 60;
  }

  Map<String, Object> measure() throws Exception {
    long started = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("environment", Environment.ofSection(settings));
    Path baseline =
        Baseline.build(settings.repo(), settings.work().resolve("baseline"), BASELINE_COMMIT);
    out.put("baseline_commit", BASELINE_COMMIT);
    out.put("baseline_commit_full", Files.readString(baseline.resolve(".built")).trim());
    out.put("connections", CONNECTIONS);
    out.put("rounds", rounds);
    out.put("seconds_per_load", seconds);
    out.put("warmup_seconds", warmup);
    out.put("api_keys", API_KEYS);
    out.put("jwts", JWTS);
    out.put("jfr", settings.jfr());
    try (BenchIssuer issuer = BenchIssuer.start()) {
      for (int pool : POOLS) {
        out.put("pool_" + pool, atPool(pool, baseline, issuer, out));
      }
      out.put("jwks_fetches", issuer.keyFetches());
    }
    out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    return out;
  }

  private Map<String, Object> atPool(
      int poolSize, Path baselineRepo, BenchIssuer issuer, Map<String, Object> auth)
      throws Exception {
    boolean reset = poolSize > 1_000;
    String baseDb = Benchmark.DB + "_auth_base";
    String currentDb = Benchmark.DB + "_auth_cur";
    bench.preparePool(baselineRepo, baseDb, poolSize);
    bench.preparePool(settings.repo(), currentDb, poolSize);
    Map<String, String> currentEnv = new HashMap<>(Benchmark.nodeEnv(currentDb, poolSize));
    currentEnv.put("TOKENPOOL_OIDC_ISSUER", issuer.issuer());
    currentEnv.put("TOKENPOOL_OIDC_AUDIENCE", BenchIssuer.AUDIENCE);
    Path keysFile = settings.work().resolve("auth-api-keys.txt");
    Path jwtsFile = settings.work().resolve("auth-jwts.txt");
    Path mixedFile = settings.work().resolve("auth-mixed.txt");
    Map<String, Object> out = new LinkedHashMap<>();
    try (BenchNode base =
            bench.startNode(
                baselineRepo,
                "auth-baseline-" + poolSize,
                Benchmark.baselineEnv(baseDb, poolSize));
        BenchNode current =
            bench.startNode(settings.repo(), "auth-current-" + poolSize, currentEnv)) {
      List<String> keys =
          BenchCredentials.createApiKeys(current.url(), "bench-key-" + poolSize, API_KEYS);
      List<String> jwts = new ArrayList<>();
      for (int i = 1; i <= JWTS; i++) {
        jwts.add(issuer.token("bench-service-" + i, BenchCredentials.SERVICE_SCOPE, JWT_LIFETIME));
      }
      List<String> mixed = new ArrayList<>();
      for (int i = 0; i < Math.max(keys.size(), jwts.size()); i++) {
        if (i < keys.size()) {
          mixed.add(keys.get(i));
        }
        if (i < jwts.size()) {
          mixed.add(jwts.get(i));
        }
      }
      BenchCredentials.write(keysFile, keys);
      BenchCredentials.write(jwtsFile, jwts);
      BenchCredentials.write(mixedFile, mixed);
      check(base, current, keys.get(0), jwts.get(0));

      List<Load> loads =
          List.of(
              new Load("baseline", base, baseDb, null),
              new Load("bearer", current, currentDb, mixedFile),
              new Load("api_keys", current, currentDb, keysFile),
              new Load("jwts", current, currentDb, jwtsFile));
      Benchmark.log("warming up both nodes, pool " + poolSize);
      Map<String, Object> warmups = new LinkedHashMap<>();
      for (Load load : loads) {
        warmups.put(load.name(), warmUp(load, reset));
      }
      out.put("warmup", warmups);
      Map<String, List<Measurement>> measured = new LinkedHashMap<>();
      loads.forEach(load -> measured.put(load.name(), new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        // Each round in another order, so that a drift of the machine favours no load.
        List<Load> order = new ArrayList<>(loads);
        Collections.rotate(order, -round);
        for (Load load : order) {
          if (reset) {
            BenchDatabase.freeAll(load.db());
          }
          Measurement m = bench.measuredOnServer(load.node(), () -> run(load, seconds));
          measured.get(load.name()).add(m);
          Benchmark.log(
              String.format(
                  "pool %d, round %d, %s: %.0f/s, p99 %.1f ms, node CPU %.0f µs/request, %d failed",
                  poolSize,
                  round + 1,
                  load.name(),
                  m.rps(),
                  m.p99Ms(),
                  m.notes().getOrDefault("node_cpu_us_per_request", Double.NaN),
                  m.failures()));
        }
      }
      out.putAll(summarise(poolSize, measured));
      if (poolSize == LAST_POOL) {
        try {
          auth.put(
              "in_process", AuthInProcess.measure(currentDb, issuer.issuer(), keys, jwts, seconds));
        } catch (Exception | LinkageError e) {
          // The node-level figures stand without it; say why it is missing.
          Benchmark.log("authentication in process could not be measured: " + e);
          auth.put("in_process_error", e.toString());
        }
      }
    } finally {
      Files.deleteIfExists(keysFile);
      Files.deleteIfExists(jwtsFile);
      Files.deleteIfExists(mixedFile);
    }
    return out;
  }

  /** At least {@code warmup / 2} seconds per node, the current node's split over its loads. */
  private List<Double> warmUp(Load load, boolean reset) throws Exception {
    double minimum = load.name().equals("baseline") ? warmup / 2 : warmup / 6;
    return JitWarmUp.run(
        bench,
        load.name(),
        load.node(),
        load.db(),
        reset,
        minimum,
        settings.quick() ? 4 : 5,
        chunk -> run(load, chunk));
  }

  private Measurement run(Load load, double seconds) throws Exception {
    Map<String, String> env =
        load.credentials() == null
            ? Map.of()
            : Map.of("BENCH_CREDENTIALS", load.credentials().toString());
    return bench
        .wrk()
        .run(load.name(), load.node().url(), "activate.lua", CONNECTIONS, seconds, env);
  }

  /**
   * Before measuring: the baseline answers anonymous activations, the current node refuses them and
   * accepts an API key and a JWT (a load of 401s would be fast and mean nothing).
   */
  private static void check(BenchNode base, BenchNode current, String key, String jwt)
      throws Exception {
    int baseline = BenchCredentials.activateOnce(base.url(), null);
    int anonymous = BenchCredentials.activateOnce(current.url(), null);
    int withKey = BenchCredentials.activateOnce(current.url(), key);
    int withJwt = BenchCredentials.activateOnce(current.url(), jwt);
    if (baseline != 200 || anonymous != 401 || withKey != 200 || withJwt != 200) {
      throw new IllegalStateException(
          String.format(
              "Unexpected answers before measuring: baseline anonymous %d (200 expected), current"
                  + " anonymous %d (401), with an API key %d (200), with a JWT %d (200); see %s"
                  + " and %s",
              baseline, anonymous, withKey, withJwt, base.log(), current.log()));
    }
  }

  private static Map<String, Object> summarise(
      int poolSize, Map<String, List<Measurement>> measured) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pool_size", poolSize);
    Map<String, Measurement> medians = new LinkedHashMap<>();
    measured.forEach((name, runs) -> medians.put(name, Measurement.median(runs)));
    out.put("loads", medians);
    Measurement baseline = medians.get("baseline");
    double baseCpu = cpu(baseline);
    Map<String, Object> ratios = new LinkedHashMap<>();
    Map<String, Object> roundRatios = new LinkedHashMap<>();
    Map<String, Object> authCpu = new LinkedHashMap<>();
    Map<String, Object> roundAuthCpu = new LinkedHashMap<>();
    for (String name : List.of("bearer", "api_keys", "jwts")) {
      ratios.put(name, medians.get(name).rps() / baseline.rps());
      authCpu.put(name, cpu(medians.get(name)) - baseCpu);
      List<Double> perRound = new ArrayList<>();
      List<Double> cpuPerRound = new ArrayList<>();
      for (int i = 0; i < measured.get(name).size(); i++) {
        Measurement b = measured.get("baseline").get(i);
        Measurement c = measured.get(name).get(i);
        perRound.add(c.rps() / b.rps());
        cpuPerRound.add(cpu(c) - cpu(b));
      }
      roundRatios.put(name, perRound);
      roundAuthCpu.put(name, cpuPerRound);
    }
    out.put("rps_to_baseline", ratios);
    out.put("rps_to_baseline_by_round", roundRatios);
    out.put("auth_cpu_us_per_request", authCpu);
    out.put("auth_cpu_us_per_request_by_round", roundAuthCpu);
    out.put("by_round", measured);
    Benchmark.log(
        String.format(
            "pool %d: baseline %.0f/s (%.0f µs CPU/request); bearer %.0f/s = %.2f × (%+.0f µs);"
                + " API keys %.0f/s = %.2f × (%+.0f µs); JWTs %.0f/s = %.2f × (%+.0f µs)",
            poolSize,
            baseline.rps(),
            baseCpu,
            medians.get("bearer").rps(),
            (Double) ratios.get("bearer"),
            (Double) authCpu.get("bearer"),
            medians.get("api_keys").rps(),
            (Double) ratios.get("api_keys"),
            (Double) authCpu.get("api_keys"),
            medians.get("jwts").rps(),
            (Double) ratios.get("jwts"),
            (Double) authCpu.get("jwts")));
    return out;
  }

  private static double cpu(Measurement m) {
    return JitWarmUp.cpuPerRequest(m);
  }
}
