package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether a fence is the token's current holding now; with the holding's user and times when it is
 * a holding of this token, and how it ended when it has.
 */
public record FenceStatus(
    UUID tokenId,
    long fence,
    boolean current,
    Optional<String> userId,
    Optional<Instant> expiresAt,
    Optional<HoldingEnd> end) {}
