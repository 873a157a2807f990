package dev.tokenpool.api;

import dev.tokenpool.admin.Credentials;
import dev.tokenpool.admin.OperatorSessions;
import dev.tokenpool.admin.Role;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.ClientRole;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;

/**
 * Who an operator request comes from: a Basic login (admin or monitor), the console's session
 * cookie, or a bearer credential with the operator scope (a provider's token or an API key), which
 * counts as admin. Every attempt goes through the {@link LoginGuard}.
 */
final class OperatorAuthentication {

  private final Credentials credentials;
  private final ClientAuthenticator clients;
  private final Optional<OperatorSessions> sessions;
  private final LoginGuard guard;

  OperatorAuthentication(
      Credentials credentials,
      ClientAuthenticator clients,
      Optional<OperatorSessions> sessions,
      LoginGuard guard) {
    this.credentials = credentials;
    this.clients = clients;
    this.sessions = sessions;
    this.guard = guard;
  }

  /** The operator, or {@link NotAuthenticatedException} (401) if the request proves none. */
  Operator authenticate(ContainerRequestContext request) {
    String header = AuthorizationHeader.of(request);
    if (AuthorizationHeader.isBearer(header)) {
      Client client =
          guard.attempt(
              request,
              "bearer",
              () ->
                  clients.authenticate(
                      AuthorizationHeader.bearer(header)
                          .orElseThrow(BearerTokenRequiredException::new)));
      if (client.role() != ClientRole.OPERATOR) {
        throw new NotPermittedException(
            "This credential's scope does not reach the operator surface: it needs "
                + ClientRole.OPERATOR.scope());
      }
      return new Operator(client.name(), Role.ADMIN, client.via(), client.pools());
    }
    if (header == null && sessions.isPresent()) {
      Optional<String> cookie = AuthorizationHeader.sessionCookie(request);
      if (cookie.isPresent()) {
        return guard.attempt(
            request,
            "session",
            () ->
                sessions
                    .get()
                    .find(cookie.get())
                    .map(s -> new Operator(s.operator(), s.role(), "session", s.pools()))
                    .orElseThrow(
                        () -> new NotAuthenticatedException("The console session has ended")));
      }
    }
    return guard.attempt(
        request,
        "basic",
        () -> {
          AuthorizationHeader.BasicLogin login =
              AuthorizationHeader.basic(header).orElseThrow(NotAuthenticatedException::new);
          Role role =
              credentials
                  .authenticate(login.user(), login.password())
                  .orElseThrow(NotAuthenticatedException::new);
          return new Operator(login.user(), role, "basic");
        });
  }

  /** The operator if the request carries any credentials; empty for an anonymous request. */
  Optional<Operator> authenticateIfPresent(ContainerRequestContext request) {
    boolean anonymous =
        AuthorizationHeader.of(request) == null
            && (sessions.isEmpty() || AuthorizationHeader.sessionCookie(request).isEmpty());
    return anonymous ? Optional.empty() : Optional.of(authenticate(request));
  }
}
