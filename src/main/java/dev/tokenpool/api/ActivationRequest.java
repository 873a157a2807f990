package dev.tokenpool.api;

/** Body of {@code POST /api/tokens/activate}; fields stay text so errors can name them. */
public record ActivationRequest(String userId) {}
