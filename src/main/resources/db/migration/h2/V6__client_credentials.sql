-- Credentials that every node must agree on at once (keep in step with the MySQL migration,
-- which explains each table).
CREATE TABLE api_keys (
    id           CHAR(36)     NOT NULL,
    name         VARCHAR(255) NOT NULL,
    scope        VARCHAR(32)  NOT NULL,
    key_digest   CHAR(64)     NOT NULL,
    created_at   BIGINT       NOT NULL,
    created_by   VARCHAR(255) NOT NULL,
    expires_at   BIGINT       NULL,
    last_used_at BIGINT       NULL,
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_digest UNIQUE (key_digest),
    CONSTRAINT uq_api_keys_name UNIQUE (name),
    CONSTRAINT ck_api_keys_scope CHECK (scope IN ('HOLDER', 'SERVICE', 'OPERATOR')),
    CONSTRAINT ck_api_keys_expiry CHECK (expires_at IS NULL OR expires_at > created_at)
);

CREATE TABLE operator_sessions (
    session_digest CHAR(64)     NOT NULL,
    operator       VARCHAR(255) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    CONSTRAINT pk_operator_sessions PRIMARY KEY (session_digest),
    CONSTRAINT ck_operator_sessions_role CHECK (role IN ('ADMIN', 'MONITOR')),
    CONSTRAINT ck_operator_sessions_expiry CHECK (expires_at > created_at)
);

CREATE INDEX ix_operator_sessions_expires ON operator_sessions (expires_at);
