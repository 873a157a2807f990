-- Fewer indexes on the hot path (keep in step with the MySQL migration, which explains each
-- change): candidates come from ix_tokens_expires alone; the foreign key from a token's holder to
-- its open usage lists the user first, so that its index finds a user's token; usages are not
-- read by ended_by_run.
DROP INDEX ix_tokens_free;
DROP INDEX ix_tokens_activated;
ALTER TABLE tokens DROP CONSTRAINT fk_tokens_current_usage;
DROP INDEX ix_tokens_holder;
ALTER TABLE usages DROP CONSTRAINT uq_usages_open_holder;
ALTER TABLE usages ADD CONSTRAINT uq_usages_open_holder UNIQUE (open_user_id, open_token_id, id);
CREATE INDEX ix_tokens_holder ON tokens (current_user_id, id, current_usage_id);
ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_user_id, id, current_usage_id)
            REFERENCES usages (open_user_id, open_token_id, id);
DROP INDEX ix_usages_ended_by_run;
