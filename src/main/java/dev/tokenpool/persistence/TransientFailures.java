package dev.tokenpool.persistence;

import java.sql.SQLException;
import org.hibernate.PessimisticLockException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.exception.LockTimeoutException;

/**
 * Classifies database failures, in one place: those a fresh attempt of the same transaction may
 * cure (deadlock victim, lock wait timeout, a unique key taken by a concurrent transaction), those
 * of a database that cannot be reached, and real errors. Callers above the persistence layer see
 * only the exception types {@link #classified} gives.
 */
public final class TransientFailures {

  private TransientFailures() {}

  /**
   * {@code failure} as a {@link TransientConflictException}, a {@link
   * DatabaseUnavailableException}, or itself when it is neither.
   */
  public static RuntimeException classified(RuntimeException failure) {
    if (failure instanceof TransientConflictException
        || failure instanceof DatabaseUnavailableException) {
      return failure;
    }
    if (isTransient(failure)) {
      return new TransientConflictException("Transient conflict: " + failure, failure);
    }
    if (isUnreachable(failure)) {
      return new DatabaseUnavailableException(failure);
    }
    return failure;
  }

  /** A connection that could not be had or was lost (SQLState class 08). */
  public static boolean isUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DatabaseUnavailableException
          || t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || (t instanceof SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("08"))) {
        return true;
      }
    }
    return false;
  }

  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TransientConflictException
          || t instanceof LockAcquisitionException
          || t instanceof LockTimeoutException
          || t instanceof PessimisticLockException
          || t instanceof jakarta.persistence.PessimisticLockException
          || t instanceof jakarta.persistence.LockTimeoutException) {
        return true;
      }
      if (t instanceof ConstraintViolationException violation
          && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
        return true;
      }
      if (t instanceof SQLException sql && isTransientSqlState(sql)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransientSqlState(SQLException e) {
    String state = e.getSQLState();
    int code = e.getErrorCode();
    // 40001: serialization failure / deadlock (MySQL 1213, H2 40001); 1205: InnoDB lock wait
    // timeout; 1062 and H2's 23505: a unique key taken by a concurrent transaction; H2 50200: lock
    // timeout; H2 90131: a row or unique key changed by a concurrent, uncommitted transaction.
    return "40001".equals(state)
        || code == 1213
        || code == 1205
        || code == 1062
        || code == 23505
        || code == 50200
        || code == 90131;
  }
}
