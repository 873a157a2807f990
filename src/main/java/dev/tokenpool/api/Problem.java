package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document. {@code type} is a stable URI per kind of problem so that clients
 * can branch on it; {@code errorId} is set only for unexpected failures, to find them in the log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, String errorId) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
  private static final String TYPE_BASE = "https://tokenpool.dev/problems/";

  public static Problem of(String kind, String title, int status, String detail) {
    return new Problem(TYPE_BASE + kind, title, status, detail, null, null);
  }

  Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errorId);
  }

  Problem withErrorId(String id) {
    return new Problem(type, title, status, detail, instance, id);
  }

  Response.ResponseBuilder toResponse() {
    return Response.status(status).type(MEDIA).entity(this);
  }
}
