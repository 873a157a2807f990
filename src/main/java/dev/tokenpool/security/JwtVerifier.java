package dev.tokenpool.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenpool.config.OidcSettings;
import dev.tokenpool.tokens.UserIds;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the provider's JWT access tokens (RFC 9068) with Nimbus JOSE+JWT: signed with one of the
 * provider's published keys by an asymmetric algorithm (so {@code none} and HMAC are refused),
 * issued by the configured issuer for the configured audience, and within its {@code nbf}/{@code
 * exp} by this node's clock, give or take the allowed skew. The scopes it grants decide the role.
 */
public final class JwtVerifier {

  /** A scope that limits the token's client to one pool: {@code tokens:pool:licences}. */
  public static final String POOL_SCOPE = "tokens:pool:";

  /** Asymmetric algorithms only: an HMAC "signed" with the public key must never verify. */
  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  /**
   * How long a checked token is remembered at most: a key the provider withdraws stops accepting
   * tokens signed with it within this time, even if they have not expired.
   */
  static final Duration VERIFIED_CACHE = Duration.ofMinutes(1);

  private final OidcSettings settings;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Optional<ProviderKeys> provider;
  private final Clock clock;

  /**
   * Tokens that passed every check, so that a client sending the same token again costs a lookup,
   * not a signature check (most of the CPU an authenticated request costs, docs/performance.md).
   * Its claims cannot change; its expiry is checked again on every use.
   */
  private final TimedCache<String, Verified> verified =
      new TimedCache<>(VERIFIED_CACHE, System::nanoTime);

  public JwtVerifier(OidcSettings settings, Clock clock) {
    this(
        settings,
        clock,
        new ProviderKeys(settings.issuer(), settings.jwksRefreshInterval(), System::nanoTime));
  }

  /** Checks tokens against the given keys (the provider's, fetched and cached otherwise). */
  public JwtVerifier(OidcSettings settings, Clock clock, JWKSource<SecurityContext> keys) {
    this.settings = settings;
    this.clock = clock;
    this.provider =
        keys instanceof ProviderKeys discovered ? Optional.of(discovered) : Optional.empty();
    // RFC 9068 names its type at+jwt; Keycloak, Entra and Auth0 still send JWT, or nothing.
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
    processor.setJWSKeySelector(EdDsaKeys.selector(ALGORITHMS, keys));
    processor.setJWSVerifierFactory(EdDsaKeys.verifiers());
    ClockedClaimsVerifier claims =
        new ClockedClaimsVerifier(
            settings.audience(),
            new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
            Set.of("sub", "exp", "iss", "aud"),
            clock);
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The client the token stands for; a token that proves nothing is {@link InvalidTokenException}.
   */
  public Client verify(String token) {
    Verified known = verified.peek(token).orElse(null);
    if (known != null) {
      // Checked before: only the time can have made it invalid since.
      if (!clock.instant().isBefore(known.expiresAt().plus(settings.clockSkew()))) {
        verified.forget(token);
        throw new InvalidTokenException("The token is not valid: Expired JWT");
      }
      return known.client();
    }
    return check(token);
  }

  /** A token that passed every check, until its expiry. */
  private record Verified(Client client, Instant expiresAt) {}

  private Client check(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidTokenException("The bearer token is neither an API key nor a JWT");
    } catch (RateLimitReachedException e) {
      // A key id the cached set lacks, asked again too soon: a forged or unknown key.
      throw new InvalidTokenException(
          "The token is signed with a key the provider does not publish");
    } catch (KeySourceException e) {
      throw new IdentityProviderUnavailableException(
          "The identity provider's keys cannot be fetched; retry shortly", e);
    } catch (BadJOSEException e) {
      throw new InvalidTokenException(describe(e));
    } catch (JOSEException e) {
      throw new InvalidTokenException("The token's signature cannot be checked: " + e.getMessage());
    }
    String subject = claims.getSubject();
    if (UserIds.problemWith(subject).isPresent()) {
      throw new InvalidTokenException("The token's sub is not a usable user id");
    }
    Set<String> granted = scopes(claims);
    Client client = new Client(subject, role(granted), "jwt", pools(granted));
    Verified checked = new Verified(client, claims.getExpirationTime().toInstant());
    verified.put(token, checked);
    return client;
  }

  public OidcSettings settings() {
    return settings;
  }

  /** The provider's discovery document: its endpoints, for the console's login. */
  public ProviderMetadata providerMetadata() {
    try {
      return provider
          .orElseThrow(() -> new IllegalStateException("These keys were not discovered"))
          .metadata();
    } catch (KeySourceException e) {
      throw new IdentityProviderUnavailableException(
          "The identity provider's discovery document cannot be read; retry shortly", e);
    }
  }

  private ClientRole role(Set<String> granted) {
    if (granted.contains(settings.operatorScope())) {
      return ClientRole.OPERATOR;
    }
    if (granted.contains(settings.serviceScope())) {
      return ClientRole.SERVICE;
    }
    if (granted.contains(settings.holderScope())) {
      return ClientRole.HOLDER;
    }
    throw new InsufficientScopeException(
        settings.holderScope() + " " + settings.serviceScope() + " " + settings.operatorScope());
  }

  /**
   * The pools the token limits its client to: the names of its scopes {@value #POOL_SCOPE}{@code
   * <name>} (a name no pool may have matches none); none (every pool) when it has no such scope.
   */
  static Set<String> pools(Set<String> granted) {
    Set<String> pools = new java.util.TreeSet<>();
    for (String scope : granted) {
      if (scope.startsWith(POOL_SCOPE)) {
        // Kept even when no pool may have the name (a typo): the token is then limited to a pool
        // that cannot exist, never widened to every pool.
        pools.add(scope.substring(POOL_SCOPE.length()));
      }
    }
    return pools;
  }

  /** The scopes at the configured claim path: a space-separated string or an array of strings. */
  private Set<String> scopes(JWTClaimsSet claims) {
    Object value = claims.getClaims();
    for (String part : settings.scopeClaim().split("\\.")) {
      value = value instanceof Map<?, ?> map ? map.get(part) : null;
    }
    Set<String> scopes = new HashSet<>();
    if (value instanceof String text) {
      scopes.addAll(List.of(text.trim().split("\\s+")));
    } else if (value instanceof Collection<?> items) {
      items.forEach(item -> scopes.add(String.valueOf(item)));
    }
    return scopes;
  }

  /** Nimbus's reason, which names claims and algorithms but never repeats the token. */
  private static String describe(BadJOSEException e) {
    String reason = e.getMessage() == null ? "rejected" : e.getMessage();
    if (reason.contains("no matching key")) {
      return "The token is signed with an algorithm or key this service does not accept";
    }
    return "The token is not valid: " + reason;
  }

  /** Nimbus's claim checks, on the node's clock rather than the system's. */
  private static final class ClockedClaimsVerifier
      extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;

    ClockedClaimsVerifier(String audience, JWTClaimsSet exact, Set<String> required, Clock clock) {
      super(audience, exact, required);
      this.clock = clock;
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }
  }
}
