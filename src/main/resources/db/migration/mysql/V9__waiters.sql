-- Waiting activations (issue 18, "on_full": "wait"): one queue for the whole cluster. A waiter
-- waits on the node its request reached; whichever node serves the queue gives free tokens to
-- the waiters in arrival order, and the waiter's node answers its request.
--  * id: arrival order across every node (one AUTO_INCREMENT on the one writable server).
--  * state: WAITING until served (token_id .. expires_at then record the holding it was given).
--    A waiter is served only while WAITING, and its node gives up on it at its deadline by
--    deleting it only while WAITING: a waiter is served once, or not at all. Its node deletes a
--    served row once it has answered the request.
--  * seen_at: refreshed by the waiter's node while it lives. A waiter not seen for a while (its
--    node died) is passed over and removed, so that no token goes to a request nobody answers.
--  * deadline, seen_at and every other instant: epoch milliseconds by the database's clock.
CREATE TABLE waiters (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    user_id    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    node_id    VARCHAR(64)  NOT NULL,
    lease_ms   BIGINT       NOT NULL,
    arrived_at BIGINT       NOT NULL,
    deadline   BIGINT       NOT NULL,
    seen_at    BIGINT       NOT NULL,
    state      VARCHAR(16)  NOT NULL,
    token_id   CHAR(36)     NULL,
    fence      BIGINT       NULL,
    started_at BIGINT       NULL,
    expires_at BIGINT       NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_waiters_state CHECK (state IN ('WAITING', 'SERVED')),
    CONSTRAINT ck_waiters_served CHECK (
        (state = 'SERVED' AND token_id IS NOT NULL AND fence IS NOT NULL
            AND started_at IS NOT NULL AND expires_at IS NOT NULL)
        OR (state <> 'SERVED' AND token_id IS NULL AND fence IS NULL
            AND started_at IS NULL AND expires_at IS NULL)),
    CONSTRAINT ck_waiters_times CHECK (deadline > arrived_at AND lease_ms > 0)
) ENGINE = InnoDB;

CREATE INDEX ix_waiters_queue ON waiters (state, id);
CREATE INDEX ix_waiters_node ON waiters (node_id, state);
