package dev.tokenpool.api;

import dev.tokenpool.admin.Credentials;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * A second lock on the admin API: whatever path reached {@link AdminResource}, the request must
 * carry operator credentials. {@link AdminAuthFilter} checks paths before routing (so unknown admin
 * paths answer 401 too); this checks the route itself after it, so no spelling of a path can slip
 * past both.
 */
public final class AdminResourceGuard implements DynamicFeature {

  private final Credentials credentials;

  public AdminResourceGuard(Credentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    if (resource.getResourceClass() == AdminResource.class) {
      context.register(new Guard(credentials));
    }
  }

  @Priority(Priorities.AUTHENTICATION)
  private static final class Guard implements ContainerRequestFilter {
    private final Credentials credentials;

    Guard(Credentials credentials) {
      this.credentials = credentials;
    }

    @Override
    public void filter(jakarta.ws.rs.container.ContainerRequestContext request) {
      AdminAuthFilter.authorize(request, credentials);
    }
  }
}
