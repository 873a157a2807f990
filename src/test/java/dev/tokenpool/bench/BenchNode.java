package dev.tokenpool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node as operators start it, {@code deploy/run.sh} on the official Tomcat, with the node's
 * default settings plus the given environment. Knows how long it took from launch to its first
 * healthy answer.
 */
final class BenchNode implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Nodes not closed yet: stopped when the benchmark's JVM ends (a timeout's SIGTERM too). */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  RUNNING.forEach(Process::destroy);
                  for (Process process : RUNNING) {
                    try {
                      process.waitFor(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "bench-nodes-stop"));
  }

  private final Process process;
  private final int port;
  private final Path log;
  private final Duration startup;

  private final Duration sinceJvmStart;

  private BenchNode(Process process, int port, Path log, Duration startup, Duration sinceJvmStart) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.startup = startup;
    this.sinceJvmStart = sinceJvmStart;
  }

  /**
   * From the moment the JVM began to start (its own performance counter, the launch scripts
   * excluded) to {@code healthyAt}; negative if the counter cannot be read.
   */
  private static Duration sinceJvmStart(long pid, long healthyAt) {
    String counters = Environment.command("jcmd", String.valueOf(pid), "PerfCounter.print");
    return counters
        .lines()
        .filter(line -> line.startsWith("sun.rt.createVmBeginTime="))
        .map(
            line ->
                Duration.ofMillis(
                    healthyAt - Long.parseLong(line.substring(line.indexOf('=') + 1).trim())))
        .findFirst()
        .orElse(Duration.ofMillis(-1));
  }

  /** From the JVM's start to the first 200 on {@code /health}. */
  Duration sinceJvmStart() {
    return sinceJvmStart;
  }

  /** Starts a node and waits until {@code /health} answers 200. */
  static BenchNode start(
      Path repo, Path workDir, String nodeId, int port, Map<String, String> env) {
    try {
      Path base = workDir.resolve(nodeId);
      Files.createDirectories(base);
      Path log = base.resolve("run.log");
      ProcessBuilder builder =
          new ProcessBuilder("bash", repo.resolve("deploy/run.sh").toString())
              .directory(repo.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("TOKENPOOL_"));
      environment.putAll(env);
      environment.put("PORT", String.valueOf(port));
      environment.put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
      environment.put("TOKENPOOL_NODE_ID", nodeId);
      environment.put("TOKENPOOL_BASE_DIR", base.resolve("catalina-base").toString());
      environment.put("TOKENPOOL_SKIP_BUILD", "1");
      long launched = System.nanoTime();
      Process process = builder.start();
      RUNNING.add(process);
      long deadline = launched + TimeUnit.MINUTES.toNanos(3);
      URI health = URI.create("http://127.0.0.1:" + port + "/health");
      while (true) {
        if (!process.isAlive() || Files.readString(log).contains("tokenpool failed to start")) {
          process.destroyForcibly();
          throw new IllegalStateException("Node " + nodeId + " did not start; see " + log);
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("Node " + nodeId + " not healthy in 3 min; see " + log);
        }
        if (answers200(health)) {
          long healthyAt = System.currentTimeMillis();
          Duration startup = Duration.ofNanos(System.nanoTime() - launched);
          return new BenchNode(
              process, port, log, startup, sinceJvmStart(process.pid(), healthyAt));
        }
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers200(URI uri) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** From the launch of {@code deploy/run.sh} to the first 200 on {@code /health}. */
  Duration startup() {
    return startup;
  }

  /** The JVM's process id (run.sh execs into catalina.sh, which execs into java). */
  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    RUNNING.remove(process);
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
