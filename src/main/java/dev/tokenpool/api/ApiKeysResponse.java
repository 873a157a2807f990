package dev.tokenpool.api;

import java.util.List;

/** Every API key, oldest first, without secrets. */
public record ApiKeysResponse(List<ApiKeyResponse> apiKeys) {}
