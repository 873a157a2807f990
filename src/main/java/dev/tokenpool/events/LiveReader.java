package dev.tokenpool.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * Reads new events strictly in id order. An id is allocated when its row is written and becomes
 * visible at commit, so a later id may be seen before an earlier one. A missing id is waited for
 * while its transaction is still open, and passed once it rolled back. On MySQL and MariaDB a
 * locking read that never waits tells which ({@link EventLog#probe}), from {@link #PROBE_AFTER} on
 * (the moment between an id's allocation and its row), and a hole is waited for as long as it is
 * being written, up to {@link #HOLE_LIMIT}; on H2, which cannot tell, for {@link #HOLE_WAIT}.
 */
final class LiveReader {

  static final Duration HOLE_WAIT = Duration.ofSeconds(3);
  static final Duration PROBE_AFTER = Duration.ofMillis(200);
  static final Duration HOLE_LIMIT = Duration.ofSeconds(30);

  private final EventLog log;
  private final boolean probes;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long position;
  private long increment = 1;
  private long writtenBeforeReset;

  LiveReader(EventLog log, boolean probes) {
    this.log = log;
    this.probes = probes;
  }

  /**
   * Starts over after {@code position}; ids up to {@code written} were taken before now, so their
   * holes are probed at once.
   */
  void reset(long position, long written) {
    this.position = position;
    this.writtenBeforeReset = written;
    pending.clear();
  }

  void increment(long increment) {
    this.increment = Math.max(1, increment);
  }

  /** The id of the last event this reader delivered or passed. */
  long position() {
    return position;
  }

  /** Reads what committed since the last call and returns what may be delivered now, in order. */
  List<Event> next(Connection connection, Instant now, int limit) throws SQLException {
    // From the last delivered: what fills a hole lies below events already read.
    for (Event event : log.after(connection, position, limit)) {
      // Read again while a hole below it holds it back: it keeps the time it was first read.
      pending.putIfAbsent(event.id(), new Pending(event, now));
    }
    List<Event> ready = new ArrayList<>();
    while (!pending.isEmpty()) {
      Map.Entry<Long, Pending> first = pending.firstEntry();
      boolean next = first.getKey() <= position + increment;
      if (!next && !holePassed(connection, first.getValue(), now)) {
        break;
      }
      pending.pollFirstEntry();
      ready.add(first.getValue().event());
      position = first.getKey();
    }
    return ready;
  }

  /**
   * Whether the hole below {@code after} may be passed. It has been there at least since {@code
   * after} was first read: holes noticed together are waited for together, not one after another.
   */
  private boolean holePassed(Connection connection, Pending after, Instant now)
      throws SQLException {
    Instant holeNoticedAt = after.readAt();
    if (!probes) {
      // Embedded H2 commits in this JVM, at once: a hole among rows written before the reader
      // started is one for good.
      return after.event().id() <= writtenBeforeReset
          || !holeNoticedAt.plus(HOLE_WAIT).isAfter(now);
    }
    if (!holeNoticedAt.plus(HOLE_LIMIT).isAfter(now)) {
      LoggerFactory.getLogger(LiveReader.class)
          .warn(
              "Passing event ids before {} still being written after {} s",
              after.event().id(),
              HOLE_LIMIT.toSeconds());
      return true;
    }
    if (after.event().id() > writtenBeforeReset && holeNoticedAt.plus(PROBE_AFTER).isAfter(now)) {
      return false;
    }
    // Every missing id up to the event read must be gone for good before the event is delivered:
    // each of them, not only those on the stride, which may have changed since it was read (a
    // Galera node that leaves shrinks every server's stride; the chaos run's stream missed an
    // event whose id lay between a stale stride's steps).
    for (long id = position + 1; id < after.event().id(); id++) {
      if (log.probe(connection, id) != EventLog.Probe.ABSENT) {
        return false; // still being written, or committed since: the next read brings it
      }
    }
    return true;
  }

  /** An event read but not yet delivered, and when it was first read. */
  private record Pending(Event event, Instant readAt) {}
}
