package dev.tokenpool.bootstrap;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the database at startup, waiting with backoff while it cannot be reached (a cluster and its
 * database often start together), up to a bound. A database that answers but refuses (wrong
 * password, unknown schema) fails at once: waiting would not change it.
 */
final class DatabaseStartupWait {

  private static final Logger log = LoggerFactory.getLogger(DatabaseStartupWait.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

  private DatabaseStartupWait() {}

  static <T> T open(Duration limit, Supplier<T> opener) {
    long deadline = System.nanoTime() + limit.toNanos();
    Duration pause = FIRST_PAUSE;
    while (true) {
      try {
        return opener.get();
      } catch (RuntimeException e) {
        long left = deadline - System.nanoTime();
        if (!unreachable(e) || left <= 0) {
          if (unreachable(e) && !limit.isZero()) {
            throw new IllegalStateException(
                "The database was unreachable for "
                    + limit.toSeconds()
                    + " s (TOKENPOOL_DB_STARTUP_WAIT): "
                    + e.getMessage(),
                e);
          }
          throw e;
        }
        Duration sleep = Duration.ofNanos(Math.min(pause.toNanos(), left));
        log.warn(
            "The database is unreachable ({}); trying again in {} ms",
            e.getMessage(),
            sleep.toMillis());
        sleep(sleep);
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /** Whether the failure says "nobody answered" rather than "the database said no". */
  static boolean unreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof NoRouteToHostException
          || cause instanceof UnknownHostException
          || cause instanceof SocketTimeoutException
          || cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")
          && !"08004".equals(sql.getSQLState())) { // 08004: the server refused the connection
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the database", e);
    }
  }
}
