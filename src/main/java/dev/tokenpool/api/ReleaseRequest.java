package dev.tokenpool.api;

/**
 * Optional body of {@code POST /api/tokens/{tokenId}/release}: the user whose holding is to end. A
 * service must name it, and the release happens only if that user holds the token.
 */
public record ReleaseRequest(String userId) {}
