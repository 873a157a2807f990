package dev.tokenpool.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How tokenpool's own connection pools are configured: the requests' pool, the Quartz job store's,
 * and the migration login's. Each setting here is a measured decision (docs/performance.md,
 * docs/configuration.md); {@link Database} opens them.
 */
final class ConnectionPools {

  /** MariaDB (10.3 and later) runs what this versioned comment holds; MySQL skips it. */
  private static final String MARIADB_IDLE_LIMIT =
      " /*M!100300 , SESSION idle_transaction_timeout = "
          + Database.IDLE_TRANSACTION_LIMIT.toSeconds()
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
          "rewriteBatchedStatements", "true",
          // Statements are traced by the OpenTelemetry JDBC library (dev.tokenpool.tracing);
          // Connector/J's own tracing would look up a JVM-wide GlobalOpenTelemetry instead.
          "openTelemetry", "DISABLED");

  private ConnectionPools() {}

  /** The configured URL, or the embedded H2 database's in the data directory. */
  static String url(DatabaseSettings settings) {
    return settings.url().orElseGet(() -> embeddedH2Url(settings.dataDir()));
  }

  /** The pool for requests and jobs: each session's lock wait bounded. */
  static HikariConfig requests(String url, DatabaseSettings settings) {
    HikariConfig requests = poolConfig("tokenpool", url, settings);
    requests.setMaximumPoolSize(settings.maxConnections());
    requests.setConnectionInitSql(lockWaitStatement(url));
    return requests;
  }

  /** The Quartz job store's small pool, with Quartz's own lock waits. */
  static HikariConfig scheduler(String url, DatabaseSettings settings) {
    HikariConfig scheduler = poolConfig("tokenpool-scheduler", url, settings);
    scheduler.setMaximumPoolSize(SCHEDULER_CONNECTIONS);
    schedulerSessionStatement(url).ifPresent(scheduler::setConnectionInitSql);
    scheduler.setMinimumIdle(1);
    return scheduler;
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

  /** The statement that bounds a session's lock waits to {@link Database#LOCK_WAIT}. */
  static String lockWaitStatement(String url) {
    return url.startsWith("jdbc:h2:")
        ? "SET LOCK_TIMEOUT " + Database.LOCK_WAIT.toMillis()
        : "SET SESSION innodb_lock_wait_timeout = "
            + Database.LOCK_WAIT.toSeconds()
            + MARIADB_IDLE_LIMIT;
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
}
