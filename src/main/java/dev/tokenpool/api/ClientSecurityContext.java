package dev.tokenpool.api;

import dev.tokenpool.security.Client;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The token API's client of this request, as JAX-RS hands it to resources. */
final class ClientSecurityContext implements SecurityContext {

  private final Client client;
  private final boolean secure;

  ClientSecurityContext(Client client, boolean secure) {
    this.client = client;
    this.secure = secure;
  }

  /** The request's client; a request that reached a token resource without one is refused. */
  static Client clientOf(SecurityContext context) {
    // Resources may be handed a proxy of the context: the principal carries the client.
    if (context != null && context.getUserPrincipal() instanceof ClientPrincipal principal) {
      return principal.client();
    }
    throw new BearerTokenRequiredException();
  }

  /** The client as the request's principal. */
  record ClientPrincipal(Client client) implements Principal {
    @Override
    public String getName() {
      return client.name();
    }
  }

  @Override
  public Principal getUserPrincipal() {
    return new ClientPrincipal(client);
  }

  @Override
  public boolean isUserInRole(String role) {
    return client.role().name().equalsIgnoreCase(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return "Bearer";
  }
}
