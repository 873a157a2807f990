package dev.tokenpool.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the console's "Log in with the provider" asks the provider for an operator's token. Providers
 * differ in what makes them issue an access token for an API: Keycloak needs only the scope, Entra
 * ID wants the API's scope ({@code api://<app>/.default}), Auth0 an {@code audience} parameter,
 * others the RFC 8707 {@code resource} parameter.
 *
 * @param clientId the provider's public client the console logs in with
 * @param scope the {@code scope} of the authorization request
 * @param parameters further parameters of the authorization request, in their order
 */
public record ConsoleLoginSettings(String clientId, String scope, Map<String, String> parameters) {

  // The settings of this concern: their names, then their defaults.
  public static final String OIDC_CONSOLE_CLIENT_ID = "TOKENPOOL_OIDC_CONSOLE_CLIENT_ID";
  public static final String OIDC_CONSOLE_SCOPE = "TOKENPOOL_OIDC_CONSOLE_SCOPE";
  public static final String OIDC_CONSOLE_PARAMETERS = "TOKENPOOL_OIDC_CONSOLE_PARAMETERS";

  /**
   * The flow's own parameters, set by the node, and those that would break it or put a secret in
   * the browser's address bar: never from a setting.
   */
  static final Set<String> RESERVED =
      Set.of(
          "response_type",
          "response_mode",
          "client_id",
          "client_secret",
          "redirect_uri",
          "scope",
          "state",
          "code_challenge",
          "code_challenge_method",
          "code_verifier",
          "prompt");

  public ConsoleLoginSettings {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  static Optional<ConsoleLoginSettings> from(Settings settings, String operatorScope) {
    Optional<String> clientId = settings.text(OIDC_CONSOLE_CLIENT_ID).filter(id -> !id.isBlank());
    if (clientId.isEmpty()) {
      return Optional.empty();
    }
    String scope =
        settings
            .text(OIDC_CONSOLE_SCOPE)
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .orElse("openid " + operatorScope);
    return Optional.of(
        new ConsoleLoginSettings(
            clientId.get(), scope, parameters(settings.text(OIDC_CONSOLE_PARAMETERS).orElse(""))));
  }

  /** {@code name=value&name=value}, percent-encoded like a query string. */
  static Map<String, String> parameters(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : raw.strip().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new InvalidConfigurationException(
            OIDC_CONSOLE_PARAMETERS, "'" + pair + "' is not name=value");
      }
      String name = decode(pair.substring(0, equals));
      if (RESERVED.contains(name)) {
        throw new InvalidConfigurationException(
            OIDC_CONSOLE_PARAMETERS, "'" + name + "' is the login flow's own parameter");
      }
      if (parameters.put(name, decode(pair.substring(equals + 1))) != null) {
        throw new InvalidConfigurationException(
            OIDC_CONSOLE_PARAMETERS, "'" + name + "' is given twice");
      }
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          OIDC_CONSOLE_PARAMETERS, "'" + text + "' is not percent-encoded correctly");
    }
  }
}
