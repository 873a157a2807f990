package dev.tokenpool.api;

/**
 * Body of {@code POST /api/admin/api-keys}; fields stay text so errors can name them.
 *
 * @param scope {@code tokens}, {@code tokens:any-user} or {@code tokens:admin}
 * @param expiresAt optional, an RFC 3339 instant in the future
 */
public record ApiKeyRequest(String name, String scope, String expiresAt) {}
