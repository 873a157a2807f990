package dev.tokenpool.tokens;

import dev.tokenpool.persistence.TransientFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * The database's floor for one activation: exactly the statements the service sends, in the same
 * order, over plain JDBC, with nothing else around them (no HTTP, no JSON, no Hibernate session).
 * The benchmark compares the API with it. Transient failures are retried, as the service does.
 */
public final class ActivationFloor {

  private final TokenWrites writes = new TokenWrites();
  private final Duration lifetime;
  private final int concurrent;

  /** {@code concurrent}: how many connections run activations at once. */
  public ActivationFloor(Duration lifetime, int concurrent) {
    this.lifetime = lifetime;
    this.concurrent = concurrent;
  }

  /** One activation of a new random user, committed. */
  public void activate(Connection connection) throws SQLException {
    String user = UUID.randomUUID().toString();
    while (true) {
      try {
        attempt(connection, user);
        connection.commit();
        return;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        if (!TransientFailures.isTransient(e)) {
          throw e;
        }
      }
    }
  }

  private void attempt(Connection connection, String user) throws SQLException {
    TokenWrites.Snapshot snapshot =
        writes.snapshot(connection, PoolIds.DEFAULT, user, TokenService.CANDIDATES, now());
    if (snapshot.own().isPresent()) {
      throw new IllegalStateException("a new random user already holds a token");
    }
    Instant seenAt = now();
    for (Token candidate : CandidateOrder.RANDOM.of(snapshot.candidates(), seenAt, concurrent)) {
      Optional<Token> locked = writes.tryLockCandidate(connection, candidate, seenAt);
      if (locked.isPresent()) {
        take(connection, locked.get(), user);
        return;
      }
    }
    throw new PoolBusyException();
  }

  private void take(Connection connection, Token token, String user) throws SQLException {
    Instant now = now();
    boolean evicts = token.isHeld() && !token.isExpiredAt(now);
    if (token.isHeld()) {
      writes.endCurrentUsage(
          connection,
          token,
          evicts ? EndReason.EVICTED : EndReason.EXPIRED,
          evicts ? now : token.expiresAt(),
          null);
    }
    long fence = writes.open(connection, token, user, now, now.plus(lifetime));
    if (evicts) {
      writes.markEvictedBy(connection, token.currentUsageId(), fence);
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
