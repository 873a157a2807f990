package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Activations that wait for a token ({@code on_full: wait}) as one behaviour suite for every
 * supported database: served in arrival order before any later request, at their deadline refused,
 * never served twice. The node's clock is settable; its waiting room polls on its own thread.
 */
abstract class WaitingContract extends PoolOnFreshDatabase {

  static final Optional<Duration> TEN_SECONDS = Optional.of(Duration.ofSeconds(10));

  WaitingRoom room;

  @BeforeEach
  void openTheRoom() {
    room = node.waitingRoom();
  }

  @Test
  void aWaiterGetsTheFirstTokenReleasedAndHoldsItForItsLease() throws Exception {
    List<Activation> holders = fill();
    CompletableFuture<Activation> waiter =
        room.activate("waiter", Optional.of(Duration.ofSeconds(30)), TEN_SECONDS);
    assertThat(waiter).as("the pool is full").isNotDone();
    assertThat(room.waitingHere()).isEqualTo(1);
    assertThat(room.waitingInCluster()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    Instant releasedAt = clock.instant();
    Activation released = holders.get(1);
    tokens.release(released.tokenId());

    Activation served = waiter.get(5, TimeUnit.SECONDS);
    assertThat(served.tokenId()).isEqualTo(released.tokenId());
    assertThat(served.userId()).isEqualTo("waiter");
    assertThat(served.fence()).isGreaterThan(holders.get(2).fence());
    assertThat(served.activatedAt()).isEqualTo(releasedAt);
    assertThat(served.expiresAt()).isEqualTo(releasedAt.plusSeconds(30));
    assertThat(served.holdUntil()).isEqualTo(releasedAt.plus(Duration.ofHours(1)));
    assertThat(tokens.holding("waiter")).map(TokenView::tokenId).contains(released.tokenId());
    await().atMost(5, TimeUnit.SECONDS).until(() -> count("SELECT COUNT(*) FROM waiters") == 0);
    assertThat(room.waitingHere()).isZero();
  }

  @Test
  void aWaiterPastItsWaitIsRefusedAsPoolFullAndLeavesTheQueue() throws Exception {
    fill();
    CompletableFuture<Activation> waiter =
        room.activate("waiter", Optional.empty(), Optional.of(Duration.ofSeconds(3)));

    clock.advance(Duration.ofMillis(2_999));
    Thread.sleep(3 * WaitingRoom.POLL.toMillis()); // polls that must not give up yet
    assertThat(waiter).isNotDone();
    clock.advance(Duration.ofMillis(1));

    assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PoolFullException.class,
            e -> {
              assertThat(e.getMessage()).contains("PT3S");
              assertThat(e.soonestExpiry()).contains(START.plus(LIFETIME));
            });
    assertThat(count("SELECT COUNT(*) FROM waiters")).isZero();
    assertThat(count("SELECT COUNT(*) FROM usages")).as("nothing opened").isEqualTo(POOL_SIZE);
  }

  @Test
  void aUserWhoHoldsATokenGetsItBackWithoutWaiting() throws Exception {
    List<Activation> holders = fill();

    CompletableFuture<Activation> again =
        room.activate(holders.get(0).userId(), Optional.empty(), TEN_SECONDS);

    assertThat(again).isDone();
    assertThat(again.get()).isEqualTo(holders.get(0));
    assertThat(count("SELECT COUNT(*) FROM waiters")).isZero();
  }

  @Test
  void aWaiterOnAPoolWithAFreeTokenTakesItAtOnce() throws Exception {
    CompletableFuture<Activation> first = room.activate("first", Optional.empty(), TEN_SECONDS);

    assertThat(first).isDone();
    assertThat(first.get().expiresAt()).isEqualTo(START.plus(LIFETIME));
    assertThat(count("SELECT COUNT(*) FROM waiters")).isZero();
  }

  @Test
  void aTokenThatExpiresGoesToTheWaiter() throws Exception {
    Activation holder = fill().get(1);
    // Renewed to a lease that ends before the waiter's wait does.
    Renewal shortened =
        tokens.renew(
            holder.tokenId(), holder.fence(), Optional.of(Duration.ofSeconds(5)), Optional.empty());
    CompletableFuture<Activation> waiter = room.activate("waiter", Optional.empty(), TEN_SECONDS);

    clock.set(shortened.expiresAt());

    Activation served = waiter.get(5, TimeUnit.SECONDS);
    assertThat(served.tokenId()).isEqualTo(holder.tokenId());
    assertThat(served.activatedAt()).isEqualTo(shortened.expiresAt());
    assertThat(tokens.fence(holder.tokenId(), holder.fence()).end())
        .map(HoldingEnd::reason)
        .contains(EndReason.EXPIRED);
  }

  /**
   * A waiter queued by another node (a row of the shared queue that this node does not serve until
   * it has waiters of its own) comes first: a free token is left to it, a later request that fails
   * is refused, one that evicts takes an active holding, and this node's later waiter is served
   * after it.
   */
  @Test
  void freeTokensGoToEarlierWaitersOfAnyNodeBeforeLaterRequests() throws Exception {
    List<Activation> holders = fill();
    long elsewhere = queueElsewhere("elsewhere", clock.instant());
    tokens.release(holders.get(0).tokenId());

    assertThatThrownBy(() -> tokens.activate("fails", LeaseContract.FAIL))
        .as("the free token is the waiter's")
        .isInstanceOf(PoolFullException.class);
    Activation evicting = tokens.activate("evicts");
    assertThat(evicting.tokenId())
        .as("an evicting newcomer takes an active holding, not the free token")
        .isNotEqualTo(holders.get(0).tokenId());
    assertThat(evicting.evictedUserId()).isEqualTo(holders.get(1).userId());

    CompletableFuture<Activation> later = room.activate("later", Optional.empty(), TEN_SECONDS);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> count("SELECT COUNT(*) FROM waiters WHERE state = 'SERVED'") == 1);
    assertThat(servedToken(elsewhere)).isEqualTo(holders.get(0).tokenId().toString());
    assertThat(later).isNotDone();

    tokens.release(holders.get(2).tokenId());
    assertThat(later.get(5, TimeUnit.SECONDS).tokenId()).isEqualTo(holders.get(2).tokenId());
  }

  @Test
  void waitersOfASilentNodeArePassedOverAndRemoved() throws Exception {
    List<Activation> holders = fill();
    queueElsewhere("ghost", clock.instant().minus(WaitQueue.SILENCE).minusMillis(1));
    CompletableFuture<Activation> waiter = room.activate("waiter", Optional.empty(), TEN_SECONDS);

    tokens.release(holders.get(0).tokenId());

    assertThat(waiter.get(5, TimeUnit.SECONDS).tokenId()).isEqualTo(holders.get(0).tokenId());
    assertThat(count("SELECT COUNT(*) FROM waiters WHERE user_id = 'ghost' AND state = 'SERVED'"))
        .isZero();
    clock.advance(WaitingRoom.SWEEP);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> count("SELECT COUNT(*) FROM waiters WHERE user_id = 'ghost'") == 0);
  }

  @Test
  void aStoppingNodeAnswersItsWaitersAndLeavesTheQueue() throws Exception {
    fill();
    CompletableFuture<Activation> waiter = room.activate("waiter", Optional.empty(), TEN_SECONDS);

    room.close();

    assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(WaitInterruptedException.class);
    assertThat(count("SELECT COUNT(*) FROM waiters")).isZero();
    assertThatThrownBy(() -> room.activate("after", Optional.empty(), TEN_SECONDS))
        .isInstanceOf(WaitInterruptedException.class);
  }

  @Test
  void aWaitLongerThanTheLongestAllowedIsRefused() throws Exception {
    assertThat(room.maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(
            () -> room.activate("waiter", Optional.empty(), Optional.of(Duration.ofSeconds(31))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                room.activate(
                    "waiter",
                    Optional.of(Duration.ofMillis(10)),
                    Optional.of(Duration.ofSeconds(1))))
        .isInstanceOf(LeaseOutOfRangeException.class);
    assertThat(count("SELECT COUNT(*) FROM waiters")).isZero();
  }

  /** Fills the pool, one holder a second. */
  private List<Activation> fill() {
    List<Activation> holders = new java.util.ArrayList<>();
    for (int i = 1; i <= POOL_SIZE; i++) {
      holders.add(tokens.activate("holder-" + i));
      clock.advance(Duration.ofSeconds(1));
    }
    return holders;
  }

  /** Queues a waiter as another node would, last seen at {@code seenAt}; returns its id. */
  private long queueElsewhere(String userId, Instant seenAt) throws Exception {
    Instant now = clock.instant();
    sql(
        "INSERT INTO waiters (pool_id, user_id, node_id, lease_ms, arrived_at, deadline, seen_at,"
            + " state) VALUES (1, '%s', 'elsewhere', 60000, %d, %d, %d, 'WAITING')",
        userId, now.toEpochMilli(), now.plusSeconds(60).toEpochMilli(), seenAt.toEpochMilli());
    return count("SELECT MAX(id) FROM waiters");
  }

  private String servedToken(long waiterId) throws Exception {
    try (var connection = db.connect();
        var statement = connection.createStatement();
        var row = statement.executeQuery("SELECT token_id FROM waiters WHERE id = " + waiterId)) {
      row.next();
      return row.getString(1);
    }
  }
}
