package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Leases (issue 18) as one behaviour suite for every supported database: a lease per activation,
 * refusing rather than evicting, fences, renewal up to the longest hold, the fence check and a
 * user's history. Defaults: lifetime 2 minutes, leases from 1 s to 20 minutes, one holding at most
 * an hour.
 */
abstract class LeaseContract extends PoolOnFreshDatabase {

  static final Duration MAX_HOLD = Duration.ofHours(1);
  static final ActivationOptions FAIL = new ActivationOptions(Optional.empty(), OnFull.FAIL);

  @Test
  void anActivationHoldsForTheLeaseItAsksForWithinTheRange() throws Exception {
    Activation short10s = tokens.activate("alice", lease(Duration.ofSeconds(10)));

    assertThat(short10s.expiresAt()).isEqualTo(START.plusSeconds(10));
    assertThat(short10s.holdUntil()).isEqualTo(START.plus(MAX_HOLD));
    assertThat(tokens.activate("bob").expiresAt()).isEqualTo(START.plus(LIFETIME));
    for (Duration outside : List.of(Duration.ofMillis(999), Duration.ofMinutes(20).plusMillis(1))) {
      assertThatThrownBy(() -> tokens.activate("carol", lease(outside)))
          .isInstanceOf(LeaseOutOfRangeException.class)
          .hasMessageContaining("PT1S")
          .hasMessageContaining("PT20M");
    }
    assertThat(count("SELECT COUNT(*) FROM usages")).as("nothing opened for carol").isEqualTo(2);
    assertThat(tokens.activate("alice", lease(Duration.ofMinutes(20))))
        .as("a holder asking again gets its holding unchanged")
        .isEqualTo(short10s);
  }

  @Test
  void failRefusesAFullPoolWithTheSoonestExpiryAndChangesNothing() throws Exception {
    assertThat(tokens.activate("first", FAIL).evictedUserId()).isNull();
    clock.advance(Duration.ofSeconds(1));
    Activation soonest = tokens.activate("second", lease(Duration.ofSeconds(30)));
    tokens.activate("third");

    assertThatThrownBy(() -> tokens.activate("fourth", FAIL))
        .isInstanceOfSatisfying(
            PoolFullException.class,
            e -> assertThat(e.soonestExpiry()).contains(soonest.expiresAt()));
    assertThat(count("SELECT COUNT(*) FROM usages")).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(3);

    clock.set(soonest.expiresAt());
    Activation fourth = tokens.activate("fourth", FAIL);
    assertThat(fourth.tokenId()).as("the expired token").isEqualTo(soonest.tokenId());
    assertThat(fourth.evictedUserId()).isNull();
    assertThat(tokens.fence(soonest.tokenId(), soonest.fence()).end().map(HoldingEnd::reason))
        .contains(EndReason.EXPIRED);
  }

  @Test
  void eachNewHoldingOfATokenHasAGreaterFence() {
    Activation first = tokens.activate("alice");
    tokens.release(first.tokenId());
    Activation second = tokens.activate("bob");
    tokens.release(second.tokenId());
    Activation third = tokens.activate("alice");

    assertThat(List.of(first.tokenId(), second.tokenId())).containsOnly(third.tokenId());
    assertThat(second.fence()).isGreaterThan(first.fence());
    assertThat(third.fence()).isGreaterThan(second.fence());
    assertThat(tokens.get(third.tokenId()).token().fence()).isEqualTo(third.fence());
    assertThat(tokens.history(third.tokenId(), Long.MAX_VALUE, 10).page().items())
        .extracting(UsageView::fence)
        .containsExactly(third.fence(), second.fence(), first.fence());
  }

  @Test
  void aRenewalExtendsFromNowAndIsRecorded() {
    Activation held = tokens.activate("alice");
    clock.advance(Duration.ofSeconds(90));

    Renewal renewal =
        tokens.renew(held.tokenId(), held.fence(), Optional.of(Duration.ofMinutes(5)), mine());

    Instant renewedAt = clock.instant();
    assertThat(renewal.expiresAt()).isEqualTo(renewedAt.plus(Duration.ofMinutes(5)));
    assertThat(renewal.renewals()).isEqualTo(1);
    assertThat(renewal.capped()).isFalse();
    assertThat(renewal.activatedAt()).isEqualTo(START);
    assertThat(tokens.get(held.tokenId()).token().expiresAt()).isEqualTo(renewal.expiresAt());
    clock.advance(Duration.ofMinutes(4));
    assertThat(tokens.holding("alice")).as("held past its first lease").isPresent();
    Renewal again = tokens.renew(held.tokenId(), held.fence(), Optional.empty(), Optional.empty());
    assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(LIFETIME));
    UsageView usage = tokens.userHistory("alice", Long.MAX_VALUE, 10).items().get(0);
    assertThat(usage.renewals()).isEqualTo(2);
    assertThat(usage.lastRenewedAt()).isEqualTo(clock.instant());
    assertThat(usage.expiresAt()).isEqualTo(again.expiresAt());
    assertThat(usage.endReason()).isNull();
  }

  @Test
  void renewalsStopAtTheLongestHold() {
    Activation held = tokens.activate("alice", lease(Duration.ofMinutes(20)));
    Optional<Duration> twentyMinutes = Optional.of(Duration.ofMinutes(20));
    for (int minute = 15; minute <= 30; minute += 15) {
      clock.set(START.plus(Duration.ofMinutes(minute)));
      assertThat(tokens.renew(held.tokenId(), held.fence(), twentyMinutes, mine()).capped())
          .isFalse();
    }
    clock.set(START.plus(Duration.ofMinutes(45)));
    Renewal capped = tokens.renew(held.tokenId(), held.fence(), twentyMinutes, mine());
    assertThat(capped.capped()).isTrue();
    assertThat(capped.expiresAt()).isEqualTo(START.plus(MAX_HOLD)).isEqualTo(capped.holdUntil());

    clock.set(START.plus(Duration.ofMinutes(50)));
    assertThatThrownBy(() -> tokens.renew(held.tokenId(), held.fence(), twentyMinutes, mine()))
        .isInstanceOfSatisfying(
            MaxHoldReachedException.class,
            e -> assertThat(e.holdUntil()).isEqualTo(START.plus(MAX_HOLD)));
    assertThat(tokens.userHistory("alice", Long.MAX_VALUE, 1).items().get(0).renewals())
        .isEqualTo(3);
  }

  @Test
  void anEvictedHolderIsToldWhoTookItsTokenAndItsFenceIsStale() throws Exception {
    Activation evicted = tokens.activate("alice");
    for (String user : List.of("bob", "carol")) {
      clock.advance(Duration.ofSeconds(1));
      tokens.activate(user);
    }
    clock.advance(Duration.ofSeconds(1));
    Activation newcomer = tokens.activate("dave");
    assertThat(newcomer.evictedUserId()).isEqualTo("alice");

    for (Runnable stale :
        List.<Runnable>of(
            () -> tokens.renew(evicted.tokenId(), evicted.fence(), Optional.empty(), mine()),
            () -> tokens.release(evicted.tokenId(), mine(), Optional.of(evicted.fence()), "alice"),
            () ->
                tokens.release(
                    evicted.tokenId(), Optional.empty(), Optional.of(evicted.fence()), "ops"))) {
      assertThatThrownBy(stale::run)
          .isInstanceOfSatisfying(
              StaleFenceException.class,
              e ->
                  assertThat(e.end())
                      .contains(
                          new HoldingEnd(
                              EndReason.EVICTED, clock.instant(), null, newcomer.fence())));
    }
    assertThat(tokens.get(newcomer.tokenId()).token().fence()).isEqualTo(newcomer.fence());
    assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(3);
    UsageView history = tokens.userHistory("alice", Long.MAX_VALUE, 10).items().get(0);
    assertThat(history.endReason()).isEqualTo(EndReason.EVICTED);
    assertThat(history.evictedBy()).isEqualTo(newcomer.fence());
    assertThat(history.renewals()).isZero();
  }

  @Test
  void aReleaseWithTheCurrentFenceEndsItAndNamesWhoReleased() {
    Activation held = tokens.activate("alice");
    assertThatThrownBy(
            () -> tokens.renew(held.tokenId(), held.fence(), Optional.empty(), Optional.of("bob")))
        .isInstanceOf(NotTheHolderException.class);
    assertThatThrownBy(
            () ->
                tokens.release(
                    held.tokenId(), Optional.empty(), Optional.of(held.fence() + 1), "x"))
        .isInstanceOfSatisfying(
            StaleFenceException.class, e -> assertThat(e.end()).as("no such holding").isEmpty());
    clock.advance(Duration.ofSeconds(3));

    ReleasedUsage released =
        tokens.release(held.tokenId(), Optional.empty(), Optional.of(held.fence()), "ops-key");

    assertThat(released.fence()).isEqualTo(held.fence());
    FenceStatus status = tokens.fence(held.tokenId(), held.fence());
    assertThat(status.current()).isFalse();
    assertThat(status.userId()).contains("alice");
    assertThat(status.end())
        .contains(new HoldingEnd(EndReason.RELEASED, clock.instant(), "ops-key", null));
    assertThat(tokens.userHistory("alice", Long.MAX_VALUE, 10).items().get(0).endedBy())
        .isEqualTo("ops-key");
  }

  @Test
  void theFenceCheckTellsWhetherAFenceIsCurrent() {
    Activation held = tokens.activate("alice");
    Activation other = tokens.activate("bob");

    FenceStatus current = tokens.fence(held.tokenId(), held.fence());
    assertThat(current.current()).isTrue();
    assertThat(current.end()).isEmpty();
    assertThat(current.expiresAt()).contains(held.expiresAt());
    FenceStatus ofAnotherToken = tokens.fence(held.tokenId(), other.fence());
    assertThat(ofAnotherToken.current()).isFalse();
    assertThat(ofAnotherToken.userId()).as("nothing of another token's holding").isEmpty();
    assertThat(tokens.fence(held.tokenId(), 999_999).current()).isFalse();

    clock.set(held.expiresAt());
    FenceStatus expired = tokens.fence(held.tokenId(), held.fence());
    assertThat(expired.current()).isFalse();
    assertThat(expired.end().map(HoldingEnd::reason)).contains(EndReason.EXPIRED);
    assertThatThrownBy(() -> tokens.renew(held.tokenId(), held.fence(), Optional.empty(), mine()))
        .isInstanceOf(StaleFenceException.class);
    assertThatThrownBy(() -> tokens.fence(UUID.randomUUID(), held.fence()))
        .isInstanceOf(TokenNotFoundException.class);
  }

  @Test
  void aUsersHistorySpansTokensNewestFirstAndPaged() {
    List<Long> fences = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.activate("filler-" + i);
      Activation mine = tokens.activate("alice");
      fences.add(0, mine.fence());
      clock.advance(Duration.ofSeconds(1));
      tokens.clearActive("ops");
    }
    var first = tokens.userHistory("alice", Long.MAX_VALUE, 2);
    var second = tokens.userHistory("alice", first.nextAfter().orElseThrow(), 2);

    assertThat(first.items())
        .extracting(UsageView::fence)
        .containsExactlyElementsOf(fences.subList(0, 2));
    assertThat(second.items()).extracting(UsageView::fence).containsExactly(fences.get(2));
    assertThat(second.nextAfter()).isEmpty();
    assertThat(first.items())
        .allSatisfy(
            usage -> {
              assertThat(usage.endReason()).isEqualTo(EndReason.CLEARED);
              assertThat(usage.endedBy()).isEqualTo("ops");
            });
    assertThat(tokens.userHistory("nobody", Long.MAX_VALUE, 2).items()).isEmpty();
  }

  /**
   * A renewal racing the eviction of its holding, over and over on a full pool: the renewal either
   * lands first (then the eviction ends the renewed holding) or is refused as stale; the history
   * agrees with what each caller was told.
   */
  @Test
  void aRenewalRacingAnEvictionEitherLandsFirstOrIsRefused() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      int renewedFirst = 0;
      int refused = 0;
      int otherEvicted = 0;
      for (int round = 0; round < 30; round++) {
        // Two long holdings fill the pool but for one token, whose holder is the soonest to end.
        String filler = "filler-" + round + "-";
        tokens.activate(filler + 1, lease(Duration.ofMinutes(20)));
        tokens.activate(filler + 2, lease(Duration.ofMinutes(20)));
        Activation holder = tokens.activate("holder-" + round, lease(Duration.ofMinutes(1)));
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Optional<Renewal>> renew =
            threads.submit(
                () -> {
                  start.await();
                  try {
                    return Optional.of(
                        tokens.renew(
                            holder.tokenId(), holder.fence(), Optional.empty(), Optional.empty()));
                  } catch (StaleFenceException e) {
                    return Optional.empty();
                  }
                });
        Future<Activation> evict =
            threads.submit(
                () -> {
                  start.await();
                  return tokens.activate("newcomer-" + holder.fence());
                });
        Optional<Renewal> renewal = renew.get(30, TimeUnit.SECONDS);
        Activation newcomer = evict.get(30, TimeUnit.SECONDS);
        UsageView held = tokens.userHistory(holder.userId(), Long.MAX_VALUE, 1).items().get(0);
        assertThat(held.renewals()).isEqualTo(renewal.isPresent() ? 1 : 0);
        if (holder.userId().equals(newcomer.evictedUserId())) {
          assertThat(held.endReason()).isEqualTo(EndReason.EVICTED);
          assertThat(held.evictedBy()).isEqualTo(newcomer.fence());
          if (renewal.isPresent()) {
            renewedFirst++;
          } else {
            refused++;
          }
        } else {
          // The eviction skipped the token the renewal had locked and took the next oldest.
          assertThat(newcomer.evictedUserId()).startsWith(filler);
          assertThat(renewal).as("a holding not evicted is renewed").isPresent();
          assertThat(held.endReason()).isNull();
          otherEvicted++;
        }
        assertThat(count("SELECT COUNT(*) FROM usages WHERE ended_at IS NULL")).isEqualTo(3);
        tokens.clearActive();
      }
      System.out.printf(
          "renewal against eviction: %d renewed then evicted, %d refused as stale, %d renewed while"
              + " another holding was evicted%n",
          renewedFirst, refused, otherEvicted);
      assertThat(renewedFirst + refused + otherEvicted).isEqualTo(30);
    } finally {
      threads.shutdownNow();
    }
  }

  private static ActivationOptions lease(Duration lease) {
    return new ActivationOptions(Optional.of(lease), OnFull.EVICT);
  }

  private static Optional<String> mine() {
    return Optional.of("alice");
  }
}
