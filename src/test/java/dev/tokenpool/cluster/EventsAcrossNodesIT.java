package dev.tokenpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.bootstrap.TokenPoolNode;
import dev.tokenpool.config.PoolSettings;
import dev.tokenpool.config.SchedulerSettings;
import dev.tokenpool.events.Event;
import dev.tokenpool.testing.RecordingStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Events reach every node's streams whatever node made the change (issue 18): three nodes, a
 * thousand streams on one of them (half see everyone, half one user each), activations, evictions,
 * releases and expiries made through the two others. Every holding's start and end arrive exactly
 * once on every stream that should see them, in id order, and a stream whose node stops resumes on
 * another node from its Last-Event-ID and misses nothing.
 */
class EventsAcrossNodesIT {

  private static final int USERS = 50;
  private static final int STREAMS = 1_000;

  @Test
  void aThousandStreamsOnOneNodeSeeEveryChangeMadeThroughTheOthersOnce() throws Exception {
    try (ClusterFixture cluster =
        new ClusterFixture(
            "events",
            settings ->
                settings
                    .with(PoolSettings.POOL_SIZE, "20")
                    .with(PoolSettings.TOKEN_LIFETIME, "PT2S")
                    .with(SchedulerSettings.EXPIRY_INTERVAL, "PT1S"))) {
      TokenPoolNode streams = cluster.local(ClusterFixture.uniqueId("streams"), true);
      TokenPoolNode first = cluster.local(ClusterFixture.uniqueId("first"), false);
      TokenPoolNode second = cluster.local(ClusterFixture.uniqueId("second"), false);

      List<RecordingStream> everyone = new ArrayList<>();
      Map<String, List<RecordingStream>> byUser = new HashMap<>();
      for (int i = 0; i < STREAMS; i++) {
        RecordingStream stream = new RecordingStream();
        if (i % 2 == 0) {
          everyone.add(stream);
          streams.events().subscribe(event -> true, Optional.empty(), stream);
        } else {
          String user = "user-" + (i / 2) % USERS;
          byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(stream);
          streams
              .events()
              .subscribe(event -> event.userId().equals(user), Optional.empty(), stream);
        }
      }
      await().atMost(10, TimeUnit.SECONDS).until(() -> streams.events().subscribers() == STREAMS);
      RecordingStream moving = new RecordingStream();
      first.events().subscribe(event -> true, Optional.empty(), moving);
      await().atMost(10, TimeUnit.SECONDS).until(() -> first.events().subscribers() == 1);

      AtomicBoolean firstRuns = new AtomicBoolean(true);
      AtomicBoolean secondRuns = new AtomicBoolean(true);
      ExecutorService load = Executors.newFixedThreadPool(8);
      List<Future<?>> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        TokenPoolNode through = t % 2 == 0 ? first : second;
        AtomicBoolean runs = t % 2 == 0 ? firstRuns : secondRuns;
        threads.add(load.submit(() -> activations(through, runs)));
      }
      Thread.sleep(3_000);
      firstRuns.set(false); // the moving stream's node stops; its client resumes on another
      for (int t = 0; t < 8; t += 2) {
        threads.get(t).get(30, TimeUnit.SECONDS);
      }
      first.close();
      assertThat(moving.closed).as("the stream ends with its node").isTrue();
      long lastSeen = moving.arrivals.get(moving.arrivals.size() - 1).event().id();
      RecordingStream resumed = new RecordingStream();
      second.events().subscribe(event -> true, Optional.of(lastSeen), resumed);
      Thread.sleep(3_000);
      secondRuns.set(false);
      for (int t = 1; t < 8; t += 2) {
        threads.get(t).get(30, TimeUnit.SECONDS);
      }
      load.shutdown();

      // Every holding ends on its own within its lease and the expiry interval.
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> count(cluster, "SELECT COUNT(*) FROM usages WHERE ended_at IS NULL") == 0);
      List<Event> written = events(cluster);
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> everyone.stream().allMatch(s -> s.arrivals.size() >= written.size()));
      long usages = count(cluster, "SELECT COUNT(*) FROM usages");
      assertThat(written.stream().filter(e -> e.type().equals("activated")).count())
          .isEqualTo(usages);
      assertThat(written.stream().filter(e -> !e.type().equals("activated")).count())
          .as("one end per holding")
          .isEqualTo(usages);

      int wrong = 0;
      for (RecordingStream stream : everyone) {
        if (!stream.events().equals(written) || stream.gaps.get() > 0) {
          wrong++;
        }
      }
      Map<String, List<Event>> ownByUser = new HashMap<>();
      for (String user : byUser.keySet()) {
        ownByUser.put(user, written.stream().filter(e -> e.userId().equals(user)).toList());
      }
      // One wait for them all: Awaitility waits at least its poll delay per call.
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () ->
                  byUser.entrySet().stream()
                      .allMatch(
                          user ->
                              user.getValue().stream()
                                  .allMatch(
                                      s ->
                                          s.arrivals.size()
                                              >= ownByUser.get(user.getKey()).size())));
      for (Map.Entry<String, List<RecordingStream>> user : byUser.entrySet()) {
        for (RecordingStream stream : user.getValue()) {
          if (!stream.events().equals(ownByUser.get(user.getKey()))) {
            wrong++;
          }
        }
      }
      List<Event> afterStop = written.stream().filter(e -> e.id() > lastSeen).toList();
      await().atMost(10, TimeUnit.SECONDS).until(() -> resumed.arrivals.size() >= afterStop.size());
      List<Event> seenByTheClient = new ArrayList<>(moving.events());
      seenByTheClient.addAll(resumed.events());
      List<Event> sinceItsStart =
          written.stream().filter(e -> e.id() >= moving.events().get(0).id()).toList();

      List<Long> lags = new ArrayList<>();
      for (RecordingStream.Arrival arrival : everyone.get(0).arrivals) {
        if (!arrival.event().type().equals("expired")) {
          lags.add(arrival.arrivedAt() - arrival.event().at().toEpochMilli());
        }
      }
      Collections.sort(lags);
      System.out.printf(
          "events across nodes: %d events, %d streams, %d wrong; the moving stream saw %d before its"
              + " node stopped and %d after resuming; lag p50 %d ms, p99 %d ms, max %d ms%n",
          written.size(),
          STREAMS,
          wrong,
          moving.arrivals.size(),
          resumed.arrivals.size(),
          lags.get(lags.size() / 2),
          lags.get(lags.size() * 99 / 100),
          lags.get(lags.size() - 1));
      assertThat(wrong).as("streams that lost, repeated or reordered an event").isZero();
      assertThat(seenByTheClient)
          .as("resumed on another node: nothing missed or repeated")
          .isEqualTo(sinceItsStart);
      assertThat(Set.copyOf(written.stream().map(Event::type).toList()))
          .contains("activated", "evicted", "released", "expired");
    }
  }

  /** Activations of the users, now and then a release; the pool of 20 for 50 users evicts. */
  private static Void activations(TokenPoolNode node, AtomicBoolean runs) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (runs.get()) {
      var activation = node.tokenService().activate("user-" + random.nextInt(USERS));
      if (random.nextInt(4) == 0) {
        try {
          node.tokenService()
              .release(
                  activation.tokenId(), Optional.empty(), Optional.of(activation.fence()), null);
        } catch (RuntimeException e) {
          // taken or ended meanwhile: fine
        }
      }
      Thread.sleep(random.nextInt(5, 15));
    }
    return null;
  }

  private static List<Event> events(ClusterFixture cluster) throws Exception {
    List<Event> events = new ArrayList<>();
    try (Connection connection = cluster.db.connect();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT id, at, type, token_id, user_id, fence, expires_at, ended_by, evicted_by,"
                    + " pool_id FROM events ORDER BY id")) {
      while (row.next()) {
        long expires = row.getLong(7);
        Long expiresAt = row.wasNull() ? null : expires;
        long evicted = row.getLong(9);
        Long evictedBy = row.wasNull() ? null : evicted;
        events.add(
            new Event(
                row.getLong(1),
                java.time.Instant.ofEpochMilli(row.getLong(2)),
                row.getString(3),
                java.util.UUID.fromString(row.getString(4)),
                row.getString(5),
                row.getLong(6),
                expiresAt == null ? null : java.time.Instant.ofEpochMilli(expiresAt),
                row.getString(8),
                evictedBy,
                row.getInt(10)));
      }
    }
    return events;
  }

  private static long count(ClusterFixture cluster, String query) throws Exception {
    try (Connection connection = cluster.db.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }
}
