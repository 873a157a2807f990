package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tokenpool.events.Event;
import java.time.Instant;
import java.util.UUID;

/**
 * The data of one event of a stream (its SSE {@code id} and {@code event} name are the same {@code
 * id} and {@code type}). Members that do not apply to the type are left out. {@code pool}: the name
 * of the token's pool.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResponse(
    long id,
    String type,
    String pool,
    UUID tokenId,
    String userId,
    long fence,
    Instant at,
    Instant expiresAt,
    String endedBy,
    Long evictedBy) {

  static EventResponse of(Event event, String pool) {
    return new EventResponse(
        event.id(),
        event.type(),
        pool,
        event.tokenId(),
        event.userId(),
        event.fence(),
        event.at(),
        event.expiresAt(),
        event.endedBy(),
        event.evictedBy());
  }
}
