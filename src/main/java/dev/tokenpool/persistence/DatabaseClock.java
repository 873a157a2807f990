package dev.tokenpool.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server's clock, read on this node without a round trip per reading: the node's own
 * clock plus its measured offset from the server's. Every node of a cluster reads the same server
 * (the writer), so every decision about time agrees across nodes, however wrong a node's own clock
 * is. The offset is measured at start and every {@link #REFRESH}: the best of {@value #SAMPLES}
 * round trips (the shortest), taken as the server's reading at the round trip's midpoint, so it is
 * right to within half that round trip (well under a millisecond on a LAN).
 *
 * <p>A node whose clock agrees with the server's to within the measurement's own error (plus the
 * millisecond both round to) keeps its own clock: nodes kept in step by NTP, or on one host, then
 * read exactly the clocks they read before, rather than each its own error of a few milliseconds. A
 * later measurement replaces the one in use only when it is at least as precise, or when the one in
 * use is a minute old, so a measurement taken under load does not displace a good one.
 *
 * <p>The clock never goes back on this node: a new measurement may put the offset a few
 * milliseconds lower than the last (each has its own error), and a reading earlier than one already
 * given out could stamp a holding that starts before the previous one ended. Readings hold at the
 * last one given until the new offset catches up.
 */
public final class DatabaseClock extends Clock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

  static final Duration REFRESH = Duration.ofSeconds(5);
  static final int SAMPLES = 3;

  /** An offset past which the node's clock is reported as wrong (Quartz needs them close). */
  public static final Duration TOLERATED_OFFSET = Duration.ofSeconds(1);

  /** The server's time, epoch milliseconds, read with the statement's own precision. */
  private static final String SERVER_MILLIS =
      "SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";

  private final DataSource dataSource;
  private final Clock local;
  private final ScheduledExecutorService refresher;
  private final AtomicLong lastGiven = new AtomicLong(Long.MIN_VALUE);
  private volatile Measurement measured;

  /** How long a measurement stays in use while later ones are less precise. */
  static final Duration KEEP_PRECISE = Duration.ofMinutes(1);

  /**
   * The server's clock minus the node's, how far that may be off either way, and when it was
   * measured ({@link System#nanoTime()}).
   */
  public record Measurement(long offsetMillis, long uncertaintyMillis, long takenAtNanos) {
    public Duration offset() {
      return Duration.ofMillis(offsetMillis);
    }
  }

  private DatabaseClock(DataSource dataSource, Clock local, Measurement first) {
    this.dataSource = dataSource;
    this.local = local;
    this.measured = first;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tokenpool-clock");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(
        this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The server's clock of a MySQL or MariaDB database, measured now and kept measured.
   *
   * @throws DatabaseUnavailableException when the server cannot be read
   */
  public static DatabaseClock start(DataSource dataSource, Clock local) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(local, "local");
    Measurement first = measure(dataSource, local);
    Duration offset = first.offset();
    String direction = offset.isNegative() ? "ahead of" : "behind";
    if (offset.abs().compareTo(TOLERATED_OFFSET) > 0) {
      log.warn(
          "This node's clock is {} ms {} the database's: tokenpool decides by the database's"
              + " clock, but the clustered scheduler compares node clocks; synchronise this host"
              + " (NTP)",
          offset.abs().toMillis(),
          direction);
    } else {
      log.info(
          "Time is the database's clock: this node's is {} ms {} it (within {} ms)",
          offset.abs().toMillis(),
          direction,
          first.uncertaintyMillis());
    }
    return new DatabaseClock(dataSource, local, first);
  }

  /** The last measurement of the node's offset from the server. */
  public Measurement measurement() {
    return measured;
  }

  private void refresh() {
    try {
      Measurement next = measure(dataSource, local);
      Measurement current = measured;
      boolean stale = next.takenAtNanos() - current.takenAtNanos() > KEEP_PRECISE.toNanos();
      if (stale || next.uncertaintyMillis() <= current.uncertaintyMillis()) {
        measured = next;
      }
    } catch (RuntimeException e) {
      // The last offset stays good: clocks drift by milliseconds a minute, not more.
      log.debug("Could not measure the database's clock; keeping the last offset", e);
    }
  }

  private static Measurement measure(DataSource dataSource, Clock local) {
    Measurement best = null;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (int i = 0; i < SAMPLES; i++) {
        long before = local.millis();
        long server;
        try (ResultSet row = statement.executeQuery(SERVER_MILLIS)) {
          row.next();
          server = row.getLong(1);
        }
        long after = local.millis();
        long halfTrip = (after - before + 1) / 2;
        long offset = server - (before + after) / 2;
        // Within the measurement's error (and the millisecond both sides round to): no offset.
        Measurement sample =
            new Measurement(
                Math.abs(offset) <= halfTrip + 1 ? 0 : offset, halfTrip, System.nanoTime());
        if (best == null || sample.uncertaintyMillis() < best.uncertaintyMillis()) {
          best = sample;
        }
      }
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(e);
    }
    return best;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    return lastGiven.accumulateAndGet(local.millis() + measured.offsetMillis(), Math::max);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("The database's clock is read in UTC only");
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
