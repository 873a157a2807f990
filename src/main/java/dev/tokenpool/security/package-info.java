/**
 * Who a client of the token API is and what it may do: bearer tokens from the organisation's OpenID
 * provider, API keys kept in the database, per-client rate limits and the audit log.
 */
package dev.tokenpool.security;
