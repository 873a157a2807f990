package dev.tokenpool.api;

import java.util.List;

/** A page of tokens; {@code next} is the cursor of the following page, null on the last. */
public record TokenListResponse(
    List<TokenResponse> tokens, long activeCount, long availableCount, String next) {}
