-- Run history of the scheduled jobs, and who ended each expired usage.
--  * one row per execution (fire_instance_id is unique): RUNNING while it runs, then SUCCESS or
--    FAILED. released is raised in the same transaction as each batch of usages the run ends, so
--    the runs' released counts always add up to the usages the job ended, even for a run whose
--    node died halfway.
--  * usages.ended_by_run names the run that ended an expired usage (NULL when an activation or a
--    request ended it lazily).
--  * a usage ends at most once: a trigger refuses any change to an ended usage's end.

CREATE TABLE job_runs (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    job_name         VARCHAR(100)  NOT NULL,
    fire_instance_id VARCHAR(120)  NOT NULL,
    node_id          VARCHAR(64)   NOT NULL,
    scheduled_at     BIGINT        NULL,
    fired_at         BIGINT        NOT NULL,
    started_at       BIGINT        NOT NULL,
    finished_at      BIGINT        NULL,
    outcome          VARCHAR(16)   NOT NULL,
    released         INT           NOT NULL DEFAULT 0,
    error            VARCHAR(2000) NULL,
    manual           BOOLEAN       NOT NULL,
    recovering       BOOLEAN       NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_job_runs_fire UNIQUE (fire_instance_id),
    CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('RUNNING', 'SUCCESS', 'FAILED')),
    CONSTRAINT ck_job_runs_released CHECK (released >= 0),
    CONSTRAINT ck_job_runs_finished CHECK ((outcome = 'RUNNING') = (finished_at IS NULL))
) ENGINE = InnoDB;

CREATE INDEX ix_job_runs_job ON job_runs (job_name, id);
CREATE INDEX ix_job_runs_started ON job_runs (started_at);
CREATE INDEX ix_job_runs_running ON job_runs (outcome, job_name);

ALTER TABLE usages ADD COLUMN ended_by_run VARCHAR(120) NULL;
ALTER TABLE usages ADD CONSTRAINT ck_usages_ended_by_run
    CHECK (ended_by_run IS NULL OR end_reason = 'EXPIRED');
CREATE INDEX ix_usages_ended_by_run ON usages (ended_by_run);

DELIMITER $$
CREATE TRIGGER trg_usages_end_once BEFORE UPDATE ON usages FOR EACH ROW
BEGIN
    IF OLD.ended_at IS NOT NULL AND NOT (NEW.ended_at <=> OLD.ended_at
            AND NEW.end_reason <=> OLD.end_reason AND NEW.ended_by_run <=> OLD.ended_by_run) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'usage already ended: an end is final';
    END IF;
END$$
DELIMITER ;
