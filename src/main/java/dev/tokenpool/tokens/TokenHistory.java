package dev.tokenpool.tokens;

import java.util.UUID;

/** A page of one token's usages, newest first. */
public record TokenHistory(UUID tokenId, Page<UsageView> page) {}
