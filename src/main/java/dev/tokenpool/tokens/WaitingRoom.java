package dev.tokenpool.tokens;

import dev.tokenpool.concurrency.NodeThreads;
import dev.tokenpool.persistence.DatabaseUnavailableException;
import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's activations that wait for a token ({@link OnFull#WAIT}), and its part in serving the
 * cluster's queue. A waiting request holds no database connection and no request thread: it is a
 * row in the queue and a future here. One thread polls every {@link #POLL} while the node has
 * waiters: it serves the queue's head (any node's waiters, in arrival order), answers this node's
 * served waiters, and gives up on those past their deadline (by the database's clock) with {@link
 * PoolFullException}.
 */
public final class WaitingRoom implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WaitingRoom.class);

  /** How often the queue is served and answered while this node has waiters. */
  static final Duration POLL = Duration.ofMillis(100);

  /** Waiters served per transaction, at most. */
  static final int SERVE_LIMIT = 64;

  /** How often this node removes waiters left by nodes that went silent. */
  static final Duration SWEEP = Duration.ofSeconds(10);

  /**
   * How long past its deadline a waiter is answered at the latest, whatever the database does: a
   * watchdog of its own answers it 503 when the polling thread is held up (waiting for a connection
   * to a database that cannot be reached). A waiter past its deadline is never served afterwards,
   * so the answer stands; a token served to it just before is the user's to ask for.
   */
  static final Duration GIVE_UP_GRACE = Duration.ofSeconds(1);

  static final Duration WATCHDOG = Duration.ofMillis(200);

  static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final TokenService tokens;
  private final Transactions transactions;
  private final Clock clock;
  private final String nodeId;
  private final Duration maxWait;
  private final WaitQueue queue = new WaitQueue();
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final ScheduledExecutorService watchdog;
  private final ExecutorService answering;

  /** Served rows seen once with no waiter registered: removed when seen again. */
  private Set<Long> strangers = Set.of();

  private Instant lastHeartbeat = Instant.MIN;
  private Instant lastSweep = Instant.MIN;
  private volatile boolean closed;

  private record Waiting(
      TokenService pool,
      String userId,
      Duration patience,
      Instant deadline,
      CompletableFuture<Activation> answer) {}

  private WaitingRoom(
      TokenService tokens,
      Transactions transactions,
      Clock clock,
      String nodeId,
      Duration maxWait) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    this.poller = NodeThreads.scheduled("tokenpool-waiters-" + nodeId);
    this.watchdog = NodeThreads.scheduled("tokenpool-waiters-watchdog-" + nodeId);
    // Answers are written to clients off the polling thread: a slow client never delays others.
    this.answering = NodeThreads.pool(2, "tokenpool-waiters-answer");
  }

  /**
   * Opens this node's waiting room: waiters left in the queue by an earlier run of this node (whose
   * requests are gone) are removed first.
   */
  public static WaitingRoom open(
      TokenService tokens,
      Transactions transactions,
      Clock clock,
      String nodeId,
      Duration maxWait) {
    WaitingRoom room = new WaitingRoom(tokens, transactions, clock, nodeId, maxWait);
    int left = room.work(connection -> room.queue.removeNode(connection, nodeId));
    if (left > 0) {
      log.info("Removed {} waiter(s) left in the queue by an earlier run of node {}", left, nodeId);
    }
    room.poller.scheduleWithFixedDelay(
        room::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    room.watchdog.scheduleWithFixedDelay(
        () ->
            room.answerPastGrace(
                waiter ->
                    new DatabaseUnavailableException(
                        new IllegalStateException(
                            "the wait ended while the database could not be reached"))),
        WATCHDOG.toMillis(),
        WATCHDOG.toMillis(),
        TimeUnit.MILLISECONDS);
    return room;
  }

  /** The longest wait an activation may ask for. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Requests waiting on this node now. */
  public int waitingHere() {
    return waiting.size();
  }

  /** Waiters in the whole cluster that may still be served. */
  public long waitingInCluster() {
    return work(connection -> queue.countWaiting(connection, clock.instant()));
  }

  /** Waiters for the pool {@code poolId} in the whole cluster that may still be served. */
  public long waitingInCluster(int poolId) {
    return work(connection -> queue.countWaiting(connection, poolId, clock.instant()));
  }

  /**
   * Activates for the user, waiting up to {@code wait} (the longest allowed when empty) for a token
   * when none is free or others wait already. The future completes with the activation, or with
   * {@link PoolFullException} when no token came in time; refusals of the request itself (a lease
   * out of range) are thrown at once.
   */
  public CompletableFuture<Activation> activate(
      String userId, Optional<Duration> lease, Optional<Duration> wait) {
    return activate(tokens, userId, lease, wait);
  }

  /** Activates as {@link #activate(String, Optional, Optional)} does, in the pool given. */
  public CompletableFuture<Activation> activate(
      TokenService pool, String userId, Optional<Duration> lease, Optional<Duration> wait) {
    Objects.requireNonNull(userId, "userId");
    Duration waitFor = wait.orElse(maxWait);
    if (waitFor.compareTo(maxWait) > 0 || waitFor.isNegative() || waitFor.isZero()) {
      throw new IllegalArgumentException(
          "wait " + waitFor + " must lie within PT0S and " + maxWait);
    }
    if (closed) {
      throw new WaitInterruptedException();
    }
    TokenService.Admission admission =
        pool.admit(userId, pool.leases().lease(lease), waitFor, nodeId);
    if (admission.given().isPresent()) {
      return CompletableFuture.completedFuture(admission.given().get().activation());
    }
    CompletableFuture<Activation> answer = new CompletableFuture<>();
    waiting.put(
        admission.waiterId(), new Waiting(pool, userId, waitFor, admission.deadline(), answer));
    if (closed) {
      // Closed while this request was queued: close() may have missed it.
      answer(admission.waiterId(), null);
    }
    return answer;
  }

  private void poll() {
    try {
      Instant now = clock.instant();
      if (!waiting.isEmpty() && !now.isBefore(lastHeartbeat.plus(WaitQueue.HEARTBEAT))) {
        work(
            connection -> {
              queue.heartbeat(connection, nodeId, now);
              return null;
            });
        lastHeartbeat = now;
      }
      if (!now.isBefore(lastSweep.plus(SWEEP))) {
        lastSweep = now;
        Instant silentSince = now.minus(WaitQueue.SILENCE.multipliedBy(2));
        int removed = work(connection -> queue.removeSilent(connection, silentSince, nodeId));
        if (removed > 0) {
          log.warn("Removed {} waiter(s) of nodes silent since {}", removed, silentSince);
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      // Each pool this node has waiters in; the pools' queues are independent.
      Map<Integer, TokenService> pools = new HashMap<>();
      waiting.values().forEach(waiter -> pools.put(waiter.pool().poolId(), waiter.pool()));
      pools.values().forEach(pool -> pool.serveWaiters(SERVE_LIMIT));
      answerServed();
      giveUpPastDeadline();
    } catch (RuntimeException e) {
      log.warn("Serving the waiters failed, retrying in {} ms: {}", POLL.toMillis(), e.toString());
      answerPastGrace(waiter -> e);
    }
  }

  /** Answers this node's served waiters with their holding, and forgets them. */
  private void answerServed() {
    List<WaitQueue.Answer> answers = work(connection -> queue.answered(connection, nodeId));
    List<Long> done = new ArrayList<>();
    Set<Long> unknown = new HashSet<>();
    for (WaitQueue.Answer answer : answers) {
      Waiting waiter = waiting.remove(answer.waiterId());
      if (waiter != null) {
        WaitQueue.Served served = answer.served();
        answer(
            waiter,
            new Activation(
                served.tokenId(),
                waiter.userId(),
                served.fence(),
                served.activatedAt(),
                served.expiresAt(),
                waiter.pool().leases().holdUntil(served.activatedAt()),
                null));
        done.add(answer.waiterId());
      } else if (strangers.contains(answer.waiterId())) {
        done.add(answer.waiterId()); // no request of this run: nobody to answer
      } else {
        unknown.add(answer.waiterId()); // its request may be registering right now
      }
    }
    strangers = unknown;
    if (!done.isEmpty()) {
      work(
          connection -> {
            queue.remove(connection, done);
            return null;
          });
    }
  }

  /** Refuses the waiters whose deadline has passed, unless they were served just before. */
  private void giveUpPastDeadline() {
    Instant now = clock.instant();
    List<Long> due =
        waiting.entrySet().stream()
            .filter(entry -> !entry.getValue().deadline().isAfter(now))
            .map(Map.Entry::getKey)
            .toList();
    if (due.isEmpty()) {
      return;
    }
    // The waiters given up on, and the soonest expiry of each pool they waited in (Retry-After).
    record GaveUp(List<Long> waiters, Map<Integer, Optional<Instant>> soonestExpiry) {}
    GaveUp gaveUp =
        work(
            connection -> {
              List<Long> refused = new ArrayList<>();
              Map<Integer, Optional<Instant>> expiries = new HashMap<>();
              for (long waiterId : due) {
                Waiting waiter = waiting.get(waiterId);
                if (waiter != null && queue.giveUp(connection, waiterId)) {
                  refused.add(waiterId);
                  int poolId = waiter.pool().poolId();
                  if (!expiries.containsKey(poolId)) {
                    expiries.put(poolId, queue.soonestExpiry(connection, poolId, now));
                  }
                }
              }
              return new GaveUp(refused, expiries);
            });
    Function<Waiting, RuntimeException> full =
        waiter ->
            PoolFullException.afterWait(
                waiter.patience(),
                gaveUp.soonestExpiry().getOrDefault(waiter.pool().poolId(), Optional.empty()),
                now);
    for (long waiterId : gaveUp.waiters()) {
      Waiting waiter = waiting.remove(waiterId);
      if (waiter != null) {
        refuse(waiter, full.apply(waiter));
      }
    }
    // Those served meanwhile are answered by the next poll; one whose row is gone (removed by
    // hand, say) is refused once its grace has passed, never left waiting.
    answerPastGrace(full);
  }

  /** Waiters well past their deadline are answered with the failure (the database's, say). */
  private void answerPastGrace(Function<Waiting, RuntimeException> failure) {
    Instant now = clock.instant();
    waiting.forEach(
        (waiterId, waiter) -> {
          if (waiter.deadline().plus(GIVE_UP_GRACE).isBefore(now)
              && waiting.remove(waiterId, waiter)) {
            refuse(waiter, failure.apply(waiter));
          }
        });
  }

  private void answer(long waiterId, RuntimeException failure) {
    Waiting waiter = waiting.remove(waiterId);
    if (waiter != null) {
      refuse(waiter, failure == null ? new WaitInterruptedException() : failure);
    }
  }

  private void answer(Waiting waiter, Activation activation) {
    answering.execute(() -> waiter.answer().complete(activation));
  }

  private void refuse(Waiting waiter, RuntimeException failure) {
    answering.execute(() -> waiter.answer().completeExceptionally(failure));
  }

  private <T> T work(Transactions.JdbcWork<T> work) {
    return transactions.retryingOnConnection(work);
  }

  /**
   * Stops serving: every request still waiting here is answered 503 (the client may retry on
   * another node) and its place in the queue removed.
   */
  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
    NodeThreads.stopNow(poller, STOP_WAIT);
    for (Long waiterId : List.copyOf(waiting.keySet())) {
      answer(waiterId, null);
    }
    try {
      work(connection -> queue.removeNode(connection, nodeId));
    } catch (RuntimeException e) {
      log.warn("Could not remove this node's waiters from the queue: {}", e.toString());
    }
    NodeThreads.finish(answering, STOP_WAIT);
  }
}
