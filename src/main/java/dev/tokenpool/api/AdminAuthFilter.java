package dev.tokenpool.api;

import dev.tokenpool.admin.Credentials;
import dev.tokenpool.admin.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication for everything under {@code /api/admin}, before routing, so that an
 * unknown admin path is not revealed to strangers either: no or wrong credentials get 401 with a
 * challenge, the read-only monitor gets 403 on anything but a read. Credentials are never logged.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {

  static final String REALM = "tokenpool-admin";
  private static final String PREFIX = "api/admin";

  private final Credentials credentials;

  public AdminAuthFilter(Credentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(false);
    String normalised = path.startsWith("/") ? path.substring(1) : path;
    if (!normalised.equals(PREFIX) && !normalised.startsWith(PREFIX + "/")) {
      return;
    }
    Role role =
        basic(request.getHeaderString(HttpHeaders.AUTHORIZATION))
            .flatMap(login -> credentials.authenticate(login[0], login[1]))
            .orElseThrow(NotAuthenticatedException::new);
    boolean read =
        HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
    if (role == Role.MONITOR && !read) {
      throw new NotPermittedException();
    }
  }

  /** {user, password} from a Basic header, or empty if there is none or it is malformed. */
  private static Optional<String[]> basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
