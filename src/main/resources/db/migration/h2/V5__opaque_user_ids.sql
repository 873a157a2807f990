-- User ids become opaque strings of 1 to 255 characters (keep in step with the MySQL migration,
-- which explains why). H2 compares VARCHAR exactly.
ALTER TABLE tokens DROP CONSTRAINT fk_tokens_current_usage;
ALTER TABLE tokens ALTER COLUMN current_user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE usages ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE usages ALTER COLUMN open_user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_user_id, id, current_usage_id)
            REFERENCES usages (open_user_id, open_token_id, id);
