-- Fewer indexes on the hot path (docs/performance.md): every activation and every expired usage
-- changes each index of tokens and usages that holds a holder column, and that index maintenance
-- is most of the database's work per change.
--  * Activations and the expiry pass find tokens through ix_tokens_expires alone (free tokens, with
--    a NULL expiry, sort first; then expired ones; then active ones by expiry) and lock them by
--    primary key: the indexes on the free flag and on the activation time are no longer read.
--  * The foreign key from a token's holder to its open usage now lists the user first, so its own
--    index also finds the token a user holds, and ix_tokens_holder is that index. The guarantee is
--    the same: (user, token, usage) of a held token must be an open usage's.
--  * Nothing reads usages by ended_by_run but reports, which can afford a scan.
DROP INDEX ix_tokens_free ON tokens;
DROP INDEX ix_tokens_activated ON tokens;
ALTER TABLE tokens DROP FOREIGN KEY fk_tokens_current_usage;
DROP INDEX fk_tokens_current_usage ON tokens;
DROP INDEX ix_tokens_holder ON tokens;
ALTER TABLE usages DROP INDEX uq_usages_open_holder;
ALTER TABLE usages ADD CONSTRAINT uq_usages_open_holder UNIQUE (open_user_id, open_token_id, id);
CREATE INDEX ix_tokens_holder ON tokens (current_user_id, id, current_usage_id);
ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_user_id, id, current_usage_id)
            REFERENCES usages (open_user_id, open_token_id, id);
DROP INDEX ix_usages_ended_by_run ON usages;
