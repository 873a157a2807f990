package dev.tokenpool.cluster;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.ForkedNode;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.RunHistory;
import dev.tokenpool.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * One cluster under test: a fresh MariaDB database, nodes in this JVM and in forked JVMs sharing
 * one configuration (each with its own node id), and a steady activation load. Closing it stops
 * everything and drops the database.
 */
final class ClusterFixture implements AutoCloseable {

  final TestDatabase db;
  final RunHistory history;
  private final NodeSettings settings;
  private final List<TokenPoolNode> localNodes = new ArrayList<>();
  private final List<ForkedNode> forkedNodes = new ArrayList<>();
  private final AtomicBoolean loading = new AtomicBoolean();
  private ExecutorService load;
  private final List<Future<?>> loadThreads = new ArrayList<>();

  ClusterFixture(String purpose, UnaryOperator<NodeSettings> configure) {
    db = MariaDbServer.createDatabase(purpose);
    history = new RunHistory(db);
    settings = configure.apply(NodeSettings.on(db));
  }

  /** A node in this JVM; {@code scheduler} false makes it an API-only node. */
  TokenPoolNode local(String nodeId, boolean scheduler) {
    TokenPoolConfig config =
        settingsFor(nodeId)
            .with(SchedulerSettings.SCHEDULER_ENABLED, String.valueOf(scheduler))
            .config();
    TokenPoolNode node = TokenPoolNode.start(config, Database.open(config.database()));
    localNodes.add(node);
    return node;
  }

  /** Forked nodes, started in parallel. */
  List<ForkedNode> forked(String... nodeIds) throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(nodeIds.length);
    try {
      List<Future<ForkedNode>> starting = new ArrayList<>();
      for (String nodeId : nodeIds) {
        starting.add(starter.submit(() -> ForkedNode.start(nodeId, settings.asMap())));
      }
      List<ForkedNode> started = new ArrayList<>();
      Exception failure = null;
      for (Future<ForkedNode> node : starting) {
        try {
          ForkedNode up = node.get(3, TimeUnit.MINUTES);
          started.add(up);
          forkedNodes.add(up); // closed by close() even when a later node fails to start
        } catch (Exception e) {
          node.cancel(true);
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return started;
    } finally {
      starter.shutdown();
    }
  }

  /**
   * A forked node with settings of its own on top of the cluster's, and more variables in its
   * environment (a preloaded library, say).
   */
  ForkedNode forked(String nodeId, Map<String, String> more, Map<String, String> environment) {
    Map<String, String> all = new java.util.HashMap<>(settings.asMap());
    all.putAll(more);
    ForkedNode node = ForkedNode.start(nodeId, all, environment);
    synchronized (forkedNodes) { // nodes may start on several threads at once
      forkedNodes.add(node);
    }
    return node;
  }

  /** Activations for fresh users from {@code threads} threads, each pausing between calls. */
  void startLoad(TokenPoolNode node, int threads, long pauseMillis) {
    loading.set(true);
    load = Executors.newFixedThreadPool(threads);
    for (int i = 0; i < threads; i++) {
      loadThreads.add(
          load.submit(
              () -> {
                while (loading.get()) {
                  node.tokenService().activate(UUID.randomUUID().toString());
                  Thread.sleep(pauseMillis + ThreadLocalRandom.current().nextLong(pauseMillis + 1));
                }
                return null;
              }));
    }
  }

  /** Stops the load; a load thread that failed fails the caller, instead of stopping silently. */
  void stopLoad() {
    loading.set(false);
    if (load == null) {
      return;
    }
    load.shutdown();
    try {
      for (Future<?> thread : loadThreads) {
        thread.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("A load thread failed: " + e.getCause(), e);
    } finally {
      loadThreads.clear();
      load.shutdownNow();
      load = null;
    }
  }

  Map<String, String> settings() {
    return settings.asMap();
  }

  private NodeSettings settingsFor(String nodeId) {
    NodeSettings copy = NodeSettings.on(db);
    settings.asMap().forEach(copy::with);
    return copy.with(TokenPoolConfig.NODE_ID, nodeId);
  }

  static String uniqueId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  @Override
  public void close() {
    try {
      stopLoad();
    } finally {
      for (ForkedNode node : forkedNodes) {
        node.close();
      }
      for (TokenPoolNode node : localNodes) {
        node.close();
      }
      db.close();
    }
  }
}
