// PrologEnv: the environment the node's Prolog and Epilog run with, as slurmd builds it
// (Slurm's prolog/epilog guide lists the variables): who the job is for, where it runs,
// and which script this is (SLURM_SCRIPT_CONTEXT=prolog_slurmd or epilog_slurmd). There
// is no PATH: scripts name their programs by full path or set PATH themselves.
//
// Pure functions over values; thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drover::stepd {

// What the node knows of a job when it runs its Prolog or Epilog. Empty strings and
// unset optionals leave their variables out (an epilog on a node where no step ran
// knows the job id alone).
struct PrologJobInfo {
  uint32_t job_id = 0;
  std::string user;  // SLURM_JOB_USER
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  std::string group;  // SLURM_JOB_GROUP
  std::string partition;
  std::string account;
  std::string qos;
  std::string reservation;
  std::string node_list;  // SLURM_JOB_NODELIST (the whole allocation)
  std::string job_name;
  std::string work_dir;  // SLURM_JOB_WORK_DIR
  std::optional<uint32_t> array_job_id, array_task_id;
  std::string cluster;    // SLURM_CLUSTER_NAME
  std::string node_name;  // SLURMD_NODENAME
  std::string conf_path;  // SLURM_CONF
};

inline constexpr std::string_view kPrologContext = "prolog_slurmd";
inline constexpr std::string_view kEpilogContext = "epilog_slurmd";

// "NAME=value" entries, each name once, in a fixed order.
std::vector<std::string> BuildPrologEnv(const PrologJobInfo& info, std::string_view context);

}  // namespace drover::stepd
