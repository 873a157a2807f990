package dev.tokenpool.tokens;

import dev.tokenpool.persistence.EpochMillis;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One holding of a token by a user, kept forever as history. While open, {@code open_token_id} and
 * {@code open_user_id} carry unique keys, so the database itself refuses a second open usage of a
 * token or of a user; ending the usage clears them exactly once.
 */
@Entity
@Table(name = "usages")
public class Usage {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "id")
  private Long id;

  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "token_id", length = 36, nullable = false)
  private UUID tokenId;

  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "user_id", length = 255, nullable = false)
  private String userId;

  @Convert(converter = EpochMillis.class)
  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  @Convert(converter = EpochMillis.class)
  @Column(name = "ended_at")
  private Instant endedAt;

  @Enumerated(EnumType.STRING)
  @Column(name = "end_reason", length = 16)
  private EndReason endReason;

  @Column(name = "ended_by_run", length = 120)
  private String endedByRun;

  @Column(name = "renewals", nullable = false)
  private int renewals;

  @Convert(converter = EpochMillis.class)
  @Column(name = "last_renewed_at")
  private Instant lastRenewedAt;

  @Column(name = "ended_by", length = 255)
  private String endedBy;

  @Column(name = "evicted_by")
  private Long evictedBy;

  /** The pool the usage's token belongs to. */
  @Column(name = "pool_id", nullable = false)
  private int poolId = PoolIds.DEFAULT;

  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "open_token_id", length = 36)
  private UUID openTokenId;

  @JdbcTypeCode(SqlTypes.CHAR)
  @Column(name = "open_user_id", length = 255)
  private String openUserId;

  protected Usage() {}

  /** A new, open usage. */
  Usage(UUID tokenId, String userId, Instant startedAt, Instant expiresAt) {
    this.tokenId = tokenId;
    this.userId = userId;
    this.startedAt = startedAt;
    this.expiresAt = expiresAt;
    this.openTokenId = tokenId;
    this.openUserId = userId;
  }

  Long id() {
    return id;
  }

  UsageView view() {
    return new UsageView(
        id,
        tokenId,
        userId,
        startedAt,
        expiresAt,
        endedAt,
        endReason,
        renewals,
        lastRenewedAt,
        endedBy,
        evictedBy,
        poolId);
  }
}
