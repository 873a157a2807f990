package dev.tokenpool.pools;

import java.util.List;
import java.util.Optional;

/** A page of pools in name order, the name to continue after, and how many pools there are. */
public record PoolPage(List<PoolStatus> pools, Optional<String> nextAfter, long total) {}
