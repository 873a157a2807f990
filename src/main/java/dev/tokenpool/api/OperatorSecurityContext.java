package dev.tokenpool.api;

import dev.tokenpool.admin.Role;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The operator who logged in for this admin request, as JAX-RS hands it to resources. */
final class OperatorSecurityContext implements SecurityContext {

  private final String user;
  private final Role role;
  private final boolean secure;

  OperatorSecurityContext(String user, Role role, boolean secure) {
    this.user = user;
    this.role = role;
    this.secure = secure;
  }

  Role role() {
    return role;
  }

  @Override
  public Principal getUserPrincipal() {
    return () -> user;
  }

  @Override
  public boolean isUserInRole(String name) {
    return role.name().equalsIgnoreCase(name);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return SecurityContext.BASIC_AUTH;
  }
}
