package dev.tokenpool.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node as operators run it: {@code deploy/run.sh} starting the official Tomcat distribution with
 * the built WAR, configured by environment variables. Stopped with SIGTERM, as a service manager
 * would.
 */
public final class TomcatNode implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;

  private TomcatNode(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static TomcatNode start(String nodeId, int port, Map<String, String> environment) {
    try {
      Path base = Files.createTempDirectory("tokenpool-tomcat-" + nodeId);
      Path log = base.resolve("run.log");
      ProcessBuilder builder =
          new ProcessBuilder("bash", Path.of("deploy", "run.sh").toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.putAll(environment);
      env.put("PORT", String.valueOf(port));
      env.put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
      env.put("TOKENPOOL_NODE_ID", nodeId);
      env.put("TOKENPOOL_BASE_DIR", base.resolve("catalina-base").toString());
      env.put("TOKENPOOL_SKIP_BUILD", "1"); // mvn verify built the WAR before the tests
      // A class data archive would be written into this throwaway directory at every stop.
      env.put("TOKENPOOL_CDS", "0");
      Process process = builder.start();
      TomcatNode node = new TomcatNode(process, log, port);
      HttpClient http = HttpClient.newHttpClient();
      try {
        // A bound, not a wait: a node is up in about 15 s, but two starting side by side on a
        // loaded 2-core machine were seen to take 2 minutes (migration and seeding racing).
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500))
            .failFast("deploy/run.sh exited; see " + log, () -> !process.isAlive())
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                                HttpRequest.newBuilder(URI.create(node.url() + "/health/ready"))
                                    .build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                        == 200);
      } catch (RuntimeException | Error e) {
        node.close(); // a node that did not come up in time must not outlive the test
        throw e;
      }
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** A TCP port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: Tomcat's shutdown hook stops the node cleanly
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
