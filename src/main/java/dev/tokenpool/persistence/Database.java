package dev.tokenpool.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataSources the node works with and what kind of server is behind them. A container-provided
 * JNDI DataSource wins, and serves everything; otherwise tokenpool owns two HikariCP pools on the
 * configured URL (or on an embedded H2 file database when no URL is set): one for requests and
 * jobs, and a small one for the Quartz job store, so that a burst of requests never queues the
 * scheduler behind it, and the scheduler's row locks keep the server's own lock wait.
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

  /** MariaDB (10.3 and later) runs what this versioned comment holds; MySQL skips it. */
  private static final String MARIADB_IDLE_LIMIT =
      " /*M!100300 , SESSION idle_transaction_timeout = "
          + IDLE_TRANSACTION_LIMIT.toSeconds()
          + " */";

  /** Connections of the scheduler's pool: its thread, two job threads, check-in and misfires. */
  static final int SCHEDULER_CONNECTIONS = 4;

  /*
   * Connector/J settings for the hot path, each measured (docs/performance.md): statements
   * prepared on the server once per connection and kept in a cache, instead of the text of every
   * statement parsed by the driver and by the server on every call; session state tracked by the
   * driver instead of asked from the server. Added only where the URL does not set them.
   */
  private static final Map<String, String> MYSQL_DRIVER_PROPERTIES =
      orderedMap(
          "useServerPrepStmts", "true",
          "cachePrepStmts", "true",
          "prepStmtCacheSize", "256",
          "prepStmtCacheSqlLimit", "8192",
          "useLocalSessionState", "true",
          "cacheServerConfiguration", "true",
          "elideSetAutoCommits", "true",
          "maintainTimeStats", "false",
          "cacheResultSetMetadata", "true",
          "rewriteBatchedStatements", "true");

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
    String url = settings.url().orElseGet(() -> embeddedH2Url(settings.dataDir()));
    HikariConfig requests = poolConfig("tokenpool", url, settings);
    requests.setMaximumPoolSize(settings.maxConnections());
    requests.setConnectionInitSql(lockWaitStatement(url));
    HikariConfig scheduler = poolConfig("tokenpool-scheduler", url, settings);
    scheduler.setMaximumPoolSize(SCHEDULER_CONNECTIONS);
    schedulerSessionStatement(url).ifPresent(scheduler::setConnectionInitSql);
    scheduler.setMinimumIdle(1);
    HikariDataSource dataSource = new HikariDataSource(requests);
    HikariDataSource schedulerDataSource = null;
    try {
      Detected detected = detect(dataSource);
      schedulerDataSource = new HikariDataSource(scheduler);
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

  /**
   * A pool of one connection with the migration login, for Flyway alone; empty when the settings
   * name no migration login and the runtime login migrates. The caller closes it after migrating,
   * so the login that may change tables holds no connection while the node serves.
   */
  public static Optional<HikariDataSource> openMigrationPool(DatabaseSettings settings) {
    if (settings.migrationUser().isEmpty() || settings.url().isEmpty()) {
      return Optional.empty();
    }
    HikariConfig migration = poolConfig("tokenpool-migration", settings.url().get(), settings);
    migration.setUsername(settings.migrationUser().get());
    migration.setPassword(settings.migrationPassword().orElse(null));
    migration.setMaximumPoolSize(1);
    migration.setMinimumIdle(0);
    return Optional.of(new HikariDataSource(migration));
  }

  private static HikariConfig poolConfig(String name, String url, DatabaseSettings settings) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setAutoCommit(false);
    // Fail a request (and the health check) in seconds, not Hikari's default 30, when the
    // database is gone.
    hikari.setConnectionTimeout(5_000);
    // READ COMMITTED: locking reads see the latest committed row and InnoDB takes no gap locks,
    // which keeps SKIP LOCKED selection free of phantom-protection deadlocks.
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hikari.setJdbcUrl(url);
    // Name the driver: DriverManager discovers drivers once per JVM, so after a redeploy the new
    // web application's driver classes would otherwise be unknown to it ("No suitable driver").
    driverClassFor(url).ifPresent(hikari::setDriverClassName);
    settings.user().ifPresent(hikari::setUsername);
    settings.password().ifPresent(hikari::setPassword);
    if (url.startsWith("jdbc:mysql:")) {
      Set<String> inUrl = urlParameters(url);
      MYSQL_DRIVER_PROPERTIES.forEach(
          (key, value) -> {
            if (!inUrl.contains(key.toLowerCase(Locale.ROOT))) {
              hikari.addDataSourceProperty(key, value);
            }
          });
    }
    return hikari;
  }

  /** The statement that bounds a session's lock waits to {@link #LOCK_WAIT}. */
  static String lockWaitStatement(String url) {
    return url.startsWith("jdbc:h2:")
        ? "SET LOCK_TIMEOUT " + LOCK_WAIT.toMillis()
        : "SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT.toSeconds() + MARIADB_IDLE_LIMIT;
  }

  /**
   * The scheduler's sessions keep Quartz's own lock waits, but on MariaDB get the idle limit too: a
   * frozen node must not hold Quartz's lock rows either.
   */
  static Optional<String> schedulerSessionStatement(String url) {
    return url.startsWith("jdbc:mysql:")
        ? Optional.of("SET @tokenpool_pool = 'scheduler'" + MARIADB_IDLE_LIMIT)
        : Optional.empty();
  }

  /** The names of the parameters a JDBC URL sets, in lower case. */
  static Set<String> urlParameters(String url) {
    Set<String> names = new HashSet<>();
    int query = url.indexOf('?');
    if (query < 0) {
      return names;
    }
    for (String pair : url.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      names.add((equals < 0 ? pair : pair.substring(0, equals)).trim().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
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

  private static Optional<String> driverClassFor(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return Optional.of("org.h2.Driver");
    }
    if (url.startsWith("jdbc:mysql:")) {
      return Optional.of("com.mysql.cj.jdbc.Driver");
    }
    return Optional.empty();
  }

  static String embeddedH2Url(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("tokenpool");
    // DB_CLOSE_ON_EXIT=FALSE: the node closes the database on undeploy, not a JVM shutdown hook
    // that may run while requests still drain.
    return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE";
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
