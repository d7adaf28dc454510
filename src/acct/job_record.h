// JobRecord: one job as the accounting store keeps it, the row behind sacct's job line
// (and, derived from it, the `N.batch` step line). Plain values: times are Unix seconds
// (0: not yet), names are resolved when the record is made, so a record stays readable
// after the user or the partition is gone.
//
// JobRecordFromJob makes one from a version of the controller's job record.
//
// Thread-safety: value type; pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/exit_code.h"
#include "core/job.h"
#include "core/job_state.h"

namespace drover::acct {

// One srun step of a job (sacct's 42.0 line), written when the step ends. Keyed by its
// job's (id, submit time) and its step id.
struct StepRecord {
  uint32_t job_id = 0;
  int64_t submit_time = 0;  // the job's
  uint32_t step_id = 0;
  std::string name;
  JobState state = JobState::kCompleted;
  ExitCode exit_code;
  int64_t start_time = 0, end_time = 0;
  uint32_t num_nodes = 0, num_cpus = 0, num_tasks = 0;
  std::string node_list;

  friend bool operator==(const StepRecord&, const StepRecord&) = default;
};

struct JobRecord {
  uint32_t job_id = 0;
  uint32_t array_job_id = 0;                // 0: not an array task
  std::optional<uint32_t> array_task_id;
  std::string name;
  uint32_t uid = 0;
  std::string user;
  uint32_t gid = 0;
  std::string account, partition, qos, cluster;
  JobState state = JobState::kPending;
  std::optional<uint32_t> cancelled_by;  // "CANCELLED by <uid>"
  ExitCode exit_code;
  int64_t submit_time = 0, eligible_time = 0, start_time = 0, end_time = 0;
  int64_t time_limit_s = -1;  // -1: UNLIMITED
  uint32_t alloc_cpus = 0, alloc_nodes = 0;
  uint32_t batch_cpus = 0;  // CPUs on the batch host: the batch step's AllocCPUS
  uint64_t alloc_mem_mb = 0;
  std::string node_list, batch_host;
  std::string work_dir;
  std::string reason;  // the pending reason's name ("None" when none)
  uint32_t restarts = 0;
  bool batch = true;  // a batch job (its script is step N.batch); false: salloc/srun's
  // The job's srun steps that ended, by step id (filled by AccountingStore::Query).
  std::vector<StepRecord> steps;

  friend bool operator==(const JobRecord&, const JobRecord&) = default;
};

// The record of `job` as it is now, for `cluster`. A job that is COMPLETING is recorded
// with the state it ends in (sacct shows a job's end as soon as it ended); a pending job
// has no start time (the engine's planned start is not a start).
JobRecord JobRecordFromJob(const Job& job, const std::string& cluster);

// "cpu=4,mem=1000M,node=1" (AllocTRES).
std::string AllocTres(const JobRecord& r);

}  // namespace drover::acct
