package dev.tokenpool.api;

/** Who is logged in to the admin API, and with which role (ADMIN or MONITOR). */
public record OperatorResponse(String user, String role) {}
