-- Credentials that every node must agree on at once, so they live in the database (issue 16).
--  * api_keys: keys for services without an identity provider. Only a SHA-256 digest of the key
--    is stored (the key is 256 random bits, so a plain digest cannot be reversed by guessing); a
--    node finds a key by its digest. Deleting the row revokes the key on every node.
--  * operator_sessions: the console's logins, exchanged for an HttpOnly cookie; only the digest of
--    the cookie's value is stored, and logging out deletes the row on every node.
CREATE TABLE api_keys (
    id           CHAR(36)     NOT NULL,
    name         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    scope        VARCHAR(32)  NOT NULL,
    key_digest   CHAR(64)     NOT NULL,
    created_at   BIGINT       NOT NULL,
    created_by   VARCHAR(255) NOT NULL,
    expires_at   BIGINT       NULL,
    last_used_at BIGINT       NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_digest UNIQUE (key_digest),
    CONSTRAINT uq_api_keys_name UNIQUE (name),
    CONSTRAINT ck_api_keys_scope CHECK (scope IN ('HOLDER', 'SERVICE', 'OPERATOR')),
    CONSTRAINT ck_api_keys_expiry CHECK (expires_at IS NULL OR expires_at > created_at)
) ENGINE = InnoDB;

CREATE TABLE operator_sessions (
    session_digest CHAR(64)     NOT NULL,
    operator       VARCHAR(255) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    PRIMARY KEY (session_digest),
    CONSTRAINT ck_operator_sessions_role CHECK (role IN ('ADMIN', 'MONITOR')),
    CONSTRAINT ck_operator_sessions_expiry CHECK (expires_at > created_at)
) ENGINE = InnoDB;

CREATE INDEX ix_operator_sessions_expires ON operator_sessions (expires_at);
