package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every role boundary of the token API through the real WAR and a real database, with API keys made
 * through the admin API as an operator makes them: a holder acts as itself and sees no other user,
 * a service names users, only an operator clears; anonymous and invalid callers get 401 everywhere;
 * a revoked or expired key stops working. Each supported database runs it through a subclass that
 * deploys the WAR on it (pool of {@value #POOL_SIZE}).
 */
abstract class TokenApiRoles {

  static final int POOL_SIZE = 3;
  private static final String TOKEN = "/api/tokens/" + UUID.randomUUID();

  @ArquillianResource URL base;

  private ApiClient operator;
  private ApiClient service;
  private ApiClient holder;
  private String holderName;

  @BeforeEach
  void startFromAnEmptyPoolWithAKeyPerRole() {
    operator = ApiClient.operator(base);
    assertThat(operator.delete("/api/tokens/active").status()).isEqualTo(200);
    service = ApiClient.withNewKey(base, "tokens:any-user", "service-" + UUID.randomUUID());
    holderName = "holder|" + UUID.randomUUID();
    holder = ApiClient.withNewKey(base, "tokens", holderName);
  }

  @Test
  void noRouteAnswersAnAnonymousOrInvalidCallerWithAnythingBut401() {
    ApiClient anonymous = new ApiClient(base);
    List<ApiClient> callers =
        List.of(
            anonymous,
            anonymous.withBearer("tpk_" + "A".repeat(43)),
            anonymous.withBearer("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
            anonymous.withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD)));
    for (ApiClient caller : callers) {
      List<Integer> statuses = new ArrayList<>();
      statuses.add(caller.get("/api/tokens").status());
      statuses.add(caller.get("/api/tokens?state=active").status());
      statuses.add(caller.activate("someone").status());
      statuses.add(caller.delete("/api/tokens/active").status());
      statuses.add(caller.get(TOKEN).status());
      statuses.add(caller.get(TOKEN + "/history").status());
      statuses.add(caller.post(TOKEN + "/release").status());
      statuses.add(caller.postJson(TOKEN + "/renew", "{\"fence\":1}").status());
      statuses.add(caller.get(TOKEN + "/fences/1").status());
      statuses.add(caller.get("/api/users/someone/usages").status());
      statuses.add(caller.get("/api/tokens/not-even-a-uuid").status());
      statuses.add(caller.get("/api/pools/default/tokens").status());
      statuses.add(
          caller.postJson("/api/pools/default/tokens/activate", "{\"user_id\":\"x\"}").status());
      statuses.add(caller.get("/api/pools/no-such-pool/tokens" + TOKEN.substring(11)).status());
      assertThat(statuses).as("statuses").containsOnly(401);
    }
    Reply challenge = anonymous.get("/api/tokens");
    assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenpool\"");
    assertThat(anonymous.withBearer("tpk_nope").get("/api/tokens").header("WWW-Authenticate"))
        .contains("error=\"invalid_token\"");
  }

  @Test
  void aHolderActivatesAsItselfWithoutNamingAUser() {
    Reply reply = holder.postJson("/api/tokens/activate", "{}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text("user_id")).isEqualTo(holderName);
    assertThat(holder.postJson("/api/tokens/activate", "{\"user_id\":\"" + holderName + "\"}"))
        .extracting(r -> r.text("token_id"))
        .isEqualTo(reply.text("token_id"));
  }

  @Test
  void aHolderCannotActivateForAnotherUser() {
    Reply refused = holder.activate("victim-" + UUID.randomUUID());

    assertThat(refused.status()).isEqualTo(403);
    assertThat(operator.get("/api/tokens").json().get("active_count").asLong()).isZero();
  }

  @Test
  void aHolderCannotReleaseAnotherUsersHoldingAndNothingChanges() {
    String victim = "victim-" + UUID.randomUUID();
    JsonNode held = service.activate(victim).json();
    String token = held.get("token_id").asText();

    Reply refused = holder.post("/api/tokens/" + token + "/release");

    assertThat(refused.status()).isEqualTo(403);
    JsonNode after = operator.get("/api/tokens/" + token).json();
    assertThat(after.get("state").asText()).isEqualTo("active");
    assertThat(after.get("current_user_id").asText()).isEqualTo(victim);
    assertThat(after.get("expires_at").asText()).isEqualTo(held.get("expires_at").asText());
  }

  @Test
  void aHolderReleasesItsOwnHolding() {
    String token = holder.postJson("/api/tokens/activate", "{}").text("token_id");

    Reply released = holder.post("/api/tokens/" + token + "/release");

    assertThat(released.status()).isEqualTo(200);
    assertThat(released.text("user_id")).isEqualTo(holderName);
  }

  @Test
  void aHolderSeesTheCountsAndItsOwnHoldingButNoOtherUser() {
    String other = "other-" + UUID.randomUUID();
    String othersToken = service.activate(other).text("token_id");
    service.postJson("/api/tokens/" + othersToken + "/release", "{\"user_id\":\"" + other + "\"}");
    String mine = holder.postJson("/api/tokens/activate", "{}").text("token_id");
    String stillHeld = service.activate("third-" + UUID.randomUUID()).text("token_id");

    JsonNode listing = holder.get("/api/tokens").json();
    assertThat(listing.get("active_count").asLong()).isEqualTo(2);
    assertThat(listing.get("available_count").asLong()).isEqualTo(POOL_SIZE - 2);
    assertThat(listing.get("tokens")).hasSize(1);
    assertThat(listing.get("tokens").get(0).get("token_id").asText()).isEqualTo(mine);
    assertThat(holder.get("/api/tokens/" + stillHeld).json().get("current_user_id").isNull())
        .isTrue();
    assertThat(holder.get("/api/tokens/" + stillHeld).json().get("state").asText())
        .isEqualTo("active");
    JsonNode history = holder.get("/api/tokens/" + othersToken + "/history").json().get("history");
    List<String> users = new ArrayList<>();
    history.forEach(usage -> users.add(usage.get("user_id").asText()));
    assertThat(users).doesNotContain(other).allMatch(holderName::equals);
    assertThat(holder.get("/api/tokens?state=available").json().get("tokens")).isEmpty();
  }

  @Test
  void aHolderThatEvictsIsNotToldWhom() {
    for (int i = 0; i < POOL_SIZE; i++) {
      service.activate("sitting-" + i + "-" + UUID.randomUUID());
    }

    Reply reply = holder.postJson("/api/tokens/activate", "{}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("evicted_user_id").isNull()).isTrue();
  }

  @Test
  void aServiceNamesAnyUserAndReleasesAHoldingByNamingItsUserButCannotClear() {
    String token = service.activate("auth0|5f7c8ad2e1").text("token_id");
    assertThat(service.activate("Alice").text("token_id")).isNotEqualTo(token);
    assertThat(service.activate("alice").text("token_id")).isNotEqualTo(token);
    String release = "/api/tokens/" + token + "/release";

    assertThat(service.post(release).status()).isEqualTo(403);
    assertThat(service.postJson(release, "{\"user_id\":\"AUTH0|5F7C8AD2E1\"}").status())
        .isEqualTo(403);
    assertThat(operator.get("/api/tokens/" + token).text("current_user_id"))
        .isEqualTo("auth0|5f7c8ad2e1");
    assertThat(service.postJson(release, "{\"user_id\":\"auth0|5f7c8ad2e1\"}").text("user_id"))
        .isEqualTo("auth0|5f7c8ad2e1");
    assertThat(service.delete("/api/tokens/active").status()).isEqualTo(403);
    assertThat(holder.delete("/api/tokens/active").status()).isEqualTo(403);
    assertThat(operator.get("/api/tokens").json().get("active_count").asLong()).isEqualTo(2);
  }

  @Test
  void anOperatorClearsThePool() {
    service.activate("a-" + UUID.randomUUID());
    service.activate("b-" + UUID.randomUUID());

    Reply cleared = operator.delete("/api/tokens/active");

    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().get("cleared_count").asInt()).isEqualTo(2);
  }

  @Test
  void aRevokedKeyIsRefusedWithinSeconds() {
    ApiClient admin =
        new ApiClient(base).withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD));
    Reply created =
        admin.postJson(
            "/api/admin/api-keys",
            "{\"name\":\"short-lived-" + UUID.randomUUID() + "\",\"scope\":\"tokens:any-user\"}");
    ApiClient revoked = new ApiClient(base).withBearer(created.text("key"));
    assertThat(revoked.get("/api/tokens").status()).isEqualTo(200);

    assertThat(
            admin
                .as(
                    ApiClient.basic("admin", Deployments.ADMIN_PASSWORD),
                    "DELETE",
                    "/api/admin/api-keys/" + created.text("id"))
                .status())
        .isEqualTo(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> revoked.get("/api/tokens").status() == 401);
    assertThat(admin.get("/api/admin/api-keys").body()).doesNotContain(created.text("id"));
  }

  @Test
  void aKeyStopsWorkingAtItsExpiry() {
    ApiClient admin =
        new ApiClient(base).withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD));
    Instant expiry = Instant.now().plusSeconds(2);
    Reply created =
        admin.postJson(
            "/api/admin/api-keys",
            "{\"name\":\"expiring-"
                + UUID.randomUUID()
                + "\",\"scope\":\"tokens\",\"expires_at\":\""
                + expiry
                + "\"}");
    assertThat(created.status()).isEqualTo(201);
    ApiClient expiring = new ApiClient(base).withBearer(created.text("key"));
    assertThat(expiring.get("/api/tokens").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> expiring.get("/api/tokens").status() == 401);
  }

  @Test
  void theKeyListShowsNamesScopesAndUseButNeverASecret() {
    holder.get("/api/tokens");
    ApiClient monitorless =
        new ApiClient(base).withAuthorization(ApiClient.basic("admin", Deployments.ADMIN_PASSWORD));

    Reply list = monitorless.get("/api/admin/api-keys");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain("tpk_").doesNotContain("\"key\"");
    JsonNode mine = null;
    for (JsonNode key : list.json().get("api_keys")) {
      if (key.get("name").asText().equals(holderName)) {
        mine = key;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("scope").asText()).isEqualTo("tokens");
    assertThat(mine.get("created_by").asText()).isEqualTo("admin");
    assertThat(mine.get("last_used_at").isNull()).isFalse();
  }
}
