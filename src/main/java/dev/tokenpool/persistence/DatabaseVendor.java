package dev.tokenpool.persistence;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database products tokenpool runs on. Each needs row locks with {@code SKIP LOCKED}, so older
 * servers are refused at startup rather than failing under load.
 */
public enum DatabaseVendor {
  H2("h2", "H2"),
  MARIADB("mysql", "MariaDB"),
  MYSQL("mysql", "MySQL");

  private static final Pattern MARIADB_VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+-MariaDB");
  private static final Pattern MYSQL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

  private final String migrationFolder;
  private final String productName;

  DatabaseVendor(String migrationFolder, String productName) {
    this.migrationFolder = migrationFolder;
    this.productName = productName;
  }

  /** Flyway location of this vendor's migrations (app and Quartz tables). */
  public String migrationLocation() {
    return "classpath:db/migration/" + migrationFolder;
  }

  /** The product name Hibernate resolves its dialect from. */
  public String productName() {
    return productName;
  }

  public boolean isMySqlFamily() {
    return this != H2;
  }

  /**
   * The server's real major and minor version. MySQL Connector/J reports MariaDB 10.x as "5.5.5"
   * (its protocol version prefix), so the MariaDB version is read from the version text.
   */
  public int[] version(DatabaseMetaData metaData) throws SQLException {
    if (this == MARIADB) {
      Matcher mariaDb = MARIADB_VERSION.matcher(metaData.getDatabaseProductVersion());
      if (mariaDb.find()) {
        return new int[] {Integer.parseInt(mariaDb.group(1)), Integer.parseInt(mariaDb.group(2))};
      }
    }
    return new int[] {metaData.getDatabaseMajorVersion(), metaData.getDatabaseMinorVersion()};
  }

  /** Recognises the server behind a connection and checks it is recent enough. */
  public static DatabaseVendor of(DatabaseMetaData metaData) throws SQLException {
    String product = metaData.getDatabaseProductName();
    String version = metaData.getDatabaseProductVersion();
    if (product.contains("H2")) {
      return H2;
    }
    Matcher mariaDb = MARIADB_VERSION.matcher(version);
    if (product.contains("MariaDB") || mariaDb.find()) {
      if (mariaDb.find(0)) {
        int major = Integer.parseInt(mariaDb.group(1));
        int minor = Integer.parseInt(mariaDb.group(2));
        if (major < 10 || (major == 10 && minor < 6)) {
          throw new UnsupportedDatabaseException(
              "MariaDB " + version + " is too old: tokenpool needs 10.6 or newer (SKIP LOCKED)");
        }
      }
      return MARIADB;
    }
    if (product.contains("MySQL")) {
      Matcher mysql = MYSQL_VERSION.matcher(version);
      boolean recent =
          mysql.find()
              && Integer.parseInt(mysql.group(1)) * 1_000_000L
                      + Integer.parseInt(mysql.group(2)) * 1_000L
                      + Integer.parseInt(mysql.group(3))
                  >= 8_000_016L;
      if (!recent) {
        throw new UnsupportedDatabaseException(
            "MySQL "
                + version
                + " is too old: tokenpool needs 8.0.16 or newer (SKIP LOCKED, enforced CHECK"
                + " constraints)");
      }
      return MYSQL;
    }
    throw new UnsupportedDatabaseException(
        product + " " + version + " is not supported: use MySQL 8+, MariaDB 10.6+ or H2");
  }
}
