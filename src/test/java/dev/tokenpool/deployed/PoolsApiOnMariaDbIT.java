package dev.tokenpool.deployed;

import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Named pools through the real WAR on MariaDB. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PoolsApiOnMariaDbIT extends PoolsApi {

  private static TestDatabase database;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("pools");
    return dev.tokenpool.testing.Deployments.realWar(
        "pools-mariadb",
        Map.of(
            "TOKENPOOL_DB_URL",
            database.url(),
            "TOKENPOOL_DB_USER",
            database.user(),
            "TOKENPOOL_DB_PASSWORD",
            database.password(),
            "TOKENPOOL_POOL_SIZE",
            String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME",
            "PT1H",
            "TOKENPOOL_MONITOR_USER",
            "watcher",
            "TOKENPOOL_MONITOR_PASSWORD",
            MONITOR_PASSWORD,
            "TOKENPOOL_API_KEY_CACHE",
            "PT1S"));
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }
}
