package dev.tokenpool.api;

import java.util.List;

/**
 * Body of {@code POST /api/admin/api-keys}; fields stay text so errors can name them.
 *
 * @param scope {@code tokens}, {@code tokens:any-user} or {@code tokens:admin}
 * @param expiresAt optional, an RFC 3339 instant in the future
 * @param pools optional, the names of the pools the key may use; every pool when absent
 */
public record ApiKeyRequest(String name, String scope, String expiresAt, List<String> pools) {}
