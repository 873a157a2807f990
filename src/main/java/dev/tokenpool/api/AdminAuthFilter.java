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
import jakarta.ws.rs.core.PathSegment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * HTTP Basic authentication for everything under {@code /api/admin}, before routing, so that an
 * unknown admin path is not revealed to strangers either: no or wrong credentials get 401 with a
 * challenge, the read-only monitor gets 403 on anything but a read, and a change without a JSON
 * content type or an {@code X-Requested-With} header gets 403 or 415. Credentials are never logged.
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
    if (isAdminPath(request)) {
      authorize(request, credentials);
    }
  }

  /**
   * Whether the request is under {@code /api/admin}, judged on the decoded path segments without
   * their matrix parameters: {@code /api/admin;x=1/jobs} and {@code /api/admin%2Fjobs} are admin
   * paths too.
   */
  static boolean isAdminPath(ContainerRequestContext request) {
    String path =
        request.getUriInfo().getPathSegments(true).stream()
            .map(PathSegment::getPath)
            .filter(segment -> !segment.isEmpty())
            .collect(Collectors.joining("/"));
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /**
   * Lets the request through only with admin credentials, or monitor ones for a read, and a change
   * only if no cross-site form could have sent it ({@link CrossSiteRequestGuard}). The operator
   * becomes the request's {@link jakarta.ws.rs.core.SecurityContext}.
   */
  static void authorize(ContainerRequestContext request, Credentials credentials) {
    String[] login =
        basic(request.getHeaderString(HttpHeaders.AUTHORIZATION))
            .orElseThrow(NotAuthenticatedException::new);
    Role role =
        credentials.authenticate(login[0], login[1]).orElseThrow(NotAuthenticatedException::new);
    boolean read =
        HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
    if (role == Role.MONITOR && !read) {
      throw new NotPermittedException();
    }
    CrossSiteRequestGuard.check(request);
    request.setSecurityContext(
        new OperatorSecurityContext(
            login[0], role, "https".equals(request.getUriInfo().getRequestUri().getScheme())));
  }

  /** {user, password} from a Basic header, or empty if there is none or it is malformed. */
  private static Optional<String[]> basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
