package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.DatabaseSettings;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.persistence.DeadlineExceededException;
import dev.tokenpool.testing.Parallel;
import dev.tokenpool.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Activations under concurrency, as one suite that every supported database must pass: bursts of
 * simultaneous requests get a token each, never an error, and never evict anyone while a token is
 * free; a request that cannot have its lock within its deadline fails as busy. Each test starts a
 * node with the system clock on a fresh, empty database.
 */
abstract class ConcurrentActivationContract {

  static final int CLIENTS = 64;
  static final Duration DEADLINE = Duration.ofSeconds(2);

  /** A new, empty database of the kind under test. */
  abstract TestDatabase newDatabase();

  private TestDatabase db;
  private TokenPoolNode node;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
    if (db != null) {
      db.close();
    }
  }

  TokenService startNode(int poolSize) {
    db = newDatabase();
    Map<String, String> settings = new HashMap<>();
    settings.put(DatabaseSettings.DB_URL, db.url());
    settings.put(DatabaseSettings.DB_USER, db.user());
    settings.put(DatabaseSettings.DB_PASSWORD, db.password());
    settings.put(DatabaseSettings.DB_MAX_CONNECTIONS, "20");
    settings.put(PoolSettings.POOL_SIZE, String.valueOf(poolSize));
    settings.put(PoolSettings.TOKEN_LIFETIME, "PT1H");
    settings.put(PoolSettings.REQUEST_DEADLINE, DEADLINE.toString());
    settings.put(TokenPoolConfig.NODE_ID, "concurrency");
    settings.put(SchedulerSettings.SCHEDULER_ENABLED, "false");
    TokenPoolConfig config = TokenPoolConfig.from(name -> Optional.ofNullable(settings.get(name)));
    node = TokenPoolNode.start(config, Database.open(config.database()), Clock.systemUTC());
    return node.tokenService();
  }

  @Test
  void burstsOfDistinctUsersEachGetAFreeTokenAndEvictNobody() throws Exception {
    int perClient = 30;
    TokenService tokens = startNode(CLIENTS * perClient + 80);

    List<Activation> activations =
        inParallel(
                CLIENTS,
                client ->
                    () -> {
                      List<Activation> mine = new ArrayList<>();
                      for (int i = 0; i < perClient; i++) {
                        mine.add(tokens.activate(UUID.randomUUID().toString()));
                      }
                      return mine;
                    })
            .stream()
            .flatMap(List::stream)
            .toList();

    assertThat(activations).hasSize(CLIENTS * perClient);
    assertThat(activations).allSatisfy(a -> assertThat(a.evictedUserId()).isNull());
    assertThat(activations.stream().map(Activation::tokenId).distinct())
        .hasSize(CLIENTS * perClient);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL"))
        .isEqualTo(CLIENTS * perClient);
  }

  @Test
  void simultaneousFirstActivationsOfOneUserShareOneTokenAndOneUsage() throws Exception {
    TokenService tokens = startNode(100);
    String user = UUID.randomUUID().toString();

    List<Activation> activations = inParallel(CLIENTS, client -> () -> tokens.activate(user));

    assertThat(activations).hasSize(CLIENTS);
    assertThat(new HashSet<>(activations)).hasSize(1);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE user_id = '" + user + "'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM usages")).isEqualTo(1);
  }

  @Test
  void aBurstBiggerThanThePoolIsServedInTurnWithoutErrors() throws Exception {
    TokenService tokens = startNode(1);

    List<Activation> activations =
        inParallel(CLIENTS, client -> () -> tokens.activate(UUID.randomUUID().toString()));

    assertThat(activations).hasSize(CLIENTS);
    Set<String> evicted = new HashSet<>();
    activations.forEach(a -> Optional.ofNullable(a.evictedUserId()).ifPresent(evicted::add));
    assertThat(evicted).hasSize(CLIENTS - 1);
    assertThat(count("SELECT COUNT(*) FROM usages")).isEqualTo(CLIENTS);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED'"))
        .isEqualTo(CLIENTS - 1);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(1);
  }

  @Test
  void aRequestWhoseTokenStaysLockedFailsAsBusyAtItsDeadlineAndOthersGoOn() throws Exception {
    TokenService tokens = startNode(10);
    String user = UUID.randomUUID().toString();
    Activation held = tokens.activate(user);

    try (Connection blocker = db.connect()) {
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.executeQuery("SELECT id FROM tokens WHERE id = '" + held.tokenId() + "' FOR UPDATE")
            .close();
      }
      long start = System.nanoTime();
      assertThatThrownBy(() -> tokens.activate(user)).isInstanceOf(DeadlineExceededException.class);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(waited).isBetween(DEADLINE, DEADLINE.plus(Database.LOCK_WAIT).plusSeconds(1));

      Activation other = tokens.activate(UUID.randomUUID().toString());
      assertThat(other.tokenId()).isNotEqualTo(held.tokenId());
      blocker.rollback();
    }
    assertThat(tokens.activate(user)).isEqualTo(held);
  }

  /** Starts every task at once and returns their results, failing on any task's failure. */
  private static <T> List<T> inParallel(int tasks, IntFunction<Callable<T>> task) throws Exception {
    return Parallel.atOnce(tasks, task, Duration.ofMinutes(2));
  }

  private long count(String query) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
