package dev.tokenpool.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reduced chaos run, as CI runs it: deploy/ha.sh brings up three Galera nodes behind the
 * single-writer proxy, two app nodes and the load balancer, and creates the kit's API keys;
 * deploy/chaos.sh --reduced kills an app node and the Galera writer under load (authenticated with
 * the operator key; a request refused for its credentials or rate is a violation), then checks
 * every invariant from a Galera node directly and exits 1 on a violation; meanwhile two strangers
 * (a mariadbd with a certificate of another CA, one without TLS) try to join the Galera cluster and
 * must be refused. Every hop speaks TLS with the kit's own CA. Afterwards nothing of the topology
 * may still run, the keys were kept in owner-only files and written nowhere else, and the kit's
 * private keys and certificates are owner-only files too.
 */
class HighAvailabilityIT {

  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path LOG = REPO.resolve("target/chaos-reduced.log");
  private static final Path HA = REPO.resolve("target/ha");

  @Test
  void theReducedChaosRunKeepsEveryInvariantAndLeavesNothingRunning() throws Exception {
    Process chaos =
        new ProcessBuilder("bash", "deploy/chaos.sh", "--reduced")
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(LOG.toFile())
            .start();
    boolean finished = chaos.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      chaos.descendants().forEach(ProcessHandle::destroyForcibly);
      chaos.destroyForcibly();
    }
    String output = Files.readString(LOG);

    assertThat(finished).as("the chaos run ended within 10 minutes:%n%s", output).isTrue();
    assertThat(chaos.exitValue()).as("the chaos run's verdict:%n%s", output).isZero();
    assertThat(output).contains("every invariant holds");
    assertThat(output).contains("rogue-check: REFUSED").contains("up: https://");
    // Every app node drained, stopped and started in turn under the load, no request failed.
    assertThat(output)
        .containsPattern(
            "\\| rolling restart of every app node \\(drain, SIGTERM, start\\) \\|[^|]*\\| [0-9,]+ \\| 0 \\|");
    assertThat(processesOfTheTopology()).as("processes left behind by ha.sh down").isEmpty();
    for (String name : List.of("operator.key", "service.key")) {
      Path file = HA.resolve(name);
      assertThat(Files.getPosixFilePermissions(file))
          .as("permissions of %s", file)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String key = Files.readString(file).strip();
      assertThat(key).as("the key in %s", file).startsWith("tpk_");
      assertThat(output).as("the chaos run's output").doesNotContain(key);
      for (int node = 1; node <= 2; node++) {
        Path nodeLog = HA.resolve("app-" + node).resolve("node.log");
        assertThat(Files.readString(nodeLog)).as("%s", nodeLog).doesNotContain(key);
      }
    }
    try (var tlsFiles = Files.list(HA.resolve("tls"))) {
      for (Path file : tlsFiles.toList()) {
        assertThat(Files.getPosixFilePermissions(file))
            .as("permissions of %s", file)
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      }
    }
  }

  private static List<String> processesOfTheTopology() throws IOException, InterruptedException {
    Process pgrep =
        new ProcessBuilder("pgrep", "-af", REPO.resolve("target/ha") + File.separator)
            .redirectErrorStream(true)
            .start();
    pgrep.waitFor(10, TimeUnit.SECONDS);
    return new String(pgrep.getInputStream().readAllBytes()).lines().toList();
  }
}
