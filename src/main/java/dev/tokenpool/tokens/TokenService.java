package dev.tokenpool.tokens;

import dev.tokenpool.persistence.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token pool's operations. Each runs in short transactions and relies on row locks and the
 * schema's constraints, never on in-memory state, so any number of nodes can serve one database.
 *
 * <p>Rules: a user holds at most one token, and asking again while it is unexpired returns the
 * same token and expiry (a client retry never evicts anyone). When no token is free, the active
 * token with the oldest activation is taken from its holder ({@link EndReason#EVICTED}). A usage
 * past its expiry counts as ended even before anything writes that down; whichever write touches
 * it first ends it as {@link EndReason#EXPIRED}.
 */
public final class TokenService {

  private static final Logger log = LoggerFactory.getLogger(TokenService.class);

  /** Rows changed per transaction by bulk operations, to keep locks short. */
  static final int BATCH_SIZE = 500;

  private final Transactions transactions;
  private final TokenRepository repository;
  private final Clock clock;
  private final Duration tokenLifetime;
  private final TokenEvents events;

  public TokenService(Transactions transactions, Clock clock, Duration tokenLifetime) {
    this(transactions, clock, tokenLifetime, TokenEvents.NONE);
  }

  public TokenService(
      Transactions transactions, Clock clock, Duration tokenLifetime, TokenEvents events) {
    this.events = Objects.requireNonNull(events, "events");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
      throw new IllegalArgumentException("tokenLifetime must be positive, was " + tokenLifetime);
    }
    this.repository = new TokenRepository();
  }

  public Duration tokenLifetime() {
    return tokenLifetime;
  }

  /** Gives the user a token: the one they hold, a free one, or the oldest active one. */
  public Activation activate(UUID userId) {
    Objects.requireNonNull(userId, "userId");
    Given given = write((session, tally) -> activate(session, tally, userId));
    if (given.isNew()) {
      events.activated(given.activation().evictedUserId() != null);
    }
    return given.activation();
  }

  /** An activation, and whether it opened a usage (false: the user's own was returned). */
  private record Given(Activation activation, boolean isNew) {}

  /**
   * Runs a writing unit of work in a retried transaction, and reports the usages it ended once it
   * has committed (a retried attempt's ends are never counted twice).
   */
  private <T> T write(java.util.function.BiFunction<StatelessSession, EndTally, T> work) {
    Tallied<T> done =
        transactions.retrying(
            session -> {
              EndTally tally = new EndTally();
              return new Tallied<>(work.apply(session, tally), tally);
            });
    done.tally().reportTo(events);
    return done.value();
  }

  private record Tallied<T>(T value, EndTally tally) {}

  private void end(
      StatelessSession session, EndTally tally, Token token, EndReason reason, Instant at) {
    repository.endCurrentUsage(session, token, reason, at);
    tally.add(reason);
  }

  /*
   * Timestamps are read from the clock only after the row they stamp is locked. A transaction that
   * waited for a lock thus never writes a time earlier than what the previous holder of the lock
   * wrote, and a token's usages never overlap in the history.
   */
  private Given activate(StatelessSession session, EndTally tally, UUID userId) {
    Optional<Token> held = repository.lockHeldBy(session, userId);
    if (held.isPresent()) {
      Token token = held.get();
      Instant now = now();
      if (token.isActiveAt(now)) {
        return new Given(
            new Activation(token.id(), userId, token.activatedAt(), token.expiresAt(), null), false);
      }
      end(session, tally, token, EndReason.EXPIRED, token.expiresAt());
      return give(session, token, userId, now, null);
    }
    Optional<Token> free = repository.lockFree(session);
    if (free.isPresent()) {
      return give(session, free.get(), userId, now(), null);
    }
    List<Token> expired = repository.lockExpired(session, now(), 1);
    if (!expired.isEmpty()) {
      Token token = expired.get(0);
      end(session, tally, token, EndReason.EXPIRED, token.expiresAt());
      return give(session, token, userId, now(), null);
    }
    Token oldest = repository.lockOldestHeld(session).orElseThrow(PoolBusyException::new);
    Instant now = latest(now(), oldest.activatedAt());
    if (oldest.isExpiredAt(now)) {
      // It expired while we waited for its lock: nobody is evicted.
      end(session, tally, oldest, EndReason.EXPIRED, oldest.expiresAt());
      return give(session, oldest, userId, now, null);
    }
    UUID evictedUser = oldest.currentUserId();
    end(session, tally, oldest, EndReason.EVICTED, now);
    log.debug("Evicted user {} from token {} for user {}", evictedUser, oldest.id(), userId);
    return give(session, oldest, userId, now, evictedUser);
  }

  private Given give(
      StatelessSession session, Token token, UUID userId, Instant now, UUID evictedUser) {
    Instant expiresAt = now.plus(tokenLifetime);
    repository.open(session, token, userId, now, expiresAt);
    return new Given(new Activation(token.id(), userId, now, expiresAt, evictedUser), true);
  }

  /** A page of tokens in pool order, with the pool's active and available counts. */
  public TokenListing list(TokenFilter filter, long afterSlot, int limit) {
    Instant now = now();
    return transactions.once(
        session -> {
          List<Token> rows = repository.page(session, filter, now, afterSlot, limit + 1);
          boolean more = rows.size() > limit;
          List<Token> shown = more ? rows.subList(0, limit) : rows;
          Optional<Long> next =
              more ? Optional.of((long) shown.get(shown.size() - 1).slot()) : Optional.empty();
          long active = repository.countActive(session, now);
          long all = repository.countTokens(session);
          return new TokenListing(
              new Page<>(shown.stream().map(t -> t.viewAt(now)).toList(), next),
              active,
              all - active);
        });
  }

  /** The pool's size and its active and available counts, read together. */
  public PoolCounts counts() {
    Instant now = now();
    return transactions.once(
        session -> {
          long active = repository.countActive(session, now);
          long all = repository.countTokens(session);
          return new PoolCounts(all, active, all - active);
        });
  }

  public TokenDetails get(UUID tokenId) {
    Instant now = now();
    return transactions.once(
        session -> {
          Token token =
              repository.find(session, tokenId).orElseThrow(() -> new TokenNotFoundException(tokenId));
          return new TokenDetails(token.viewAt(now), repository.usageCount(session, tokenId));
        });
  }

  /** A page of the token's usages, newest first, with ids below {@code beforeUsageId}. */
  public TokenHistory history(UUID tokenId, long beforeUsageId, int limit) {
    return transactions.once(
        session -> {
          if (repository.find(session, tokenId).isEmpty()) {
            throw new TokenNotFoundException(tokenId);
          }
          List<Usage> rows = repository.history(session, tokenId, beforeUsageId, limit + 1);
          boolean more = rows.size() > limit;
          List<Usage> shown = more ? rows.subList(0, limit) : rows;
          Optional<Long> next =
              more ? Optional.of(shown.get(shown.size() - 1).id()) : Optional.empty();
          return new TokenHistory(tokenId, new Page<>(shown.stream().map(Usage::view).toList(), next));
        });
  }

  /**
   * Ends the token's active usage as {@link EndReason#RELEASED}. A token whose usage has expired is
   * not active: that usage is ended as {@link EndReason#EXPIRED} and the release is refused.
   */
  public ReleasedUsage release(UUID tokenId) {
    ReleaseOutcome outcome =
        write(
            (session, tally) -> {
              Token token =
                  repository
                      .lockById(session, tokenId)
                      .orElseThrow(() -> new TokenNotFoundException(tokenId));
              Instant now = latest(now(), token.activatedAt());
              if (!token.isHeld()) {
                return ReleaseOutcome.notActive();
              }
              if (token.isExpiredAt(now)) {
                end(session, tally, token, EndReason.EXPIRED, token.expiresAt());
                return ReleaseOutcome.notActive();
              }
              end(session, tally, token, EndReason.RELEASED, now);
              return ReleaseOutcome.released(
                  new ReleasedUsage(
                      tokenId,
                      token.currentUserId(),
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
    Instant cutoff = now();
    int cleared = 0;
    while (true) {
      BatchResult batch =
          write(
              (session, tally) -> {
                List<Token> tokens = repository.lockHeldSince(session, cutoff, BATCH_SIZE);
                Instant now = now();
                int clearedHere = 0;
                for (Token token : tokens) {
                  if (token.isActiveAt(now)) {
                    end(session, tally, token, EndReason.CLEARED, latest(now, token.activatedAt()));
                    clearedHere++;
                  } else {
                    end(session, tally, token, EndReason.EXPIRED, token.expiresAt());
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
   * whoever holds their lock ends them lazily. Each batch is stamped with {@code runId} and
   * reported to {@code listener} inside its own transaction, so bookkeeping commits (or not)
   * together with the usages it counts.
   */
  public int releaseExpired(String runId, SweepListener listener) {
    Objects.requireNonNull(listener, "listener");
    Instant now = now();
    int released = 0;
    while (true) {
      BatchResult batch =
          write(
              (session, tally) -> {
                List<Token> tokens = repository.lockExpired(session, now, BATCH_SIZE);
                for (Token token : tokens) {
                  repository.endCurrentUsage(
                      session, token, EndReason.EXPIRED, token.expiresAt(), runId);
                  tally.add(EndReason.EXPIRED);
                }
                if (!tokens.isEmpty()) {
                  listener.batchEnded(session, tokens.size());
                }
                return new BatchResult(tokens.size(), tokens.size());
              });
      released += batch.affected();
      if (batch.examined() < BATCH_SIZE) {
        return released;
      }
    }
  }

  /** Ends every expired usage, with no run to account to. */
  public int releaseExpired() {
    return releaseExpired(null, SweepListener.NONE);
  }

  /** The later of two instants; a token's last activation when the clock lags behind it. */
  private static Instant latest(Instant now, Instant activatedAt) {
    return activatedAt != null && activatedAt.isAfter(now) ? activatedAt : now;
  }

  private Instant now() {
    // Milliseconds: what every supported database stores exactly and what clients read easily.
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
