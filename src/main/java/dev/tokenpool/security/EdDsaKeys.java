package dev.tokenpool.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) beside the algorithms Nimbus's JWT processor verifies by itself: its key selector
 * hands the verifier factory Java keys, and an Ed25519 JWK has no Java key form there. So EdDSA
 * keys travel wrapped as {@link EdPublicKey}, and {@link #verifiers()} makes Nimbus's own {@link
 * Ed25519Verifier} for them; every other algorithm goes through Nimbus's defaults unchanged.
 */
final class EdDsaKeys {

  private EdDsaKeys() {}

  /** An Ed25519 public JWK, carried where Nimbus expects a Java key. */
  record EdPublicKey(OctetKeyPair jwk) implements PublicKey {
    @Override
    public String getAlgorithm() {
      return "EdDSA";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  /** Selects keys for the allowed algorithms; EdDSA keys come wrapped. */
  static JWSKeySelector<SecurityContext> selector(
      Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> keys) {
    JWSVerificationKeySelector<SecurityContext> standard =
        new JWSVerificationKeySelector<>(allowed, keys);
    return (header, context) -> {
      if (!JWSAlgorithm.Family.ED.contains(header.getAlgorithm())) {
        return standard.selectJWSKeys(header, context);
      }
      return edKeys(header, allowed, keys, context);
    };
  }

  private static List<? extends Key> edKeys(
      JWSHeader header,
      Set<JWSAlgorithm> allowed,
      JWKSource<SecurityContext> keys,
      SecurityContext context)
      throws KeySourceException {
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    if (!allowed.contains(header.getAlgorithm()) || matcher == null) {
      return List.of();
    }
    return keys.get(new JWKSelector(matcher), context).stream()
        .filter(OctetKeyPair.class::isInstance)
        .map(jwk -> new EdPublicKey(((OctetKeyPair) jwk).toPublicJWK()))
        .toList();
  }

  /** Nimbus's verifiers, and its Ed25519 verifier for wrapped EdDSA keys. */
  static JWSVerifierFactory verifiers() {
    DefaultJWSVerifierFactory standard = new DefaultJWSVerifierFactory();
    Set<JWSAlgorithm> supported = new HashSet<>(standard.supportedJWSAlgorithms());
    supported.addAll(Ed25519Verifier.SUPPORTED_ALGORITHMS);
    return new JWSVerifierFactory() {
      @Override
      public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (key instanceof EdPublicKey ed) {
          return new Ed25519Verifier(ed.jwk());
        }
        return standard.createJWSVerifier(header, key);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return supported;
      }

      @Override
      public JCAContext getJCAContext() {
        return standard.getJCAContext();
      }
    };
  }
}
