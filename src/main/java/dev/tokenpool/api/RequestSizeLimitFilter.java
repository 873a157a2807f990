package dev.tokenpool.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses request bodies above {@link #MAX_BODY_BYTES} with 413 before anything parses them:
 * by the declared length at once, and for chunked bodies by reading at most one byte past it.
 */
@PreMatching
public final class RequestSizeLimitFilter implements ContainerRequestFilter {

  public static final int MAX_BODY_BYTES = 64 * 1024;

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    int declared = request.getLength();
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

  private static WebApplicationException tooLarge() {
    return new WebApplicationException(
        "Request body larger than " + MAX_BODY_BYTES + " bytes",
        Response.Status.REQUEST_ENTITY_TOO_LARGE);
  }

}
