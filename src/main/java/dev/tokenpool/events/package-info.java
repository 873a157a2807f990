/**
 * Events of holdings for their holders (issue 18): read from the database's {@code events} table,
 * which triggers fill in the same transaction as each change, and relayed by every node to the
 * streams its clients hold open ({@code GET /api/events}).
 */
package dev.tokenpool.events;
