package dev.tokenpool.persistence;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short units of work in their own transaction on a stateless session: every statement is
 * explicit, nothing is cached between transactions. Transient failures are retried with jittered
 * backoff, always outside the transaction.
 */
public final class Transactions {

  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  /** Attempts before a transient failure is given up on and reported. */
  public static final int MAX_ATTEMPTS = 12;

  private static final Duration BASE_BACKOFF = Duration.ofMillis(4);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(250);

  private final SessionFactory sessionFactory;

  public Transactions(SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Runs the work once in a transaction; it commits on return and rolls back on any failure. */
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
    }
  }

  /** Runs the work in a transaction and starts it afresh after a transient failure. */
  public <T> T retrying(Function<StatelessSession, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS || !TransientFailures.isTransient(e)) {
          throw e;
        }
        log.debug("Transient failure on attempt {}, retrying: {}", attempt, e.toString());
        backOff(attempt);
      }
    }
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

  private static void backOff(int attempt) {
    long ceiling = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while retrying a transaction", e);
    }
  }
}
