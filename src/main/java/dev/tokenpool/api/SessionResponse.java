package dev.tokenpool.api;

import java.time.Instant;

/** The console session just opened: who, in which role, until when. */
public record SessionResponse(String user, String role, Instant expiresAt) {}
