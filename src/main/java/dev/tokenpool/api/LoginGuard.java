package dev.tokenpool.api;

import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.FailedLogins;
import dev.tokenpool.security.InvalidTokenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.function.Supplier;

/**
 * Every login attempt passes here: an address past its failed-login limit is refused (429) before
 * its credentials are looked at, and each failure is counted and written to the audit log with the
 * address and reason, never the credential.
 */
final class LoginGuard {

  private final FailedLogins failedLogins;
  private final AuditLog audit;

  LoginGuard(FailedLogins failedLogins, AuditLog audit) {
    this.failedLogins = failedLogins;
    this.audit = audit;
  }

  <T> T attempt(ContainerRequestContext request, String scheme, Supplier<T> login) {
    String address = ClientAddress.of(request);
    failedLogins.checkAllowed(address);
    try {
      return login.get();
    } catch (NotAuthenticatedException | BearerTokenRequiredException | InvalidTokenException e) {
      failedLogins.recordFailure(address);
      audit.failedLogin(address, scheme, e.getMessage());
      throw e;
    }
  }

  AuditLog audit() {
    return audit;
  }
}
