package dev.tokenpool.bench;

import dev.tokenpool.persistence.Database;
import dev.tokenpool.tokens.ActivationFloor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Every measurement of docs/performance.md, in one run on this machine: activation through the API
 * against the same statements over plain JDBC (and a minimal schema), reads, the expiry pass, the
 * scheduler's overhead and lag, and startup. Run it with {@code deploy/bench.sh}.
 *
 * <p>Noise on a shared machine is handled by ratios: each API load is measured next to its JDBC
 * floor, in alternating rounds, and the medians of the rounds are reported.
 */
public final class Benchmark {

  static final String DB = "tokenpool_bench";
  static final String ADMIN_PASSWORD = "bench-admin-password";
  static final Duration LIFETIME = Duration.ofMinutes(2);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Settings settings;
  private final Wrk wrk;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Map<String, Path> credentials = new HashMap<>();
  private int nextPort = 18_300;

  /** The sections of the generated "Latest run" part of docs/performance.md. */
  static final List<String> MAIN_SECTIONS = List.of("startup", "activation", "sweep", "scheduler");

  /**
   * Every section: the main ones, and {@code auth} and {@code versus}, which have generated parts
   * of their own and run only when named in {@code --only} ({@code versus} needs a commit to
   * compare).
   */
  static final List<String> SECTIONS =
      List.of(
          "startup",
          "activation",
          "sweep",
          "scheduler",
          "auth",
          "versus",
          "renew",
          "handoff",
          "pools",
          "tracing");

  /** How many API keys a node of the main sections gets; requests take them in turn. */
  static final int API_KEYS_PER_NODE = 4;

  /**
   * The per-client rate limit of the benchmark's nodes (the node's maximum): the default of 100
   * requests a second per client would measure the limiter, not the node.
   */
  static final String CLIENT_RATE = "1000000";

  /**
   * How long and how often each load runs; {@code --quick} shortens everything, {@code
   * --only=startup,scheduler} measures only those sections and keeps the others' last results;
   * {@code --jfr} has every node record a flight recording ({@code
   * target/bench/nodes/<node>/node.jfr}, written when the node stops).
   */
  record Settings(
      Path repo,
      Path work,
      boolean quick,
      Set<String> only,
      int rounds,
      double seconds,
      double warmup,
      int[] connections,
      boolean jfr) {

    static Settings from(String[] args) {
      boolean quick = Arrays.asList(args).contains("--quick");
      boolean jfr = Arrays.asList(args).contains("--jfr");
      Set<String> only = new LinkedHashSet<>();
      for (String arg : args) {
        if (arg.startsWith("--only=")) {
          only.addAll(Arrays.asList(arg.substring("--only=".length()).split(",")));
        }
      }
      if (!SECTIONS.containsAll(only)) {
        throw new IllegalArgumentException(
            "--only takes sections among " + SECTIONS + ", not " + only);
      }
      Path repo = Path.of("").toAbsolutePath();
      return new Settings(
          repo,
          repo.resolve("target/bench"),
          quick,
          only,
          quick ? 1 : 3,
          quick ? 4 : 6,
          quick ? 20 : 40,
          new int[] {1, 8, 32, 128},
          jfr);
    }

    /** Whether this run measures the section. */
    boolean measures(String section) {
      return only.isEmpty() || only.contains(section);
    }

    /** Whether this run measures any section of the main generated part. */
    boolean measuresMain() {
      return MAIN_SECTIONS.stream().anyMatch(this::measures);
    }
  }

  Benchmark(Settings settings) {
    this.settings = settings;
    this.wrk = new Wrk(settings.repo().resolve("deploy/bench"));
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.from(args);
    Files.createDirectories(settings.work());
    long started = System.nanoTime();
    Benchmark benchmark = new Benchmark(settings);
    if (!settings.only().isEmpty()) {
      Map<String, Object> previous = Report.previousResults(settings.work());
      if (previous.isEmpty() && settings.measuresMain()) {
        // The report needs every section: the others come from the last run, checked before an
        // hour of measuring rather than when the report is written.
        throw new IllegalStateException(
            "--only keeps the other sections' figures from the last run's "
                + settings.work().resolve("results.json")
                + ", and there is none: run deploy/bench.sh (or --quick) once first");
      }
      benchmark.results.putAll(previous);
    }
    try {
      benchmark.run();
    } finally {
      benchmark.deleteCredentials();
    }
    if (settings.measuresMain()) {
      benchmark.results.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
    }
    new Report(settings.repo(), settings.work())
        .write(
            benchmark.results,
            settings.measuresMain(),
            settings.measures("auth"),
            settings.only().contains("versus"),
            settings.only().contains("renew"),
            settings.only().contains("handoff"),
            settings.only().contains("pools"),
            settings.only().contains("tracing"));
  }

  void run() throws Exception {
    if (!BenchDatabase.hasSequenceEngine()) {
      throw new IllegalStateException("The benchmark seeds pools with MariaDB's sequence engine");
    }
    if (settings.measuresMain()) {
      // An --only=auth run keeps the environment of the run the main sections came from.
      results.put("environment", Environment.describe(settings));
    }
    section("startup", this::startup);
    section("activation", this::activation);
    section("sweep", this::sweep);
    section("scheduler", this::scheduler);
    section("auth", () -> new AuthCost(this, settings).measure());
    if (settings.only().contains("versus")) {
      section("versus", () -> new VersusCommit(this, settings).measure());
    }
    if (settings.only().contains("renew")) {
      section("renew", () -> new RenewThroughput(this, settings).measure());
    }
    if (settings.only().contains("handoff")) {
      section("handoff", () -> new HandOff(this, settings).measure());
    }
    if (settings.only().contains("pools")) {
      section("pools", () -> new PoolsAtScale(this, settings).measure());
    }
    if (settings.only().contains("tracing")) {
      section("tracing", () -> new TracingCost(this, settings).measure());
    }
  }

  @FunctionalInterface
  private interface Section {
    Object measure() throws Exception;
  }

  private void section(String name, Section section) throws Exception {
    if (!settings.measures(name)) {
      return;
    }
    log("== " + name);
    results.put(name, section.measure());
  }

  // ---- startup --------------------------------------------------------------------------------

  /**
   * A node's first start on an empty database and a fresh CATALINA_BASE (migrations, pool seeding,
   * and no class data archive yet), then restarts on the existing database, as an operator's
   * restart is: the median of three.
   */
  private Object startup() throws Exception {
    Map<String, Object> startup = new LinkedHashMap<>();
    Path dataDir = settings.work().resolve("h2-startup");
    deleteRecursively(dataDir);
    deleteRecursively(settings.work().resolve("nodes/startup-h2"));
    deleteRecursively(settings.work().resolve("nodes/startup-mariadb"));
    Map<String, String> h2 = Map.of("TOKENPOOL_DATA_DIR", dataDir.toString());
    startup.put("h2", starts("startup-h2", h2));
    BenchDatabase.recreate(DB);
    startup.put("mariadb", starts("startup-mariadb", nodeEnv(DB, 100)));
    return startup;
  }

  private Map<String, Object> starts(String nodeId, Map<String, String> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Double> launch = new ArrayList<>();
    List<Double> jvm = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (BenchNode node = startNode(nodeId, env)) {
        log(
            String.format(
                "%s healthy %d ms after launch, %d ms after the JVM started",
                nodeId, node.startup().toMillis(), node.sinceJvmStart().toMillis()));
        if (i == 0) {
          out.put("first_start_ms", node.startup().toMillis());
        } else {
          launch.add((double) node.startup().toMillis());
          jvm.add((double) node.sinceJvmStart().toMillis());
        }
      }
    }
    out.put("restart_ms_p50", percentile(launch, 50));
    out.put("restart_jvm_ms_p50", percentile(jvm, 50));
    return out;
  }

  // ---- activation -----------------------------------------------------------------------------

  private Object activation() throws Exception {
    Map<String, Object> activation = new LinkedHashMap<>();
    activation.put("pool_100", activationAt(100, true));
    activation.put("pool_100000", activationAt(100_000, false));
    return activation;
  }

  /** API, floor and minimal floor at every concurrency, for one pool size. */
  private Map<String, Object> activationAt(int poolSize, boolean withReads) throws Exception {
    boolean reset = poolSize > 1_000;
    preparePool(DB, poolSize);
    try (Connection connection = BenchDatabase.connect(DB)) {
      MinimalFloor.create(connection, poolSize);
    }
    int maxConnections = Arrays.stream(settings.connections()).max().orElse(1);
    Map<String, Object> out = new LinkedHashMap<>();
    // One pool for both floors: with the node's connections it stays within MariaDB's default
    // limit of 151.
    try (BenchNode node = startNode("bench", nodeEnv(DB, poolSize));
        Database floorPool = BenchDatabase.pool(DB, maxConnections)) {
      log("warming up pool " + poolSize);
      // The JIT compiles the request path under load; a cold node is several times slower.
      for (int connections : new int[] {1, 8, 32}) {
        apiActivations(node, connections, settings.warmup() / 3);
      }
      floor(floorPool, 8, settings.warmup() / 2);
      JdbcLoad.run(
          "minimal", floorPool.dataSource(), 8, settings.warmup() / 2, MinimalFloor::activate);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int connections : settings.connections()) {
        List<Measurement> api = new ArrayList<>();
        List<Measurement> floor = new ArrayList<>();
        List<Measurement> minimal = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
          // Alternate which load goes first, so a drift of the machine favours neither.
          List<Runnable> loads = new ArrayList<>();
          loads.add(
              unchecked(
                  () -> {
                    if (reset) {
                      BenchDatabase.freeAll(DB);
                    }
                    api.add(
                        measuredOnServer(
                            node, () -> apiActivations(node, connections, settings.seconds())));
                  }));
          loads.add(
              unchecked(
                  () -> {
                    if (reset) {
                      BenchDatabase.freeAll(DB);
                    }
                    floor.add(
                        measuredOnServer(
                            null, () -> floor(floorPool, connections, settings.seconds())));
                  }));
          if (round % 2 == 1) {
            java.util.Collections.reverse(loads);
          }
          loads.forEach(Runnable::run);
          if (reset) {
            BenchDatabase.execute(DB, MinimalFloor.FREE_ALL);
          }
          minimal.add(
              JdbcLoad.run(
                  "minimal",
                  floorPool.dataSource(),
                  connections,
                  settings.seconds(),
                  MinimalFloor::activate));
        }
        Measurement apiMedian = Measurement.median(api);
        Measurement floorMedian = Measurement.median(floor);
        Measurement minimalMedian = Measurement.median(minimal);
        log(
            String.format(
                "pool %d, %d connections: API %.0f/s p99 %.1f ms | floor %.0f/s p99 %.1f ms | minimal %.0f/s",
                poolSize,
                connections,
                apiMedian.rps(),
                apiMedian.p99Ms(),
                floorMedian.rps(),
                floorMedian.p99Ms(),
                minimalMedian.rps()));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("connections", connections);
        row.put("api", apiMedian);
        row.put("floor", floorMedian);
        row.put("minimal_schema", minimalMedian);
        row.put("api_to_floor_rps", apiMedian.rps() / floorMedian.rps());
        row.put("api_to_floor_p99", apiMedian.p99Ms() / floorMedian.p99Ms());
        row.put("api_to_floor_p50", apiMedian.p50Ms() / floorMedian.p50Ms());
        row.put("api_to_minimal_rps", apiMedian.rps() / minimalMedian.rps());
        row.put("rounds", Map.of("api", api, "floor", floor, "minimal_schema", minimal));
        rows.add(row);
      }
      out.put("pool_size", poolSize);
      out.put("rows", rows);
      if (withReads) {
        out.put("reads", reads(node));
      }
    }
    return out;
  }

  private Measurement apiActivations(BenchNode node, int connections, double seconds)
      throws IOException, InterruptedException {
    return wrk.run(
        "api",
        node.url(),
        "activate.lua",
        connections,
        seconds,
        Map.of("BENCH_CREDENTIALS", credentialsFor(node).toString()));
  }

  /**
   * The file of the node's bearer credentials for the wrk scripts: {@value #API_KEYS_PER_NODE} API
   * keys with the scope that names any user, made through the admin API on first use (a node
   * started again on the same database gets keys of its own). Deleted at the end of the run.
   */
  Path credentialsFor(BenchNode node) throws IOException, InterruptedException {
    Path file = credentials.get(node.url());
    if (file == null) {
      List<String> keys =
          BenchCredentials.createApiKeys(
              node.url(), "bench-" + node.url().replaceAll("\\D+", ""), API_KEYS_PER_NODE);
      file =
          BenchCredentials.write(
              settings.work().resolve("credentials-" + credentials.size() + ".txt"), keys);
      credentials.put(node.url(), file);
    }
    return file;
  }

  /** The first credential of the node, for requests the benchmark sends itself. */
  String bearerFor(BenchNode node) throws IOException, InterruptedException {
    return "Bearer " + Files.readAllLines(credentialsFor(node)).get(0);
  }

  private void deleteCredentials() throws IOException {
    for (Path file : credentials.values()) {
      Files.deleteIfExists(file);
    }
    credentials.clear();
  }

  Wrk wrk() {
    return wrk;
  }

  private Measurement floor(Database pool, int connections, double seconds)
      throws InterruptedException {
    ActivationFloor floor = new ActivationFloor(LIFETIME, connections);
    return JdbcLoad.run("floor", pool.dataSource(), connections, seconds, floor::activate);
  }

  /** Runs a load and adds the server's CPU and statements per committed transaction. */
  Measurement measuredOnServer(BenchNode node, Callable<Measurement> load) throws Exception {
    long server = Environment.mariadbPid();
    Map<String, Long> before = BenchDatabase.status();
    long serverTicks = BenchDatabase.processCpuTicks(server);
    long nodeTicks = node == null ? 0 : BenchDatabase.processCpuTicks(node.pid());
    Measurement measured = load.call();
    Map<String, Long> after = BenchDatabase.status();
    long commits = Math.max(1, delta(before, after, "Com_commit"));
    measured =
        measured
            .withNote(
                "db_cpu_us_per_tx",
                (BenchDatabase.processCpuTicks(server) - serverTicks) * 10_000.0 / commits)
            .withNote("statements_per_tx", (delta(before, after, "Questions") - 2.0) / commits);
    if (node != null) {
      measured =
          measured.withNote(
              "node_cpu_us_per_request",
              (BenchDatabase.processCpuTicks(node.pid()) - nodeTicks)
                  * 10_000.0
                  / Math.max(1, measured.requests()));
    }
    return measured;
  }

  @FunctionalInterface
  interface Callable<T> {
    T call() throws Exception;
  }

  private Map<String, Object> reads(BenchNode node) throws Exception {
    Path tokenPaths = settings.work().resolve("token-paths.txt");
    List<String> paths = new ArrayList<>();
    try (Connection connection = BenchDatabase.connect(DB);
        PreparedStatement statement = connection.prepareStatement("SELECT id FROM tokens");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        paths.add("/api/tokens/" + rows.getString(1));
      }
    }
    Files.write(tokenPaths, paths);
    Path activePath = settings.work().resolve("active-path.txt");
    Files.writeString(activePath, "/api/tokens?state=active\n");
    Map<String, Object> reads = new LinkedHashMap<>();
    for (int connections : new int[] {8, 32}) {
      reads.put(
          "token_" + connections,
          wrk.run(
              "one token",
              node.url(),
              "get.lua",
              connections,
              settings.seconds(),
              Map.of(
                  "BENCH_PATHS",
                  tokenPaths.toString(),
                  "BENCH_CREDENTIALS",
                  credentialsFor(node).toString())));
      reads.put(
          "active_listing_" + connections,
          wrk.run(
              "active listing",
              node.url(),
              "get.lua",
              connections,
              settings.seconds(),
              Map.of(
                  "BENCH_PATHS",
                  activePath.toString(),
                  "BENCH_CREDENTIALS",
                  credentialsFor(node).toString())));
    }
    return reads;
  }

  // ---- expiry pass ----------------------------------------------------------------------------

  private Object sweep() throws Exception {
    Map<String, Object> sweep = new LinkedHashMap<>();
    String db = DB + "_sweep";
    int expired = 100_000;
    preparePool(db, 2 * expired);
    Map<String, String> env = new HashMap<>(nodeEnv(db, 2 * expired));
    env.put("TOKENPOOL_EXPIRY_INTERVAL", "PT1H");
    try (BenchNode node = startNode("bench-sweep", env)) {
      List<Map<String, Object>> passes = new ArrayList<>();
      for (int i = 0; i < (settings.quick() ? 1 : 2); i++) {
        BenchDatabase.holdExpired(db, 1, expired);
        passes.add(expireNow(node, db));
      }
      sweep.put("release_passes", passes);
      log("release passes: " + passes);

      BenchDatabase.freeAll(db);
      BenchDatabase.holdExpired(db, 1, expired);
      apiActivations(node, 32, settings.warmup() / 2);
      Measurement without = apiActivations(node, 32, settings.seconds() * 2);
      BenchDatabase.freeAll(db);
      BenchDatabase.holdExpired(db, 1, expired);
      AtomicBoolean passDone = new AtomicBoolean();
      ExecutorService background = Executors.newSingleThreadExecutor();
      try {
        CompletableFuture<Map<String, Object>> pass =
            CompletableFuture.supplyAsync(
                unchecked(
                    () -> {
                      Thread.sleep(1_000);
                      Map<String, Object> result = expireNow(node, db);
                      passDone.set(true);
                      return result;
                    }),
                background);
        Measurement during = apiActivations(node, 32, settings.seconds() * 2);
        Map<String, Object> passResult = pass.get();
        sweep.put("activation_without_pass", without);
        sweep.put("activation_during_pass", during);
        sweep.put("pass_under_load", passResult);
        sweep.put("pass_finished_within_load", passDone.get());
        sweep.put("p99_during_to_without", during.p99Ms() / without.p99Ms());
        log(
            String.format(
                "activation p99 %.1f ms without a pass, %.1f ms during one (%s)",
                without.p99Ms(), during.p99Ms(), passResult));
      } finally {
        background.shutdownNow();
      }
    }
    BenchDatabase.drop(db);
    sweep.put("empty_passes", emptyPasses());
    return sweep;
  }

  /** A manual expiry pass through the admin API, with its time as the client and the run saw it. */
  Map<String, Object> expireNow(BenchNode node, String db) throws Exception {
    long rowsRead = BenchDatabase.rowsRead(BenchDatabase.status());
    long start = System.nanoTime();
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + "/api/admin/expire-now"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - start) / 1e9;
    long read = BenchDatabase.rowsRead(BenchDatabase.status()) - rowsRead;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "expire-now answered " + response.statusCode() + ": " + response.body());
    }
    long released = Long.parseLong(response.body().replaceAll("\\D+", ""));
    long runMillis =
        BenchDatabase.scalar(
            db, "SELECT finished_at - started_at FROM job_runs ORDER BY id DESC LIMIT 1");
    Map<String, Object> pass = new LinkedHashMap<>();
    pass.put("released", released);
    pass.put("http_seconds", seconds);
    pass.put("run_ms", runMillis);
    pass.put("releases_per_second", released / Math.max(runMillis / 1000.0, 1e-3));
    pass.put("rows_read", read);
    return pass;
  }

  /** Passes that find nothing to end, on pools of growing size: they must not grow with it. */
  private List<Map<String, Object>> emptyPasses() throws Exception {
    String db = DB + "_empty";
    BenchDatabase.recreate(db);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int size : new int[] {100, 100_000, 1_000_000}) {
      preparePoolInPlace(db, size);
      Map<String, String> env = new HashMap<>(nodeEnv(db, size));
      env.put("TOKENPOOL_EXPIRY_INTERVAL", "PT1H");
      try (BenchNode node = startNode("bench-empty", env)) {
        for (int i = 0; i < 3; i++) {
          expireNow(node, db);
        }
        List<Double> runMs = new ArrayList<>();
        List<Double> httpMs = new ArrayList<>();
        List<Double> rowsRead = new ArrayList<>();
        for (int i = 0; i < (settings.quick() ? 10 : 30); i++) {
          Map<String, Object> pass = expireNow(node, db);
          runMs.add(((Number) pass.get("run_ms")).doubleValue());
          httpMs.add((Double) pass.get("http_seconds") * 1000);
          rowsRead.add(((Number) pass.get("rows_read")).doubleValue());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pool_size", size);
        row.put("run_ms_p50", percentile(runMs, 50));
        row.put("run_ms_max", percentile(runMs, 100));
        row.put("http_ms_p50", percentile(httpMs, 50));
        row.put("rows_read_p50", percentile(rowsRead, 50));
        out.add(row);
        log("empty pass: " + row);
      }
    }
    BenchDatabase.drop(db);
    return out;
  }

  // ---- scheduler ------------------------------------------------------------------------------

  private Object scheduler() throws Exception {
    Map<String, Object> scheduler = new LinkedHashMap<>();
    String db = DB + "_cluster";
    BenchDatabase.recreate(db);
    int nodes = 3;
    double idleSeconds = settings.quick() ? 30 : 60;
    List<BenchNode> cluster = startCluster(db, nodes, Map.of());
    try {
      Thread.sleep(5_000);
      Map<String, Long> before = BenchDatabase.status();
      Thread.sleep((long) (idleSeconds * 1000));
      Map<String, Long> after = BenchDatabase.status();
      Map<String, Object> idle = new LinkedHashMap<>();
      idle.put("nodes", nodes);
      idle.put("seconds", idleSeconds);
      // Two SHOW GLOBAL STATUS of our own are in the count.
      double queries = delta(before, after, "Questions") - 2;
      idle.put("queries_per_second_per_node", queries / idleSeconds / nodes);
      for (String counter :
          List.of("Com_select", "Com_update", "Com_insert", "Com_delete", "Com_commit")) {
        idle.put(
            counter.toLowerCase() + "_per_second_per_node",
            delta(before, after, counter) / idleSeconds / nodes);
      }
      scheduler.put("idle_cluster", idle);
      log("idle cluster: " + idle);
    } finally {
      cluster.forEach(BenchNode::close);
    }

    BenchDatabase.recreate(db);
    Map<String, String> busy =
        Map.of(
            "TOKENPOOL_EXPIRY_INTERVAL", "PT1S",
            "TOKENPOOL_TOKEN_LIFETIME", "PT5S");
    cluster = startCluster(db, nodes, busy);
    try {
      double seconds = settings.quick() ? 30 : 60;
      // Steady state only: fires while the other nodes were still starting (two cores shared by
      // three booting JVMs) measure start-up, which has its own section.
      Thread.sleep(5_000);
      long from = System.currentTimeMillis();
      long count = lightLoad(cluster, seconds);
      scheduler.put("lag_and_lateness", lagAndLateness(db, from, seconds, count));
      log("lag and lateness: " + scheduler.get("lag_and_lateness"));
    } finally {
      cluster.forEach(BenchNode::close);
    }
    BenchDatabase.drop(db);
    return scheduler;
  }

  private List<BenchNode> startCluster(String db, int nodes, Map<String, String> extra) {
    List<BenchNode> cluster = new ArrayList<>();
    try {
      for (int i = 1; i <= nodes; i++) {
        Map<String, String> env = new HashMap<>(nodeEnv(db, 100));
        env.putAll(extra);
        cluster.add(startNode("bench-cluster-" + i, env));
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.forEach(BenchNode::close);
      throw e;
    }
  }

  /** About 30 activations a second, spread over the nodes, for {@code seconds}. */
  private long lightLoad(List<BenchNode> cluster, double seconds) throws Exception {
    // The nodes share one database, so one node's API key is good on all of them.
    String bearer = bearerFor(cluster.get(0));
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long sent = 0;
    List<String> recent = new ArrayList<>();
    while (System.nanoTime() < end) {
      BenchNode node = cluster.get((int) (sent % cluster.size()));
      String user =
          sent % 3 == 0 && !recent.isEmpty()
              ? recent.get((int) (sent % recent.size()))
              : UUID.randomUUID().toString();
      recent.add(user);
      if (recent.size() > 50) {
        recent.remove(0);
      }
      HTTP.send(
          HttpRequest.newBuilder(URI.create(node.url() + "/api/tokens/activate"))
              .header("Content-Type", "application/json")
              .header("Authorization", bearer)
              .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\"}"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      sent++;
      Thread.sleep(33);
    }
    return sent;
  }

  private Map<String, Object> lagAndLateness(String db, long from, double seconds, long activations)
      throws SQLException {
    List<Double> lag = new ArrayList<>();
    List<Double> sweptLate = new ArrayList<>();
    List<Double> lazyLate = new ArrayList<>();
    try (Connection connection = BenchDatabase.connect(db)) {
      query(
          connection,
          "SELECT started_at - scheduled_at FROM job_runs WHERE manual = FALSE"
              + " AND scheduled_at >= "
              + from
              + " AND job_name = 'expire-tokens'",
          row -> lag.add(row.getDouble(1)));
      // A swept usage ended inside its run's transaction: at the latest when the run finished.
      query(
          connection,
          "SELECT r.finished_at - u.expires_at FROM usages u JOIN job_runs r"
              + " ON r.fire_instance_id = u.ended_by_run WHERE u.end_reason = 'EXPIRED'"
              + " AND u.expires_at >= "
              + from,
          row -> sweptLate.add(row.getDouble(1)));
      // A usage ended lazily ended when the next usage of its token began.
      query(
          connection,
          "SELECT (SELECT MIN(n.started_at) FROM usages n WHERE n.token_id = u.token_id"
              + " AND n.id > u.id) - u.expires_at FROM usages u"
              + " WHERE u.end_reason = 'EXPIRED' AND u.ended_by_run IS NULL AND u.expires_at >= "
              + from,
          row -> lazyLate.add(row.getDouble(1)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("expiry_interval_ms", 1000);
    out.put("token_lifetime_ms", 5000);
    out.put("seconds", seconds);
    out.put("activations", activations);
    out.put("scheduled_fires", lag.size());
    out.put("fire_to_start_ms_p50", percentile(lag, 50));
    out.put("fire_to_start_ms_p99", percentile(lag, 99));
    out.put("fire_to_start_ms_max", percentile(lag, 100));
    out.put("swept_usages", sweptLate.size());
    out.put("swept_lateness_ms_p50", percentile(sweptLate, 50));
    out.put("swept_lateness_ms_p99", percentile(sweptLate, 99));
    out.put("swept_lateness_ms_max", percentile(sweptLate, 100));
    out.put("lazily_ended_usages", lazyLate.size());
    out.put("lazy_lateness_ms_p50", percentile(lazyLate, 50));
    out.put("lazy_lateness_ms_p99", percentile(lazyLate, 99));
    return out;
  }

  @FunctionalInterface
  private interface RowConsumer {
    void accept(ResultSet row) throws SQLException;
  }

  private static void query(Connection connection, String sql, RowConsumer consumer)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        consumer.accept(rows);
      }
    }
    connection.commit();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A fresh database with a migrated pool of {@code size} tokens. */
  private void preparePool(String db, int size) throws Exception {
    preparePool(settings.repo(), db, size);
  }

  /** A fresh database with a pool of {@code size} tokens, migrated by the WAR of {@code repo}. */
  void preparePool(Path repo, String db, int size) throws Exception {
    BenchDatabase.recreate(db);
    preparePoolInPlace(repo, db, size);
  }

  private void preparePoolInPlace(String db, int size) throws Exception {
    preparePoolInPlace(settings.repo(), db, size);
  }

  /**
   * Migrates the schema with a node of 100 tokens, then adds the rest with set-based SQL: a node
   * seeds a pool in batches, which is correct but slow for a million tokens.
   */
  private void preparePoolInPlace(Path repo, String db, int size) throws Exception {
    long tables =
        BenchDatabase.scalar(
            null,
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + db
                + "' AND TABLE_NAME = 'tokens'");
    if (tables == 0) {
      Map<String, String> env =
          repo.equals(settings.repo())
              ? nodeEnv(db, Math.min(size, 100))
              : baselineEnv(db, Math.min(size, 100));
      try (BenchNode seeder = startNode(repo, "bench-seed", env)) {
        log("schema of " + db + " migrated by " + seeder.url());
      }
    }
    BenchDatabase.growPool(db, size);
  }

  /**
   * A node's environment: the database, the pool size, a known admin password and a client rate
   * limit that never refuses; defaults otherwise.
   */
  static Map<String, String> nodeEnv(String db, int poolSize) {
    Map<String, String> env = baselineEnv(db, poolSize);
    env.put("TOKENPOOL_CLIENT_RATE", CLIENT_RATE);
    return env;
  }

  /** The environment of a node of the commit before issue 16, which had no client settings. */
  static Map<String, String> baselineEnv(String db, int poolSize) {
    Map<String, String> env = new HashMap<>();
    env.put("TOKENPOOL_DB_URL", BenchDatabase.url(db));
    env.put("TOKENPOOL_DB_USER", BenchDatabase.USER);
    env.put("TOKENPOOL_POOL_SIZE", String.valueOf(poolSize));
    env.put("TOKENPOOL_ADMIN_PASSWORD", ADMIN_PASSWORD);
    return env;
  }

  private BenchNode startNode(String nodeId, Map<String, String> env) {
    return startNode(settings.repo(), nodeId, env);
  }

  /**
   * Starts a node of the WAR built in {@code repo} (this tree, or a baseline's); with {@code --jfr}
   * it records a flight recording into its directory.
   */
  BenchNode startNode(Path repo, String nodeId, Map<String, String> env) {
    Map<String, String> environment = new HashMap<>(env);
    if (settings.jfr()) {
      Path recording = settings.work().resolve("nodes").resolve(nodeId).resolve("node.jfr");
      environment.put(
          "CATALINA_OPTS",
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
      // A JVM that writes a class data archive at exit runs without JFR.
      environment.put("TOKENPOOL_CDS", "0");
    }
    return BenchNode.start(repo, settings.work().resolve("nodes"), nodeId, nextPort++, environment);
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String counter) {
    return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
  }

  static double percentile(List<Double> values, double percentile) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static <T> Supplier<T> unchecked(Callable<T> callable) {
    return () -> {
      try {
        return callable.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private static Runnable unchecked(Action action) {
    return () -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static void log(String message) {
    System.out.println("[bench] " + message);
  }
}
