// BatchEnv: the environment a batch script starts with, built the way Slurm builds it
// from the submission environment, the --export option and the job's allocation.
//
// Slurm's rules, kept on purpose (users' scripts rely on them):
//   --export=ALL (default)  every submission variable, then the job's SLURM_* variables.
//   --export=NONE (or NIL)  only the submission's SLURM_* variables, then the job's.
//   --export=FOO,BAR=x      the submission's SLURM_* variables, FOO (if the submitter had
//                           it) and BAR=x, then the job's.
//   --export=ALL,BAR=x      everything, and BAR=x only where the submitter had no BAR:
//                           sbatch's man page says the caller's value wins.
// SLURM_NTASKS/SLURM_NPROCS and SLURM_CPUS_PER_TASK appear only when -n / -c were given;
// SLURM_TASKS_PER_NODE and SLURM_JOB_CPUS_PER_NODE use Slurm's "2(x3),1" compression.
//
// Pure functions over values; thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::stepd {

// How --export was given.
struct ExportSpec {
  enum class Mode { kAll, kNone, kList };
  Mode mode = Mode::kAll;
  // kList, and kAll with extra items ("ALL,FOO=bar"): "NAME" or "NAME=value", in order.
  std::vector<std::string> items;
};

// Parses --export's value: "ALL", "NONE", "NIL", "ALL,FOO=bar", "FOO,BAR=baz" (ALL, NONE
// and NIL in any case). Errors: kInvalidArgument for an empty item or name ("FOO,,BAR",
// "=x"), NONE combined with variables.
Result<ExportSpec> ParseExport(std::string_view text);

struct ArrayTaskInfo {
  uint32_t array_job_id = 0;  // %A, SLURM_ARRAY_JOB_ID
  uint32_t task_id = 0;       // %a, SLURM_ARRAY_TASK_ID
  uint32_t task_count = 0;    // SLURM_ARRAY_TASK_COUNT
  uint32_t task_min = 0;
  uint32_t task_max = 0;
  uint32_t task_step = 1;
};

// What the controller knows about a batch job, as the node daemon hands it to stepd.
struct BatchJobInfo {
  uint32_t job_id = 0;
  std::string job_name;
  std::string user;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string nodes;  // the allocation as a hostlist string: "n[1-4]"
  uint32_t num_nodes = 0;
  std::optional<uint32_t> ntasks;         // only when -n/--ntasks was given
  std::optional<uint32_t> cpus_per_task;  // only when -c/--cpus-per-task was given
  std::vector<uint32_t> tasks_per_node;   // one count per node, in node order
  std::vector<uint32_t> cpus_per_node;    // one count per node, in node order
  std::optional<uint64_t> mem_per_node_mb;
  std::optional<uint64_t> mem_per_cpu_mb;
  std::string submit_dir;
  std::string submit_host;
  std::string partition;
  std::string account;
  std::string qos;
  std::string reservation;
  std::string cluster;
  std::string node_name;  // where the script runs: SLURMD_NODENAME, HOSTNAME
  std::optional<ArrayTaskInfo> array;
  std::optional<int64_t> start_time;  // Unix seconds
  std::optional<int64_t> end_time;    // Unix seconds; none when the limit is infinite
  std::string conf_path;              // SLURM_CONF, when known
  std::string export_text;            // --export as given; empty when not given
  ExportSpec export_spec;
  std::vector<std::string> submit_env;  // the submitter's environment, "NAME=value"
};

// The batch script's environment, "NAME=value", each name once. Submission variables
// keep their order; the job's variables follow (or replace in place).
std::vector<std::string> BuildBatchEnv(const BatchJobInfo& job);

// Slurm's run-length form of per-node counts: {2,2,2,1} -> "2(x3),1"; {} -> "".
std::string CompressCounts(std::span<const uint32_t> counts);

// The value of `name` in an environment vector, or nullopt.
std::optional<std::string_view> EnvValue(std::span<const std::string> env, std::string_view name);

}  // namespace drover::stepd
