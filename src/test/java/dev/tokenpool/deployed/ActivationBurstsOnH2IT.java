package dev.tokenpool.deployed;

import dev.tokenpool.testing.Deployments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Activation bursts on the embedded H2 database: the node's default, with no database set. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ActivationBurstsOnH2IT extends ActivationBursts {

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    Path dataDir = Files.createTempDirectory("tokenpool-bursts-it");
    return Deployments.realWar(
        "bursts-h2",
        Map.of(
            "TOKENPOOL_DATA_DIR", dataDir.toString(),
            "TOKENPOOL_POOL_SIZE", String.valueOf(POOL_SIZE),
            "TOKENPOOL_TOKEN_LIFETIME", "PT1H"));
  }
}
