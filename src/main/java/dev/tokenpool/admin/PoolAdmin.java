package dev.tokenpool.admin;

import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.TokenExpiry;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.WaitingRoom;
import java.util.function.Supplier;

/** {@link PoolMXBean} over the token service. */
final class PoolAdmin implements PoolMXBean {

  private final Supplier<TokenService> defaultPool;
  private final WaitingRoom waitingRoom;
  private final EventRelay events;
  private final TokenExpiry expiry;
  private final AuditLog audit;

  PoolAdmin(
      Supplier<TokenService> defaultPool,
      WaitingRoom waitingRoom,
      EventRelay events,
      TokenExpiry expiry,
      AuditLog audit) {
    this.defaultPool = defaultPool;
    this.waitingRoom = waitingRoom;
    this.events = events;
    this.expiry = expiry;
    this.audit = audit;
  }

  @Override
  public long getWaiters() {
    return waitingRoom.waitingInCluster();
  }

  @Override
  public int getWaitersHere() {
    return waitingRoom.waitingHere();
  }

  @Override
  public String getMaxWait() {
    return waitingRoom.maxWait().toString();
  }

  @Override
  public int getEventSubscribers() {
    return events.subscribers();
  }

  @Override
  public String getEventRetention() {
    return events.retention().toString();
  }

  @Override
  public long getPoolSize() {
    return defaultPool.get().counts().size();
  }

  @Override
  public long getActiveCount() {
    return defaultPool.get().counts().active();
  }

  @Override
  public long getAvailableCount() {
    return defaultPool.get().counts().available();
  }

  @Override
  public String getTokenLifetime() {
    return defaultPool.get().tokenLifetime().toString();
  }

  @Override
  public String getLeaseMin() {
    return defaultPool.get().leases().leaseMin().toString();
  }

  @Override
  public String getLeaseMax() {
    return defaultPool.get().leases().leaseMax().toString();
  }

  @Override
  public String getMaxHold() {
    return defaultPool.get().leases().maxHold().toString();
  }

  @Override
  public int releaseExpiredNow() {
    return expiry.releaseExpiredNow();
  }

  @Override
  public int clearActive() {
    int cleared = defaultPool.get().clearActive("jmx");
    audit.record("tokens-clear", "jmx", "jmx", "cleared", cleared);
    return cleared;
  }
}
