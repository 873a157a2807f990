package dev.tokenpool.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tokenpool.config.OperatorLogins;
import dev.tokenpool.config.TokenPoolConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Who may operate the node: configured logins, a generated admin password, no defaults. */
final class CredentialsTest {

  @Test
  void configuredLoginsGrantTheirRolesAndNothingElseDoes() {
    Credentials credentials =
        Credentials.from(
            logins(
                Map.of(
                    TokenPoolConfig.ADMIN_PASSWORD, "admin-password-1",
                    TokenPoolConfig.MONITOR_PASSWORD, "monitor-password-1")));

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
        Credentials.from(logins(Map.of(TokenPoolConfig.ADMIN_PASSWORD, "admin-password-1")));

    assertThat(credentials.authenticate("monitor", "")).isEmpty();
    assertThat(credentials.authenticate("monitor", "monitor")).isEmpty();
  }

  @Test
  void withoutAnAdminPasswordOneIsGeneratedLoggedOnceAndAccepted() {
    Logger logger = (Logger) LoggerFactory.getLogger(Credentials.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      Credentials credentials = Credentials.from(logins(Map.of()));

      assertThat(log.list).hasSize(1);
      String message = log.list.get(0).getFormattedMessage();
      String generated = message.substring(message.lastIndexOf(' ') + 1);
      assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
      assertThat(credentials.authenticate("admin", generated)).contains(Role.ADMIN);
      assertThat(credentials.authenticate("admin", "admin")).isEmpty();
      assertThat(credentials.authenticate("admin", "")).isEmpty();
      Credentials another = Credentials.from(logins(Map.of()));
      assertThat(another.authenticate("admin", generated))
          .as("each start generates anew")
          .isEmpty();
    } finally {
      logger.detachAppender(log);
    }
  }

  private static OperatorLogins logins(Map<String, String> settings) {
    return TokenPoolConfig.from(
            name ->
                name.equals(TokenPoolConfig.NODE_ID)
                    ? Optional.of("credentials-test")
                    : Optional.ofNullable(settings.get(name)))
        .logins();
  }
}
