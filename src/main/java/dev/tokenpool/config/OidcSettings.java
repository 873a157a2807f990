package dev.tokenpool.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * The organisation's OpenID provider, whose JWT access tokens the token API accepts.
 *
 * @param issuer the provider's issuer URL: tokens must carry it as {@code iss}, and its discovery
 *     document names the keys
 * @param audience the {@code aud} every accepted token must carry
 * @param clockSkew how far the provider's clock may be from this node's for {@code exp}/{@code nbf}
 * @param scopeClaim where the scopes are: a claim name or a dotted path ({@code
 *     realm_access.roles}), holding a space-separated string or an array
 * @param jwksRefreshInterval the shortest time between two fetches of the provider's keys (an
 *     unknown key id asks for one)
 * @param consoleLogin how the console logs in with the provider (authorization code and PKCE);
 *     empty: no provider login in the console
 */
public record OidcSettings(
    URI issuer,
    String audience,
    Duration clockSkew,
    String scopeClaim,
    String holderScope,
    String serviceScope,
    String operatorScope,
    Duration jwksRefreshInterval,
    Optional<ConsoleLoginSettings> consoleLogin) {

  // The settings of this concern: their names, then their defaults.
  public static final String OIDC_ISSUER = "TOKENPOOL_OIDC_ISSUER";
  public static final String OIDC_AUDIENCE = "TOKENPOOL_OIDC_AUDIENCE";
  public static final String OIDC_CLOCK_SKEW = "TOKENPOOL_OIDC_CLOCK_SKEW";
  public static final String OIDC_SCOPE_CLAIM = "TOKENPOOL_OIDC_SCOPE_CLAIM";
  public static final String OIDC_HOLDER_SCOPE = "TOKENPOOL_OIDC_HOLDER_SCOPE";
  public static final String OIDC_SERVICE_SCOPE = "TOKENPOOL_OIDC_SERVICE_SCOPE";
  public static final String OIDC_OPERATOR_SCOPE = "TOKENPOOL_OIDC_OPERATOR_SCOPE";
  public static final String OIDC_JWKS_REFRESH_INTERVAL = "TOKENPOOL_OIDC_JWKS_REFRESH_INTERVAL";

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(10);

  static Optional<OidcSettings> from(Settings settings) {
    Optional<String> issuer = settings.text(OIDC_ISSUER);
    Optional<String> audience = settings.text(OIDC_AUDIENCE);
    if (issuer.isEmpty()) {
      if (audience.isPresent()) {
        throw new InvalidConfigurationException(
            OIDC_AUDIENCE, "is set but " + OIDC_ISSUER + " is not: set both or neither");
      }
      return Optional.empty();
    }
    if (audience.isEmpty() || audience.get().isBlank()) {
      throw new InvalidConfigurationException(
          OIDC_AUDIENCE, "is required with " + OIDC_ISSUER + ": the aud that tokens must carry");
    }
    String holder = settings.text(OIDC_HOLDER_SCOPE, "tokens");
    String service = settings.text(OIDC_SERVICE_SCOPE, "tokens:any-user");
    String operator = settings.text(OIDC_OPERATOR_SCOPE, "tokens:admin");
    requireDistinct(holder, service, operator);
    return Optional.of(
        new OidcSettings(
            issuerUri(issuer.get()),
            audience.get(),
            settings.duration(
                OIDC_CLOCK_SKEW, DEFAULT_CLOCK_SKEW, Duration.ZERO, Duration.ofMinutes(5)),
            requireName(OIDC_SCOPE_CLAIM, settings.text(OIDC_SCOPE_CLAIM, "scope")),
            requireName(OIDC_HOLDER_SCOPE, holder),
            requireName(OIDC_SERVICE_SCOPE, service),
            requireName(OIDC_OPERATOR_SCOPE, operator),
            settings.duration(
                OIDC_JWKS_REFRESH_INTERVAL,
                DEFAULT_JWKS_REFRESH_INTERVAL,
                Duration.ofMillis(100),
                Duration.ofHours(1)),
            ConsoleLoginSettings.from(settings, operator)));
  }

  /** An https issuer, or an http one on a loopback address (a provider started by tests). */
  static URI issuerUri(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(OIDC_ISSUER, "'" + raw + "' is not a URL");
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidConfigurationException(
          OIDC_ISSUER, "'" + raw + "' must be an absolute URL without query or fragment");
    }
    if ("https".equals(uri.getScheme())) {
      return uri;
    }
    if ("http".equals(uri.getScheme()) && isLoopback(uri.getHost())) {
      return uri;
    }
    throw new InvalidConfigurationException(
        OIDC_ISSUER, "'" + raw + "' must use https (plain http only on a loopback address)");
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // A literal address only: a name would be resolved, and could resolve elsewhere later.
      return host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+\\]")
          && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String requireName(String setting, String value) {
    if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidConfigurationException(setting, "'" + value + "' must be one word");
    }
    return value;
  }

  private static void requireDistinct(String holder, String service, String operator) {
    if (holder.equals(service) || holder.equals(operator) || service.equals(operator)) {
      throw new InvalidConfigurationException(
          OIDC_OPERATOR_SCOPE,
          "the holder, service and operator scopes must differ, were "
              + holder
              + ", "
              + service
              + ", "
              + operator);
    }
  }
}
