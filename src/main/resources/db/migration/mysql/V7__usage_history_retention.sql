-- Usage history older than TOKENPOOL_HISTORY_RETENTION is deleted by the prune-usage-history job.
-- A token's usage count must not shrink with it: the job adds what it deletes to this table, in
-- the same transaction, and a token's count is its remaining usages plus its pruned ones. A table
-- of its own, not a column of tokens: the job never locks a token row, which activations take.
CREATE TABLE pruned_usage_counts (
    token_id CHAR(36) NOT NULL,
    pruned   BIGINT   NOT NULL,
    PRIMARY KEY (token_id),
    CONSTRAINT ck_pruned_usage_counts_positive CHECK (pruned > 0)
) ENGINE = InnoDB;
