package dev.tokenpool.api;

import dev.tokenpool.events.Event;
import dev.tokenpool.events.EventRelay;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A client's Server-Sent Events stream, written by the node's event relay: each event with its id
 * (what the client resumes from) and its type as the event's name, its data as JSON.
 */
final class EventStreamSink implements EventRelay.Sink {

  /** How long a client waits before reconnecting to a stream that ended. */
  static final long RECONNECT_MILLIS = 1_000;

  private final SseEventSink sink;
  private final Sse sse;
  private final IntFunction<String> poolNames;

  private EventStreamSink(SseEventSink sink, Sse sse, IntFunction<String> poolNames) {
    this.sink = sink;
    this.sse = sse;
    this.poolNames = poolNames;
  }

  /** The stream, opened: a first comment goes out at once, so the client has the answer's head. */
  static EventStreamSink open(SseEventSink sink, Sse sse, IntFunction<String> poolNames) {
    sink.send(
        sse.newEventBuilder().comment("tokenpool events").reconnectDelay(RECONNECT_MILLIS).build());
    return new EventStreamSink(sink, sse, poolNames);
  }

  @Override
  public boolean send(Event event) {
    return written(
        sse.newEventBuilder()
            .id(String.valueOf(event.id()))
            .name(event.type())
            .mediaType(MediaType.APPLICATION_JSON_TYPE)
            .data(EventResponse.class, EventResponse.of(event, poolNames.apply(event.poolId())))
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
