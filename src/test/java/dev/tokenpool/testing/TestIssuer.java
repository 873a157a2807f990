package dev.tokenpool.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small OpenID provider of the tests' own, over real HTTP on loopback: a discovery document and a
 * JWKS, keys that can be rotated, an outage switch, and signed access tokens of any shape, so that
 * every refusal of a token can be provoked on purpose. (Interoperability with a real provider is
 * Keycloak's test.)
 */
public final class TestIssuer implements AutoCloseable {

  public static final String AUDIENCE = "tokenpool-api";

  private final HttpServer server;
  private final List<JWK> published = new ArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private volatile RSAKey signing;

  private TestIssuer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port with one RSA signing key. */
  public static TestIssuer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TestIssuer issuer = new TestIssuer(server);
      issuer.rotate();
      server.createContext(
          "/.well-known/openid-configuration",
          exchange ->
              issuer.answer(
                  exchange,
                  "{\"issuer\":\""
                      + issuer.issuer()
                      + "\",\"jwks_uri\":\""
                      + issuer.issuer()
                      + "/jwks\"}"));
      server.createContext(
          "/jwks",
          exchange -> {
            issuer.jwksFetches.incrementAndGet();
            issuer.answer(exchange, issuer.publicKeys().toString());
          });
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void answer(com.sun.net.httpserver.HttpExchange exchange, String json)
      throws IOException {
    if (down.get()) {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
      return;
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A new RSA signing key, published beside the old ones (which stay valid), as rotation does. */
  public synchronized String rotate() {
    try {
      signing = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      published.add(signing.toPublicJWK());
      return signing.getKeyID();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a further key (EC, Ed25519) so tokens signed with it verify. */
  public synchronized void publish(JWK key) {
    published.add(key.toPublicJWK());
  }

  public synchronized JWKSet publicKeys() {
    return new JWKSet(List.copyOf(published));
  }

  public RSAKey signingKey() {
    return signing;
  }

  /** While down, the discovery document and the JWKS answer 503. */
  public void setDown(boolean isDown) {
    down.set(isDown);
  }

  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** Claims of a good access token for this subject and scope, valid for five minutes. */
  public JWTClaimsSet.Builder claims(String subject, String scope) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", scope);
  }

  /** A good access token, signed RS256 with the current key. */
  public String token(String subject, String scope) {
    return sign(claims(subject, scope).build());
  }

  public String sign(JWTClaimsSet claims) {
    return sign(claims, h -> {});
  }

  /** Signs RS256 with the current key; the header can be changed first (type, key id). */
  public String sign(JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
    JWSHeader.Builder builder =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(signing.getKeyID())
            .type(JOSEObjectType.JWT);
    header.accept(builder);
    return sign(claims, builder.build(), signerFor(signing));
  }

  public static String sign(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JWSSigner signerFor(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return new RSASSASigner(rsa);
      }
      if (key instanceof ECKey ec) {
        return new ECDSASigner(ec);
      }
      if (key instanceof OctetKeyPair okp) {
        return new Ed25519Signer(okp);
      }
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalArgumentException("No signer for " + key.getKeyType());
  }

  public static ECKey newEcKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static OctetKeyPair newEd25519Key() {
    try {
      return new OctetKeyPairGenerator(Curve.Ed25519)
          .keyID(UUID.randomUUID().toString())
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The settings a node needs to trust this issuer. */
  public Map<String, String> nodeSettings() {
    return Map.of(
        "TOKENPOOL_OIDC_ISSUER",
        issuer(),
        "TOKENPOOL_OIDC_AUDIENCE",
        AUDIENCE,
        "TOKENPOOL_OIDC_JWKS_REFRESH_INTERVAL",
        "PT0.5S");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
