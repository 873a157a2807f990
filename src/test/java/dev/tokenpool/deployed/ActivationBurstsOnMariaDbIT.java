package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Activation bursts on MariaDB, and the request deadline: a request whose token another transaction
 * keeps locked is answered 503 with {@code Retry-After} once its deadline has passed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ActivationBurstsOnMariaDbIT extends ActivationBursts {

  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static TestDatabase database;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("bursts");
    return Deployments.realWar(
        "bursts-mariadb",
        Map.of(
            "TOKENPOOL_DB_URL", database.url(),
            "TOKENPOOL_DB_USER", database.user(),
            "TOKENPOOL_DB_PASSWORD", database.password(),
            "TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME", "PT1H",
            "TOKENPOOL_REQUEST_DEADLINE", DEADLINE.toString()));
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aRequestWhoseTokenStaysLockedIsAnswered503AtItsDeadline() throws Exception {
    ApiClient api = ApiClient.operator(base);
    String user = UUID.randomUUID().toString();
    String token = api.activate(user).text("token_id");

    try (Connection blocker = database.connect()) {
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.executeQuery("SELECT id FROM tokens WHERE id = '" + token + "' FOR UPDATE").close();
      }
      long start = System.nanoTime();
      Reply reply = api.activate(user);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.header("Retry-After")).isEqualTo("1");
      assertThat(reply.text("type")).endsWith("/busy");
      assertThat(waited).isBetween(DEADLINE, DEADLINE.plusSeconds(3));
      assertThat(api.activate(UUID.randomUUID().toString()).status()).isEqualTo(200);
      blocker.rollback();
    }
    assertThat(api.activate(user).text("token_id")).isEqualTo(token);
  }
}
