package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/** A usage that a release request ended. */
public record ReleasedUsage(
    UUID tokenId,
    String userId,
    long fence,
    Instant startedAt,
    Instant expiresAt,
    Instant endedAt,
    EndReason endReason) {}
