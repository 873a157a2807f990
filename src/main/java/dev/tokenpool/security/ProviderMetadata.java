package dev.tokenpool.security;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * What the provider's discovery document ({@code <issuer>/.well-known/openid-configuration}) says:
 * where its keys are and, for the console's login, where to send the operator and where to redeem
 * the code. The document must name the configured issuer (OpenID Connect Discovery 1.0, section
 * 4.3), and its endpoints must be https or on the issuer's own host.
 */
public record ProviderMetadata(
    URI jwksUri, Optional<URI> authorizationEndpoint, Optional<URI> tokenEndpoint) {

  static ProviderMetadata discover(URI issuer, ResourceRetriever retriever)
      throws IOException, ParseException {
    String base = issuer.toString().replaceAll("/+$", "");
    Map<String, Object> document =
        JSONObjectUtils.parse(
            retriever
                .retrieveResource(URI.create(base + "/.well-known/openid-configuration").toURL())
                .getContent());
    String announced = JSONObjectUtils.getString(document, "issuer");
    if (!issuer.toString().equals(announced)) {
      throw new IOException(
          "the discovery document names the issuer " + announced + ", not " + issuer);
    }
    URI jwks =
        endpoint(document, "jwks_uri", issuer)
            .orElseThrow(() -> new IOException("the discovery document has no jwks_uri"));
    return new ProviderMetadata(
        jwks,
        endpoint(document, "authorization_endpoint", issuer),
        endpoint(document, "token_endpoint", issuer));
  }

  private static Optional<URI> endpoint(Map<String, Object> document, String name, URI issuer)
      throws IOException, ParseException {
    URI uri = JSONObjectUtils.getURI(document, name);
    if (uri == null) {
      return Optional.empty();
    }
    if (!uri.isAbsolute()
        || (!"https".equals(uri.getScheme()) && !issuer.getHost().equals(uri.getHost()))) {
      throw new IOException(
          "the " + name + " " + uri + " is neither https nor on the issuer's host");
    }
    return Optional.of(uri);
  }
}
