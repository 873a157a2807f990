package dev.tokenpool.api;

/** The body of {@code PUT /api/admin/jobs/{name}/schedule}: the new interval, ISO-8601. */
public record ScheduleRequest(String interval) {}
