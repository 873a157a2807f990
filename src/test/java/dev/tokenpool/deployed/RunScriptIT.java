package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.testing.TomcatNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/run.sh as an operator or a supervisor meets it: values that would reach a shell are
 * refused before anything starts, and a node that cannot start ends the process with status 1 and
 * the reason on stderr, within seconds.
 */
class RunScriptIT {

  @TempDir Path dir;

  /** What a finished run.sh said and how it ended. */
  private record Ended(int status, String output, long seconds) {}

  private Ended run(Map<String, String> settings, int timeoutSeconds) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", Path.of("deploy", "run.sh").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("TOKENPOOL_") || name.startsWith("JMX_"));
    env.put("PORT", String.valueOf(TomcatNode.freePort()));
    env.put("TOKENPOOL_BIND_ADDRESS", "127.0.0.1");
    env.put("TOKENPOOL_BASE_DIR", dir.resolve("base").toString());
    env.put("TOKENPOOL_DATA_DIR", dir.resolve("data").toString());
    env.put("TOKENPOOL_SKIP_BUILD", "1");
    env.put("TOKENPOOL_CDS", "0");
    env.putAll(settings);
    long start = System.nanoTime();
    Process process = builder.start();
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
    assertThat(ended)
        .as("run.sh still running after %d s; it said:%n%s", timeoutSeconds, output)
        .isTrue();
    return new Ended(process.exitValue(), output, (System.nanoTime() - start) / 1_000_000_000L);
  }

  @Test
  void refusesABindAddressThatWouldRunAShellCommand() throws Exception {
    Path marker = dir.resolve("pwned");
    for (String address :
        new String[] {
          "127.0.0.1'; touch " + marker + "; '",
          "$(touch " + marker + ")",
          "127.0.0.1 -Dx=`touch " + marker + "`"
        }) {
      Ended ended = run(Map.of("TOKENPOOL_BIND_ADDRESS", address), 30);

      assertThat(ended.status()).as(address).isNotZero();
      assertThat(ended.output()).contains("TOKENPOOL_BIND_ADDRESS").contains("not a host name");
      assertThat(marker).doesNotExist();
    }
  }

  @Test
  void refusesJmxFilesWhosePathsWouldRunAShellCommand() throws Exception {
    Path marker = dir.resolve("pwned");
    Path sneaky = Files.createDirectories(dir.resolve("x;touch " + marker.getFileName() + ";"));
    Path passwords = Files.writeString(sneaky.resolve("jmxremote.password"), "admin secret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = Files.writeString(sneaky.resolve("jmxremote.access"), "admin readwrite\n");
    Map<String, String> jmx = new HashMap<>();
    jmx.put("JMX_PORT", String.valueOf(TomcatNode.freePort()));
    jmx.put("JMX_PASSWORD_FILE", passwords.toString());
    jmx.put("JMX_ACCESS_FILE", access.toString());

    Ended ended = run(jmx, 30);

    assertThat(ended.status()).isNotZero();
    assertThat(ended.output()).contains("JMX_PASSWORD_FILE").contains("may contain only");
    assertThat(marker).doesNotExist();
  }

  @Test
  void refusesATlsKeyOthersCanReadAndACertificateWithoutItsKey() throws Exception {
    Path key = Files.writeString(dir.resolve("node.key"), "-----BEGIN PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Path cert = Files.writeString(dir.resolve("node.pem"), "-----BEGIN CERTIFICATE-----\n");

    Ended readable =
        run(Map.of("TOKENPOOL_TLS_CERT", cert.toString(), "TOKENPOOL_TLS_KEY", key.toString()), 30);
    Ended alone = run(Map.of("TOKENPOOL_TLS_CERT", cert.toString()), 30);

    assertThat(readable.status()).isNotZero();
    assertThat(readable.output())
        .contains("TOKENPOOL_TLS_KEY")
        .contains("must not be readable by others");
    assertThat(alone.status()).isNotZero();
    assertThat(alone.output()).contains("needs both TOKENPOOL_TLS_CERT and TOKENPOOL_TLS_KEY");
  }

  @Test
  void refusesPlainJmxOnAnAddressOtherThanLoopback() throws Exception {
    Path passwords = Files.writeString(dir.resolve("jmxremote.password"), "admin secret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = Files.writeString(dir.resolve("jmxremote.access"), "admin readwrite\n");
    Map<String, String> jmx = new HashMap<>();
    jmx.put("JMX_PORT", String.valueOf(TomcatNode.freePort()));
    jmx.put("JMX_HOST", "192.0.2.10");
    jmx.put("JMX_PASSWORD_FILE", passwords.toString());
    jmx.put("JMX_ACCESS_FILE", access.toString());

    Ended ended = run(jmx, 30);

    assertThat(ended.status()).isNotZero();
    assertThat(ended.output()).contains("JMX_HOST=192.0.2.10 is not a loopback address");
  }

  @Test
  void aNodeWithABadSettingEndsTheProcessWithTheReason() throws Exception {
    Ended ended = run(Map.of("TOKENPOOL_POOL_SIZE", "lots"), 90);

    assertThat(ended.status()).isEqualTo(1);
    assertThat(ended.output())
        .contains("tokenpool failed to start")
        .contains("TOKENPOOL_POOL_SIZE");
  }

  @Test
  void aNodeWhoseDatabaseStaysUnreachableGivesUpAfterItsWait() throws Exception {
    int closed = TomcatNode.freePort();
    Ended ended =
        run(
            Map.of(
                "TOKENPOOL_DB_URL", "jdbc:mysql://127.0.0.1:" + closed + "/tokenpool",
                "TOKENPOOL_DB_USER", "root",
                "TOKENPOOL_DB_STARTUP_WAIT", "PT3S"),
            90);

    assertThat(ended.status()).isEqualTo(1);
    assertThat(ended.output())
        .contains("tokenpool failed to start")
        .contains("unreachable for 3 s")
        .contains("trying again");
  }
}
