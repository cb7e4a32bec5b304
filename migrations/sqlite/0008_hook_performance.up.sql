-- Hourly performance rows per hook (seed 000's hook_performance_metrics), derived from
-- hook_executions by the aggregation: every row is what recomputing its hour from the
-- executions gives, so the primary key is the hour's identity instead of the seed's
-- random id. time_bucket is the UTC hour of started_at, epoch ms.
CREATE TABLE hook_performance_metrics (
  hook_id               TEXT    NOT NULL,
  hook_type             TEXT    NOT NULL,
  team_id               TEXT    NOT NULL,
  time_bucket           INTEGER NOT NULL,
  total_executions      INTEGER NOT NULL,
  successful_executions INTEGER NOT NULL,
  failed_executions     INTEGER NOT NULL,
  -- NULL when no counted execution of the hour has a time.
  avg_execution_time_ms REAL,
  p95_execution_time_ms REAL,
  success_rate          REAL    NOT NULL,
  throughput_per_hour   REAL    NOT NULL,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  PRIMARY KEY (hook_id, hook_type, team_id, time_bucket)
) WITHOUT ROWID;
-- Recomputing a range and listing by time start from the hour.
CREATE INDEX hook_performance_metrics_bucket_idx ON hook_performance_metrics (time_bucket);
CREATE INDEX hook_performance_metrics_team_idx ON hook_performance_metrics (team_id, time_bucket);

-- A late outcome changes the hour its execution started in: the scheduled aggregation
-- finds the hours to recompute by what was updated since its previous run.
CREATE INDEX hook_executions_updated_idx ON hook_executions (updated_at);

-- Periodic jobs shared by every hookd process on the database: a run is claimed by one
-- conditional UPDATE (due, and no unexpired lease), so each run happens once; a lease
-- that expires frees a job whose claimer died. watermark is the job's own progress,
-- kept with it so a restart or another process carries on from there.
CREATE TABLE scheduled_jobs (
  job_name             TEXT    PRIMARY KEY,
  next_run_at          INTEGER NOT NULL,
  lease_owner          TEXT,
  lease_expires_at     INTEGER,
  watermark            INTEGER,
  runs                 INTEGER NOT NULL DEFAULT 0,
  last_started_at      INTEGER,
  last_finished_at     INTEGER,
  last_result          TEXT,
  last_error           TEXT
);
