-- The token pool (MySQL 8 / MariaDB 10.6+). Invariants live here, not only in Java:
--  * at most one open usage per token and per user: unique keys on usages.open_token_id/open_user_id,
--    which a CHECK ties to ended_at (set while open, cleared exactly when the usage ends);
--  * a token's holder columns name an open usage of that very token and user: composite foreign
--    key (current_usage_id, id, current_user_id) -> usages (id, open_token_id, open_user_id), so
--    the uniqueness of open usages carries over to holders. (The holder columns carry plain
--    indexes: unique ones would only duplicate that guarantee and add InnoDB duplicate-check
--    locks, a source of deadlocks between unrelated activations.)
--  * never more active tokens than the pool: every open usage owns a distinct token row.
-- Instants (*_at) are epoch milliseconds (UTC), as in Quartz's tables: exact on every server and
-- driver, independent of time zones (Connector/J truncates DATETIME fractions on MariaDB 10.x).

CREATE TABLE tokens (
    id               CHAR(36)    NOT NULL,
    slot             INT         NOT NULL,
    current_usage_id BIGINT      NULL,
    current_user_id  CHAR(36)    NULL,
    activated_at     BIGINT      NULL,
    expires_at       BIGINT      NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_tokens_slot UNIQUE (slot),
    CONSTRAINT ck_tokens_slot CHECK (slot >= 1),
    CONSTRAINT ck_tokens_holder CHECK (
        (current_usage_id IS NULL AND current_user_id IS NULL
            AND activated_at IS NULL AND expires_at IS NULL)
        OR (current_usage_id IS NOT NULL AND current_user_id IS NOT NULL
            AND activated_at IS NOT NULL AND expires_at > activated_at))
) ENGINE = InnoDB;

CREATE INDEX ix_tokens_free ON tokens (current_usage_id, slot);
CREATE INDEX ix_tokens_holder ON tokens (current_user_id);
CREATE INDEX ix_tokens_expires ON tokens (expires_at, slot);
CREATE INDEX ix_tokens_activated ON tokens (activated_at, slot);

CREATE TABLE usages (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    token_id      CHAR(36)    NOT NULL,
    user_id       CHAR(36)    NOT NULL,
    started_at    BIGINT      NOT NULL,
    expires_at    BIGINT      NOT NULL,
    ended_at      BIGINT      NULL,
    end_reason    VARCHAR(16) NULL,
    open_token_id CHAR(36)    NULL,
    open_user_id  CHAR(36)    NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_usages_token FOREIGN KEY (token_id) REFERENCES tokens (id),
    CONSTRAINT uq_usages_open_token UNIQUE (open_token_id),
    CONSTRAINT uq_usages_open_user UNIQUE (open_user_id),
    CONSTRAINT uq_usages_open_holder UNIQUE (id, open_token_id, open_user_id),
    CONSTRAINT ck_usages_end_reason CHECK (end_reason IN ('EXPIRED', 'EVICTED', 'RELEASED', 'CLEARED')),
    CONSTRAINT ck_usages_open CHECK (
        (ended_at IS NULL AND end_reason IS NULL
            AND open_token_id = token_id AND open_user_id = user_id)
        OR (ended_at IS NOT NULL AND end_reason IS NOT NULL
            AND open_token_id IS NULL AND open_user_id IS NULL)),
    CONSTRAINT ck_usages_lifetime CHECK (expires_at > started_at)
) ENGINE = InnoDB;

CREATE INDEX ix_usages_token_history ON usages (token_id, id);

ALTER TABLE tokens
    ADD CONSTRAINT fk_tokens_current_usage
        FOREIGN KEY (current_usage_id, id, current_user_id)
            REFERENCES usages (id, open_token_id, open_user_id);
