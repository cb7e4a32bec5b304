-- Hourly performance rows per hook (seed 000's hook_performance_metrics), derived from
-- hook_executions by the aggregation: every row is what recomputing its hour from the
-- executions gives, so the primary key is the hour's identity instead of the seed's
-- random id. time_bucket is the UTC hour of started_at.
CREATE TABLE hook_performance_metrics (
  hook_id               text             NOT NULL,
  hook_type             text             NOT NULL,
  team_id               text             NOT NULL,
  time_bucket           timestamptz      NOT NULL,
  total_executions      integer          NOT NULL,
  successful_executions integer          NOT NULL,
  failed_executions     integer          NOT NULL,
  -- NULL when no counted execution of the hour has a time.
  avg_execution_time_ms double precision,
  p95_execution_time_ms double precision,
  success_rate          double precision NOT NULL,
  throughput_per_hour   double precision NOT NULL,
  created_at            timestamptz      NOT NULL DEFAULT now(),
  updated_at            timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (hook_id, hook_type, team_id, time_bucket)
);
-- Recomputing a range and listing by time start from the hour.
CREATE INDEX hook_performance_metrics_bucket_idx ON hook_performance_metrics (time_bucket);
CREATE INDEX hook_performance_metrics_team_idx ON hook_performance_metrics (team_id, time_bucket);

-- A late outcome changes the hour its execution started in: the scheduled aggregation
-- finds the hours to recompute by what was updated since its previous run.
CREATE INDEX hook_executions_updated_idx ON hook_executions (updated_at);

-- Periodic jobs shared by every hookd process on the database: a run is claimed by one
-- conditional UPDATE (due, and no unexpired lease), so each run happens once; a lease
-- that expires frees a job whose claimer died. watermark is the job's own progress
-- (epoch ms), kept with it so a restart or another process carries on from there.
CREATE TABLE scheduled_jobs (
  job_name             text        PRIMARY KEY,
  next_run_at          timestamptz NOT NULL,
  lease_owner          text,
  lease_expires_at     timestamptz,
  watermark            bigint,
  runs                 integer     NOT NULL DEFAULT 0,
  last_started_at      timestamptz,
  last_finished_at     timestamptz,
  last_result          text,
  last_error           text
);
