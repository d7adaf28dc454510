// TaskEnv: the environment of one task of an srun step, as Slurm's slurmstepd builds it:
// srun's environment as sent (with the SLURM_* it computed, SLURM_LAUNCH_NODE_IPADDR
// among them, left as srun wrote them), then the variables that differ per node and per
// task (SLURM_PROCID, SLURM_LOCALID, SLURM_NODEID, SLURMD_NODENAME, SLURM_GTIDS, ...)
// and the step's own (SLURM_STEP_ID, SLURM_STEP_NODELIST, SLURM_STEP_TASKS_PER_NODE in
// Slurm's "2(x3),1" form, ...), which replace srun's values in place. SLURM_TASK_PID is
// filled in by the task itself (LaunchSpec::set_task_pid_env).
//
// Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace drover::stepd {

// The step as one node sees it.
struct StepTaskInfo {
  uint32_t job_id = 0;
  uint32_t step_id = 0;
  std::string node_name;        // SLURMD_NODENAME
  uint32_t node_index = 0;      // SLURM_NODEID: this node's index in the step's layout
  std::string step_node_list;   // SLURM_STEP_NODELIST
  uint32_t step_num_tasks = 0;  // SLURM_STEP_NUM_TASKS
  std::vector<uint32_t> step_tasks_per_node;  // per node of the step, in layout order
  std::vector<uint32_t> local_ranks;          // global ranks on this node (SLURM_GTIDS)
  std::string job_node_list;                  // SLURM_JOB_NODELIST; empty: srun's
  uint32_t cpus_on_node = 0;                  // SLURM_CPUS_ON_NODE; 0: not set
  std::string conf_path;                      // SLURM_CONF; empty: srun's
};

// The environment of the task with local index `local_id` (its global rank is
// info.local_ranks[local_id]), "NAME=value", each name once.
// REQUIRES: local_id < info.local_ranks.size().
std::vector<std::string> BuildTaskEnv(std::span<const std::string> srun_env,
                                      const StepTaskInfo& info, uint32_t local_id);

}  // namespace drover::stepd
