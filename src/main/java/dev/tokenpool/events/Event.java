package dev.tokenpool.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One change of a holding: {@code type} is {@code activated}, {@code renewed}, {@code released},
 * {@code expired}, {@code evicted} or {@code cleared}. {@code expiresAt} comes with activated and
 * renewed, {@code endedBy} (the client) with released and cleared, {@code evictedBy} (the
 * newcomer's fence) with evicted; each is null otherwise. {@code poolId}: the pool of the token.
 */
public record Event(
    long id,
    Instant at,
    String type,
    UUID tokenId,
    String userId,
    long fence,
    Instant expiresAt,
    String endedBy,
    Long evictedBy,
    int poolId) {}
