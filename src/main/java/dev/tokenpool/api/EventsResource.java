package dev.tokenpool.api;

import dev.tokenpool.events.Event;
import dev.tokenpool.events.EventRelay;
import dev.tokenpool.pools.PoolDirectory;
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
 * event named by {@code Last-Event-ID}, on any node, for as long as the events are retained. With
 * {@code pool}, the events of that pool only; a client limited to some pools receives theirs only.
 */
@Path("/api/events")
public final class EventsResource {

  private final EventRelay relay;
  private final PoolDirectory pools;

  public EventsResource(EventRelay relay, PoolDirectory pools) {
    this.relay = relay;
    this.pools = pools;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void subscribe(
      @Context SecurityContext security,
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @QueryParam("user_id") List<String> userIds,
      @QueryParam("pool") String pool) {
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
    Predicate<Event> ofUsers =
        only.isEmpty() ? event -> true : event -> only.contains(event.userId());
    Predicate<Event> filter = ofUsers.and(ofPools(pools, client.pools(), pool));
    relay.subscribe(filter, resumeAfter, () -> EventStreamSink.open(sink, sse, pools::nameOf));
  }

  /**
   * The events of the pool asked for (every pool when none), within the pools a credential is
   * limited to (none: every pool). The pool asked for must exist and be one of those.
   */
  static Predicate<Event> ofPools(PoolDirectory pools, Set<String> allowed, String asked) {
    if (asked != null) {
      if (!allowed.isEmpty() && !allowed.contains(asked)) {
        throw new NotPermittedException("This credential may not follow the pool " + asked);
      }
      int id = pools.resolve(asked).definition().id();
      return event -> event.poolId() == id;
    }
    if (allowed.isEmpty()) {
      return event -> true;
    }
    // By name, read per event from the directory's cache: a pool created later with an allowed
    // name is followed too.
    return event -> allowed.contains(pools.nameOf(event.poolId()));
  }
}
