package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.config.TokenPoolConfig;
import dev.tokenpool.persistence.Database;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.NodeSettings;
import dev.tokenpool.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The prune-usage-history job, run by the node's own scheduler: usages that ended before the
 * retention leave the history, the rest stay, and every token's usage count stays what it was.
 */
class HistoryRetentionIT {

  private static final Duration RETENTION = Duration.ofHours(1);
  private static final Duration LIFETIME = Duration.ofMinutes(2);

  /** The kinds of database a node runs on. */
  enum Server {
    H2(() -> TestDatabase.h2InMemory("history-retention")),
    MARIADB(() -> MariaDbServer.createDatabase("history_retention"));

    private final Supplier<TestDatabase> create;

    Server(Supplier<TestDatabase> create) {
      this.create = create;
    }
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));
  private TestDatabase db;
  private TokenPoolNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(Server.class)
  void usagesEndedBeforeTheRetentionArePrunedAndTheCountsStay(Server server) {
    db = server.create.get();
    TokenPoolConfig config =
        NodeSettings.on(db)
            .with(TokenPoolConfig.NODE_ID, "retention")
            .with(PoolSettings.POOL_SIZE, "3")
            .with(PoolSettings.TOKEN_LIFETIME, LIFETIME.toString())
            .with(SchedulerSettings.HISTORY_RETENTION, RETENTION.toString())
            .with(SchedulerSettings.PRUNE_INTERVAL, "PT1S")
            .config();
    node = TokenPoolNode.start(config, Database.open(config.database()), clock);
    TokenService tokens = node.tokenService();
    for (int i = 0; i < 5; i++) {
      Activation old = tokens.activate("old-" + i);
      clock.advance(Duration.ofSeconds(10));
      tokens.release(old.tokenId(), Optional.of("old-" + i));
    }
    tokens.activate("still-held");
    Map<UUID, Long> countsBefore = usageCounts(tokens);

    clock.advance(RETENTION.plusMinutes(1));
    // still-held's usage ends (expired) within the retention: it stays.
    Activation recent = tokens.activate("recent");
    tokens.release(recent.tokenId(), Optional.of("recent"));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> allHistory(tokens).keySet().stream().noneMatch(u -> u.startsWith("old-")));
    assertThat(allHistory(tokens).keySet()).containsExactlyInAnyOrder("still-held", "recent");
    Map<UUID, Long> countsAfter = usageCounts(tokens);
    countsBefore.merge(recent.tokenId(), 1L, Long::sum);
    assertThat(countsAfter).isEqualTo(countsBefore);
  }

  private static Map<UUID, Long> usageCounts(TokenService tokens) {
    return tokens.list(TokenFilter.ALL, 0, 100).page().items().stream()
        .collect(
            Collectors.toMap(
                TokenView::tokenId, token -> tokens.get(token.tokenId()).usageCount()));
  }

  /** Every user in any token's history, with the number of their usages. */
  private static Map<String, Long> allHistory(TokenService tokens) {
    return tokens.list(TokenFilter.ALL, 0, 100).page().items().stream()
        .flatMap(
            token -> tokens.history(token.tokenId(), Long.MAX_VALUE, 100).page().items().stream())
        .collect(Collectors.groupingBy(UsageView::userId, Collectors.counting()));
  }
}
