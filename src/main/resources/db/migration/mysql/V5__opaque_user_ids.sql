-- User ids become opaque strings of 1 to 255 characters (issue 16): identity providers' subjects
-- are not UUIDs ("auth0|5f7c...", Entra's base64 object ids). Existing UUIDs stay as they are.
-- Binary collation: ids compare exactly, so "Alice" and "alice" are two users, as their provider
-- says. (utf8mb4_bin pads with spaces on MariaDB 10.x, so the API refuses ids with leading or
-- trailing white space: no two accepted ids compare equal here.) The foreign key from a token's
-- holder to its open usage is dropped while its columns change type, and restored unchanged.
ALTER TABLE tokens DROP FOREIGN KEY fk_tokens_current_usage;
ALTER TABLE tokens
    MODIFY current_user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
ALTER TABLE usages
    MODIFY user_id      VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    MODIFY open_user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_user_id, id, current_usage_id)
            REFERENCES usages (open_user_id, open_token_id, id);
