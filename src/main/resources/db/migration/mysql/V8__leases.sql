-- Leases (issue 18): a holding may be renewed, and its end says who or what ended it.
--  * renewals / last_renewed_at: how often the holder renewed, and when it last did (0 / NULL if
--    never); a renewal moves expires_at of the usage and of its token together.
--  * ended_by: the client that released or cleared the holding (NULL for an expiry or an eviction).
--  * evicted_by: for an evicted holding, the fence (usage id) of the holding that took its token.
--  * ix_usages_user_history: a user's holdings across tokens, newest first
--    (GET /api/users/{userId}/usages).
ALTER TABLE usages
    ADD COLUMN renewals        INT          NOT NULL DEFAULT 0,
    ADD COLUMN last_renewed_at BIGINT       NULL,
    ADD COLUMN ended_by        VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD COLUMN evicted_by      BIGINT       NULL;
CREATE INDEX ix_usages_user_history ON usages (user_id, id);
