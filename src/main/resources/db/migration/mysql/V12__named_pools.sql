-- Named pools (issue 19): one deployment serves many pools, each with its own size and leases,
-- created, resized and deleted at runtime by operators. What this adds to the invariants:
--  * a user holds at most one token per pool: the open usage's unique key is (user, pool), and a
--    CHECK ties usages.open_pool_id to usages.pool_id while the usage is open;
--  * a held token's usage belongs to the token's own pool: the holder foreign key now carries the
--    pool on both sides, so no usage can be filed under another pool than its token's;
--  * a token never changes pool (pool_id), and leaves its pool's live tokens for good when it
--    retires (live_pool_id becomes NULL): retired tokens keep their rows, so their history stays
--    readable by their id, but no activation finds them (candidates come from live_pool_id);
--  * the slots 1..size of a pool are its live tokens: unique per live pool, free again for a pool
--    that grows after a shrink (a retired token's slot no longer counts).
-- The pool named default (id 1) is today's single pool: /api/tokens serves it unchanged.
CREATE TABLE pools (
    id               INT          NOT NULL AUTO_INCREMENT,
    name             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    live_name        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
    size             INT          NOT NULL,
    lease_default_ms BIGINT       NOT NULL,
    lease_max_ms     BIGINT       NOT NULL,
    max_hold_ms      BIGINT       NOT NULL,
    on_full_default  VARCHAR(8)   NOT NULL,
    set_by           VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    deleted_at       BIGINT       NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_pools_live_name UNIQUE (live_name),
    CONSTRAINT ck_pools_size CHECK (size >= 0),
    CONSTRAINT ck_pools_on_full CHECK (on_full_default IN ('evict', 'fail', 'wait')),
    CONSTRAINT ck_pools_leases CHECK (
        lease_default_ms > 0 AND lease_max_ms >= lease_default_ms AND max_hold_ms >= lease_max_ms),
    CONSTRAINT ck_pools_deleted CHECK (
        (deleted_at IS NULL AND live_name = name)
        OR (deleted_at IS NOT NULL AND live_name IS NULL))
) ENGINE = InnoDB;

-- The default pool as today's settings made it; the first node to start on V12 writes its
-- settings over these values (set_by NULL: the settings decide until an operator changes it).
INSERT INTO pools (id, name, live_name, size, lease_default_ms, lease_max_ms, max_hold_ms,
                   on_full_default, set_by, created_at, updated_at)
    SELECT 1, 'default', 'default', COUNT(*), 120000, 1200000, 3600000, 'evict', NULL,
           CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED), CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)
    FROM tokens;

-- Tokens: their pool, and whether they are still live in it.
ALTER TABLE tokens DROP FOREIGN KEY fk_tokens_current_usage;
DROP INDEX ix_tokens_holder ON tokens;
ALTER TABLE tokens
    ADD COLUMN pool_id INT NOT NULL DEFAULT 1,
    ADD COLUMN live_pool_id INT NULL;
UPDATE tokens SET live_pool_id = pool_id;
ALTER TABLE tokens ALTER pool_id DROP DEFAULT;
ALTER TABLE tokens DROP INDEX uq_tokens_slot;
ALTER TABLE tokens ADD CONSTRAINT uq_tokens_live_slot UNIQUE (live_pool_id, slot);
ALTER TABLE tokens ADD CONSTRAINT ck_tokens_live CHECK (live_pool_id IS NULL OR live_pool_id = pool_id);
-- Never changed by a holding: the foreign key's index, a pool's retiring tokens.
CREATE INDEX ix_tokens_pool ON tokens (pool_id, live_pool_id, id);
ALTER TABLE tokens ADD CONSTRAINT fk_tokens_pool FOREIGN KEY (pool_id) REFERENCES pools (id);
-- The candidates of an activation, within its pool: free first, then by expiry.
CREATE INDEX ix_tokens_candidates ON tokens (live_pool_id, expires_at, slot);
-- The expiry pass, across every pool, proportional to what it ends.
DROP INDEX ix_tokens_expires ON tokens;
CREATE INDEX ix_tokens_expires ON tokens (expires_at, id);

-- Usages: the pool they were held in (kept for ever), and the pool's share of the open keys.
ALTER TABLE usages
    ADD COLUMN pool_id INT NOT NULL DEFAULT 1,
    ADD COLUMN open_pool_id INT NULL;
UPDATE usages SET open_pool_id = pool_id WHERE ended_at IS NULL;
ALTER TABLE usages ALTER pool_id DROP DEFAULT;
ALTER TABLE usages DROP CONSTRAINT ck_usages_open;
ALTER TABLE usages ADD CONSTRAINT ck_usages_open CHECK (
    (ended_at IS NULL AND end_reason IS NULL
        AND open_token_id = token_id AND open_user_id = user_id AND open_pool_id = pool_id)
    OR (ended_at IS NOT NULL AND end_reason IS NOT NULL
        AND open_token_id IS NULL AND open_user_id IS NULL AND open_pool_id IS NULL));
ALTER TABLE usages DROP INDEX uq_usages_open_user;
ALTER TABLE usages ADD CONSTRAINT uq_usages_open_user UNIQUE (open_user_id, open_pool_id);
ALTER TABLE usages DROP INDEX uq_usages_open_holder;
ALTER TABLE usages ADD CONSTRAINT uq_usages_open_holder UNIQUE (open_user_id, open_token_id, id, open_pool_id);
CREATE INDEX ix_tokens_holder ON tokens (current_user_id, id, current_usage_id, pool_id);
ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_user_id, id, current_usage_id, pool_id)
            REFERENCES usages (open_user_id, open_token_id, id, open_pool_id);

-- Waiters wait for a token of one pool, and are served in arrival order within it.
ALTER TABLE waiters ADD COLUMN pool_id INT NOT NULL DEFAULT 1;
ALTER TABLE waiters ALTER pool_id DROP DEFAULT;
DROP INDEX ix_waiters_queue ON waiters;
CREATE INDEX ix_waiters_queue ON waiters (pool_id, state, id);

-- Events name their pool, so that a stream can follow one pool.
ALTER TABLE events ADD COLUMN pool_id INT NOT NULL DEFAULT 1;
ALTER TABLE events ALTER pool_id DROP DEFAULT;

DROP TRIGGER trg_usages_opened_event;
DROP TRIGGER trg_usages_changed_event;
DELIMITER $$
CREATE TRIGGER trg_usages_opened_event AFTER INSERT ON usages FOR EACH ROW
BEGIN
    INSERT INTO events (at, type, pool_id, token_id, user_id, fence, expires_at)
        VALUES (NEW.started_at, 'activated', NEW.pool_id, NEW.token_id, NEW.user_id, NEW.id,
                NEW.expires_at);
END$$

CREATE TRIGGER trg_usages_changed_event AFTER UPDATE ON usages FOR EACH ROW
BEGIN
    IF OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NEW.end_reason <> 'EVICTED' THEN
        INSERT INTO events (at, type, pool_id, token_id, user_id, fence, ended_by)
            VALUES (NEW.ended_at, LOWER(NEW.end_reason), NEW.pool_id, NEW.token_id, NEW.user_id,
                    NEW.id, NEW.ended_by);
    ELSEIF OLD.evicted_by IS NULL AND NEW.evicted_by IS NOT NULL THEN
        INSERT INTO events (at, type, pool_id, token_id, user_id, fence, evicted_by)
            VALUES (NEW.ended_at, 'evicted', NEW.pool_id, NEW.token_id, NEW.user_id, NEW.id,
                    NEW.evicted_by);
    ELSEIF NEW.renewals > OLD.renewals THEN
        INSERT INTO events (at, type, pool_id, token_id, user_id, fence, expires_at)
            VALUES (NEW.last_renewed_at, 'renewed', NEW.pool_id, NEW.token_id, NEW.user_id,
                    NEW.id, NEW.expires_at);
    END IF;
END$$
DELIMITER ;

-- Credentials limited to pools: space-separated pool names; NULL for every pool.
ALTER TABLE api_keys ADD COLUMN pools VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE operator_sessions ADD COLUMN pools VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NULL;
