package dev.tokenpool.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import dev.tokenpool.config.OidcSettings;
import dev.tokenpool.testing.MutableClock;
import dev.tokenpool.testing.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's tokens through {@link JwtVerifier} and its key cache, against {@link TestIssuer}
 * over real HTTP: every way a token can fail to prove anything, and the key handling (rotation,
 * outage, forged key ids) that a provider's operation needs.
 */
final class JwtVerifierTest {

  private TestIssuer issuer;
  private MutableClock clock;
  private JwtVerifier verifier;

  @BeforeEach
  void startTheIssuer() {
    issuer = TestIssuer.start();
    clock = new MutableClock(Instant.now());
    verifier = new JwtVerifier(settings("scope"), clock);
  }

  @AfterEach
  void stopTheIssuer() {
    issuer.close();
  }

  private OidcSettings settings(String scopeClaim) {
    return settings(scopeClaim, Duration.ofMillis(300));
  }

  private OidcSettings settings(String scopeClaim, Duration refreshInterval) {
    return new OidcSettings(
        URI.create(issuer.issuer()),
        TestIssuer.AUDIENCE,
        Duration.ofSeconds(30),
        scopeClaim,
        "tokens",
        "tokens:any-user",
        "tokens:admin",
        refreshInterval,
        Optional.empty());
  }

  @Test
  void aHolderTokenActsAsItsSubject() {
    Client client = verifier.verify(issuer.token("auth0|5f7c8ad2e1", "openid tokens"));

    assertThat(client).isEqualTo(new Client("auth0|5f7c8ad2e1", ClientRole.HOLDER, "jwt"));
  }

  @Test
  void theHighestScopeDecidesTheRole() {
    assertThat(verifier.verify(issuer.token("billing", "tokens tokens:any-user")).role())
        .isEqualTo(ClientRole.SERVICE);
    assertThat(verifier.verify(issuer.token("ops", "tokens:admin")).role())
        .isEqualTo(ClientRole.OPERATOR);
  }

  @Test
  void poolScopesLimitTheClientToThosePoolsAndNoneMeansEveryPool() {
    Client limited =
        verifier.verify(
            issuer.token(
                "seller", "tokens tokens:pool:licences tokens:pool:trial tokens:pool:Bad"));
    Client everywhere = verifier.verify(issuer.token("buyer", "tokens"));

    assertThat(limited.pools()).contains("licences", "trial");
    assertThat(limited.mayUse("licences")).isTrue();
    assertThat(limited.mayUse("default")).isFalse();
    assertThat(everywhere.pools()).isEmpty();
    assertThat(everywhere.mayUse("default")).isTrue();
  }

  @Test
  void aTokenWhosePoolScopesNameNoPoolReachesNoPoolRatherThanEvery() {
    Client mistyped = verifier.verify(issuer.token("seller", "tokens tokens:pool:Licences"));

    assertThat(mistyped.mayUse("licences")).isFalse();
    assertThat(mistyped.mayUse("default")).isFalse();
  }

  @Test
  void aValidTokenWithoutAnyOfTheScopesIsRefusedAsInsufficient() {
    assertThatThrownBy(() -> verifier.verify(issuer.token("someone", "openid profile")))
        .isInstanceOf(InsufficientScopeException.class)
        .extracting(e -> ((InsufficientScopeException) e).requiredScopes())
        .isEqualTo("tokens tokens:any-user tokens:admin");
  }

  @Test
  void scopesCanComeFromANestedArrayClaimAsKeycloakRealmRolesDo() {
    JwtVerifier roles = new JwtVerifier(settings("realm_access.roles"), clock);
    String token =
        issuer.sign(
            issuer
                .claims("svc", null)
                .claim("realm_access", Map.of("roles", List.of("offline_access", "tokens:admin")))
                .build());

    assertThat(roles.verify(token).role()).isEqualTo(ClientRole.OPERATOR);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String none = new PlainJWT(issuer.claims("mallory", "tokens:admin").build()).serialize();

    assertInvalid(none);
  }

  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    byte[] publicKey = issuer.signingKey().toRSAPublicKey().getEncoded();
    String confused =
        TestIssuer.sign(
            issuer.claims("mallory", "tokens:admin").build(),
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.signingKey().getKeyID()).build(),
            new MACSigner(publicKey));

    assertInvalid(confused);
  }

  @Test
  void aTamperedTokenIsRefused() {
    String[] parts = issuer.token("alice", "tokens").split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                issuer
                    .claims("alice", "tokens:admin")
                    .build()
                    .toString()
                    .getBytes(StandardCharsets.UTF_8));

    assertInvalid(parts[0] + "." + forged + "." + parts[2]);
  }

  @Test
  void aTokenSignedWithAKeyTheProviderDoesNotPublishIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    String token =
        TestIssuer.sign(
            issuer.claims("mallory", "tokens:admin").build(),
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID()).build(),
            TestIssuer.signerFor(stranger));

    assertInvalid(token);
  }

  @Test
  void anotherIssuerOrAudienceIsRefused() {
    assertInvalid(issuer.sign(issuer.claims("a", "tokens").issuer("https://evil.example").build()));
    assertInvalid(issuer.sign(issuer.claims("a", "tokens").audience("another-api").build()));
  }

  @Test
  void expiryIsJudgedByTheNodesClockWithTheAllowedSkew() {
    String token = issuer.token("alice", "tokens"); // expires in 5 minutes

    clock.advance(Duration.ofMinutes(5).plusSeconds(20));
    assertThat(verifier.verify(token).name()).isEqualTo("alice");

    clock.advance(Duration.ofSeconds(20));
    assertInvalid(token);
  }

  @Test
  void aTokenNotYetValidIsRefused() {
    Date later = Date.from(clock.instant().plus(Duration.ofMinutes(2)));

    assertInvalid(issuer.sign(issuer.claims("alice", "tokens").notBeforeTime(later).build()));
  }

  @Test
  void aSubjectThatIsNoUsableUserIdIsRefused() {
    assertInvalid(issuer.token("x".repeat(256), "tokens"));
  }

  @Test
  void rfc9068TypedTokensAndRsaPssEcdsaAndEdDsaSignaturesAreAccepted() {
    ECKey ec = TestIssuer.newEcKey();
    OctetKeyPair ed = TestIssuer.newEd25519Key();
    issuer.publish(ec);
    issuer.publish(ed);

    String atJwt =
        issuer.sign(
            issuer.claims("typed", "tokens").build(), h -> h.type(new JOSEObjectType("at+jwt")));
    String ps256 =
        TestIssuer.sign(
            issuer.claims("pss", "tokens").build(),
            new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(issuer.signingKey().getKeyID()).build(),
            TestIssuer.signerFor(issuer.signingKey()));
    String es256 =
        TestIssuer.sign(
            issuer.claims("ecdsa", "tokens").build(),
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
            TestIssuer.signerFor(ec));
    String eddsa =
        TestIssuer.sign(
            issuer.claims("eddsa", "tokens").build(),
            new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(ed.getKeyID()).build(),
            TestIssuer.signerFor(ed));

    assertThat(verifier.verify(atJwt).name()).isEqualTo("typed");
    assertThat(verifier.verify(ps256).name()).isEqualTo("pss");
    assertThat(verifier.verify(es256).name()).isEqualTo("ecdsa");
    assertThat(verifier.verify(eddsa).name()).isEqualTo("eddsa");
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenFirstNamesIt() throws Exception {
    verifier.verify(issuer.token("alice", "tokens"));
    Thread.sleep(350); // past the refresh interval of the test settings (300 ms)
    issuer.rotate();

    assertThat(verifier.verify(issuer.token("alice", "tokens")).name()).isEqualTo("alice");
    assertThat(issuer.jwksFetches()).isEqualTo(2);
  }

  @Test
  void cachedKeysKeepWorkingWhileTheProviderIsDown() {
    verifier.verify(issuer.token("alice", "tokens"));
    issuer.setDown(true);

    assertThat(verifier.verify(issuer.token("bob", "tokens")).name()).isEqualTo("bob");
  }

  @Test
  void aProviderThatCannotBeReachedBeforeAnyKeyIsCachedAnswersUnavailable() {
    issuer.setDown(true);

    assertThatThrownBy(() -> verifier.verify(issuer.token("alice", "tokens")))
        .isInstanceOf(IdentityProviderUnavailableException.class);
  }

  @Test
  void forgedKeyIdsDoNotMakeEveryRequestFetchTheKeys() throws Exception {
    verifier = new JwtVerifier(settings("scope", Duration.ofMinutes(1)), clock);
    verifier.verify(issuer.token("alice", "tokens"));
    RSAKey stranger = new RSAKeyGenerator(2048).generate();

    for (int i = 0; i < 20; i++) {
      String forged =
          TestIssuer.sign(
              issuer.claims("mallory", "tokens").build(),
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(UUID.randomUUID().toString()).build(),
              TestIssuer.signerFor(stranger));
      assertInvalid(forged);
    }

    assertThat(issuer.jwksFetches()).isLessThanOrEqualTo(2);
  }

  private void assertInvalid(String token) {
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
  }
}
