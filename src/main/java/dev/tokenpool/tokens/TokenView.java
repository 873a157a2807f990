package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * A token as seen at one moment; holder fields (and the holding's {@code fence}) are null while it
 * is available.
 */
public record TokenView(
    UUID tokenId,
    TokenState state,
    String currentUserId,
    Long fence,
    Instant activatedAt,
    Instant expiresAt) {}
