package dev.tokenpool.deployed;

import static dev.tokenpool.testing.ApiClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tokenpool.client.ApiClient;
import dev.tokenpool.client.ApiException;
import dev.tokenpool.client.api.AdminApi;
import dev.tokenpool.client.api.TokensApi;
import dev.tokenpool.client.model.Activation;
import dev.tokenpool.client.model.ActivationRequest;
import dev.tokenpool.client.model.EndReason;
import dev.tokenpool.client.model.JobState;
import dev.tokenpool.client.model.ReleasedUsage;
import dev.tokenpool.client.model.Token;
import dev.tokenpool.client.model.TokenStateFilter;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client that openapi-generator makes from docs/openapi.yaml (as a user would make it, see
 * docs/api.md) drives the real WAR: tokens, history, release, clear, and the admin's pause, trigger
 * and resume with the admin login.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GeneratedClientIT {

  private static final String JOB = "expire-tokens";
  private static final String CLIENT = "tokenpool-generated-client";

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    return Deployments.realWar(
        "client",
        Map.of(
            "TOKENPOOL_DATA_DIR", Files.createTempDirectory("tokenpool-client-it").toString(),
            "TOKENPOOL_POOL_SIZE", "5",
            "TOKENPOOL_ADMIN_PASSWORD", "admin-password-1"));
  }

  @ArquillianResource URL base;

  private TokensApi tokens;
  private AdminApi admin;

  @BeforeEach
  void clients() {
    // The token API takes a bearer credential: an operator key, made as an operator makes one.
    String key =
        dev.tokenpool.testing.ApiClient.createKey(
            base, "tokens:admin", "generated-" + UUID.randomUUID());
    ApiClient withKey = client();
    withKey.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
    tokens = new TokensApi(withKey);
    ApiClient withLogin = client();
    withLogin.setRequestInterceptor(
        request -> request.header("Authorization", basic("admin", "admin-password-1")));
    admin = new AdminApi(withLogin);
  }

  private ApiClient client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(base.toString().replaceFirst("/$", ""));
    return client;
  }

  @Test
  void aUserActivatesListsReadsHistoryAndReleases() throws Exception {
    String user = "generated|" + UUID.randomUUID();

    Activation activation = tokens.activateToken(new ActivationRequest().userId(user));
    assertThat(activation.getUserId()).isEqualTo(user);
    assertThat(activation.getExpiresAt()).isAfter(activation.getActivatedAt());

    assertThat(tokens.listTokens(TokenStateFilter.ACTIVE, 10, null).getTokens())
        .extracting(Token::getTokenId)
        .contains(activation.getTokenId());
    assertThat(tokens.getTokenHistory(activation.getTokenId(), null, null).getHistory())
        .anySatisfy(usage -> assertThat(usage.getUserId()).isEqualTo(user));

    ReleasedUsage released = tokens.releaseToken(activation.getTokenId(), null);
    assertThat(released.getEndReason()).isEqualTo(EndReason.RELEASED);
    assertThatThrownBy(() -> tokens.releaseToken(activation.getTokenId(), null))
        .isInstanceOfSatisfying(
            ApiException.class,
            problem -> {
              assertThat(problem.getCode()).isEqualTo(409);
              assertThat(problem.getResponseBody()).contains("token-not-active");
            });
  }

  @Test
  void clearingEndsEveryActiveToken() throws Exception {
    tokens.activateToken(new ActivationRequest().userId(UUID.randomUUID().toString()));
    tokens.activateToken(new ActivationRequest().userId(UUID.randomUUID().toString()));

    assertThat(tokens.clearActiveTokens().getClearedCount()).isGreaterThanOrEqualTo(2);
    assertThat(tokens.listTokens(TokenStateFilter.ACTIVE, 10, null).getTokens()).isEmpty();
  }

  @Test
  void theAdminPausesTriggersAndResumesAJob() throws Exception {
    assertThat(admin.pauseJob(JOB, CLIENT).getState()).isEqualTo(JobState.PAUSED);
    try {
      long manualBefore = manualRuns();
      admin.triggerJob(JOB, CLIENT);

      await().atMost(Duration.ofSeconds(20)).until(() -> manualRuns() > manualBefore);
      assertThat(admin.getJob(JOB).getState()).isIn(JobState.PAUSED, JobState.BLOCKED);
    } finally {
      assertThat(admin.resumeJob(JOB, CLIENT).getState()).isNotEqualTo(JobState.PAUSED);
    }
  }

  private long manualRuns() throws ApiException {
    return admin.listJobRunsOfJob(JOB, 100).getRuns().stream()
        .filter(run -> Boolean.TRUE.equals(run.getManual()))
        .count();
  }
}
