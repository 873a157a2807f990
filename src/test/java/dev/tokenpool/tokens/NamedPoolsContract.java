package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.pools.InvalidPoolException;
import dev.tokenpool.pools.PoolCatalogue;
import dev.tokenpool.pools.PoolChange;
import dev.tokenpool.pools.PoolConflictException;
import dev.tokenpool.pools.PoolDirectory;
import dev.tokenpool.pools.PoolNotFoundException;
import dev.tokenpool.pools.PoolSpec;
import dev.tokenpool.pools.PoolStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Named pools as a behaviour suite every supported database must pass: their lifecycle (create,
 * resize both ways, drain and delete), their isolation from one another, and the invariants the
 * schema keeps per pool. The default pool ({@code POOL_SIZE} tokens) is there throughout.
 */
abstract class NamedPoolsContract extends PoolOnFreshDatabase {

  static final String OPERATOR = "ops";

  PoolCatalogue catalogue;
  PoolDirectory pools;

  @BeforeEach
  void useThePools() {
    catalogue = node.catalogue();
    pools = node.pools();
  }

  PoolSpec spec(String name, int size) {
    return new PoolSpec(
        name, size, LIFETIME, LIFETIME.multipliedBy(10), Duration.ofHours(1), OnFull.EVICT);
  }

  TokenService pool(String name) {
    return pools.resolve(name).tokens();
  }

  @Test
  void aCreatedPoolHasItsTokensAndTheDefaultPoolIsUnchanged() {
    PoolStatus created = catalogue.create(spec("licences", 5), OPERATOR);

    assertThat(created.definition().name()).isEqualTo("licences");
    assertThat(created.definition().setBy()).contains(OPERATOR);
    assertThat(created.counts()).isEqualTo(new PoolCounts(5, 0, 5, 0));
    assertThat(pool("licences").list(TokenFilter.ALL, 0, 100).page().items()).hasSize(5);
    assertThat(tokens.counts()).isEqualTo(new PoolCounts(POOL_SIZE, 0, POOL_SIZE, 0));
    assertThat(catalogue.list("", 100).pools())
        .extracting(status -> status.definition().name())
        .containsExactly("default", "licences");
  }

  @Test
  void aTakenNameOrABadOneIsRefused() {
    catalogue.create(spec("seats", 1), OPERATOR);

    assertThatThrownBy(() -> catalogue.create(spec("seats", 2), OPERATOR))
        .isInstanceOf(PoolConflictException.class);
    assertThatThrownBy(() -> spec("Seats", 1)).isInstanceOf(InvalidPoolException.class);
    assertThatThrownBy(() -> spec("a".repeat(65), 1)).isInstanceOf(InvalidPoolException.class);
    assertThatThrownBy(() -> pools.resolve("nope")).isInstanceOf(PoolNotFoundException.class);
  }

  @Test
  void aFullPoolEvictsOnlyWithinItselfAndAUserHoldsOneTokenPerPool() {
    catalogue.create(spec("small", 2), OPERATOR);
    Activation inDefault = tokens.activate("alice");
    Activation first = pool("small").activate("alice");
    clock.advance(Duration.ofSeconds(1));
    pool("small").activate("bob");
    clock.advance(Duration.ofSeconds(1));

    Activation newcomer = pool("small").activate("carol");

    assertThat(newcomer.evictedUserId()).isEqualTo("alice");
    assertThat(newcomer.tokenId()).isEqualTo(first.tokenId());
    assertThat(tokens.holding("alice")).map(TokenView::tokenId).contains(inDefault.tokenId());
    assertThat(first.tokenId()).isNotEqualTo(inDefault.tokenId());
    assertThat(tokens.counts().active()).isEqualTo(1);
  }

  @Test
  void theDatabaseRefusesASecondOpenUsageOfAUserInOnePoolButNotInAnother() throws SQLException {
    catalogue.create(spec("other", 2), OPERATOR);
    tokens.activate("dave");
    List<TokenView> free = tokens.list(TokenFilter.AVAILABLE, 0, 10).page().items();
    TokenView inOther = pool("other").list(TokenFilter.ALL, 0, 10).page().items().get(0);
    int otherId = pools.resolve("other").definition().id();

    assertThatThrownBy(() -> sql(OPEN, free.get(0).tokenId(), "dave", 1, 1))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                    .contains("uq_usages_open_user"));
    sql(OPEN, inOther.tokenId(), "dave", otherId, otherId);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE open_user_id = 'dave'")).isEqualTo(2);
  }

  @Test
  void theDatabaseRefusesAUsageFiledUnderAnotherPoolThanItsToken() throws SQLException {
    catalogue.create(spec("other", 1), OPERATOR);
    int otherId = pools.resolve("other").definition().id();
    TokenView free = tokens.list(TokenFilter.ALL, 0, 10).page().items().get(0);
    sql(OPEN, free.tokenId(), "erin", otherId, otherId);
    long usage = count("SELECT MAX(id) FROM usages");

    assertThatThrownBy(
            () ->
                sql(
                    "UPDATE tokens SET current_usage_id = %d, current_user_id = 'erin',"
                        + " activated_at = 1767225600000, expires_at = 1767225720000"
                        + " WHERE id = '%s'",
                    usage, free.tokenId()))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void growingAddsTokensAtOnceAndShrinkingRetiresFreeOnesAtOnceAndHeldOnesWhenTheyEnd()
      throws SQLException {
    catalogue.create(spec("elastic", 4), OPERATOR);
    TokenService elastic = pool("elastic");
    List<Activation> held = new ArrayList<>();
    for (String user : List.of("u1", "u2", "u3", "u4")) {
      held.add(
          elastic.activate(
              user, new ActivationOptions(Optional.empty(), OnFull.FAIL, Optional.empty())));
      clock.advance(Duration.ofSeconds(1));
    }

    PoolStatus shrunk = catalogue.change("elastic", PoolChange.size(2), OPERATOR);

    // Every holder keeps its token: a shrink never evicts.
    assertThat(shrunk.counts().size()).isEqualTo(2);
    assertThat(shrunk.counts().retiring()).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE end_reason IS NOT NULL")).isZero();
    for (Activation holding : held) {
      assertThat(pool("elastic").holding(holding.userId())).isPresent();
    }
    List<java.util.UUID> retiring =
        held.stream()
            .map(Activation::tokenId)
            .filter(
                id ->
                    pool("elastic").list(TokenFilter.ALL, 0, 10).page().items().stream()
                        .noneMatch(token -> token.tokenId().equals(id)))
            .toList();
    assertThat(retiring).hasSize(2);

    // A retiring holding renews and releases like any other; then its token is retired for good.
    Activation leaving =
        held.stream().filter(a -> retiring.contains(a.tokenId())).findFirst().get();
    pool("elastic").renew(leaving.tokenId(), leaving.fence(), Optional.empty(), Optional.empty());
    pool("elastic").release(leaving.tokenId());
    assertThat(catalogue.get("elastic").counts().retiring()).isEqualTo(1);
    assertThat(pool("elastic").history(leaving.tokenId(), Long.MAX_VALUE, 10).page().items())
        .hasSize(1);

    // A full shrunk pool evicts among its live tokens only, never taking a retired one.
    Activation newcomer = pool("elastic").activate("u5");
    assertThat(retiring).doesNotContain(newcomer.tokenId());
    assertThat(newcomer.evictedUserId()).isNotNull();

    // Growing brings the retired tokens back first, the one still held among them included.
    PoolStatus grown = catalogue.change("elastic", PoolChange.size(6), OPERATOR);
    assertThat(grown.counts().size()).isEqualTo(6);
    assertThat(grown.counts().retiring()).isZero();
    assertThat(grown.counts().active()).isEqualTo(3);
    assertThat(grown.counts().available()).isEqualTo(3);
    assertThat(pool("elastic").list(TokenFilter.ALL, 0, 10).page().items())
        .extracting(TokenView::tokenId)
        .containsAll(retiring)
        .hasSize(6);
  }

  @Test
  void aShrinkThenAGrowthNeverLeavesMoreHoldersThanTheSize() throws SQLException {
    catalogue.create(spec("cycle", 3), OPERATOR);
    for (String user : List.of("c1", "c2", "c3")) {
      pool("cycle").activate(user);
    }
    catalogue.change("cycle", PoolChange.size(0), OPERATOR);
    assertThat(catalogue.get("cycle").counts().retiring()).isEqualTo(3);

    PoolStatus back = catalogue.change("cycle", PoolChange.size(3), OPERATOR);

    assertThat(back.counts()).isEqualTo(new PoolCounts(3, 3, 0, 0));
    assertThatThrownBy(
            () ->
                pool("cycle")
                    .activate(
                        "c4",
                        new ActivationOptions(Optional.empty(), OnFull.FAIL, Optional.empty())))
        .isInstanceOf(PoolFullException.class);
    assertThat(count("SELECT COUNT(*) FROM tokens WHERE pool_id = " + id("cycle"))).isEqualTo(3);
  }

  private int id(String pool) {
    return pools.resolve(pool).definition().id();
  }

  @Test
  void anExpiredHoldingOfARetiredTokenEndsAndItsUserGetsALiveToken() {
    catalogue.create(spec("brief", 2), OPERATOR);
    pool("brief").activate("v1");
    Activation second = pool("brief").activate("v2");
    catalogue.change("brief", PoolChange.size(1), OPERATOR);
    String onRetired =
        pool("brief")
                .list(TokenFilter.ALL, 0, 10)
                .page()
                .items()
                .get(0)
                .currentUserId()
                .equals("v1")
            ? "v2"
            : "v1";
    clock.advance(LIFETIME.plusSeconds(1));

    Activation again = pool("brief").activate(onRetired);

    assertThat(again.tokenId())
        .isEqualTo(pool("brief").list(TokenFilter.ALL, 0, 10).page().items().get(0).tokenId());
    assertThat(catalogue.get("brief").counts().retiring()).isZero();
    assertThat(second.fence()).isPositive();
  }

  @Test
  void aShrinkUnderLoadEvictsNoOneAndNeverGivesMoreLiveTokensThanTheSize() throws Exception {
    catalogue.create(spec("busy", 12), OPERATOR);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger given = new AtomicInteger();
    AtomicLong overfull = new AtomicLong();
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int worker = w;
      workers.add(
          load.submit(
              () -> {
                int i = 0;
                while (running.get()) {
                  String user = "w" + worker + "-" + (i++ % 5);
                  try {
                    Activation a =
                        pool("busy")
                            .activate(
                                user,
                                new ActivationOptions(
                                    Optional.empty(), OnFull.FAIL, Optional.empty()));
                    given.incrementAndGet();
                    if (i % 2 == 0) {
                      pool("busy").release(a.tokenId());
                    }
                  } catch (PoolFullException | TokenNotActiveException | PoolBusyException e) {
                    // a full pool refuses; another worker released first
                  }
                }
                return null;
              }));
    }
    for (int size : List.of(8, 3, 10, 2, 6)) {
      Thread.sleep(150);
      catalogue.change("busy", PoolChange.size(size), OPERATOR);
      PoolCounts counts = catalogue.get("busy").counts();
      if (counts.active() > size) {
        overfull.incrementAndGet();
      }
    }
    Thread.sleep(150);
    running.set(false);
    for (Future<?> worker : workers) {
      worker.get(30, TimeUnit.SECONDS);
    }
    load.shutdown();

    assertThat(given.get()).isGreaterThan(10);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE end_reason = 'EVICTED'")).isZero();
    assertThat(overfull.get()).isZero();
    assertThat(catalogue.get("busy").counts().size()).isEqualTo(6);
    // The live tokens are exactly slots 1..6.
    int id = pools.resolve("busy").definition().id();
    assertThat(count("SELECT COUNT(*) FROM tokens WHERE live_pool_id = " + id)).isEqualTo(6);
    assertThat(count("SELECT MAX(slot) FROM tokens WHERE live_pool_id = " + id)).isEqualTo(6);
  }

  @Test
  void aPoolWithHoldersIsDeletedOnlyWhenDrainedAndItsHistoryStays() throws SQLException {
    catalogue.create(spec("temp", 3), OPERATOR);
    Activation held = pool("temp").activate("w1");

    assertThatThrownBy(() -> catalogue.delete("temp", false, OPERATOR))
        .isInstanceOf(PoolConflictException.class)
        .hasMessageContaining("1 active holding");
    assertThat(pool("temp").holding("w1")).isPresent();
    assertThat(pool("temp").counts().size()).isEqualTo(3);

    int cleared = catalogue.delete("temp", true, OPERATOR);

    assertThat(cleared).isEqualTo(1);
    assertThatThrownBy(() -> pools.resolve("temp")).isInstanceOf(PoolNotFoundException.class);
    assertThat(
            count(
                "SELECT COUNT(*) FROM usages WHERE token_id = '"
                    + held.tokenId()
                    + "' AND end_reason = 'CLEARED'"))
        .isEqualTo(1);
    assertThat(tokens.userHistory("w1", Long.MAX_VALUE, 10).items()).hasSize(1);
    // The name is free again, for a new pool with new tokens.
    catalogue.create(spec("temp", 1), OPERATOR);
    assertThat(pool("temp").list(TokenFilter.ALL, 0, 10).page().items())
        .extracting(TokenView::tokenId)
        .doesNotContain(held.tokenId());
  }

  @Test
  void theDefaultPoolIsNeverDeleted() {
    assertThatThrownBy(() -> catalogue.delete("default", true, OPERATOR))
        .isInstanceOf(PoolConflictException.class);
  }

  @Test
  void oneExpiryPassEndsExpiredHoldingsOfEveryPool() throws SQLException {
    catalogue.create(spec("a", 2), OPERATOR);
    catalogue.create(spec("b", 2), OPERATOR);
    tokens.activate("x");
    pool("a").activate("x");
    pool("b").activate("x");
    pool("b").activate("y");
    clock.advance(LIFETIME.plusSeconds(1));

    assertThat(tokens.releaseExpired()).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE end_reason = 'EXPIRED'")).isEqualTo(4);
    assertThat(tokens.releaseExpired()).isZero();
  }

  @Test
  void aChangeMadeElsewhereIsSeenWithinTheDirectorysFreshness() {
    AtomicLong ticker = new AtomicLong();
    PoolDirectory elsewhere =
        new PoolDirectory(
            node.transactions(), clock, Duration.ofSeconds(1), TokenEvents.NONE, ticker::get);
    catalogue.create(spec("shared", 2), OPERATOR);
    assertThat(elsewhere.resolve("shared").tokens().leases().defaultLease()).isEqualTo(LIFETIME);

    catalogue.change(
        "shared",
        new PoolChange(
            Optional.empty(),
            Optional.of(Duration.ofMinutes(5)),
            Optional.empty(),
            Optional.empty(),
            Optional.of(OnFull.FAIL)),
        OPERATOR);

    assertThat(elsewhere.resolve("shared").tokens().leases().defaultLease()).isEqualTo(LIFETIME);
    ticker.addAndGet(PoolDirectory.FRESH.toNanos());
    assertThat(elsewhere.resolve("shared").tokens().leases().defaultLease())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(elsewhere.resolve("shared").definition().onFullDefault()).isEqualTo(OnFull.FAIL);
    catalogue.delete("shared", false, OPERATOR);
    ticker.addAndGet(PoolDirectory.FRESH.toNanos());
    assertThatThrownBy(() -> elsewhere.resolve("shared")).isInstanceOf(PoolNotFoundException.class);
  }

  /** An open usage of token %1$s by user %2$s in pool %3$d, written by hand. */
  static final String OPEN =
      "INSERT INTO usages (token_id, user_id, started_at, expires_at, open_token_id, open_user_id,"
          + " pool_id, open_pool_id)"
          + " VALUES ('%1$s', '%2$s', 1767225600000, 1767225720000, '%1$s', '%2$s', %3$d, %4$d)";
}
