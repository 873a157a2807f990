package dev.tokenpool.api;

import java.util.List;

/** A page of pools in name order; {@code nextAfter} continues it, {@code total} counts them all. */
public record PoolsResponse(List<NamedPoolResponse> pools, long total, String nextAfter) {}
