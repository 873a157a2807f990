package dev.tokenpool.api;

import dev.tokenpool.admin.Credentials;
import dev.tokenpool.admin.OperatorSessions;
import dev.tokenpool.security.AuditLog;
import dev.tokenpool.security.ClientAuthenticator;
import dev.tokenpool.security.FailedLogins;
import dev.tokenpool.security.RateLimit;
import java.util.Optional;

/**
 * Everything the API needs to tell who is calling and how much they may ask.
 *
 * @param sessions the console's sessions; empty where no database serves them (in-memory tests)
 */
public record ApiSecurity(
    Credentials credentials,
    ClientAuthenticator clients,
    Optional<OperatorSessions> sessions,
    FailedLogins failedLogins,
    RateLimit rateLimit,
    AuditLog audit) {}
