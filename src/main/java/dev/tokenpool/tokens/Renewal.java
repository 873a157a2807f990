package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * A renewed holding: its new expiry, how often it was renewed, and the latest it may last ({@code
 * holdUntil}); {@code capped} when the lease asked for would have passed that.
 */
public record Renewal(
    UUID tokenId,
    String userId,
    long fence,
    Instant activatedAt,
    Instant expiresAt,
    int renewals,
    Instant holdUntil,
    boolean capped) {}
