package dev.tokenpool.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A tokenpool node running in a separate JVM process ({@link ForkedNodeMain}) on this test's class
 * path, which a test can stop, kill -9, freeze (SIGSTOP) and thaw (SIGCONT).
 */
public final class ForkedNode implements AutoCloseable {

  private final String nodeId;
  private final Process process;
  private final Path log;

  private ForkedNode(String nodeId, Process process, Path log) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
  }

  /** Starts a node and waits until it serves (schema migrated, scheduler running). */
  public static ForkedNode start(String nodeId, Map<String, String> settings) {
    return start(nodeId, settings, Map.of());
  }

  /**
   * Starts a node with more variables in its environment (a preloaded library, say) and waits until
   * it serves.
   */
  public static ForkedNode start(
      String nodeId, Map<String, String> settings, Map<String, String> environment) {
    try {
      Path log = Files.createTempFile("tokenpool-" + nodeId + "-", ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-XX:TieredStopAtLevel=1");
      settings.forEach((name, value) -> command.add("-D" + name + "=" + value));
      command.add("-DTOKENPOOL_NODE_ID=" + nodeId);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ForkedNodeMain.class.getName());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      ForkedNode node = new ForkedNode(nodeId, process, log);
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .failFast("node " + nodeId + " exited; see " + log, () -> !process.isAlive())
            .until(() -> Files.readString(log).contains("READY " + nodeId));
      } catch (RuntimeException | Error e) {
        process.destroyForcibly(); // a node that did not come up in time must not outlive the test
        throw e;
      }
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** kill -9: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the JVM keeps its connections and locks but does nothing, as in a long GC pause. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT: the frozen JVM carries on where it stopped. */
  public void thaw() {
    signal("CONT");
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the node cleanly (its scheduler waits for a running job), or kills it if it hangs. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    thaw();
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
