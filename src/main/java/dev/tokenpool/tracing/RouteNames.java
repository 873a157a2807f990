package dev.tokenpool.tracing;

import dev.tokenpool.api.HttpMetricsFilter;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Names the request's server span by the route template Jersey matched, {@code POST
 * /api/pools/{pool}/tokens/activate}, and sets {@code http.route}: low-cardinality names that group
 * every request of one endpoint. Jersey's request properties are the servlet request's attributes,
 * where {@link ServerSpans} left the span.
 */
final class RouteNames implements ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(request.getProperty(ServerSpans.SPAN) instanceof Span span)) {
      return;
    }
    HttpMetricsFilter.routeTemplate(request.getUriInfo())
        .ifPresent(
            route -> {
              span.updateName(request.getMethod() + " " + route);
              span.setAttribute(SpanAttributes.HTTP_ROUTE, route);
            });
  }
}
