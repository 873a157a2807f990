package dev.tokenpool.deployed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.testing.Keycloak;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests' OpenID provider hands out the tokens that the realm file promises. */
class KeycloakFixtureIT {

  private final Keycloak keycloak = Keycloak.shared();

  @Test
  void aServiceTokenIsForTheApiWithTheScopeOfItsClient() {
    String token = keycloak.clientToken("billing-service");

    JsonNode claims = Keycloak.payload(token);
    assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
    assertThat(Keycloak.strings(claims.path("aud"))).contains(keycloak.audience());
    assertThat(Keycloak.scopes(token)).contains("tokens:any-user");
    assertThat(claims.path("azp").asText()).isEqualTo("billing-service");
    assertThat(Keycloak.header(token).path("alg").asText()).isEqualTo("RS256");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
  }

  @Test
  void aUsersTokenHasTheTokensScopeAndTheUsersIdAsSubject() {
    String token = keycloak.userToken("alice");

    JsonNode claims = Keycloak.payload(token);
    assertThat(Keycloak.scopes(token)).contains("tokens").doesNotContain("tokens:admin");
    assertThat(claims.path("sub").asText())
        .isEqualTo(keycloak.subjectOf("alice"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(claims.path("preferred_username").asText()).isEqualTo("alice");
    assertThat(Keycloak.strings(claims.path("aud"))).contains(keycloak.audience());
    assertThat(keycloak.subjectOf("bob")).isNotEqualTo(keycloak.subjectOf("alice"));
  }

  @Test
  void onlyTheOperatorsServiceGetsTheAdminScopeAndAServiceMayHaveNoTokensScopeAtAll() {
    assertThat(Keycloak.scopes(keycloak.clientToken("ops-bot"))).contains("tokens:admin");
    String bare = keycloak.clientToken("no-scope-service");
    assertThat(Keycloak.scopes(bare)).doesNotContain("tokens", "tokens:any-user", "tokens:admin");
    assertThat(Keycloak.strings(Keycloak.payload(bare).path("aud"))).contains(keycloak.audience());
  }

  @Test
  void aTokenMeantForAnotherApiLacksTheAudience() {
    String token = keycloak.clientToken("other-audience");

    assertThat(Keycloak.strings(Keycloak.payload(token).path("aud")))
        .isNotEmpty()
        .doesNotContain(keycloak.audience());
    assertThat(Keycloak.scopes(token)).contains("tokens:any-user");
  }

  @Test
  void throughTheConsoleOnlyTheOperatorGetsTheAdminScope() {
    String carol = keycloak.consoleToken("carol", "tokens:admin");
    String alice = keycloak.consoleToken("alice", "tokens:admin");

    assertThat(Keycloak.scopes(carol)).contains("tokens:admin", "tokens");
    assertThat(Keycloak.payload(carol).path("azp").asText()).isEqualTo(Keycloak.CONSOLE_CLIENT);
    assertThat(Keycloak.payload(carol).path("sub").asText()).isEqualTo(keycloak.subjectOf("carol"));
    assertThat(Keycloak.scopes(alice)).contains("tokens").doesNotContain("tokens:admin");
  }

  @Test
  void afterARotationNewTokensCarryTheNewKeyAndTheKeySetPublishesBoth() {
    String before = Keycloak.header(keycloak.clientToken("billing-service")).path("kid").asText();

    String rotated = keycloak.rotateSigningKey();
    String after = Keycloak.header(keycloak.clientToken("billing-service")).path("kid").asText();

    assertThat(after).isEqualTo(rotated).isNotEqualTo(before);
    assertThat(Keycloak.header(keycloak.userToken("bob")).path("kid").asText()).isEqualTo(after);
    List<String> published = new ArrayList<>();
    keycloak.jwks().path("keys").forEach(key -> published.add(key.path("kid").asText()));
    assertThat(published).contains(before, after);
  }
}
