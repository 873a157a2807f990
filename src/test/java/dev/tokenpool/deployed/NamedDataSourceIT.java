package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TOKENPOOL_DATASOURCE_JNDI names a DataSource bound elsewhere than the default name (as WildFly,
 * Payara or Liberty bind theirs): the node runs on it, although nothing is bound at the default
 * name and TOKENPOOL_DB_URL points at nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class NamedDataSourceIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    WebArchive war =
        Deployments.realWar(
            "named-ds",
            Map.of(
                "TOKENPOOL_DATASOURCE_JNDI", "java:comp/env/jdbc/tokenpool-named",
                "TOKENPOOL_DB_URL", "jdbc:mysql://127.0.0.1:1/nowhere",
                "TOKENPOOL_POOL_SIZE", "2"));
    return Deployments.withH2DataSource(
        war, "jdbc/tokenpool-named", "jdbc:h2:mem:named-ds;DB_CLOSE_DELAY=-1");
  }

  @ArquillianResource URL base;

  @Test
  void theNodeRunsOnTheDataSourceTheSettingNames() {
    ApiClient api = ApiClient.operator(base);

    Reply activated = api.activate(UUID.randomUUID().toString());

    assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isEqualTo(1);
  }
}
