package dev.tokenpool.api;

/**
 * Body of {@code POST /api/admin/pools} and {@code PATCH /api/admin/pools/{name}}; fields stay text
 * (or a JSON number for the size) so that errors can name them. A creation takes the node's lease
 * settings and {@code evict} for what it leaves out; a change keeps what it leaves out.
 *
 * @param leaseDefault ISO-8601 duration, the lease an activation gets when it asks for none
 * @param onFullDefault {@code evict}, {@code fail} or {@code wait}: what an activation that names
 *     no {@code on_full} does when the pool is full
 */
public record PoolRequest(
    String name,
    Object size,
    String leaseDefault,
    String leaseMax,
    String maxHold,
    String onFullDefault) {}
