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
 * A DataSource the container binds at java:comp/env/jdbc/tokenpool (Tomcat from the WAR's
 * META-INF/context.xml, Jetty from its WEB-INF/jetty-env.xml) wins over TOKENPOOL_DB_URL, which
 * here points at nothing. The container's DataSource hands out connections with auto-commit on, as
 * plain ones do; transactions must still be transactions.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContainerDataSourceIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    WebArchive war =
        Deployments.realWar(
            "container-ds",
            Map.of(
                "TOKENPOOL_DB_URL", "jdbc:mysql://127.0.0.1:1/nowhere",
                "TOKENPOOL_POOL_SIZE", "2",
                "TOKENPOOL_TOKEN_LIFETIME", "PT1H"));
    return Deployments.withH2DataSource(
        war, "jdbc/tokenpool", "jdbc:h2:mem:container-ds;DB_CLOSE_DELAY=-1");
  }

  @ArquillianResource URL base;

  @Test
  void theNodeRunsOnTheContainersDataSource() {
    ApiClient api = ApiClient.operator(base);

    Reply first = api.activate(UUID.randomUUID().toString());
    Reply second = api.activate(UUID.randomUUID().toString());
    Reply third = api.activate(UUID.randomUUID().toString());

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(third.status()).isEqualTo(200);
    assertThat(third.text("evicted_user_id")).isEqualTo(first.text("user_id"));
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isEqualTo(2);
    assertThat(api.post("/api/tokens/" + third.text("token_id") + "/release").status())
        .isEqualTo(200);
  }
}
