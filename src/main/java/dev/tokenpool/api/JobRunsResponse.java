package dev.tokenpool.api;

import java.util.List;

/** Job runs, newest first. */
public record JobRunsResponse(List<JobRunResponse> runs) {}
