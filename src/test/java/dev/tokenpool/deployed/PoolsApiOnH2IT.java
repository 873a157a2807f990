package dev.tokenpool.deployed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Named pools through the real WAR on the embedded H2 database. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PoolsApiOnH2IT extends PoolsApi {

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    Path dataDir = Files.createTempDirectory("tokenpool-pools-it");
    return dev.tokenpool.testing.Deployments.realWar(
        "pools-h2",
        Map.of(
            "TOKENPOOL_DATA_DIR",
            dataDir.toString(),
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
}
