package dev.tokenpool.api;

/**
 * Body of {@code POST /api/tokens/{tokenId}/renew}: the holding's {@code fence} (required) and the
 * {@code lease} to renew for (ISO-8601 duration; the pool's default lease when absent).
 */
public record RenewRequest(Long fence, String lease) {}
