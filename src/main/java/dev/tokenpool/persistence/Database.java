package dev.tokenpool.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenpool.config.TokenPoolConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataSource the node works with and what kind of server is behind it. A container-provided
 * JNDI DataSource wins; otherwise tokenpool owns a HikariCP pool on the configured URL, or on an
 * embedded H2 file database when no URL is set.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DataSource dataSource;
  private final DatabaseVendor vendor;
  private final int[] version;
  private final boolean owned;

  private Database(DataSource dataSource, Detected detected, boolean owned) {
    this.dataSource = dataSource;
    this.vendor = detected.vendor();
    this.version = detected.version();
    this.owned = owned;
  }

  /** Wraps a DataSource the container manages; tokenpool will not close it. */
  public static Database ofContainerDataSource(DataSource dataSource) {
    return new Database(dataSource, detect(dataSource), false);
  }

  /** Opens tokenpool's own connection pool as configured. */
  public static Database open(TokenPoolConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("tokenpool");
    hikari.setMaximumPoolSize(config.dbMaxConnections());
    hikari.setAutoCommit(false);
    // Fail a request (and the health check) in seconds, not Hikari's default 30, when the
    // database is gone.
    hikari.setConnectionTimeout(5_000);
    // READ COMMITTED: locking reads see the latest committed row and InnoDB takes no gap locks,
    // which keeps SKIP LOCKED selection free of phantom-protection deadlocks.
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    String url = config.dbUrl().orElseGet(() -> embeddedH2Url(config.dataDir()));
    hikari.setJdbcUrl(url);
    // Name the driver: DriverManager discovers drivers once per JVM, so after a redeploy the new
    // web application's driver classes would otherwise be unknown to it ("No suitable driver").
    driverClassFor(url).ifPresent(hikari::setDriverClassName);
    config.dbUser().ifPresent(hikari::setUsername);
    config.dbPassword().ifPresent(hikari::setPassword);
    if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
      hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
    }
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Detected detected = detect(dataSource);
      log.info(
          "Using {} {}.{} at {}",
          detected.vendor().productName(),
          detected.version()[0],
          detected.version()[1],
          TokenPoolConfig.redacted(url));
      return new Database(dataSource, detected, true);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  public DataSource dataSource() {
    return dataSource;
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
    if (owned && dataSource instanceof HikariDataSource hikari) {
      hikari.setMetricRegistry(meterRegistry);
    }
  }

  @Override
  public void close() {
    if (owned && dataSource instanceof HikariDataSource hikari) {
      hikari.close();
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
