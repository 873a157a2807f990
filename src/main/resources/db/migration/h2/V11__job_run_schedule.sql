-- The schedule in force for each job run (issue 19); see the MySQL migration of the same version.
ALTER TABLE job_runs ADD COLUMN schedule_interval_ms BIGINT NULL;
ALTER TABLE job_runs ADD CONSTRAINT ck_job_runs_schedule
    CHECK (schedule_interval_ms IS NULL OR schedule_interval_ms > 0);
