package dev.tokenpool.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenpool.testing.TomcatNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release, as an operator installs it: {@code target/tokenpool-<version>.tar.gz} unpacked in a
 * fresh directory, started by its {@code bin/tokenpool} with a Java runtime and no Maven or git
 * reachable (both are replaced by commands that record being called), on the embedded database. The
 * README's flow works (the first key, an activation, the listing), and SIGTERM stops the node
 * within its stop wait.
 */
class ReleaseTarballIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFreshlyUnpackedReleaseServesTheReadmeFlowAndStopsOnSigterm() throws Exception {
    Path tarball = tarball();
    Path install = Files.createTempDirectory("tokenpool-release");
    run(List.of("tar", "-xzf", tarball.toString(), "-C", install.toString()));
    Path release;
    try (Stream<Path> unpacked = Files.list(install)) {
      release = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(release.getFileName().toString()).startsWith("tokenpool-");
    assertThat(release.resolve("pom.xml")).doesNotExist();
    assertThat(release.resolve("src")).doesNotExist();
    assertThat(release.resolve("NOTICE")).content().contains("Apache Tomcat");
    // Each library with its version and the license its POM declares.
    assertThat(release.resolve("THIRD-PARTY.txt"))
        .content()
        .contains(
            "(The GNU General Public License, v2 with Universal FOSS Exception, v1.0) MySQL Connector/J (com.mysql:mysql-connector-j:")
        .contains("Apache");

    // Maven and git, should anything call them, leave a mark and fail.
    Path fakes = Files.createDirectories(install.resolve("no-build-tools"));
    Path called = install.resolve("build-tool-called");
    for (String tool : List.of("mvn", "git")) {
      Path fake = fakes.resolve(tool);
      Files.writeString(fake, "#!/bin/sh\necho \"$0 $*\" >> '" + called + "'\nexit 1\n");
      Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    int port = TomcatNode.freePort();
    Path log = install.resolve("node.log");
    ProcessBuilder builder =
        new ProcessBuilder(release.resolve("bin/tokenpool").toString())
            .directory(install.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TOKENPOOL_"));
    builder
        .environment()
        .put(
            "PATH",
            fakes
                + ":"
                + Path.of(System.getProperty("java.home"), "bin")
                + ":"
                + System.getenv("PATH"));
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
    builder.environment().put("TOKENPOOL_CDS", "0");
    Process node = builder.start();
    String url = "http://127.0.0.1:" + port;
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .failFast("bin/tokenpool exited; see " + log, () -> !node.isAlive())
          .ignoreExceptions()
          .until(() -> NodeHttp.get(url + "/health/ready", null).statusCode() == 200);

      Path keyFile = release.resolve("data/initial-api-key");
      assertThat(Files.getPosixFilePermissions(keyFile))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String key = Files.readString(keyFile).strip();
      HttpResponse<String> activated = NodeHttp.activate(url, key, "alice");
      assertThat(activated.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(activated.body()).get("user_id").asText()).isEqualTo("alice");
      JsonNode active = JSON.readTree(NodeHttp.get(url + "/api/tokens?state=active", key).body());
      assertThat(active.get("active_count").asInt()).isEqualTo(1);
      assertThat(NodeHttp.get(url + "/api/tokens", null).statusCode()).isEqualTo(401);

      // Out of rotation before the stop, as the systemd unit's ExecStop does it.
      ProcessBuilder drain =
          new ProcessBuilder(release.resolve("deploy/drain.sh").toString())
              .directory(release.toFile())
              .redirectErrorStream(true);
      drain.environment().keySet().removeIf(name -> name.startsWith("TOKENPOOL_"));
      drain.environment().put("PORT", String.valueOf(port));
      drain.environment().put("TOKENPOOL_DRAIN_WAIT", "1");
      Process draining = drain.start();
      String drained = new String(draining.getInputStream().readAllBytes());
      assertThat(draining.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(draining.exitValue()).as(drained).isZero();
      assertThat(drained)
          .contains("draining")
          .doesNotContain(Files.readString(adminPassword(release)));
      assertThat(NodeHttp.get(url + "/health/ready", null).statusCode()).isEqualTo(503);
      assertThat(NodeHttp.get(url + "/health/live", null).statusCode()).isEqualTo(200);
      assertThat(NodeHttp.get(url + "/api/tokens?state=active", key).statusCode()).isEqualTo(200);
    } finally {
      long stopping = System.nanoTime();
      node.destroy(); // SIGTERM, as systemd and container runtimes stop a node
      boolean stopped = node.waitFor(60, TimeUnit.SECONDS);
      if (!stopped) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
      assertThat(stopped).as("stopped on SIGTERM within 60 s; see " + log).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(60));
    }
    String output = Files.readString(log);
    assertThat(output).contains("a release (");
    assertThat(output).doesNotContain(key(release));
    assertThat(called).doesNotExist();
  }

  private static Path adminPassword(Path release) {
    return release.resolve("data/admin-password");
  }

  private static String key(Path release) throws IOException {
    return Files.readString(release.resolve("data/initial-api-key")).strip();
  }

  private static Path tarball() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(file -> file.getFileName().toString().matches("tokenpool-.*\\.tar\\.gz"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("no target/tokenpool-*.tar.gz: run mvn package"));
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }
}
