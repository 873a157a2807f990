package dev.tokenpool.api;

import java.util.List;
import java.util.UUID;

/** A page of a token's usages, newest first. */
public record HistoryResponse(UUID tokenId, List<UsageResponse> history, String next) {}
