package dev.tokenpool.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this node is leaving its balancer's rotation: from {@link #start} on, {@code
 * /health/ready} answers 503 so that balancers send new requests elsewhere, while the node goes on
 * serving every request that still reaches it. An operator starts it before stopping the node
 * ({@code POST /api/admin/drain}, {@code deploy/drain.sh} in a unit's {@code ExecStop}, a
 * Kubernetes {@code preStop}), and the node itself when its application is undeployed.
 */
public final class Draining {

  private final Clock clock;
  private final AtomicReference<Instant> since = new AtomicReference<>();

  public Draining(Clock clock) {
    this.clock = clock;
  }

  /** Starts draining (again: keeps the first start); when it started. */
  public Instant start() {
    since.compareAndSet(null, clock.instant());
    return since.get();
  }

  /** Back in rotation. */
  public void stop() {
    since.set(null);
  }

  /** Since when this node drains, if it does. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since.get());
  }
}
