package dev.tokenpool.api;

import java.time.Instant;

/** A node's draining: {@code since} is null while it is in rotation. */
public record DrainResponse(String nodeId, boolean draining, Instant since) {}
