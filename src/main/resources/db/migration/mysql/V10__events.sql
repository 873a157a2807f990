-- What happened to holdings, for holders (issue 18, GET /api/events): one row per change of a
-- usage, written by triggers in the same transaction as the change, so an event exists exactly
-- when its change committed, whatever node or path made it (an activation, a renewal, a release,
-- a clear, an eviction, the expiry job's bulk updates), at no extra round trip for the node.
--  * id: the event's position, what a stream resumes from (Last-Event-ID). Ids are allocated
--    when a row is written and become visible at commit, so a reader waits briefly for a missing
--    id before passing it (docs/decisions.md, decision 67).
--  * at: when it happened (epoch ms, the database's clock): the start of a holding, its renewal,
--    its end (an expiry's is the expiry instant itself).
--  * evicted: written when the newcomer's fence is recorded (usages.evicted_by), in the same
--    transaction right after the newcomer's activated event.
-- Pruned past TOKENPOOL_EVENT_RETENTION by every node's relay.
CREATE TABLE events (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    at         BIGINT       NOT NULL,
    type       VARCHAR(16)  NOT NULL,
    token_id   CHAR(36)     NOT NULL,
    user_id    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    fence      BIGINT       NOT NULL,
    expires_at BIGINT       NULL,
    ended_by   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    evicted_by BIGINT       NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_events_type CHECK (
        type IN ('activated', 'renewed', 'released', 'expired', 'evicted', 'cleared'))
) ENGINE = InnoDB;

DELIMITER $$
CREATE TRIGGER trg_usages_opened_event AFTER INSERT ON usages FOR EACH ROW
BEGIN
    INSERT INTO events (at, type, token_id, user_id, fence, expires_at)
        VALUES (NEW.started_at, 'activated', NEW.token_id, NEW.user_id, NEW.id, NEW.expires_at);
END$$

CREATE TRIGGER trg_usages_changed_event AFTER UPDATE ON usages FOR EACH ROW
BEGIN
    IF OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NEW.end_reason <> 'EVICTED' THEN
        INSERT INTO events (at, type, token_id, user_id, fence, ended_by)
            VALUES (NEW.ended_at, LOWER(NEW.end_reason), NEW.token_id, NEW.user_id, NEW.id,
                    NEW.ended_by);
    ELSEIF OLD.evicted_by IS NULL AND NEW.evicted_by IS NOT NULL THEN
        INSERT INTO events (at, type, token_id, user_id, fence, evicted_by)
            VALUES (NEW.ended_at, 'evicted', NEW.token_id, NEW.user_id, NEW.id, NEW.evicted_by);
    ELSEIF NEW.renewals > OLD.renewals THEN
        INSERT INTO events (at, type, token_id, user_id, fence, expires_at)
            VALUES (NEW.last_renewed_at, 'renewed', NEW.token_id, NEW.user_id, NEW.id,
                    NEW.expires_at);
    END IF;
END$$
DELIMITER ;
