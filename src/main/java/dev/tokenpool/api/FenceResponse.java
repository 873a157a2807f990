package dev.tokenpool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tokenpool.tokens.FenceStatus;
import dev.tokenpool.tokens.HoldingEnd;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Whether a fence is its token's current holding now; for a holding of this token, its user and
 * expiry, and how it ended when it has ({@code end_reason}, {@code ended_at}, {@code ended_by},
 * {@code evicted_by}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FenceResponse(
    UUID tokenId,
    long fence,
    boolean current,
    String userId,
    Instant expiresAt,
    String endReason,
    Instant endedAt,
    String endedBy,
    Long evictedBy) {

  static FenceResponse of(FenceStatus status) {
    HoldingEnd end = status.end().orElse(null);
    return new FenceResponse(
        status.tokenId(),
        status.fence(),
        status.current(),
        status.userId().orElse(null),
        status.expiresAt().orElse(null),
        end == null ? null : end.reason().name().toLowerCase(Locale.ROOT),
        end == null ? null : end.at(),
        end == null ? null : end.by(),
        end == null ? null : end.evictedBy());
  }

  /** Only whether the fence is current, for a client that may not see another user's holding. */
  FenceResponse currentOnly() {
    return new FenceResponse(tokenId, fence, current, null, null, null, null, null, null);
  }
}
