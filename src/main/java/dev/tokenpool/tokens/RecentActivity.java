package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Counts the pool's recent activity from the events of holdings (table {@code events}: one row per
 * start, renewal and end, written with the change), for the console. The table has no index on
 * times (every index costs the activation path), so this reads the newest events by primary key, at
 * most {@link #MAX_EVENTS_READ}. Events come in id order, and their times follow it but for an
 * expiry, which carries the expiry instant and is recorded up to the expiry interval later (later
 * still when it is left to the next request that touches its token): the read stops at the first
 * event more than {@link #LATE_RECORDING} before the window, and counts are complete then.
 */
public final class RecentActivity {

  /** The most events one read takes, by primary key. */
  static final int MAX_EVENTS_READ = 20_000;

  /** How much earlier than its neighbours in id order an event may say it happened. */
  static final Duration LATE_RECORDING = Duration.ofMinutes(5);

  private static final int PAGE = 1_000;

  private static final String NEWEST_BEFORE =
      "SELECT id, at, type FROM events WHERE id < ? ORDER BY id DESC LIMIT ?";

  /* One pool's: the same backward walk of the primary key, filtered (no index on the pool). */
  private static final String NEWEST_OF_POOL_BEFORE =
      "SELECT id, at, type FROM events WHERE id < ? AND pool_id = ? ORDER BY id DESC LIMIT ?";

  private final Transactions transactions;
  private final Clock clock;
  private final int maxEventsRead;

  public RecentActivity(Transactions transactions, Clock clock) {
    this(transactions, clock, MAX_EVENTS_READ);
  }

  RecentActivity(Transactions transactions, Clock clock, int maxEventsRead) {
    this.transactions = transactions;
    this.clock = clock;
    this.maxEventsRead = maxEventsRead;
  }

  /** The same reader with another cap on the events it reads. */
  RecentActivity readingAtMost(int events) {
    return new RecentActivity(transactions, clock, events);
  }

  /** The last {@code minutes} whole minutes of every pool, the current one last. */
  public PoolActivity lastMinutes(int minutes) {
    return lastMinutes(minutes, OptionalInt.empty());
  }

  /** The last {@code minutes} whole minutes of one pool (every pool when empty). */
  public PoolActivity lastMinutes(int minutes, OptionalInt poolId) {
    Instant currentMinute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    Instant from = currentMinute.minus(Duration.ofMinutes(minutes - 1L));
    long stopBefore = from.minus(LATE_RECORDING).toEpochMilli();
    long[][] counts = new long[minutes][COLUMNS.size()];
    boolean complete =
        transactions.once(
            session ->
                session.doReturningWork(
                    connection -> {
                      long before = Long.MAX_VALUE;
                      int read = 0;
                      while (read < maxEventsRead) {
                        int limit = Math.min(PAGE, maxEventsRead - read);
                        int got = 0;
                        try (PreparedStatement page =
                            connection.prepareStatement(
                                poolId.isPresent() ? NEWEST_OF_POOL_BEFORE : NEWEST_BEFORE)) {
                          page.setLong(1, before);
                          if (poolId.isPresent()) {
                            page.setInt(2, poolId.getAsInt());
                            page.setInt(3, limit);
                          } else {
                            page.setInt(2, limit);
                          }
                          try (ResultSet row = page.executeQuery()) {
                            while (row.next()) {
                              got++;
                              before = row.getLong(1);
                              long at = row.getLong(2);
                              if (at < stopBefore) {
                                return true; // every older event happened before the window
                              }
                              count(counts, from, Instant.ofEpochMilli(at), row.getString(3));
                            }
                          }
                        }
                        read += got;
                        if (got < limit) {
                          return true; // the whole table was read
                        }
                      }
                      return false;
                    }));
    List<PoolActivity.Minute> result =
        IntStream.range(0, minutes)
            .mapToObj(
                i ->
                    new PoolActivity.Minute(
                        from.plus(Duration.ofMinutes(i)),
                        counts[i][COLUMNS.indexOf("activated")],
                        counts[i][COLUMNS.indexOf("renewed")],
                        counts[i][COLUMNS.indexOf("expired")],
                        counts[i][COLUMNS.indexOf("evicted")],
                        counts[i][COLUMNS.indexOf("released")],
                        counts[i][COLUMNS.indexOf("cleared")]))
            .toList();
    return new PoolActivity(result, complete);
  }

  private static final List<String> COLUMNS =
      List.of("activated", "renewed", "expired", "evicted", "released", "cleared");

  private static void count(long[][] counts, Instant from, Instant at, String type) {
    int column = COLUMNS.indexOf(type);
    if (column < 0 || at.isBefore(from)) {
      return;
    }
    long minute = Duration.between(from, at).toMinutes();
    if (minute < counts.length) {
      counts[(int) minute][column]++;
    }
  }
}
