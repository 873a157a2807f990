package dev.tokenpool.tokens;

/** The pool at one moment: its size, and how many tokens are active and available. */
public record PoolCounts(long size, long active, long available) {}
