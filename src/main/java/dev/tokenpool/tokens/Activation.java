package dev.tokenpool.tokens;

import java.time.Instant;
import java.util.UUID;

/**
 * The token a user now holds. {@code fence} numbers the holding: a later holding of the token
 * always has a greater one. {@code holdUntil} is the latest renewals may take it. {@code
 * evictedUserId} names the user whose token was taken to make room, or is null.
 */
public record Activation(
    UUID tokenId,
    String userId,
    long fence,
    Instant activatedAt,
    Instant expiresAt,
    Instant holdUntil,
    String evictedUserId) {}
