package dev.tokenpool.api;

import dev.tokenpool.admin.Role;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The operator who logged in for this request, as JAX-RS hands it to resources. */
final class OperatorSecurityContext implements SecurityContext {

  private final Operator operator;
  private final boolean secure;

  OperatorSecurityContext(Operator operator, boolean secure) {
    this.operator = operator;
    this.secure = secure;
  }

  Operator operator() {
    return operator;
  }

  Role role() {
    return operator.role();
  }

  /** The operator of a request, whether the context is this one or a proxy of it. */
  static Operator operatorOf(SecurityContext context) {
    if (context != null && context.getUserPrincipal() instanceof OperatorPrincipal principal) {
      return principal.operator();
    }
    throw new NotAuthenticatedException();
  }

  /** The operator as the request's principal. */
  record OperatorPrincipal(Operator operator) implements Principal {
    @Override
    public String getName() {
      return operator.name();
    }
  }

  @Override
  public Principal getUserPrincipal() {
    return new OperatorPrincipal(operator);
  }

  @Override
  public boolean isUserInRole(String name) {
    return operator.role().name().equalsIgnoreCase(name);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return operator.via().equals("basic") ? SecurityContext.BASIC_AUTH : "Bearer";
  }
}
