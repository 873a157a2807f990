package dev.tokenpool.events;

import dev.tokenpool.concurrency.NodeThreads;
import dev.tokenpool.persistence.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's streams of events. One thread reads the {@code events} table every {@link #POLL}
 * while the node has subscribers, in id order ({@link LiveReader}), and hands each subscriber what
 * its filter lets through; a subscriber that resumes from an earlier event first catches up from
 * the table. Streams are written by a few writer threads, each subscriber's in order, so that a
 * slow client delays no one else; one that falls {@link #QUEUE_LIMIT} events behind is closed (it
 * resumes with Last-Event-ID). Every node also prunes events older than the retention.
 */
public final class EventRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

  static final Duration POLL = Duration.ofMillis(100);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
  static final int PAGE = 2_000;
  static final int PRUNE_BATCH = 5_000;
  static final int QUEUE_LIMIT = 10_000;
  static final int RESET_WINDOW = 1_000;
  static final Duration STOP_WAIT = Duration.ofSeconds(5);

  /** Where a stream is written: events, heartbeats, a notice of missed events, and its end. */
  public interface Sink {
    /** Writes one event; false when the client is gone. */
    boolean send(Event event);

    /** Writes a comment that keeps the connection open; false when the client is gone. */
    boolean heartbeat();

    /** Tells the client that events after {@code lastEventId} up to {@code oldest} are gone. */
    boolean gap(long lastEventId, long oldest);

    void close();
  }

  private final Transactions transactions;
  private final Clock clock;
  private final boolean mySqlFamily;
  private final Duration retention;
  private final EventLog events = new EventLog();
  private final LiveReader live;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Queue<Subscriber> joining = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService poller;
  private final ScheduledExecutorService pruner;
  private final ExecutorService writers;
  private final Consumer<Duration> lag;
  private volatile boolean idle = true;
  private volatile long livePosition;
  private Instant lastHeartbeat = Instant.MIN;
  private Instant lastIncrementRead = Instant.MIN;
  private volatile boolean closed;

  private EventRelay(
      Transactions transactions,
      Clock clock,
      boolean mySqlFamily,
      Duration retention,
      Consumer<Duration> lag) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mySqlFamily = mySqlFamily;
    this.retention = Objects.requireNonNull(retention, "retention");
    this.lag = Objects.requireNonNull(lag, "lag");
    this.live = new LiveReader(events, mySqlFamily);
    this.poller = NodeThreads.scheduled("tokenpool-events");
    this.pruner = NodeThreads.scheduled("tokenpool-events-prune");
    this.writers = NodeThreads.pool(4, "tokenpool-events-write");
  }

  /**
   * Starts relaying: {@code lag} is told, for every event delivered, how long after it happened (by
   * the database's clock) it was handed to its streams.
   */
  public static EventRelay start(
      Transactions transactions,
      Clock clock,
      boolean mySqlFamily,
      Duration retention,
      Consumer<Duration> lag) {
    EventRelay relay = new EventRelay(transactions, clock, mySqlFamily, retention, lag);
    relay.poller.scheduleWithFixedDelay(
        relay::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    relay.pruner.scheduleWithFixedDelay(
        relay::prune, 0, PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return relay;
  }

  public Duration retention() {
    return retention;
  }

  /** Streams this node relays to (a new one counts once the relay has taken it in). */
  public int subscribers() {
    return subscribers.size();
  }

  /**
   * Streams to {@code sink} the events {@code filter} lets through: those after {@code lastEventId}
   * when given (from the table, then live), else those from now on.
   */
  public void subscribe(Predicate<Event> filter, Optional<Long> lastEventId, Sink sink) {
    subscribe(filter, lastEventId, () -> sink);
  }

  /**
   * Subscribes as {@link #subscribe(Predicate, Optional, Sink)} does, opening the stream only once
   * its start is known: a database that cannot be reached then fails the request (503) before any
   * byte of a stream went out.
   */
  public void subscribe(
      Predicate<Event> filter, Optional<Long> lastEventId, Supplier<Sink> opening) {
    if (closed) {
      opening.get().close(); // the node is stopping: the client resumes on another
      return;
    }
    // "From now on" is fixed here, not when the relay takes the stream in: an event committed
    // in between is delivered too.
    long from =
        lastEventId.orElseGet(
            () -> idle ? transactions.onceOnConnection(events::latest) : livePosition);
    joining.add(new Subscriber(filter, Optional.of(from), lastEventId.isPresent(), opening.get()));
  }

  private void poll() {
    try {
      if (subscribers.isEmpty() && joining.isEmpty()) {
        idle = true;
        return;
      }
      Instant now = clock.instant();
      transactions.once(
          session ->
              session.doReturningWork(
                  connection -> {
                    relay(connection, now);
                    return null;
                  }));
      if (!now.isBefore(lastHeartbeat.plus(HEARTBEAT))) {
        lastHeartbeat = now;
        subscribers.forEach(subscriber -> subscriber.enqueue(Outbound.HEARTBEAT));
      }
    } catch (RuntimeException e) {
      log.warn("Relaying events failed, retrying in {} ms: {}", POLL.toMillis(), e.toString());
    }
  }

  private void relay(Connection connection, Instant now) throws SQLException {
    // A Galera cluster's stride follows its size: read again every few seconds, so that a stride
    // that shrank (a server left) is not taken for the step between consecutive ids for long.
    if (!now.isBefore(lastIncrementRead.plus(Duration.ofSeconds(5)))) {
      live.increment(events.increment(connection, mySqlFamily));
      lastIncrementRead = now;
    }
    if (idle) {
      // A little back from the newest: ids below it may still be committing, and a stream that
      // resumes from among them gets them through the live reader, which waits for them.
      long latest = events.latest(connection);
      live.reset(Math.max(0, latest - RESET_WINDOW), latest);
      idle = false;
    }
    for (Subscriber joined = joining.poll(); joined != null; joined = joining.poll()) {
      join(connection, joined);
    }
    List<Event> fresh = new ArrayList<>();
    for (int page = 0; page < 10; page++) {
      List<Event> read = live.next(connection, now, PAGE);
      fresh.addAll(read);
      if (read.size() < PAGE) {
        break;
      }
    }
    long upTo = live.position();
    livePosition = upTo;
    for (Subscriber subscriber : subscribers) {
      if (subscriber.catchingUp) {
        List<Event> missed = events.between(connection, subscriber.position, upTo, PAGE);
        subscriber.deliver(missed, now);
        subscriber.position = missed.size() < PAGE ? upTo : missed.get(missed.size() - 1).id();
        subscriber.catchingUp = subscriber.position < upTo;
      } else {
        subscriber.deliver(fresh, now);
      }
    }
  }

  private void join(Connection connection, Subscriber subscriber) throws SQLException {
    long at = live.position();
    long from = subscriber.lastEventId.orElse(at);
    if (subscriber.resumes) {
      Optional<Long> oldest = events.oldest(connection);
      if (oldest.isPresent() && oldest.get() > from + 1) {
        subscriber.enqueue(new Outbound(null, from, oldest.get() - 1));
      }
    }
    if (from < at) {
      subscriber.position = from;
      subscriber.catchingUp = true;
    } else {
      // From now on; or ahead of this node (a client that resumes here from a node that read
      // further): only what it has not seen.
      subscriber.floor = from;
    }
    subscribers.add(subscriber);
  }

  private void prune() {
    if (closed) {
      return;
    }
    try {
      Instant cutoff = clock.instant().minus(retention);
      int pruned = 0;
      int batch;
      do {
        batch =
            transactions.retrying(
                session ->
                    session.doReturningWork(
                        connection -> events.prune(connection, cutoff, PRUNE_BATCH)));
        pruned += batch;
      } while (batch > 0 && !closed);
      if (pruned > 0) {
        log.debug("Pruned {} event(s) older than {}", pruned, cutoff);
      }
    } catch (RuntimeException e) {
      log.warn("Pruning events failed, retrying in {}: {}", PRUNE_EVERY, e.toString());
    }
  }

  /** An item of a stream: an event, a heartbeat, or a notice of events lost to retention. */
  private record Outbound(Event event, long gapAfter, long gapUpTo) {
    static final Outbound HEARTBEAT = new Outbound(null, -1, -1);
  }

  private final class Subscriber {
    private final Predicate<Event> filter;
    private final Optional<Long> lastEventId;
    private final boolean resumes;
    private final Sink sink;
    private final Queue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean gone;
    long position;
    long floor;
    boolean catchingUp;

    Subscriber(Predicate<Event> filter, Optional<Long> lastEventId, boolean resumes, Sink sink) {
      this.filter = filter;
      this.lastEventId = lastEventId;
      this.resumes = resumes;
      this.sink = sink;
    }

    void deliver(List<Event> events, Instant now) {
      for (Event event : events) {
        if (event.id() > floor && filter.test(event)) {
          lag.accept(Duration.between(event.at(), now));
          enqueue(new Outbound(event, 0, 0));
        }
      }
    }

    void enqueue(Outbound item) {
      if (gone) {
        return;
      }
      if (queued.incrementAndGet() > QUEUE_LIMIT) {
        log.info(
            "Closing an event stream {} events behind; it resumes by Last-Event-ID", QUEUE_LIMIT);
        end();
        return;
      }
      queue.add(item);
      if (writing.compareAndSet(false, true)) {
        writers.execute(this::write);
      }
    }

    private void write() {
      try {
        for (Outbound item = queue.poll(); item != null && !gone; item = queue.poll()) {
          queued.decrementAndGet();
          boolean written =
              item.event() != null
                  ? sink.send(item.event())
                  : item == Outbound.HEARTBEAT
                      ? sink.heartbeat()
                      : sink.gap(item.gapAfter(), item.gapUpTo());
          if (!written) {
            end();
          }
        }
      } catch (RuntimeException e) {
        log.debug("An event stream failed: {}", e.toString());
        end();
      } finally {
        writing.set(false);
        if (!queue.isEmpty() && !gone && writing.compareAndSet(false, true)) {
          writers.execute(this::write);
        }
      }
    }

    void end() {
      gone = true;
      subscribers.remove(this);
      queue.clear();
      try {
        sink.close();
      } catch (RuntimeException e) {
        log.debug("Closing an event stream failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    pruner.shutdownNow();
    NodeThreads.stopNow(poller, STOP_WAIT);
    for (Subscriber subscriber : List.copyOf(subscribers)) {
      subscriber.end();
    }
    for (Subscriber subscriber = joining.poll(); subscriber != null; subscriber = joining.poll()) {
      subscriber.end();
    }
    NodeThreads.finish(writers, STOP_WAIT);
  }
}
