package dev.tokenpool.api;

import java.util.List;

/** A page of a user's holdings, newest first; {@code next} is the next page's cursor. */
public record UserUsagesResponse(String userId, List<UsageResponse> usages, String next) {}
