package dev.tokenpool.api;

import dev.tokenpool.admin.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.PathSegment;
import java.util.stream.Collectors;

/**
 * Authentication of the operator surface, before routing, so that an unknown path there is not
 * revealed to strangers either: {@code /api/admin}, the run history {@code /api/jobs} and {@code
 * /metrics} need an operator ({@link OperatorAuthentication}); no or wrong credentials get 401 with
 * a challenge, the read-only monitor gets 403 on anything but a read (and its own console session),
 * and a change without a JSON content type or an {@code X-Requested-With} header gets 403 or 415.
 * {@code /health} takes credentials if sent (to show its details) and answers anonymous callers
 * with its status alone. Credentials are never logged.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {

  static final String REALM = "tokenpool-admin";
  private static final String ADMIN = "api/admin";
  private static final String SESSION = "api/admin/session";
  private static final String RUNS = "api/jobs";
  private static final String METRICS = "metrics";
  private static final String HEALTH = "health";

  private final OperatorAuthentication operators;

  AdminAuthFilter(OperatorAuthentication operators) {
    this.operators = operators;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = path(request);
    if (isOperatorPath(path)) {
      authorize(request, operators);
    } else if (path.equals(HEALTH)) {
      operators
          .authenticateIfPresent(request)
          .ifPresent(operator -> request.setSecurityContext(context(request, operator)));
    }
  }

  /**
   * The request's path as decoded segments without their matrix parameters: {@code
   * /api/admin;x=1/jobs} and {@code /api/admin%2Fjobs} are admin paths too.
   */
  static String path(ContainerRequestContext request) {
    return request.getUriInfo().getPathSegments(true).stream()
        .map(PathSegment::getPath)
        .filter(segment -> !segment.isEmpty())
        .collect(Collectors.joining("/"));
  }

  static boolean isOperatorPath(String path) {
    return within(path, ADMIN) || within(path, RUNS) || within(path, METRICS);
  }

  static boolean isAdminPath(ContainerRequestContext request) {
    return within(path(request), ADMIN);
  }

  private static boolean changesTheCluster(String path) {
    return within(path, ADMIN + "/jobs")
        || path.equals(ADMIN + "/expire-now")
        || path.equals(ADMIN + "/drain");
  }

  private static boolean within(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /**
   * Lets the request through only with admin credentials, or monitor ones for a read or its own
   * session, and a change only if no cross-site form could have sent it ({@link
   * CrossSiteRequestGuard}). The operator becomes the request's {@link
   * jakarta.ws.rs.core.SecurityContext}.
   */
  static void authorize(ContainerRequestContext request, OperatorAuthentication operators) {
    Operator operator = operators.authenticate(request);
    boolean read =
        HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
    if (operator.role() == Role.MONITOR && !read && !path(request).equals(SESSION)) {
      throw new NotPermittedException();
    }
    if (!operator.pools().isEmpty() && within(path(request), METRICS)) {
      // Every pool's numbers: for operators of every pool.
      throw new NotPermittedException(
          "An operator limited to the pools " + operator.pools() + " does not read /metrics");
    }
    if (!operator.pools().isEmpty() && !read && changesTheCluster(path(request))) {
      throw new NotPermittedException(
          "An operator limited to the pools "
              + operator.pools()
              + " does not change the cluster's jobs or nodes, which serve every pool");
    }
    if (operator.browserBorne()) {
      CrossSiteRequestGuard.check(request);
    }
    request.setSecurityContext(context(request, operator));
  }

  private static OperatorSecurityContext context(
      ContainerRequestContext request, Operator operator) {
    AccessLogPrincipal.record(request, operator.via(), operator.name());
    return new OperatorSecurityContext(
        operator, "https".equals(request.getUriInfo().getRequestUri().getScheme()));
  }
}
