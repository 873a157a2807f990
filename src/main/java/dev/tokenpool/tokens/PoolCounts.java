package dev.tokenpool.tokens;

/**
 * The pool at one moment: its size (live tokens), how many are active and available, and how many
 * retired tokens are still held (a shrink waits for their holdings to end).
 */
public record PoolCounts(long size, long active, long available, long retiring) {}
