-- Leases (issue 18); see the MySQL migration of the same version for what each column means.
ALTER TABLE usages ADD COLUMN renewals INT DEFAULT 0 NOT NULL;
ALTER TABLE usages ADD COLUMN last_renewed_at BIGINT NULL;
ALTER TABLE usages ADD COLUMN ended_by VARCHAR(255) NULL;
ALTER TABLE usages ADD COLUMN evicted_by BIGINT NULL;
CREATE INDEX ix_usages_user_history ON usages (user_id, id);
