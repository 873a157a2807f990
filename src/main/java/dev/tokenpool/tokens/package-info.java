/**
 * The token pool: tokens, their usages (history), and the rules for activating, evicting, expiring,
 * releasing and clearing them, enforced by the database under concurrency.
 */
package dev.tokenpool.tokens;
