package dev.tokenpool.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataSources the node works with and what kind of server is behind them. A container-provided
 * JNDI DataSource wins, and serves everything; otherwise tokenpool owns two HikariCP pools on the
 * configured URL (or on an embedded H2 file database when no URL is set): one for requests and
 * jobs, and a small one for the Quartz job store, so that a burst of requests never queues the
 * scheduler behind it, and the scheduler's row locks keep the server's own lock wait. {@link
 * ConnectionPools} says how each pool is configured; this is the open handle.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * How long a statement of a request may wait for a row lock before its attempt fails and is
   * retried (within the request's deadline). InnoDB's default is 50 s.
   */
  public static final Duration LOCK_WAIT = Duration.ofSeconds(1);

  /**
   * On MariaDB, how long a transaction may sit idle before the server ends it and frees its locks.
   * Our transactions never wait on the client for long; a node frozen mid-transaction (SIGSTOP, a
   * stalled VM) would otherwise hold its row locks, and so block other nodes' requests and
   * schedulers, for as long as it stays frozen. MySQL has no such setting.
   */
  public static final Duration IDLE_TRANSACTION_LIMIT = Duration.ofSeconds(3);

  private final DataSource dataSource;
  private final DataSource schedulerDataSource;
  private final DatabaseVendor vendor;
  private final int[] version;
  private final boolean owned;

  private Database(
      DataSource dataSource, DataSource schedulerDataSource, Detected detected, boolean owned) {
    this.dataSource = dataSource;
    this.schedulerDataSource = schedulerDataSource;
    this.vendor = detected.vendor();
    this.version = detected.version();
    this.owned = owned;
  }

  /** Wraps a DataSource the container manages; tokenpool will not close it. */
  public static Database ofContainerDataSource(DataSource dataSource) {
    return new Database(dataSource, dataSource, detect(dataSource), false);
  }

  /** Opens tokenpool's own connection pools as configured. */
  public static Database open(DatabaseSettings settings) {
    String url = ConnectionPools.url(settings);
    HikariDataSource dataSource = new HikariDataSource(ConnectionPools.requests(url, settings));
    HikariDataSource schedulerDataSource = null;
    try {
      Detected detected = detect(dataSource);
      schedulerDataSource = new HikariDataSource(ConnectionPools.scheduler(url, settings));
      log.info(
          "Using {} {}.{} at {}",
          detected.vendor().productName(),
          detected.version()[0],
          detected.version()[1],
          DatabaseSettings.redacted(url));
      return new Database(dataSource, schedulerDataSource, detected, true);
    } catch (RuntimeException e) {
      dataSource.close();
      if (schedulerDataSource != null) {
        schedulerDataSource.close();
      }
      throw e;
    }
  }

  /** Connections for requests, jobs and everything but the Quartz job store. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Connections for the Quartz job store (the same as {@link #dataSource()} in a container). */
  public DataSource schedulerDataSource() {
    return schedulerDataSource;
  }

  public DatabaseVendor vendor() {
    return vendor;
  }

  /**
   * Whether tokenpool's own pool made this DataSource, with auto-commit off and READ COMMITTED on
   * every connection. A container DataSource is used as configured (see docs/configuration.md).
   */
  public boolean owned() {
    return owned;
  }

  public int majorVersion() {
    return version[0];
  }

  public int minorVersion() {
    return version[1];
  }

  /** Publishes the connection pool's metrics (tokenpool's own pool only). */
  public void bindMetrics(Object meterRegistry) {
    if (owned) {
      for (DataSource pool : new DataSource[] {dataSource, schedulerDataSource}) {
        if (pool instanceof HikariDataSource hikari) {
          hikari.setMetricRegistry(meterRegistry);
        }
      }
    }
  }

  @Override
  public void close() {
    if (owned) {
      for (DataSource pool : new DataSource[] {schedulerDataSource, dataSource}) {
        if (pool instanceof HikariDataSource hikari) {
          hikari.close();
        }
      }
    }
  }

  private record Detected(DatabaseVendor vendor, int[] version) {}

  private static Detected detect(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData metaData = connection.getMetaData();
      DatabaseVendor vendor = DatabaseVendor.of(metaData);
      if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
        log.warn(
            "The DataSource's connections are not READ COMMITTED (level {}); tokenpool's row"
                + " locking and the Quartz job store expect READ COMMITTED",
            connection.getTransactionIsolation());
      }
      return new Detected(vendor, vendor.version(metaData));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot connect to the database: " + e.getMessage(), e);
    }
  }
}
