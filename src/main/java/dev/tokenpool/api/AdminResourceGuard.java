package dev.tokenpool.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * A second lock on the operator surface: whatever path reached {@link AdminResource}, {@link
 * JobRunsResource} or {@link MetricsResource}, the request must carry operator credentials. {@link
 * AdminAuthFilter} checks paths before routing (so unknown admin paths answer 401 too); this checks
 * the route itself after it, so no spelling of a path can slip past both.
 */
public final class AdminResourceGuard implements DynamicFeature {

  private final OperatorAuthentication operators;

  AdminResourceGuard(OperatorAuthentication operators) {
    this.operators = operators;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    Class<?> type = resource.getResourceClass();
    if (type == AdminResource.class
        || type == PoolsAdminResource.class
        || type == JobRunsResource.class
        || type == MetricsResource.class) {
      context.register(new Guard(operators));
    }
  }

  @Priority(Priorities.AUTHENTICATION)
  private static final class Guard implements ContainerRequestFilter {
    private final OperatorAuthentication operators;

    Guard(OperatorAuthentication operators) {
      this.operators = operators;
    }

    @Override
    public void filter(jakarta.ws.rs.container.ContainerRequestContext request) {
      if (!(request.getSecurityContext() instanceof OperatorSecurityContext)) {
        AdminAuthFilter.authorize(request, operators);
      }
    }
  }
}
