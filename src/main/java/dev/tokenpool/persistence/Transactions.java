package dev.tokenpool.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short units of work in their own transaction on a stateless session: every statement is
 * explicit, nothing is cached between transactions. Transient failures are retried with jittered
 * backoff, always outside the transaction, until the unit's deadline: contention costs latency, and
 * only a unit that found no moment to succeed in its whole deadline fails.
 */
public final class Transactions {

  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  /** How long a unit of work may keep retrying before it is reported as failed. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  private static final long BASE_BACKOFF_MICROS = 500;
  private static final long MAX_BACKOFF_MICROS = 50_000;

  private final SessionFactory sessionFactory;
  private final Duration deadline;

  public Transactions(SessionFactory sessionFactory) {
    this(sessionFactory, DEFAULT_DEADLINE);
  }

  public Transactions(SessionFactory sessionFactory, Duration deadline) {
    this.sessionFactory = sessionFactory;
    this.deadline = deadline;
  }

  /**
   * Runs the work once in a transaction; it commits on return and rolls back on any failure. A
   * database failure comes out classified: {@link TransientConflictException} when a fresh attempt
   * may succeed, {@link DatabaseUnavailableException} when the database cannot be reached.
   */
  public <T> T once(Function<StatelessSession, T> work) {
    try (StatelessSession session = sessionFactory.openStatelessSession()) {
      Transaction tx = session.beginTransaction();
      try {
        T result = work.apply(session);
        tx.commit();
        return result;
      } catch (RuntimeException | Error e) {
        rollbackQuietly(tx, e);
        throw e;
      }
    } catch (RuntimeException e) {
      throw TransientFailures.classified(e);
    }
  }

  /**
   * Runs the work in a transaction and starts it afresh after a transient failure, until the
   * deadline has passed; then throws {@link DeadlineExceededException}. Every lock wait inside an
   * attempt is bounded by the connection's lock timeout (see {@link Database}), so the unit ends at
   * most one lock wait after its deadline.
   */
  public <T> T retrying(Function<StatelessSession, T> work) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (TransientConflictException e) {
        long left = deadline.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          throw new DeadlineExceededException(deadline, attempt, e);
        }
        log.debug("Transient failure on attempt {}, retrying: {}", attempt, e.toString());
        backOff(attempt, left);
      }
    }
  }

  /** A unit of work on the transaction's JDBC connection (plain SQL, no session). */
  @FunctionalInterface
  public interface JdbcWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** {@link #once} for work on the connection alone. */
  public <T> T onceOnConnection(JdbcWork<T> work) {
    return once(session -> session.doReturningWork(work::run));
  }

  /** {@link #retrying} for work on the connection alone: each attempt runs it afresh. */
  public <T> T retryingOnConnection(JdbcWork<T> work) {
    return retrying(session -> session.doReturningWork(work::run));
  }

  private static void rollbackQuietly(Transaction tx, Throwable cause) {
    try {
      if (tx.isActive()) {
        tx.rollback();
      }
    } catch (RuntimeException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static void backOff(int attempt, long leftNanos) {
    long ceiling = Math.min(MAX_BACKOFF_MICROS, BASE_BACKOFF_MICROS << Math.min(attempt, 10));
    long pause = Math.min(ThreadLocalRandom.current().nextLong(1, ceiling + 1) * 1_000, leftNanos);
    try {
      TimeUnit.NANOSECONDS.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while retrying a transaction", e);
    }
  }
}
