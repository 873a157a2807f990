package dev.tokenpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings of the token API's clients: the identity provider, limits, the first key. */
final class ClientSettingsTest {

  private static TokenPoolConfig configWith(String... namesAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put(TokenPoolConfig.NODE_ID, "test-node");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return TokenPoolConfig.from(name -> Optional.ofNullable(values.get(name)));
  }

  private static void assertRefused(String setting, String message, String... namesAndValues) {
    assertThatThrownBy(() -> configWith(namesAndValues))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.setting()).isEqualTo(setting);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void withoutAnIssuerOnlyApiKeysAreAcceptedAndTheDefaultsHold() {
    ClientSettings clients = configWith(TokenPoolConfig.DATA_DIR, "/var/lib/tp").clients();

    assertThat(clients.oidc()).isEmpty();
    assertThat(clients.rate()).isEqualTo(100);
    assertThat(clients.burst()).isEqualTo(200);
    assertThat(clients.failedLoginLimit()).isEqualTo(30);
    assertThat(clients.apiKeyCache()).isEqualTo(Duration.ofSeconds(5));
    assertThat(clients.initialApiKeyFile()).isEqualTo(Path.of("/var/lib/tp/initial-api-key"));
  }

  @Test
  void anIssuerTakesItsAudienceAndTheDefaultScopes() {
    OidcSettings oidc =
        configWith(
                TokenPoolConfig.OIDC_ISSUER, "https://id.example.com/realms/corp",
                TokenPoolConfig.OIDC_AUDIENCE, "tokenpool-api")
            .clients()
            .oidc()
            .orElseThrow();

    assertThat(oidc.issuer()).isEqualTo(URI.create("https://id.example.com/realms/corp"));
    assertThat(oidc.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(oidc.scopeClaim()).isEqualTo("scope");
    assertThat(oidc.holderScope()).isEqualTo("tokens");
    assertThat(oidc.serviceScope()).isEqualTo("tokens:any-user");
    assertThat(oidc.operatorScope()).isEqualTo("tokens:admin");
  }

  @Test
  void plainHttpIssuersAreAcceptedOnLoopbackOnly() {
    assertThat(
            configWith(
                    TokenPoolConfig.OIDC_ISSUER, "http://127.0.0.1:8180/realms/test",
                    TokenPoolConfig.OIDC_AUDIENCE, "api")
                .clients()
                .oidc())
        .isPresent();
    assertRefused(
        TokenPoolConfig.OIDC_ISSUER,
        "must use https",
        TokenPoolConfig.OIDC_ISSUER,
        "http://id.example.com/realms/corp",
        TokenPoolConfig.OIDC_AUDIENCE,
        "api");
  }

  @Test
  void anIssuerWithoutAnAudienceOrAnAudienceWithoutAnIssuerIsRefused() {
    assertRefused(
        TokenPoolConfig.OIDC_AUDIENCE,
        "is required",
        TokenPoolConfig.OIDC_ISSUER,
        "https://id.example.com");
    assertRefused(
        TokenPoolConfig.OIDC_AUDIENCE, "set both or neither", TokenPoolConfig.OIDC_AUDIENCE, "api");
  }

  @Test
  void rolesMustMapToThreeDistinctScopes() {
    assertRefused(
        TokenPoolConfig.OIDC_OPERATOR_SCOPE,
        "must differ",
        TokenPoolConfig.OIDC_ISSUER,
        "https://id.example.com",
        TokenPoolConfig.OIDC_AUDIENCE,
        "api",
        TokenPoolConfig.OIDC_OPERATOR_SCOPE,
        "tokens");
  }

  @Test
  void limitsAreBounded() {
    assertRefused(TokenPoolConfig.CLIENT_RATE, "'0'", TokenPoolConfig.CLIENT_RATE, "0");
    assertRefused(
        TokenPoolConfig.FAILED_LOGIN_LIMIT, "'-1'", TokenPoolConfig.FAILED_LOGIN_LIMIT, "-1");
    assertThat(configWith(TokenPoolConfig.CLIENT_RATE, "7").clients().burst()).isEqualTo(14);
  }
}
