package dev.tokenpool.api;

import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.RateLimit;
import dev.tokenpool.security.TooManyRequestsException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Authentication and rate limiting of the client API ({@code /api/tokens}, {@code /api/users},
 * {@code /api/events}), before routing: a bearer credential (an API key or the provider's access
 * token) is required, checked, and counted against its client's rate limit; the {@code RateLimit}
 * headers of the IETF draft go on every answer. A {@link Guard} on each of their resources makes
 * sure no spelling of a path slips past.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class ClientAuthFilter implements ContainerRequestFilter, ContainerResponseFilter {

  static final String DECISION = ClientAuthFilter.class.getName() + ".decision";
  static final String RATE_LIMIT = "RateLimit";
  static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
  private static final String TOKENS = "api/tokens";
  private static final String POOLS = "api/pools";
  private static final String USERS = "api/users";
  private static final String EVENTS = "api/events";

  private final ClientAuthenticator authenticator;
  private final RateLimit rateLimit;
  private final LoginGuard guard;

  ClientAuthFilter(ClientAuthenticator authenticator, RateLimit rateLimit, LoginGuard guard) {
    this.authenticator = authenticator;
    this.rateLimit = rateLimit;
    this.guard = guard;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = AdminAuthFilter.path(request);
    if (path.equals(TOKENS)
        || path.startsWith(TOKENS + "/")
        || path.equals(POOLS)
        || path.startsWith(POOLS + "/")
        || path.equals(USERS)
        || path.startsWith(USERS + "/")
        || path.equals(EVENTS)
        || path.startsWith(EVENTS + "/")) {
      authenticate(request);
    }
  }

  void authenticate(ContainerRequestContext request) {
    if (request.getSecurityContext() instanceof ClientSecurityContext) {
      return;
    }
    Client client =
        guard.attempt(
            request,
            "bearer",
            () ->
                authenticator.authenticate(
                    AuthorizationHeader.bearer(AuthorizationHeader.of(request))
                        .orElseThrow(BearerTokenRequiredException::new)));
    RateLimit.Decision decision = rateLimit.acquire(client.rateKey());
    request.setProperty(DECISION, decision);
    if (!decision.allowed()) {
      throw new TooManyRequestsException(
          "This client has sent more requests than its rate allows; retry later",
          decision.resetSeconds(),
          decision);
    }
    AccessLogPrincipal.record(request, client.via(), client.name());
    request.setSecurityContext(
        new ClientSecurityContext(
            client, "https".equals(request.getUriInfo().getRequestUri().getScheme())));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(DECISION) instanceof RateLimit.Decision decision
        && !response.getHeaders().containsKey(RATE_LIMIT)) {
      response.getHeaders().putSingle(RATE_LIMIT_POLICY, decision.policyHeader());
      response.getHeaders().putSingle(RATE_LIMIT, decision.header());
    }
  }

  /** The second lock: a request that reached {@link TokensResource} is authenticated here. */
  static final class Binding implements DynamicFeature {
    private final ClientAuthFilter filter;

    Binding(ClientAuthFilter filter) {
      this.filter = filter;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
      if (resource.getResourceClass() == TokensResource.class
          || resource.getResourceClass() == PoolTokensResource.class
          || resource.getResourceClass() == UsersResource.class
          || resource.getResourceClass() == EventsResource.class) {
        context.register(new Guard(filter));
      }
    }
  }

  @Priority(Priorities.AUTHENTICATION)
  private static final class Guard implements ContainerRequestFilter {
    private final ClientAuthFilter filter;

    Guard(ClientAuthFilter filter) {
      this.filter = filter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      filter.authenticate(request);
    }
  }
}
