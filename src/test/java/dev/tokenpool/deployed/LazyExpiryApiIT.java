package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
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
 * With a one-second lifetime and no sweeping job, an expired token reads as available at once and
 * is handed to the next user without evicting anyone (a pool of one token).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LazyExpiryApiIT {

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    return Deployments.realWar(
        "lazy-expiry",
        Map.of(
            "TOKENPOOL_DATA_DIR", Files.createTempDirectory("tokenpool-lazy-it").toString(),
            "TOKENPOOL_POOL_SIZE", "1",
            "TOKENPOOL_TOKEN_LIFETIME", "PT1S",
            // No sweeping job: what is proven here is expiry without one.
            "TOKENPOOL_SCHEDULER_ENABLED", "false"));
  }

  @ArquillianResource URL base;

  @Test
  void anExpiredTokenIsAvailableAndReusedWithoutEvictingAnyone() {
    ApiClient api = ApiClient.operator(base);
    String first = UUID.randomUUID().toString();
    Reply activation = api.activate(first);
    String token = activation.text("token_id");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("/api/tokens/" + token).text("state").equals("available"));
    assertThat(api.get("/api/tokens").json().get("active_count").asInt()).isZero();
    Reply next = api.activate(UUID.randomUUID().toString());

    assertThat(next.status()).isEqualTo(200);
    assertThat(next.text("token_id")).isEqualTo(token);
    assertThat(next.json().get("evicted_user_id").isNull()).isTrue();
    JsonNode ended = api.get("/api/tokens/" + token + "/history").json().get("history").get(1);
    assertThat(ended.get("user_id").asText()).isEqualTo(first);
    assertThat(ended.get("end_reason").asText()).isEqualTo("EXPIRED");
    assertThat(ended.get("ended_at").asText()).isEqualTo(activation.text("expires_at"));
  }
}
