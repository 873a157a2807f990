package dev.tokenpool.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads new events strictly in id order. An id is allocated when its row is written and becomes
 * visible at commit, so a later id may be seen before an earlier one: a missing id is waited for up
 * to {@link #HOLE_WAIT} (its transaction is still committing) and then passed (it rolled back), or
 * passed at once when the event after it is older than that (a backlog being read).
 */
final class LiveReader {

  static final Duration HOLE_WAIT = Duration.ofSeconds(3);

  private final EventLog log;
  private final TreeMap<Long, Event> pending = new TreeMap<>();
  private long position;
  private long increment = 1;
  private Instant holeNoticedAt;

  LiveReader(EventLog log) {
    this.log = log;
  }

  /** Starts over after {@code position}: what a stream that begins now has seen. */
  void reset(long position) {
    this.position = position;
    pending.clear();
    holeNoticedAt = null;
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
      pending.put(event.id(), event);
    }
    List<Event> ready = new ArrayList<>();
    while (!pending.isEmpty()) {
      Map.Entry<Long, Event> first = pending.firstEntry();
      boolean next = first.getKey() <= position + increment;
      if (!next && !holePassed(first.getValue(), now)) {
        break;
      }
      pending.pollFirstEntry();
      ready.add(first.getValue());
      position = first.getKey();
      holeNoticedAt = null;
    }
    return ready;
  }

  private boolean holePassed(Event after, Instant now) {
    if (holeNoticedAt == null) {
      holeNoticedAt = now;
    }
    return !holeNoticedAt.plus(HOLE_WAIT).isAfter(now) || after.at().plus(HOLE_WAIT).isBefore(now);
  }
}
