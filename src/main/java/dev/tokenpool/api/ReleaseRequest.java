package dev.tokenpool.api;

/**
 * Optional body of {@code POST /api/tokens/{tokenId}/release}: the user whose holding is to end (a
 * service must name it) and the holding's {@code fence} (when given, only that holding ends).
 */
public record ReleaseRequest(String userId, Long fence) {}
