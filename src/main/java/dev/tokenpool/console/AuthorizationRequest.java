package dev.tokenpool.console;

import dev.tokenpool.config.ConsoleLoginSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The console's OAuth 2.0 authorization code request with PKCE (RFC 6749 4.1.1, RFC 7636). */
final class AuthorizationRequest {

  private AuthorizationRequest() {}

  /** Where the browser goes: the provider's endpoint with the flow's and the settings' query. */
  static URI uri(
      URI endpoint,
      ConsoleLoginSettings login,
      String redirectUri,
      String state,
      String codeVerifier) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", login.clientId());
    query.put("redirect_uri", redirectUri);
    query.put("scope", login.scope());
    query.put("state", state);
    query.put("code_challenge", challenge(codeVerifier));
    query.put("code_challenge_method", "S256");
    // An operator logs in afresh for the console, whatever single sign-on session the browser
    // holds at the provider (someone else's, on a shared machine).
    query.put("prompt", "login");
    // The settings cannot name the flow's own parameters (ConsoleLoginSettings refuses them).
    query.putAll(login.parameters());
    return URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + form(query));
  }

  /** RFC 7636 S256: base64url of the SHA-256 of the verifier. */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** application/x-www-form-urlencoded, as query strings and token requests carry it. */
  static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
