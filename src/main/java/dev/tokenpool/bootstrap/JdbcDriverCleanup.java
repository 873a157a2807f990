package dev.tokenpool.bootstrap;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deregisters the JDBC drivers this web application loaded and stops MySQL Connector/J's cleanup
 * thread, so an undeployed WAR leaves no driver or thread pinning its class loader.
 */
final class JdbcDriverCleanup {

  private static final Logger log = LoggerFactory.getLogger(JdbcDriverCleanup.class);

  private JdbcDriverCleanup() {}

  static void run(ClassLoader webappLoader) {
    boolean mysqlLoaded = false;
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == webappLoader) {
        mysqlLoaded |= driver.getClass().getName().startsWith("com.mysql.");
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException e) {
          log.warn("Could not deregister JDBC driver {}", driver, e);
        }
      }
    }
    if (!mysqlLoaded) {
      return; // touching the class would start the very thread we mean to stop
    }
    try {
      Class.forName("com.mysql.cj.jdbc.AbandonedConnectionCleanupThread", false, webappLoader)
          .getMethod("checkedShutdown")
          .invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      log.debug("MySQL cleanup thread not stopped: {}", e.toString());
    }
  }
}
