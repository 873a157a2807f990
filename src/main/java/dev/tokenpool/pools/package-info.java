/**
 * Named pools as a resource: their definitions in the table {@code pools} ({@link PoolStore}),
 * created, changed, resized and deleted at runtime by operators ({@link PoolCatalogue}), and each
 * node's view of them, a {@link dev.tokenpool.tokens.TokenService} per pool refreshed within
 * seconds of a change made on any node ({@link PoolDirectory}).
 */
package dev.tokenpool.pools;
