package dev.tokenpool.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which servers tokenpool recognises and accepts, from what their JDBC drivers report. */
final class DatabaseVendorTest {

  @Test
  void recognisesMariaDbBehindConnectorJAndReadsItsRealVersion() throws SQLException {
    DatabaseMetaData meta = metaData("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1", 5, 5);

    assertThat(DatabaseVendor.of(meta)).isEqualTo(DatabaseVendor.MARIADB);
    assertThat(DatabaseVendor.MARIADB.version(meta)).containsExactly(10, 11);
  }

  @Test
  void refusesMariaDbOlderThan106() {
    assertThatThrownBy(() -> DatabaseVendor.of(metaData("MySQL", "5.5.5-10.5.9-MariaDB", 5, 5)))
        .isInstanceOf(UnsupportedDatabaseException.class)
        .hasMessageContaining("10.6");
  }

  @Test
  void acceptsMySql8016AndRefusesOlderMySql() throws SQLException {
    assertThat(DatabaseVendor.of(metaData("MySQL", "8.0.16", 8, 0)))
        .isEqualTo(DatabaseVendor.MYSQL);
    assertThat(DatabaseVendor.of(metaData("MySQL", "8.4.3", 8, 4))).isEqualTo(DatabaseVendor.MYSQL);
    assertThatThrownBy(() -> DatabaseVendor.of(metaData("MySQL", "8.0.15", 8, 0)))
        .isInstanceOf(UnsupportedDatabaseException.class)
        .hasMessageContaining("8.0.16");
    assertThatThrownBy(() -> DatabaseVendor.of(metaData("MySQL", "5.7.44-log", 5, 7)))
        .isInstanceOf(UnsupportedDatabaseException.class);
  }

  @Test
  void recognisesH2AndRefusesOtherProducts() throws SQLException {
    assertThat(DatabaseVendor.of(metaData("H2", "2.3.232 (2024-08-11)", 2, 3)))
        .isEqualTo(DatabaseVendor.H2);
    assertThatThrownBy(() -> DatabaseVendor.of(metaData("PostgreSQL", "16.2", 16, 2)))
        .isInstanceOf(UnsupportedDatabaseException.class)
        .hasMessageContaining("PostgreSQL");
  }

  /** Metadata that reports a product, as a JDBC driver would; nothing else is asked of it. */
  private static DatabaseMetaData metaData(String product, String version, int major, int minor) {
    return (DatabaseMetaData)
        Proxy.newProxyInstance(
            DatabaseVendorTest.class.getClassLoader(),
            new Class<?>[] {DatabaseMetaData.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getDatabaseProductName" -> product;
                  case "getDatabaseProductVersion" -> version;
                  case "getDatabaseMajorVersion" -> major;
                  case "getDatabaseMinorVersion" -> minor;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
