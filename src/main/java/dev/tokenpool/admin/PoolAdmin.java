package dev.tokenpool.admin;

import dev.tokenpool.jobs.TokenExpiry;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.tokens.TokenService;

/** {@link PoolMXBean} over the token service. */
final class PoolAdmin implements PoolMXBean {

  private final TokenService tokens;
  private final TokenExpiry expiry;
  private final AuditLog audit;

  PoolAdmin(TokenService tokens, TokenExpiry expiry, AuditLog audit) {
    this.tokens = tokens;
    this.expiry = expiry;
    this.audit = audit;
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
