package dev.tokenpool.tokens;

import dev.tokenpool.persistence.EpochMillis;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One token of the pool and who holds it now. The row is the lock that serialises every change to
 * the token; the holder columns mirror the token's open {@link Usage}, and the database checks that
 * they do (see V1 migration). A holder whose usage has passed its expiry no longer counts: such a
 * token is available even before anything has ended the usage (lazy expiry).
 */
@Entity
@Table(name = "tokens")
public class Token {

  @Id
  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "id", length = 36)
  private UUID id;

  @Column(name = "slot", nullable = false)
  private int slot;

  @Column(name = "current_usage_id")
  private Long currentUsageId;

  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "current_user_id", length = 255)
  private String currentUserId;

  @Convert(converter = EpochMillis.class)
  @Column(name = "activated_at")
  private Instant activatedAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "expires_at")
  private Instant expiresAt;

  /** The pool the token belongs to, for ever. */
  @Column(name = "pool_id", nullable = false)
  private int poolId;

  /** The pool again while the token is live in it; null once it retires (a pool shrank). */
  @Column(name = "live_pool_id")
  private Integer livePoolId;

  protected Token() {}

  Token(UUID id, int slot) {
    this(id, slot, PoolIds.DEFAULT);
  }

  Token(UUID id, int slot, int poolId) {
    this.id = id;
    this.slot = slot;
    this.poolId = poolId;
    this.livePoolId = poolId;
  }

  /** A token as a row read it. */
  static Token of(
      UUID id,
      int slot,
      Long currentUsageId,
      String currentUserId,
      Instant activatedAt,
      Instant expiresAt,
      int poolId,
      Integer livePoolId) {
    Token token = new Token(id, slot, poolId);
    token.livePoolId = livePoolId;
    token.currentUsageId = currentUsageId;
    token.currentUserId = currentUserId;
    token.activatedAt = activatedAt;
    token.expiresAt = expiresAt;
    return token;
  }

  public UUID id() {
    return id;
  }

  int slot() {
    return slot;
  }

  Long currentUsageId() {
    return currentUsageId;
  }

  String currentUserId() {
    return currentUserId;
  }

  Instant activatedAt() {
    return activatedAt;
  }

  Instant expiresAt() {
    return expiresAt;
  }

  int poolId() {
    return poolId;
  }

  /** Still one of its pool's tokens: retired tokens are never given out again. */
  boolean isLive() {
    return livePoolId != null;
  }

  boolean isHeld() {
    return currentUsageId != null;
  }

  /** Held by a usage that has not yet expired at {@code now}. */
  boolean isActiveAt(Instant now) {
    return isHeld() && expiresAt.isAfter(now);
  }

  /** Held by a usage that has expired at {@code now} but was not ended yet. */
  boolean isExpiredAt(Instant now) {
    return isHeld() && !expiresAt.isAfter(now);
  }

  TokenView viewAt(Instant now) {
    if (isActiveAt(now)) {
      return new TokenView(
          id, TokenState.ACTIVE, currentUserId, currentUsageId, activatedAt, expiresAt);
    }
    return new TokenView(id, TokenState.AVAILABLE, null, null, null, null);
  }
}
