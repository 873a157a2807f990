package dev.tokenpool.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses request bodies above {@link #MAX_BODY_BYTES} with 413 before anything parses them: by the
 * declared length at once, and for chunked bodies by reading at most one byte past it.
 */
@PreMatching
public final class RequestSizeLimitFilter implements ContainerRequestFilter {

  public static final int MAX_BODY_BYTES = 64 * 1024;

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    long declared = declaredLength(request);
    if (declared > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    if (declared == -1 && request.hasEntity()) {
      byte[] body = request.getEntityStream().readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw tooLarge();
      }
      request.setEntityStream(new ByteArrayInputStream(body));
    }
  }

  /**
   * The declared length, or -1 when none is declared. Read here rather than through {@link
   * ContainerRequestContext#getLength()}, which fails on a valid length beyond the int range.
   */
  private static long declaredLength(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (header == null || header.isBlank()) {
      return -1;
    }
    String digits = header.trim();
    if (!digits.matches("[0-9]{1,30}")) {
      throw new WebApplicationException(
          "Content-Length is not a number of bytes", Response.Status.BAD_REQUEST);
    }
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  private static WebApplicationException tooLarge() {
    return new WebApplicationException(
        "Request body larger than " + MAX_BODY_BYTES + " bytes",
        Response.Status.REQUEST_ENTITY_TOO_LARGE);
  }
}
