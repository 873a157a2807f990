package dev.tokenpool.tokens;

/** A page of tokens with the pool-wide counts at the same moment. */
public record TokenListing(Page<TokenView> page, long activeCount, long availableCount) {}
