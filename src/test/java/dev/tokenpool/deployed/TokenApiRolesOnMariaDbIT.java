package dev.tokenpool.deployed;

import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.MariaDbServer;
import dev.tokenpool.testing.TestDatabase;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The token API's roles on MariaDB. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenApiRolesOnMariaDbIT extends TokenApiRoles {

  private static TestDatabase database;

  @Deployment(testable = false)
  static WebArchive deployment() {
    database = MariaDbServer.createDatabase("roles");
    return Deployments.realWar(
        "roles-mariadb",
        Map.of(
            "TOKENPOOL_DB_URL", database.url(),
            "TOKENPOOL_DB_USER", database.user(),
            "TOKENPOOL_DB_PASSWORD", database.password(),
            "TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME", "PT1H",
            "TOKENPOOL_API_KEY_CACHE", "PT1S"));
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }
}
