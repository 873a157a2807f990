package dev.tokenpool.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's signing keys: found through its discovery document ({@code
 * <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be the configured one) and
 * fetched from its {@code jwks_uri} on first use, not at startup, so a node starts while its
 * provider is down and serves API keys meanwhile. Nimbus caches the key set for {@link #CACHE_TTL},
 * fetches it again when a token names an unknown key (at most once per refresh interval, so forged
 * key ids cannot flood the provider), and keeps serving cached keys through an outage of up to
 * {@link #OUTAGE_TOLERANCE}.
 */
final class ProviderKeys implements JWKSource<SecurityContext> {

  private static final Logger log = LoggerFactory.getLogger(ProviderKeys.class);

  static final Duration CACHE_TTL = Duration.ofMinutes(5);
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);
  static final Duration OUTAGE_TOLERANCE = Duration.ofHours(6);
  static final int SIZE_LIMIT = 512 * 1024;

  private final URI issuer;
  private final Duration refreshInterval;
  private final ResourceRetriever retriever;
  private final LongSupplier nanoTime;
  private volatile JWKSource<SecurityContext> keys;
  private volatile ProviderMetadata metadata;
  private long lastDiscoveryFailure = Long.MIN_VALUE;
  private boolean failedBefore;

  ProviderKeys(URI issuer, Duration refreshInterval, LongSupplier nanoTime) {
    this.issuer = issuer;
    this.refreshInterval = refreshInterval;
    this.nanoTime = nanoTime;
    int timeout = (int) FETCH_TIMEOUT.toMillis();
    this.retriever = new DefaultResourceRetriever(timeout, timeout, SIZE_LIMIT);
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    return discovered().get(selector, context);
  }

  /** The key source, after discovery; a failed discovery is retried once per refresh interval. */
  private JWKSource<SecurityContext> discovered() throws KeySourceException {
    JWKSource<SecurityContext> ready = keys;
    if (ready != null) {
      return ready;
    }
    synchronized (this) {
      if (keys != null) {
        return keys;
      }
      long now = nanoTime.getAsLong();
      if (failedBefore && now - lastDiscoveryFailure < refreshInterval.toNanos()) {
        throw new JWKSetUnavailableException("The provider's discovery document failed recently");
      }
      try {
        metadata = ProviderMetadata.discover(issuer, retriever);
        keys =
            JWKSourceBuilder.<SecurityContext>create(metadata.jwksUri().toURL(), retriever)
                .cache(CACHE_TTL.toMillis(), FETCH_TIMEOUT.toMillis())
                .rateLimited(refreshInterval.toMillis())
                .outageTolerant(OUTAGE_TOLERANCE.toMillis())
                .build();
        if (failedBefore) {
          log.info("Discovered the identity provider {} after earlier failures", issuer);
        }
        return keys;
      } catch (IOException | ParseException | RuntimeException e) {
        failedBefore = true;
        lastDiscoveryFailure = now;
        log.warn("Cannot read the discovery document of the identity provider {}: {}", issuer, e);
        throw new JWKSetUnavailableException("Cannot read the provider's discovery document", e);
      }
    }
  }

  /** The provider's discovery document, read once it is first needed. */
  ProviderMetadata metadata() throws KeySourceException {
    discovered();
    return metadata;
  }
}
