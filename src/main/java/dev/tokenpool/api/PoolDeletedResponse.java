package dev.tokenpool.api;

/** A deleted pool, and the holdings its drain ended as CLEARED. */
public record PoolDeletedResponse(String name, boolean deleted, int cleared) {}
