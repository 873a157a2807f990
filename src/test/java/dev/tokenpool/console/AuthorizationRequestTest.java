package dev.tokenpool.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.config.ConsoleLoginSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] nameValue = pair.split("=", 2);
      query.put(
          URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
          URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
    }
    return query;
  }

  @Test
  void theRequestCarriesTheFlowThenWhatTheProviderNeeds() {
    ConsoleLoginSettings auth0 =
        new ConsoleLoginSettings(
            "console",
            "openid tokens:admin",
            Map.of("audience", "https://tokenpool.example.com/api?x=1&y=2"));

    URI uri =
        AuthorizationRequest.uri(
            URI.create("https://id.example.com/authorize?tenant=acme"),
            auth0,
            "https://tokenpool.example.com/console/login/callback",
            "the-state",
            "the-verifier");

    assertThat(uri.getHost()).isEqualTo("id.example.com");
    assertThat(query(uri))
        .containsExactly(
            Map.entry("tenant", "acme"),
            Map.entry("response_type", "code"),
            Map.entry("client_id", "console"),
            Map.entry("redirect_uri", "https://tokenpool.example.com/console/login/callback"),
            Map.entry("scope", "openid tokens:admin"),
            Map.entry("state", "the-state"),
            Map.entry("code_challenge", AuthorizationRequest.challenge("the-verifier")),
            Map.entry("code_challenge_method", "S256"),
            Map.entry("prompt", "login"),
            Map.entry("audience", "https://tokenpool.example.com/api?x=1&y=2"));
  }

  @Test
  void theChallengeIsTheBase64urlSha256OfTheVerifier() {
    // Computed apart from Java: python3 hashlib.sha256 + base64.urlsafe_b64encode, "=" stripped.
    assertThat(AuthorizationRequest.challenge("dBjftJeZ4CVP-mJ0kS9ZqvDKmHTRKvyKxgO3PW0aYiC"))
        .isEqualTo("kO4OiehxkmKoTK8spxqYCnjuw2gMQoyoyJp7PoPZtf4");
  }
}
