package dev.tokenpool.admin;

import dev.tokenpool.events.EventRelay;
import dev.tokenpool.jobs.TokenExpiry;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.TokenService;
import dev.tokenpool.tokens.WaitingRoom;

/** {@link PoolMXBean} over the token service. */
final class PoolAdmin implements PoolMXBean {

  private final TokenService tokens;
  private final WaitingRoom waitingRoom;
  private final EventRelay events;
  private final TokenExpiry expiry;
  private final AuditLog audit;

  PoolAdmin(
      TokenService tokens,
      WaitingRoom waitingRoom,
      EventRelay events,
      TokenExpiry expiry,
      AuditLog audit) {
    this.tokens = tokens;
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
    return tokens.counts().size();
  }

  @Override
  public long getActiveCount() {
    return tokens.counts().active();
  }

  @Override
  public long getAvailableCount() {
    return tokens.counts().available();
  }

  @Override
  public String getTokenLifetime() {
    return tokens.tokenLifetime().toString();
  }

  @Override
  public String getLeaseMin() {
    return tokens.leases().leaseMin().toString();
  }

  @Override
  public String getLeaseMax() {
    return tokens.leases().leaseMax().toString();
  }

  @Override
  public String getMaxHold() {
    return tokens.leases().maxHold().toString();
  }

  @Override
  public int releaseExpiredNow() {
    return expiry.releaseExpiredNow();
  }

  @Override
  public int clearActive() {
    int cleared = tokens.clearActive("jmx");
    audit.record("tokens-clear", "jmx", "jmx", "cleared", cleared);
    return cleared;
  }
}
