package dev.tokenpool.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.events.Event;
import dev.tokenpool.events.EventRelay;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Events of holdings (issue 18) as one behaviour suite for every supported database: every change
 * of a holding, whatever made it, is one event written with it, relayed in order to the streams
 * whose filter lets it through, and a stream resumes after the last event it saw.
 */
abstract class EventsContract extends PoolOnFreshDatabase {

  /** A stream that records what it is sent. */
  static final class Recording implements EventRelay.Sink {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<long[]> gaps = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public boolean send(Event event) {
      events.add(event);
      return !closed;
    }

    @Override
    public boolean heartbeat() {
      return !closed;
    }

    @Override
    public boolean gap(long lastEventId, long oldest) {
      gaps.add(new long[] {lastEventId, oldest});
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
    }

    List<String> types() {
      return events.stream().map(e -> e.type() + ":" + e.userId()).toList();
    }
  }

  @Test
  void everyChangeOfAHoldingIsOneEventInOrder() throws Exception {
    Recording all = subscribe(event -> true, Optional.empty());
    Activation alice = tokens.activate("alice");
    tokens.renew(
        alice.tokenId(), alice.fence(), Optional.of(Duration.ofMinutes(1)), Optional.empty());
    tokens.release(alice.tokenId(), Optional.empty(), Optional.of(alice.fence()), "ops");
    tokens.activate("bob");
    tokens.activate("carol");
    Activation dave = tokens.activate("dave");
    // Evicts bob, the first of the holdings that expire soonest; outlives the others.
    Activation erin =
        tokens.activate(
            "erin", new ActivationOptions(Optional.of(Duration.ofMinutes(5)), OnFull.EVICT));
    clock.advance(LIFETIME);
    tokens.releaseExpired(); // carol's and dave's holdings expired
    tokens.activate("frank");
    tokens.clearActive("ops");

    List<String> expected =
        List.of(
            "activated:alice",
            "renewed:alice",
            "released:alice",
            "activated:bob",
            "activated:carol",
            "activated:dave",
            "activated:erin",
            "evicted:bob",
            "expired:carol",
            "expired:dave",
            "activated:frank",
            "cleared:frank",
            "cleared:erin");
    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() >= expected.size());
    assertThat(all.types()).containsExactlyElementsOf(expected);
    assertThat(all.events).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    Event evicted = all.events.get(7);
    assertThat(evicted.evictedBy()).isEqualTo(erin.fence());
    assertThat(evicted.at()).isEqualTo(erin.activatedAt());
    assertThat(all.events.get(1).expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    assertThat(all.events.get(2).endedBy()).isEqualTo("ops");
    assertThat(all.events.get(9).at())
        .as("an expiry happens at the expiry")
        .isEqualTo(dave.expiresAt());
    assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(expected.size());
  }

  @Test
  void aStreamSeesOnlyWhatItsFilterLetsThrough() {
    Recording bobs = subscribe(event -> event.userId().equals("bob"), Optional.empty());
    Recording all = subscribe(event -> true, Optional.empty());
    tokens.activate("alice");
    Activation bob = tokens.activate("bob");
    tokens.release(bob.tokenId());

    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() == 3);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bobs.events.size() == 2);
    assertThat(bobs.types()).containsExactly("activated:bob", "released:bob");
  }

  @Test
  void aStreamResumesAfterTheLastEventItSawAndOnlyNewOnesWithout() throws Exception {
    Recording first = subscribe(event -> true, Optional.empty());
    tokens.activate("alice");
    tokens.activate("bob");
    await().atMost(5, TimeUnit.SECONDS).until(() -> first.events.size() == 2);
    long seen = first.events.get(0).id();
    tokens.activate("carol");

    Recording resumed = subscribe(event -> true, Optional.of(seen));
    Recording fresh = subscribe(event -> true, Optional.empty());
    await().atMost(5, TimeUnit.SECONDS).until(() -> resumed.events.size() == 2);
    tokens.activate("dave"); // the pool of three is full: alice is evicted

    await().atMost(5, TimeUnit.SECONDS).until(() -> resumed.events.size() == 4);
    assertThat(resumed.types())
        .containsExactly("activated:bob", "activated:carol", "activated:dave", "evicted:alice");
    await().atMost(5, TimeUnit.SECONDS).until(() -> fresh.events.size() == 2);
    assertThat(fresh.types()).containsExactly("activated:dave", "evicted:alice");
    assertThat(resumed.gaps).isEmpty();
  }

  @Test
  void aStreamThatResumesPastTheRetentionIsToldWhatItMissed() throws Exception {
    tokens.activate("alice");
    tokens.activate("bob");
    sql("DELETE FROM events WHERE user_id = 'alice'");
    long oldest = count("SELECT MIN(id) FROM events");

    Recording late = subscribe(event -> true, Optional.of(0L));

    await().atMost(5, TimeUnit.SECONDS).until(() -> late.events.size() == 1);
    assertThat(late.gaps).hasSize(1);
    assertThat(late.gaps.get(0)).containsExactly(0L, oldest - 1);
    assertThat(late.types()).containsExactly("activated:bob");
  }

  @Test
  void anIdCommittedLateIsWaitedForAndDeliveredInOrder() throws Exception {
    Recording all = subscribe(event -> true, Optional.empty());
    tokens.activate("alice");
    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() == 1);
    long next = all.events.get(0).id() + 1;
    // An id allocated by a transaction that has not committed yet: the next one shows first.
    sql(
        "INSERT INTO events (id, at, type, token_id, user_id, fence, pool_id) VALUES (%d, %d,"
            + " 'activated', '%s', 'late', 1, 1)",
        next + 1, clock.millis(), all.events.get(0).tokenId());
    Thread.sleep(5 * 100); // polls that must hold the later event back
    assertThat(all.events).hasSize(1);

    sql(
        "INSERT INTO events (id, at, type, token_id, user_id, fence, pool_id) VALUES (%d, %d,"
            + " 'activated', '%s', 'early', 1, 1)",
        next, clock.millis(), all.events.get(0).tokenId());

    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() == 3);
    assertThat(all.types()).containsExactly("activated:alice", "activated:early", "activated:late");
  }

  @Test
  void aMissingIdThatNeverCommitsIsPassedAfterAWhile() throws Exception {
    Recording all = subscribe(event -> true, Optional.empty());
    tokens.activate("alice");
    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() == 1);
    long skipped = all.events.get(0).id() + 1;
    sql(
        "INSERT INTO events (id, at, type, token_id, user_id, fence, pool_id) VALUES (%d, %d,"
            + " 'activated', '%s', 'after-a-rollback', 1, 1)",
        skipped + 1, clock.millis(), all.events.get(0).tokenId());

    Thread.sleep(5 * 100); // polls that notice the hole and hold the later event back
    assertThat(all.events).hasSize(1);
    // The node's clock decides: once it has moved past the wait, the hole is passed.
    clock.advance(Duration.ofSeconds(4));

    await().atMost(5, TimeUnit.SECONDS).until(() -> all.events.size() == 2);
    assertThat(all.types()).containsExactly("activated:alice", "activated:after-a-rollback");
  }

  private int subscribed;

  /** Subscribes, and returns once the relay has taken the stream in. */
  Recording subscribe(java.util.function.Predicate<Event> filter, Optional<Long> lastEventId) {
    Recording sink = new Recording();
    node.events().subscribe(filter, lastEventId, sink);
    int expected = ++subscribed;
    await().atMost(5, TimeUnit.SECONDS).until(() -> node.events().subscribers() == expected);
    return sink;
  }
}
