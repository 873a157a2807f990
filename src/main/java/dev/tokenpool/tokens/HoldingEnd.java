package dev.tokenpool.tokens;

import java.time.Instant;

/**
 * How a holding ended: why, when, the client that ended it (a release or a clear; null for an
 * expiry or an eviction) and, for an eviction, the fence of the holding that took the token.
 */
public record HoldingEnd(EndReason reason, Instant at, String by, Long evictedBy) {}
