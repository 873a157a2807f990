package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * One holding in the history; {@code endedAt} and {@code endReason} are null while open. {@code
 * endedBy} is the client that released or cleared it; {@code evictedBy} the fence of the holding
 * that evicted it; {@code poolId} the pool of its token.
 */
public record UsageView(
    long fence,
    UUID tokenId,
    String userId,
    Instant startedAt,
    Instant expiresAt,
    Instant endedAt,
    EndReason endReason,
    int renewals,
    Instant lastRenewedAt,
    String endedBy,
    Long evictedBy,
    int poolId) {}
