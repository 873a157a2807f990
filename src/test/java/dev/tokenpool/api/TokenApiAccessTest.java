package dev.tokenpool.api;

import static dev.tokenpool.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.config.OidcSettings;
import dev.tokenpool.security.JwtVerifier;
import dev.tokenpool.testing.TestIssuer;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the token API, in memory: every refusal here happens before the token service
 * is reached (the in-memory API has none), so each one proves the boundary holds on its own. The
 * deployed tests repeat the important ones against the real WAR and a real database.
 */
final class TokenApiAccessTest {

  private static final TestIssuer issuer = TestIssuer.start();
  private static final InMemoryApi api =
      InMemoryApi.start(InMemoryApi.security(Optional.of(verifier()), 1_000, 1_000));

  private static JwtVerifier verifier() {
    return new JwtVerifier(
        new OidcSettings(
            URI.create(issuer.issuer()),
            TestIssuer.AUDIENCE,
            Duration.ofSeconds(30),
            "scope",
            "tokens",
            "tokens:any-user",
            "tokens:admin",
            Duration.ofMillis(300),
            Optional.empty()),
        Clock.systemUTC());
  }

  @AfterAll
  static void stopTheIssuer() {
    issuer.close();
  }

  @Test
  void aRequestWithoutCredentialsGetsABearerChallenge() {
    ApiReply reply = api.get("/api/tokens").send();

    assertProblem(
        reply,
        401,
        "unauthorized",
        "Unauthorized",
        "A bearer token is required: Authorization: Bearer <API key or access token>",
        "/api/tokens");
    assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"tokenpool\"");
  }

  @Test
  void everyRouteOfTheTokenApiRefusesAnAnonymousCaller() {
    assertThat(api.get("/api/tokens/6548a762-cdc8-47a5-9fc5-01736c54a893").send().status())
        .isEqualTo(401);
    assertThat(api.get("/api/tokens/6548a762-cdc8-47a5-9fc5-01736c54a893/history").send().status())
        .isEqualTo(401);
    assertThat(api.post("/api/tokens/activate").json("{\"user_id\":\"a\"}").send().status())
        .isEqualTo(401);
    assertThat(api.request("DELETE", "/api/tokens/active").send().status()).isEqualTo(401);
    assertThat(api.post("/api/tokens/6548a762-cdc8-47a5-9fc5-01736c54a893/release").send().status())
        .isEqualTo(401);
    assertThat(api.get("/api/tokens;x=1/nope").send().status()).isEqualTo(401);
    assertThat(api.get("/api/tokens/active").send().status()).isEqualTo(401);
  }

  @Test
  void anUnknownApiKeyIsAnInvalidToken() {
    ApiReply reply = api.get("/api/tokens").bearer("tpk_guessed").send();

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE))
        .isEqualTo(
            "Bearer realm=\"tokenpool\", error=\"invalid_token\","
                + " error_description=\"Unknown or revoked API key\"");
    assertThat(reply.json().path("type").asText()).endsWith("/invalid-token");
  }

  @Test
  void aBasicLoginIsNoCredentialForTheTokenApi() {
    assertThat(api.get("/api/tokens").asAdmin().send().status()).isEqualTo(401);
  }

  @Test
  void aProviderTokenWithoutAnyTokenScopeIsForbiddenWithInsufficientScope() {
    ApiReply reply = api.get("/api/tokens").bearer(issuer.token("someone", "openid")).send();

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.header(HttpHeaders.WWW_AUTHENTICATE))
        .isEqualTo(
            "Bearer realm=\"tokenpool\", error=\"insufficient_scope\","
                + " scope=\"tokens tokens:any-user tokens:admin\"");
  }

  @Test
  void aHolderCannotActivateForAnotherUser() {
    ApiReply reply =
        api.post("/api/tokens/activate").asHolder().json("{\"user_id\":\"bob\"}").send();

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.json().path("detail").asText()).contains("for itself only");
  }

  @Test
  void aHolderWithAProviderTokenCannotActivateForAnotherUserEither() {
    ApiReply reply =
        api.post("/api/tokens/activate")
            .bearer(issuer.token("alice", "tokens"))
            .json("{\"user_id\":\"bob\"}")
            .send();

    assertThat(reply.status()).isEqualTo(403);
  }

  @Test
  void onlyAnOperatorClearsThePool() {
    for (InMemoryApi.Request request :
        new InMemoryApi.Request[] {
          api.request("DELETE", "/api/tokens/active").asHolder(),
          api.request("DELETE", "/api/tokens/active").asService(),
          api.request("DELETE", "/api/tokens/active").bearer(issuer.token("svc", "tokens:any-user"))
        }) {
      ApiReply reply = request.send();
      assertProblem(
          reply,
          403,
          "forbidden",
          "Forbidden",
          "Only an operator clears the pool (scope tokens:admin)",
          "/api/tokens/active");
    }
  }

  @Test
  void aServiceReleasesOnlyByNamingTheHolderAndAHolderOnlyItself() {
    String release = "/api/tokens/6548a762-cdc8-47a5-9fc5-01736c54a893/release";

    ApiReply unnamed = api.post(release).asService().send();
    ApiReply anotherUser = api.post(release).asHolder().json("{\"user_id\":\"bob\"}").send();

    assertThat(unnamed.status()).isEqualTo(403);
    assertThat(unnamed.json().path("detail").asText()).contains("naming its user");
    assertThat(anotherUser.status()).isEqualTo(403);
    assertThat(anotherUser.json().path("detail").asText()).contains("its own holding only");
  }

  @Test
  void aServiceMustNameTheUserItActsFor() {
    ApiReply reply = api.post("/api/tokens/activate").asService().json("{}").send();

    assertProblem(
        reply,
        400,
        "invalid-request",
        "Invalid request",
        "user_id: is required",
        "/api/tokens/activate");
  }

  @Test
  void userIdsAreOpaqueButBounded() {
    assertThat(activateAsService("\"" + "x".repeat(256) + "\"").json().path("detail").asText())
        .contains("at most 255 characters");
    assertThat(activateAsService("\"a\\u0000b\"").json().path("detail").asText())
        .contains("control characters");
    assertThat(activateAsService("\" alice\"").json().path("detail").asText())
        .contains("white space");
  }

  private ApiReply activateAsService(String userIdJson) {
    ApiReply reply =
        api.post("/api/tokens/activate")
            .asService()
            .json("{\"user_id\":" + userIdJson + "}")
            .send();
    assertThat(reply.status()).isEqualTo(400);
    return reply;
  }

  @Test
  void theOperatorSurfaceIsNotPublic() {
    assertThat(api.get("/metrics").send().status()).isEqualTo(401);
    assertThat(api.get("/api/jobs/runs").send().status()).isEqualTo(401);
    assertThat(api.get("/api/admin/probe").asService().send().status()).isEqualTo(403);
    assertThat(api.get("/api/admin/probe").asOperator().send().status()).isEqualTo(200);
    assertThat(
            api.get("/api/admin/probe").bearer(issuer.token("ops", "tokens:admin")).send().status())
        .isEqualTo(200);
  }

  @Test
  void everyAnswerCarriesTheClientsRateLimit() {
    ApiReply reply = api.get("/api/tokens/not-a-uuid").asHolder().send();

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.header("RateLimit-Policy")).isEqualTo("\"client\";q=1000;w=1");
    assertThat(reply.header("RateLimit")).matches("\"client\";r=\\d+;t=1");
  }

  @Test
  void aClientPastItsRateIsAnsweredTooManyRequests() {
    InMemoryApi limited = InMemoryApi.start(InMemoryApi.security(Optional.empty(), 1_000, 2));
    limited.get("/api/tokens/not-a-uuid").asService().send();
    limited.get("/api/tokens/not-a-uuid").asService().send();

    ApiReply refused = limited.get("/api/tokens/not-a-uuid").asService().send();

    assertProblem(
        refused,
        429,
        "too-many-requests",
        "Too many requests",
        "This client has sent more requests than its rate allows; retry later",
        "/api/tokens/not-a-uuid");
    assertThat(refused.header(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
    assertThat(refused.header("RateLimit")).isEqualTo("\"client\";r=0;t=1");
    assertThat(limited.get("/api/tokens/not-a-uuid").asHolder().send().status()).isEqualTo(400);
  }

  @Test
  void anAddressPastItsFailedLoginsIsRefusedWhateverItSends() {
    InMemoryApi strict = InMemoryApi.start(InMemoryApi.security(Optional.empty(), 3, 1_000));
    for (int i = 0; i < 3; i++) {
      assertThat(strict.get("/api/tokens").bearer("tpk_wrong" + i).send().status()).isEqualTo(401);
    }

    ApiReply refused = strict.get("/api/tokens/not-a-uuid").asService().send();

    assertThat(refused.status()).isEqualTo(429);
    assertThat(Integer.parseInt(refused.header(HttpHeaders.RETRY_AFTER))).isBetween(1, 60);
    assertThat(strict.get("/api/admin/probe").asAdmin().send().status()).isEqualTo(429);
  }
}
