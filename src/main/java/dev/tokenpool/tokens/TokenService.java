package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token pool's operations. Each runs in short transactions and relies on row locks and the
 * schema's constraints, never on in-memory state, so any number of nodes can serve one database.
 *
 * <p>Rules: a user holds at most one token, and asking again while it is unexpired returns the same
 * token and expiry (a client retry never evicts anyone). When no token is free, the active token
 * with the oldest activation is taken from its holder ({@link EndReason#EVICTED}). A usage past its
 * expiry counts as ended even before anything writes that down; whichever write touches it first
 * ends it as {@link EndReason#EXPIRED}.
 */
public final class TokenService {

  private static final Logger log = LoggerFactory.getLogger(TokenService.class);

  /** Rows changed per transaction by bulk operations, to keep locks short. */
  static final int BATCH_SIZE = 500;

  /** Candidates one plain read returns; more than the requests a node runs at once. */
  static final int CANDIDATES = 32;

  /** Fresh reads of candidates before an activation waits for one that others are changing. */
  static final int SNAPSHOT_READS = 3;

  private final Transactions transactions;
  private final TokenRepository repository;
  private final TokenReads reads;
  private final TokenWrites writes = new TokenWrites();
  private final ExpiryStatements expiry = new ExpiryStatements(BATCH_SIZE);
  private final WaitQueue queue = new WaitQueue();

  /** Activations running on this node now: how many of the oldest tokens they spread over. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final int poolId;
  private final Clock clock;
  private final CandidateOrder candidateOrder;
  private final LeaseRules leases;
  private final TokenEvents events;
  private final TokenSpans spans;

  /** A pool whose holdings all last {@code tokenLifetime}, with no renewal. */
  public TokenService(Transactions transactions, Clock clock, Duration tokenLifetime) {
    this(transactions, clock, LeaseRules.fixed(tokenLifetime), TokenEvents.NONE);
  }

  /** The default pool, with these lease rules. */
  public TokenService(
      Transactions transactions, Clock clock, LeaseRules leases, TokenEvents events) {
    this(transactions, clock, PoolIds.DEFAULT, leases, events);
  }

  /** The pool with this id, with these lease rules. */
  public TokenService(
      Transactions transactions, Clock clock, int poolId, LeaseRules leases, TokenEvents events) {
    this(transactions, clock, poolId, leases, events, TokenSpans.NONE);
  }

  /** The pool with this id, with these lease rules, its units of work marked for a tracer. */
  public TokenService(
      Transactions transactions,
      Clock clock,
      int poolId,
      LeaseRules leases,
      TokenEvents events,
      TokenSpans spans) {
    this(transactions, clock, poolId, leases, events, spans, CandidateOrder.RANDOM);
  }

  TokenService(
      Transactions transactions,
      Clock clock,
      int poolId,
      LeaseRules leases,
      TokenEvents events,
      CandidateOrder candidateOrder) {
    this(transactions, clock, poolId, leases, events, TokenSpans.NONE, candidateOrder);
  }

  private TokenService(
      Transactions transactions,
      Clock clock,
      int poolId,
      LeaseRules leases,
      TokenEvents events,
      TokenSpans spans,
      CandidateOrder candidateOrder) {
    this.poolId = poolId;
    this.spans = Objects.requireNonNull(spans, "spans");
    this.candidateOrder = Objects.requireNonNull(candidateOrder, "candidateOrder");
    this.events = TokenEvents.guarded(Objects.requireNonNull(events, "events"));
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.repository = new TokenRepository();
    this.reads = new TokenReads(transactions, clock, poolId, repository, writes);
  }

  /** The id of the pool this service gives tokens of. */
  public int poolId() {
    return poolId;
  }

  /** The lease an activation gets when it asks for none. */
  public Duration tokenLifetime() {
    return leases.defaultLease();
  }

  public LeaseRules leases() {
    return leases;
  }

  /** Activates with the pool's default lease, evicting when the pool is full. */
  public Activation activate(String userId) {
    return activate(userId, ActivationOptions.DEFAULT);
  }

  /**
   * Gives the user a token: the one they hold, a free one, an expired one, or (with {@link
   * OnFull#EVICT}) the active one that expires soonest. A user who holds a token gets it back as it
   * is, whatever lease it asks for: a client's retry never changes a holding.
   *
   * @throws LeaseOutOfRangeException when the lease asked for lies outside the pool's range
   * @throws PoolFullException when no token is free and the options do not evict
   * @throws IllegalArgumentException when the options wait: a {@link WaitingRoom} serves those
   */
  public Activation activate(String userId, ActivationOptions options) {
    Objects.requireNonNull(userId, "userId");
    if (options.onFull() == OnFull.WAIT) {
      throw new IllegalArgumentException("An activation that waits goes through a WaitingRoom");
    }
    Duration lease = leases.lease(options.lease());
    inFlight.incrementAndGet();
    try {
      Given given =
          spans.activation(
              () ->
                  write(
                      (connection, tally) ->
                          activate(connection, tally, userId, lease, options.onFull(), true)));
      reportActivated(given);
      return given.activation();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void reportActivated(Given given) {
    if (given.isNew()) {
      events.activated(given.activation().evictedUserId() != null);
    }
  }

  /**
   * Gives the user a token as {@link #activate(String, ActivationOptions)} with {@link OnFull#FAIL}
   * does, or, where that would refuse, queues the user behind everyone already waiting (in the same
   * transaction), until {@code wait} from now by this service's clock.
   */
  Admission admit(String userId, Duration lease, Duration wait, String nodeId) {
    inFlight.incrementAndGet();
    try {
      Admission admission =
          spans.activation(
              () ->
                  write(
                      (connection, tally) -> {
                        try {
                          return Admission.given(
                              activate(connection, tally, userId, lease, OnFull.FAIL, true));
                        } catch (PoolFullException full) {
                          Instant now = now();
                          Instant deadline = now.plus(wait);
                          long waiter =
                              queue.enqueue(
                                  connection, poolId, userId, nodeId, lease, now, deadline);
                          return Admission.queued(waiter, deadline);
                        }
                      }));
      admission.given().ifPresent(this::reportActivated);
      return admission;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** An activation given at once, or the waiter it was queued as. */
  record Admission(Optional<Given> given, long waiterId, Instant deadline) {
    static Admission given(Given given) {
      return new Admission(Optional.of(given), 0, null);
    }

    static Admission queued(long waiterId, Instant deadline) {
      return new Admission(Optional.empty(), waiterId, deadline);
    }
  }

  /**
   * Gives free and expired tokens to the waiters at the head of the cluster's queue, in arrival
   * order, up to {@code limit}, and returns how many it served. The head is locked first, so the
   * nodes that serve the queue take turns and never serve it out of order. Waiters past their
   * deadline or whose node went silent are passed over.
   */
  int serveWaiters(int limit) {
    List<Given> served =
        write(
            (connection, tally) -> {
              Instant seenAt = now();
              if (!queue.anyTokenFree(connection, poolId, seenAt)) {
                return List.of();
              }
              List<Given> given = new java.util.ArrayList<>();
              for (WaitQueue.Waiter waiter : queue.lockHead(connection, poolId, limit)) {
                if (!waiter.servableAt(now())) {
                  continue;
                }
                Given holding;
                try {
                  holding =
                      activate(
                          connection, tally, waiter.userId(), waiter.lease(), OnFull.FAIL, false);
                } catch (PoolFullException full) {
                  break;
                }
                queue.serve(connection, waiter.id(), holding.activation());
                given.add(holding);
              }
              return given;
            });
    served.forEach(this::reportActivated);
    return served.size();
  }

  /** An activation, and whether it opened a usage (false: the user's own was returned). */
  record Given(Activation activation, boolean isNew) {}

  /** A unit of work on the transaction's JDBC connection. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection connection, EndTally tally) throws SQLException;
  }

  /**
   * Runs a writing unit of work in a retried transaction, and reports the usages it ended once it
   * has committed (a retried attempt's ends are never counted twice).
   */
  private <T> T write(SqlWork<T> work) {
    Tallied<T> done =
        transactions.retryingOnConnection(
            connection -> {
              EndTally tally = new EndTally();
              return new Tallied<>(work.run(connection, tally), tally);
            });
    done.tally().reportTo(events);
    return done.value();
  }

  private record Tallied<T>(T value, EndTally tally) {}

  private void end(Connection connection, EndTally tally, Token token, EndReason reason, Instant at)
      throws SQLException {
    end(connection, tally, token, reason, at, null);
  }

  private void end(
      Connection connection,
      EndTally tally,
      Token token,
      EndReason reason,
      Instant at,
      String endedBy)
      throws SQLException {
    writes.endCurrentUsage(connection, token, reason, at, endedBy);
    tally.add(reason);
  }

  /*
   * One attempt: read the user's token and the first candidates without locks, then lock exactly
   * the row to take. A candidate is re-checked under its lock, so a stale read costs a retry, never
   * a wrong decision. When every candidate of a few fresh reads is being changed by other requests,
   * the attempt waits for the first one instead of failing.
   *
   * Timestamps are read from the clock only after the row they stamp is locked. A transaction that
   * waited for a lock thus never writes a time earlier than what the previous holder of the lock
   * wrote, and a token's usages never overlap in the history.
   *
   * With yieldToWaiters, free and expired tokens are left to the queue while anyone waits: this
   * activation is refused (or evicts the holding that expires soonest), as if the pool were full.
   */
  private Given activate(
      Connection connection,
      EndTally tally,
      String userId,
      Duration lease,
      OnFull onFull,
      boolean yieldToWaiters)
      throws SQLException {
    List<Token> candidates = List.of();
    for (int read = 1; read <= SNAPSHOT_READS; read++) {
      TokenWrites.Snapshot snapshot =
          writes.snapshot(connection, poolId, userId, CANDIDATES, now());
      if (snapshot.own().isPresent()) {
        Optional<Token> own = writes.lockOwn(connection, snapshot.own().get().id(), userId);
        if (own.isPresent()) {
          Optional<Given> kept = keepOrTakeAgain(connection, tally, own.get(), userId, lease);
          if (kept.isPresent()) {
            return kept.get();
          }
          // Its holding expired on a token the pool retired meanwhile: it takes another one.
        }
        // Released, cleared or taken since the read: the user holds nothing now.
      }
      Instant seenAt = now();
      candidates = snapshot.candidates();
      if (yieldToWaiters && snapshot.waiters()) {
        if (onFull != OnFull.EVICT) {
          throw poolFull(candidates, seenAt);
        }
        candidates = writes.activeCandidates(connection, poolId, seenAt, CANDIDATES);
      }
      List<Token> order = candidateOrder.of(candidates, seenAt, inFlight.get());
      if (onFull != OnFull.EVICT && order.stream().allMatch(t -> t.isActiveAt(seenAt))) {
        throw poolFull(order, seenAt);
      }
      for (Token candidate : order) {
        Optional<Token> locked = writes.tryLockCandidate(connection, candidate, seenAt);
        if (locked.isPresent()) {
          return take(connection, tally, locked.get(), userId, lease, onFull);
        }
      }
    }
    Token first =
        candidateOrder.of(candidates, now(), 1).stream()
            .findFirst()
            .orElseThrow(PoolBusyException::new);
    Token waitedFor =
        writes
            .lockById(connection, poolId, first.id())
            .filter(Token::isLive)
            .orElseThrow(PoolBusyException::new);
    Instant lockedAt = now();
    if (!first.isActiveAt(lockedAt) && waitedFor.isActiveAt(lockedAt)) {
      // Free or expired when read, taken by another request while this one waited: other tokens
      // may still be free, so this attempt reads again (a retry) rather than evict its newcomer.
      throw new PoolBusyException();
    }
    return take(connection, tally, waitedFor, userId, lease, onFull);
  }

  /** A full pool, with the soonest expiry among the active holdings read. */
  private static PoolFullException poolFull(List<Token> read, Instant now) {
    return new PoolFullException(
        read.stream()
            .map(Token::expiresAt)
            .filter(at -> at != null && at.isAfter(now))
            .min(Instant::compareTo),
        now);
  }

  /**
   * The user's own locked token: returned as it is while active, taken anew once it expired; empty
   * when it expired and has retired (its expired holding is ended).
   */
  private Optional<Given> keepOrTakeAgain(
      Connection connection, EndTally tally, Token own, String userId, Duration lease)
      throws SQLException {
    Instant now = latest(now(), own.activatedAt());
    if (own.isActiveAt(now)) {
      return Optional.of(
          new Given(
              new Activation(
                  own.id(),
                  userId,
                  own.currentUsageId(),
                  own.activatedAt(),
                  own.expiresAt(),
                  leases.holdUntil(own.activatedAt()),
                  null),
              false));
    }
    end(connection, tally, own, EndReason.EXPIRED, own.expiresAt());
    if (!own.isLive()) {
      return Optional.empty();
    }
    return Optional.of(give(connection, own, userId, now, lease, null));
  }

  /** Takes a locked token for the user: free, expired, or (if allowed) evicting its holder. */
  private Given take(
      Connection connection,
      EndTally tally,
      Token token,
      String userId,
      Duration lease,
      OnFull onFull)
      throws SQLException {
    if (userId.equals(token.currentUserId())) {
      // Given to this very user by a concurrent request since the read (a live token: no
      // candidate is retired).
      return keepOrTakeAgain(connection, tally, token, userId, lease).orElseThrow();
    }
    Instant now = latest(now(), token.activatedAt());
    if (!token.isHeld()) {
      return give(connection, token, userId, now, lease, null);
    }
    if (token.isExpiredAt(now)) {
      end(connection, tally, token, EndReason.EXPIRED, token.expiresAt());
      return give(connection, token, userId, now, lease, null);
    }
    if (onFull != OnFull.EVICT) {
      throw poolFull(List.of(token), now);
    }
    String evictedUser = token.currentUserId();
    long evictedUsage = token.currentUsageId();
    end(connection, tally, token, EndReason.EVICTED, now);
    log.debug("Evicted user {} from token {} for user {}", evictedUser, token.id(), userId);
    Given given = give(connection, token, userId, now, lease, evictedUser);
    writes.markEvictedBy(connection, evictedUsage, given.activation().fence());
    return given;
  }

  private Given give(
      Connection connection,
      Token token,
      String userId,
      Instant now,
      Duration lease,
      String evictedUser)
      throws SQLException {
    Instant expiresAt = now.plus(lease);
    long fence = writes.open(connection, token, userId, now, expiresAt);
    return new Given(
        new Activation(
            token.id(), userId, fence, now, expiresAt, leases.holdUntil(now), evictedUser),
        true);
  }

  /**
   * Extends the holding whose fence is given to now plus the lease (the pool's default when empty),
   * never past the latest the holding may last ({@link LeaseRules#maxHold()}). With {@code holder},
   * only that user's holding.
   *
   * @throws StaleFenceException when the fence is not the token's current, unexpired holding
   * @throws NotTheHolderException when the fence names another user's holding than {@code holder}
   * @throws MaxHoldReachedException when the holding already expires at the latest it may last
   */
  public Renewal renew(
      UUID tokenId, long fence, Optional<Duration> lease, Optional<String> holder) {
    Duration asked = leases.lease(lease);
    return write(
        (connection, tally) -> {
          Token token = lockCurrent(connection, tokenId, fence, holder);
          Instant now = latest(now(), token.activatedAt());
          Instant holdUntil = leases.holdUntil(token.activatedAt());
          Instant wanted = now.plus(asked);
          boolean capped = wanted.isAfter(holdUntil);
          Instant expiresAt = capped ? holdUntil : wanted;
          if (capped && !expiresAt.isAfter(token.expiresAt())) {
            throw new MaxHoldReachedException(tokenId, fence, holdUntil);
          }
          int renewals = writes.renew(connection, token, expiresAt, now);
          return new Renewal(
              tokenId,
              token.currentUserId(),
              fence,
              token.activatedAt(),
              expiresAt,
              renewals,
              holdUntil,
              capped);
        });
  }

  /**
   * The token, locked, when {@code fence} is its current holding and that holding has not expired
   * (and is {@code holder}'s, when given). An expired holding is reported as ended by its expiry
   * and left for the writes that end expired holdings: the caller's transaction changes nothing.
   */
  private Token lockCurrent(
      Connection connection, UUID tokenId, long fence, Optional<String> holder)
      throws SQLException {
    Token token =
        writes
            .lockById(connection, poolId, tokenId)
            .orElseThrow(() -> new TokenNotFoundException(tokenId));
    Optional<TokenWrites.Holding> named = writes.holding(connection, fence);
    boolean ofThisToken = named.isPresent() && named.get().tokenId().equals(tokenId);
    if (holder.isPresent() && ofThisToken && !holder.get().equals(named.get().userId())) {
      throw new NotTheHolderException(tokenId);
    }
    if (!ofThisToken || !token.isHeld() || token.currentUsageId() != fence) {
      throw new StaleFenceException(
          tokenId, fence, ofThisToken ? named.get().end() : Optional.empty());
    }
    Instant now = latest(now(), token.activatedAt());
    if (token.isExpiredAt(now)) {
      throw new StaleFenceException(
          tokenId,
          fence,
          Optional.of(new HoldingEnd(EndReason.EXPIRED, token.expiresAt(), null, null)));
    }
    return token;
  }

  // The reads below are TokenReads' work; they stay here so that callers have one entry point.

  /**
   * Whether {@code fence} is the token's current holding now, for a resource that cannot keep
   * fences of its own (Chubby's sequencer check).
   */
  public FenceStatus fence(UUID tokenId, long fence) {
    return reads.fence(tokenId, fence);
  }

  /** A page of tokens in pool order, with the pool's active and available counts. */
  public TokenListing list(TokenFilter filter, long afterSlot, int limit) {
    return reads.list(filter, afterSlot, limit);
  }

  /** The token the user holds now, if any. */
  public Optional<TokenView> holding(String userId) {
    return reads.holding(userId);
  }

  /** The pool's size and its active and available counts, read together. */
  public PoolCounts counts() {
    return reads.counts();
  }

  public TokenDetails get(UUID tokenId) {
    return reads.get(tokenId);
  }

  /** A page of the token's usages, newest first, with ids below {@code beforeUsageId}. */
  public TokenHistory history(UUID tokenId, long beforeUsageId, int limit) {
    return reads.history(tokenId, beforeUsageId, limit);
  }

  /**
   * A page of the token's usages, newest first, with ids below {@code beforeUsageId}; with {@code
   * onlyUser}, that user's usages alone (what a holder may see of a token's history).
   */
  public TokenHistory history(
      UUID tokenId, Optional<String> onlyUser, long beforeUsageId, int limit) {
    return reads.history(tokenId, onlyUser, beforeUsageId, limit);
  }

  /**
   * A page of the user's holdings across tokens, newest first, with fences below {@code before}.
   */
  public Page<UsageView> userHistory(String userId, long beforeFence, int limit) {
    return reads.userHistory(userId, beforeFence, limit);
  }

  /**
   * Ends the token's active usage as {@link EndReason#RELEASED}. A token whose usage has expired is
   * not active: that usage is ended as {@link EndReason#EXPIRED} and the release is refused.
   */
  public ReleasedUsage release(UUID tokenId) {
    return release(tokenId, Optional.empty(), Optional.empty(), null);
  }

  /**
   * Releases the token as {@link #release(UUID)} does, but with {@code holder} only if that user
   * holds it: checked under the token's lock, so the holding cannot change between check and end.
   * Another user's holding is refused with {@link NotTheHolderException} and left as it was.
   */
  public ReleasedUsage release(UUID tokenId, Optional<String> holder) {
    return release(tokenId, holder, Optional.empty(), null);
  }

  /**
   * Releases the token as {@link #release(UUID, Optional)} does; with {@code fence}, only that
   * holding ({@link StaleFenceException} otherwise, and nothing changes). {@code endedBy} names the
   * client that released it, in the history.
   */
  public ReleasedUsage release(
      UUID tokenId, Optional<String> holder, Optional<Long> fence, String endedBy) {
    ReleaseOutcome outcome =
        write(
            (connection, tally) -> {
              Token token =
                  fence.isPresent()
                      ? lockCurrent(connection, tokenId, fence.get(), holder)
                      : writes
                          .lockById(connection, poolId, tokenId)
                          .orElseThrow(() -> new TokenNotFoundException(tokenId));
              Instant now = latest(now(), token.activatedAt());
              if (!token.isHeld()) {
                return ReleaseOutcome.notActive();
              }
              if (token.isExpiredAt(now)) {
                end(connection, tally, token, EndReason.EXPIRED, token.expiresAt());
                return ReleaseOutcome.notActive();
              }
              if (holder.isPresent() && !holder.get().equals(token.currentUserId())) {
                throw new NotTheHolderException(tokenId);
              }
              end(connection, tally, token, EndReason.RELEASED, now, endedBy);
              return ReleaseOutcome.released(
                  new ReleasedUsage(
                      tokenId,
                      token.currentUserId(),
                      token.currentUsageId(),
                      token.activatedAt(),
                      token.expiresAt(),
                      now,
                      EndReason.RELEASED));
            });
    return outcome.usage().orElseThrow(() -> new TokenNotActiveException(tokenId));
  }

  /**
   * Ends every usage that is active now as {@link EndReason#CLEARED} and returns how many. Usages
   * already expired are ended as {@link EndReason#EXPIRED} and not counted. Activations that begin
   * after the clear started are left alone, so a busy pool cannot keep a clear running forever.
   */
  public int clearActive() {
    return clearActive(null);
  }

  /** Clears the pool as {@link #clearActive()} does; {@code endedBy} names who cleared it. */
  public int clearActive(String endedBy) {
    Instant cutoff = now();
    int cleared = 0;
    while (true) {
      BatchResult batch =
          write(
              (connection, tally) -> {
                List<Token> tokens = writes.lockHeldSince(connection, poolId, cutoff, BATCH_SIZE);
                Instant now = now();
                int clearedHere = 0;
                for (Token token : tokens) {
                  if (token.isActiveAt(now)) {
                    end(
                        connection,
                        tally,
                        token,
                        EndReason.CLEARED,
                        latest(now, token.activatedAt()),
                        endedBy);
                    clearedHere++;
                  } else {
                    end(connection, tally, token, EndReason.EXPIRED, token.expiresAt());
                  }
                }
                return new BatchResult(tokens.size(), clearedHere);
              });
      cleared += batch.affected();
      if (batch.examined() < BATCH_SIZE) {
        break;
      }
    }
    if (cleared > 0) {
      log.info("Cleared {} active token(s)", cleared);
    }
    return cleared;
  }

  /**
   * Ends every usage that has expired by now and returns how many this call ended, in batches of
   * {@link #BATCH_SIZE} per transaction. Tokens being changed by other transactions are skipped:
   * whoever holds their lock ends them lazily. Each usage is stamped with {@code runId} in the
   * statement that ends it ({@code usages.ended_by_run}), and {@code committed} is told of each
   * batch's count once that batch has committed.
   */
  public int releaseExpired(String runId, IntConsumer committed) {
    Objects.requireNonNull(committed, "committed");
    Instant now = now();
    ExpiryStatements.Position from = ExpiryStatements.Position.START;
    int released = 0;
    while (true) {
      ExpiryStatements.Position start = from;
      ExpiryStatements.Batch batch =
          spans.expiryBatch(
              () ->
                  write(
                      (connection, tally) -> {
                        ExpiryStatements.Batch ended =
                            expiry.endExpired(connection, start, now, runId);
                        if (ended.ended() > 0) {
                          tally.add(EndReason.EXPIRED, ended.ended());
                        }
                        return ended;
                      }),
              ExpiryStatements.Batch::ended);
      if (batch.ended() > 0) {
        committed.accept(batch.ended());
      }
      released += batch.ended();
      if (!batch.mayHaveMore(expiry.batchSize())) {
        return released;
      }
      from = batch.next();
    }
  }

  /** Ends every expired usage, with no run to account to. */
  public int releaseExpired() {
    return releaseExpired(null, count -> {});
  }

  /** The later of two instants; a token's last activation when the clock lags behind it. */
  private static Instant latest(Instant now, Instant activatedAt) {
    return activatedAt != null && activatedAt.isAfter(now) ? activatedAt : now;
  }

  private Instant now() {
    return clock.instant();
  }

  private record BatchResult(int examined, int affected) {}

  private record ReleaseOutcome(Optional<ReleasedUsage> usage) {
    static ReleaseOutcome notActive() {
      return new ReleaseOutcome(Optional.empty());
    }

    static ReleaseOutcome released(ReleasedUsage usage) {
      return new ReleaseOutcome(Optional.of(usage));
    }
  }
}
