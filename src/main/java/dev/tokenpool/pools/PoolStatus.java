package dev.tokenpool.pools;

import dev.tokenpool.tokens.PoolCounts;

/** A pool's definition and its counts at one moment. */
public record PoolStatus(PoolDefinition definition, PoolCounts counts) {}
