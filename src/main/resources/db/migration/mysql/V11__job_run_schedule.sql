-- The schedule in force for each job run (issue 19): the job's interval, in milliseconds, when the
-- run started. Operators change a job's interval at runtime, so the run history says which one a
-- run ran under. NULL for a direct run (expire-now over the admin API or JMX), which no schedule
-- caused, and for runs recorded before this version.
ALTER TABLE job_runs ADD COLUMN schedule_interval_ms BIGINT NULL;
ALTER TABLE job_runs ADD CONSTRAINT ck_job_runs_schedule
    CHECK (schedule_interval_ms IS NULL OR schedule_interval_ms > 0);
