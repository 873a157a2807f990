package dev.tokenpool.testing;

import dev.tokenpool.events.Event;
import dev.tokenpool.events.EventRelay;
import java.util.List;

/** A stream of a node's event relay that records what it is sent, and when. */
public final class RecordingStream implements EventRelay.Sink {

  /** An event as it arrived: {@code arrivedAt} in epoch milliseconds of this JVM's clock. */
  public record Arrival(Event event, long arrivedAt) {}

  // Appended to by the relay's writers; a copy-on-write list would copy itself on every event.
  public final List<Arrival> arrivals =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  public volatile boolean closed;
  public final java.util.concurrent.atomic.AtomicInteger gaps =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public boolean send(Event event) {
    arrivals.add(new Arrival(event, System.currentTimeMillis()));
    return !closed;
  }

  @Override
  public boolean heartbeat() {
    return !closed;
  }

  @Override
  public boolean gap(long lastEventId, long oldest) {
    gaps.incrementAndGet();
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  public List<Event> events() {
    synchronized (arrivals) {
      return arrivals.stream().map(Arrival::event).toList();
    }
  }
}
