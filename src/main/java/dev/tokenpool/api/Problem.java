package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code type} is a stable URI per kind of problem so that clients
 * can branch on it; {@code errorId} is set only for unexpected failures, to find them in the log.
 * {@code extensions} are the problem's extension members (RFC 9457, section 3.2), written beside
 * the standard ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String errorId,
    @JsonIgnore Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
  private static final String TYPE_BASE = "https://tokenpool.dev/problems/";

  public static Problem of(String kind, String title, int status, String detail) {
    return new Problem(TYPE_BASE + kind, title, status, detail, null, null, Map.of());
  }

  /** The same problem with one more extension member; a null value is left out. */
  Problem with(String member, Object value) {
    if (value == null) {
      return this;
    }
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(member, value);
    return new Problem(type, title, status, detail, instance, errorId, more);
  }

  @JsonAnyGetter
  Map<String, Object> extensionMembers() {
    return extensions;
  }

  Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errorId, extensions);
  }

  Problem withErrorId(String id) {
    return new Problem(type, title, status, detail, instance, id, extensions);
  }

  Response.ResponseBuilder toResponse() {
    return Response.status(status).type(MEDIA).entity(this);
  }
}
