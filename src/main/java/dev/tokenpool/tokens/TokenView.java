package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/** A token as seen at one moment; holder fields are null while it is available. */
public record TokenView(
    UUID tokenId, TokenState state, String currentUserId, Instant activatedAt, Instant expiresAt) {}
