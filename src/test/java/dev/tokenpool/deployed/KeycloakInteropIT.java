package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.ApiClient;
import dev.tokenpool.testing.ApiClient.Reply;
import dev.tokenpool.testing.Deployments;
import dev.tokenpool.testing.Keycloak;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real WAR trusting a real OpenID provider, Keycloak, started once for the suite with the realm
 * of {@code src/test/resources/keycloak}: its client-credentials, password-grant and operator
 * tokens are accepted with the roles their scopes grant; forged, retargeted and scope-less tokens
 * are refused; and a realm key rotated while the node runs is accepted without a restart.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KeycloakInteropIT {

  private static Keycloak keycloak;

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    keycloak = Keycloak.shared();
    Path dataDir = Files.createTempDirectory("tokenpool-keycloak-it");
    return Deployments.realWar(
        "keycloak",
        Map.of(
            "TOKENPOOL_DATA_DIR",
            dataDir.toString(),
            "TOKENPOOL_POOL_SIZE",
            "3",
            "TOKENPOOL_TOKEN_LIFETIME",
            "PT1H",
            "TOKENPOOL_OIDC_ISSUER",
            keycloak.issuer(),
            "TOKENPOOL_OIDC_AUDIENCE",
            keycloak.audience(),
            "TOKENPOOL_OIDC_JWKS_REFRESH_INTERVAL",
            "PT1S"));
  }

  @ArquillianResource URL base;

  private ApiClient operator;
  private ApiClient billing;

  @BeforeEach
  void startFromAnEmptyPool() {
    operator = new ApiClient(base).withBearer(keycloak.clientToken("ops-bot"));
    billing = new ApiClient(base).withBearer(keycloak.clientToken("billing-service"));
    assertThat(operator.delete("/api/tokens/active").status()).isEqualTo(200);
  }

  @Test
  void aServiceTokenFromClientCredentialsActivatesForTheUsersItNames() {
    Reply reply = billing.activate("customer-42");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text("user_id")).isEqualTo("customer-42");
    assertThat(reply.header("RateLimit")).isNotNull();
  }

  @Test
  void aUserActsAsItsKeycloakSubjectAndCannotTouchAnotherUsersHolding() {
    ApiClient alice = new ApiClient(base).withBearer(keycloak.userToken("alice"));
    ApiClient bob = new ApiClient(base).withBearer(keycloak.userToken("bob"));

    Reply mine = alice.postJson("/api/tokens/activate", "{}");
    String bobsToken = bob.postJson("/api/tokens/activate", "{}").text("token_id");

    assertThat(mine.text("user_id")).isEqualTo(keycloak.subjectOf("alice"));
    assertThat(alice.activate(keycloak.subjectOf("bob")).status()).isEqualTo(403);
    assertThat(alice.post("/api/tokens/" + bobsToken + "/release").status()).isEqualTo(403);
    assertThat(alice.delete("/api/tokens/active").status()).isEqualTo(403);
    JsonNode bobs = operator.get("/api/tokens/" + bobsToken).json();
    assertThat(bobs.get("state").asText()).isEqualTo("active");
    assertThat(bobs.get("current_user_id").asText()).isEqualTo(keycloak.subjectOf("bob"));
    assertThat(alice.get("/api/tokens/" + bobsToken).json().get("current_user_id").isNull())
        .isTrue();
  }

  @Test
  void aTokenWithAPoolScopeReachesThatPoolOnly() {
    Reply created = operator.postJson("/api/admin/pools", "{\"name\":\"licences\",\"size\":2}");
    assertThat(created.status()).isIn(201, 409); // 409: an earlier test of this deployment made it
    String limitedToken = keycloak.clientToken("billing-service", "tokens:pool:licences");
    assertThat(Keycloak.scopes(limitedToken)).contains("tokens:any-user", "tokens:pool:licences");
    ApiClient limited = new ApiClient(base).withBearer(limitedToken);

    assertThat(
            limited
                .postJson("/api/pools/licences/tokens/activate", "{\"user_id\":\"seat-1\"}")
                .status())
        .isEqualTo(200);
    assertThat(limited.activate("seat-2").status()).isEqualTo(403);
    assertThat(billing.activate("seat-3").status()).as("without a pool scope").isEqualTo(200);
  }

  @Test
  void anOperatorTokenReachesTheAdminApiAsAdmin() {
    Reply me = operator.get("/api/admin/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("role")).isEqualTo("ADMIN");
    assertThat(billing.get("/api/admin/me").status()).isEqualTo(403);
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    Reply reply =
        new ApiClient(base).withBearer(keycloak.clientToken("other-audience")).get("/api/tokens");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void aTokenWithoutAnyTokenScopeIsForbidden() {
    Reply reply =
        new ApiClient(base).withBearer(keycloak.clientToken("no-scope-service")).get("/api/tokens");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
  }

  @Test
  void aTamperedUnsignedOrHmacForgedTokenIsRefused() throws Exception {
    String[] parts = keycloak.userToken("alice").split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"scope\":\"", "\"scope\":\"tokens:admin ");
    String forgedPayload = encode(payload);
    String tampered = parts[0] + "." + forgedPayload + "." + parts[2];
    String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + forgedPayload + ".";
    String hmacHeader =
        encode("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + keycloak.signingKid() + "\"}");
    String hmac = hmacHeader + "." + forgedPayload + "." + hs256(hmacHeader + "." + forgedPayload);

    for (String forged : new String[] {tampered, unsigned, hmac}) {
      Reply reply = new ApiClient(base).withBearer(forged).delete("/api/tokens/active");
      assertThat(reply.status()).as(forged).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
  }

  @Test
  void aRealmKeyRotatedWhileTheNodeRunsIsAcceptedWithoutARestart() {
    String before = keycloak.clientToken("billing-service");
    assertThat(new ApiClient(base).withBearer(before).get("/api/tokens").status()).isEqualTo(200);

    String newKid = keycloak.rotateSigningKey();
    String after = keycloak.clientToken("billing-service");

    assertThat(Keycloak.header(after).get("kid").asText()).isEqualTo(newKid);
    assertThat(new ApiClient(base).withBearer(after).activate("after-rotation").status())
        .isEqualTo(200);
    assertThat(new ApiClient(base).withBearer(before).get("/api/tokens").status()).isEqualTo(200);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The classic key confusion: HMAC keyed with the provider's RSA public key, as a forger does. */
  private static String hs256(String signingInput) throws Exception {
    JsonNode key = null;
    for (JsonNode candidate : keycloak.jwks().get("keys")) {
      if (candidate.get("kid").asText().equals(keycloak.signingKid())) {
        key = candidate;
      }
    }
    byte[] publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())),
                    new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText()))))
            .getEncoded();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }
}
