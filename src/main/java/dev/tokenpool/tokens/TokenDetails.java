package dev.tokenpool.tokens;

/** A token and how many usages it has had in all. */
public record TokenDetails(TokenView token, long usageCount) {}
