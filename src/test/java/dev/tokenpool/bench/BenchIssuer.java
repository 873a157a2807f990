package dev.tokenpool.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's own OpenID provider, served by this JVM on loopback with the JDK's HTTP server: a
 * discovery document and a JWKS with one RSA key, and RS256 access tokens signed with it, as a
 * provider such as Keycloak issues them. A node fetches the keys once and caches them, so the
 * provider is off the measured path; {@link #keyFetches()} tells whether that held.
 */
final class BenchIssuer implements AutoCloseable {

  static final String AUDIENCE = "tokenpool-bench";

  private final HttpServer server;
  private final RSAKey signing;
  private final AtomicInteger keyFetches = new AtomicInteger();

  private BenchIssuer(HttpServer server, RSAKey signing) {
    this.server = server;
    this.signing = signing;
  }

  /** Starts on a free port of 127.0.0.1 with a new 2048-bit RSA key. */
  static BenchIssuer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      BenchIssuer issuer = new BenchIssuer(server, key);
      String jwks = new JWKSet(key.toPublicJWK()).toString();
      server.createContext(
          "/.well-known/openid-configuration",
          exchange ->
              answer(
                  exchange,
                  "{\"issuer\":\""
                      + issuer.issuer()
                      + "\",\"jwks_uri\":\""
                      + issuer.issuer()
                      + "/jwks\"}"));
      server.createContext(
          "/jwks",
          exchange -> {
            issuer.keyFetches.incrementAndGet();
            answer(exchange, jwks);
          });
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** The issuer URL: {@code TOKENPOOL_OIDC_ISSUER} and every token's {@code iss}. */
  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * An access token for {@code subject} with {@code scope}, valid for {@code lifetime}: iss, aud,
   * sub, iat, exp, jti and scope, RS256, typ JWT, the key's id in the header.
   */
  String token(String subject, String scope, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(AUDIENCE)
            .subject(subject)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", scope)
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(signing.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(signing));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How often the nodes fetched the key set. */
  int keyFetches() {
    return keyFetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
