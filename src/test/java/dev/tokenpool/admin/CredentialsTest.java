package dev.tokenpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.OperatorLogins;
import dev.tokenpool.config.TokenPoolConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Who may operate the node: configured logins, a generated admin password, no defaults. */
final class CredentialsTest {

  @Test
  void configuredLoginsGrantTheirRolesAndNothingElseDoes() {
    Credentials credentials =
        Credentials.from(
            logins(
                Map.of(
                    OperatorLogins.ADMIN_PASSWORD, "admin-password-1",
                    OperatorLogins.MONITOR_PASSWORD, "monitor-password-1")));

    assertThat(credentials.authenticate("admin", "admin-password-1")).contains(Role.ADMIN);
    assertThat(credentials.authenticate("monitor", "monitor-password-1")).contains(Role.MONITOR);
    assertThat(credentials.authenticate("admin", "monitor-password-1")).isEmpty();
    assertThat(credentials.authenticate("monitor", "admin-password-1")).isEmpty();
    assertThat(credentials.authenticate("admin", "admin-password-")).isEmpty();
    assertThat(credentials.authenticate("root", "admin-password-1")).isEmpty();
    assertThat(credentials.authenticate("", "")).isEmpty();
  }

  @Test
  void withoutAMonitorPasswordThereIsNoMonitorLogin() {
    Credentials credentials =
        Credentials.from(logins(Map.of(OperatorLogins.ADMIN_PASSWORD, "admin-password-1")));

    assertThat(credentials.authenticate("monitor", "")).isEmpty();
    assertThat(credentials.authenticate("monitor", "monitor")).isEmpty();
  }

  @Test
  void withoutAnAdminPasswordOneIsGeneratedIntoAnOwnerOnlyFileNeverIntoTheLog(@TempDir Path data)
      throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Credentials.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      Credentials credentials = Credentials.from(logins(data, Map.of()));

      Path file = data.resolve(OperatorLogins.GENERATED_PASSWORD_FILE_NAME);
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String generated = Files.readString(file).strip();
      assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
      assertThat(credentials.authenticate("admin", generated)).contains(Role.ADMIN);
      assertThat(credentials.authenticate("admin", "admin")).isEmpty();
      assertThat(credentials.authenticate("admin", "")).isEmpty();
      assertThat(log.list).hasSize(1);
      assertThat(log.list.get(0).getFormattedMessage())
          .contains(file.toAbsolutePath().toString())
          .doesNotContain(generated);

      Credentials restarted = Credentials.from(logins(data, Map.of()));
      assertThat(restarted.authenticate("admin", generated))
          .as("a restart keeps the password of its file")
          .contains(Role.ADMIN);
      assertThat(log.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains(generated));
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void aPasswordFileOthersMayReadIsRefused(@TempDir Path data) throws Exception {
    Path file = data.resolve(OperatorLogins.GENERATED_PASSWORD_FILE_NAME);
    Files.writeString(file, "readable-by-all-1\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Credentials.from(logins(data, Map.of())))
        .hasMessageContaining("may be read by others");
  }

  private static OperatorLogins logins(Map<String, String> settings) {
    return logins(Path.of("target/credentials-test-unused"), settings);
  }

  private static OperatorLogins logins(Path dataDir, Map<String, String> settings) {
    return TokenPoolConfig.from(
            name ->
                switch (name) {
                  case TokenPoolConfig.NODE_ID -> Optional.of("credentials-test");
                  case DatabaseSettings.DATA_DIR -> Optional.of(dataDir.toString());
                  default -> Optional.ofNullable(settings.get(name));
                })
        .logins();
  }
}
