package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * The token a user now holds. {@code evictedUserId} names the user whose token was taken to make
 * room, or is null.
 */
public record Activation(
    UUID tokenId, String userId, Instant activatedAt, Instant expiresAt, String evictedUserId) {}
