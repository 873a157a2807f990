package dev.tokenpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    ClientSettings clients = configWith(DatabaseSettings.DATA_DIR, "/var/lib/tp").clients();

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
                OidcSettings.OIDC_ISSUER, "https://id.example.com/realms/corp",
                OidcSettings.OIDC_AUDIENCE, "tokenpool-api")
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
  void theConsoleAsksForTheOperatorScopeUnlessToldWhatEachProviderNeeds() {
    String[] issuer = {
      OidcSettings.OIDC_ISSUER, "https://id.example.com",
      OidcSettings.OIDC_AUDIENCE, "https://tokenpool.example.com",
      ConsoleLoginSettings.OIDC_CONSOLE_CLIENT_ID, "tokenpool-console"
    };
    ConsoleLoginSettings keycloak =
        configWith(issuer).clients().oidc().orElseThrow().consoleLogin().orElseThrow();
    assertThat(keycloak.clientId()).isEqualTo("tokenpool-console");
    assertThat(keycloak.scope()).isEqualTo("openid tokens:admin");
    assertThat(keycloak.parameters()).isEmpty();

    String[] auth0 = java.util.Arrays.copyOf(issuer, issuer.length + 4);
    auth0[6] = ConsoleLoginSettings.OIDC_CONSOLE_SCOPE;
    auth0[7] = " openid offline_access ";
    auth0[8] = ConsoleLoginSettings.OIDC_CONSOLE_PARAMETERS;
    auth0[9] = "audience=https%3A%2F%2Ftokenpool.example.com&organization=org_1";
    ConsoleLoginSettings custom =
        configWith(auth0).clients().oidc().orElseThrow().consoleLogin().orElseThrow();
    assertThat(custom.scope()).isEqualTo("openid offline_access");
    assertThat(custom.parameters())
        .containsExactly(
            Map.entry("audience", "https://tokenpool.example.com"),
            Map.entry("organization", "org_1"));
  }

  @Test
  void theConsolesExtraParametersCannotTakeOverTheFlow() {
    Map<String, String> refusals = new LinkedHashMap<>();
    for (String reserved :
        List.of("state", "redirect_uri", "prompt", "scope", "client_secret", "response_mode")) {
      refusals.put("audience=api&" + reserved + "=x", "the login flow's own parameter");
    }
    refusals.put("audience", "is not name=value");
    refusals.put("a=1&a=2", "is given twice");
    refusals.forEach(
        (parameters, message) ->
            assertRefused(
                ConsoleLoginSettings.OIDC_CONSOLE_PARAMETERS,
                message,
                OidcSettings.OIDC_ISSUER,
                "https://id.example.com",
                OidcSettings.OIDC_AUDIENCE,
                "api",
                ConsoleLoginSettings.OIDC_CONSOLE_CLIENT_ID,
                "console",
                ConsoleLoginSettings.OIDC_CONSOLE_PARAMETERS,
                parameters));
  }

  @Test
  void plainHttpIssuersAreAcceptedOnLoopbackOnly() {
    assertThat(
            configWith(
                    OidcSettings.OIDC_ISSUER, "http://127.0.0.1:8180/realms/test",
                    OidcSettings.OIDC_AUDIENCE, "api")
                .clients()
                .oidc())
        .isPresent();
    assertRefused(
        OidcSettings.OIDC_ISSUER,
        "must use https",
        OidcSettings.OIDC_ISSUER,
        "http://id.example.com/realms/corp",
        OidcSettings.OIDC_AUDIENCE,
        "api");
  }

  @Test
  void anIssuerWithoutAnAudienceOrAnAudienceWithoutAnIssuerIsRefused() {
    assertRefused(
        OidcSettings.OIDC_AUDIENCE,
        "is required",
        OidcSettings.OIDC_ISSUER,
        "https://id.example.com");
    assertRefused(
        OidcSettings.OIDC_AUDIENCE, "set both or neither", OidcSettings.OIDC_AUDIENCE, "api");
  }

  @Test
  void rolesMustMapToThreeDistinctScopes() {
    assertRefused(
        OidcSettings.OIDC_OPERATOR_SCOPE,
        "must differ",
        OidcSettings.OIDC_ISSUER,
        "https://id.example.com",
        OidcSettings.OIDC_AUDIENCE,
        "api",
        OidcSettings.OIDC_OPERATOR_SCOPE,
        "tokens");
  }

  @Test
  void limitsAreBounded() {
    assertRefused(ClientSettings.CLIENT_RATE, "'0'", ClientSettings.CLIENT_RATE, "0");
    assertRefused(
        ClientSettings.FAILED_LOGIN_LIMIT, "'-1'", ClientSettings.FAILED_LOGIN_LIMIT, "-1");
    assertThat(configWith(ClientSettings.CLIENT_RATE, "7").clients().burst()).isEqualTo(14);
  }
}
