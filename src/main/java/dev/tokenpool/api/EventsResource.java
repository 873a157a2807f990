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
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
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

  /** How long a client waits before reconnecting to a stream that ended. */
  static final long RECONNECT_MILLIS = 1_000;

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
    // Sent at once, so that the client has the answer's head before the first event.
    sink.send(
        sse.newEventBuilder().comment("tokenpool events").reconnectDelay(RECONNECT_MILLIS).build());
    relay.subscribe(filter, resumeAfter, new Stream(sink, sse));
  }

  /** A client's stream, written by the relay. */
  private record Stream(SseEventSink sink, Sse sse) implements EventRelay.Sink {

    @Override
    public boolean send(Event event) {
      return written(
          sse.newEventBuilder()
              .id(String.valueOf(event.id()))
              .name(event.type())
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(EventResponse.class, EventResponse.of(event))
              .build());
    }

    @Override
    public boolean heartbeat() {
      return written(sse.newEventBuilder().comment("heartbeat").build());
    }

    @Override
    public boolean gap(long lastEventId, long oldest) {
      return written(
          sse.newEventBuilder()
              .name("gap")
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(Map.class, Map.of("after", lastEventId, "missed_up_to", oldest))
              .build());
    }

    private boolean written(OutboundSseEvent event) {
      if (sink.isClosed()) {
        return false;
      }
      return !sink.send(event).toCompletableFuture().isCompletedExceptionally() && !sink.isClosed();
    }

    @Override
    public void close() {
      sink.close();
    }
  }
}
