package dev.tokenpool.tokens;

import java.time.Instant;

/** One entry of a token's history; {@code endedAt} and {@code endReason} are null while open. */
public record UsageView(
    String userId, Instant startedAt, Instant expiresAt, Instant endedAt, EndReason endReason) {}
