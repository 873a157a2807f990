package dev.tokenpool.api;

import dev.tokenpool.events.Event;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.security.Client;
import dev.tokenpool.security.ClientRole;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /api/events}: a Server-Sent Events stream of what happens to holdings. A holder
 * receives the events of its own holdings; a service (which may act for any user) and an operator
 * receive everyone's, or those of the users named by {@code user_id}. A stream resumes after the
 * event named by {@code Last-Event-ID}, on any node, for as long as the events are retained.
 */
@Path("/api/events")
public final class EventsResource {

  private final EventRelay relay;

  public EventsResource(EventRelay relay) {
    this.relay = relay;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void subscribe(
      @Context SecurityContext security,
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @QueryParam("user_id") List<String> userIds) {
    Client client = ClientSecurityContext.clientOf(security);
    Optional<Long> resumeAfter =
        lastEventId == null || lastEventId.isBlank()
            ? Optional.empty()
            : Optional.of(RequestParameters.lastEventId(lastEventId.strip()));
    Set<String> users =
        Set.copyOf(userIds.stream().map(u -> RequestParameters.userId("user_id", u)).toList());
    if (client.role() == ClientRole.HOLDER) {
      if (!users.isEmpty() && !users.equals(Set.of(client.name()))) {
        throw new NotPermittedException("A holder receives the events of its own holdings only");
      }
      users = Set.of(client.name());
    }
    Set<String> only = users;
    Predicate<Event> filter =
        only.isEmpty() ? event -> true : event -> only.contains(event.userId());
    relay.subscribe(filter, resumeAfter, () -> EventStreamSink.open(sink, sse));
  }
}
