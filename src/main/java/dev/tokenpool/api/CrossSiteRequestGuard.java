package dev.tokenpool.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Refuses admin changes that a page on another site could make a browser send. A browser that has
 * cached the Basic login sends it with a cross-site HTML form too, but such a form can send neither
 * {@code Content-Type: application/json} nor a custom header without a CORS preflight, which this
 * API never grants. So a change needs one of the two.
 */
final class CrossSiteRequestGuard {

  static final String REQUESTED_WITH = "X-Requested-With";

  private CrossSiteRequestGuard() {}

  static void check(ContainerRequestContext request) {
    String method = request.getMethod();
    if (HttpMethod.GET.equals(method)
        || HttpMethod.HEAD.equals(method)
        || HttpMethod.OPTIONS.equals(method)) {
      return;
    }
    String requestedWith = request.getHeaderString(REQUESTED_WITH);
    if (requestedWith != null && !requestedWith.isBlank()) {
      return;
    }
    String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || contentType.isBlank()) {
      throw new NotPermittedException(
          "Admin changes need Content-Type: application/json or an X-Requested-With header,"
              + " which a form on another site cannot send");
    }
    if (!isJson(contentType)) {
      throw new NotSupportedException("Admin changes take Content-Type: application/json");
    }
  }

  private static boolean isJson(String contentType) {
    try {
      return MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType))
          && !MediaType.valueOf(contentType).isWildcardType()
          && !MediaType.valueOf(contentType).isWildcardSubtype();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
