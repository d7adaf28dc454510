// The environment srun sends with a step's launch: the caller's environment as --export
// selects it, the job's SLURM_* variables when srun made the allocation itself (as salloc
// would have set them), then the step's:
//   SLURM_STEP_ID, SLURM_STEPID, SLURM_STEP_NODELIST, SLURM_STEP_NUM_NODES,
//   SLURM_STEP_NUM_TASKS, SLURM_STEP_TASKS_PER_NODE, and, as Slurm's srun sets them for
//   the step, SLURM_NODELIST, SLURM_NNODES, SLURM_TASKS_PER_NODE, SLURM_NTASKS,
//   SLURM_NPROCS, SLURM_CPUS_PER_TASK (with -c), SLURM_DISTRIBUTION (with -m),
//   SLURM_CPU_BIND (with --cpu-bind), SLURM_LABELIO (with -l), SLURM_UNBUFFEREDIO (-u),
//   SLURM_SRUN_COMM_HOST and SLURM_LAUNCH_NODE_IPADDR (this host's address), SLURM_UMASK.
// The node adds the per-task variables (SLURM_PROCID, SLURM_LOCALID, SLURM_NODEID, ...).
//
// Thread-safety: a pure function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/common/invocation.h"
#include "cli/common/job_options.h"
#include "drover/v1/controller.pb.h"

namespace drover::cli::srun {

struct StepEnvInput {
  Environment caller;                      // srun's own environment
  std::map<std::string, std::string> job;  // AllocationEnvironment; empty inside one
  const JobOptions* options = nullptr;     // REQUIRES: set
  v1::CreateStepResponse step;
  std::string launch_address;     // this host's address, as the nodes reach it
  std::optional<uint32_t> umask;  // the caller's umask
};

// "NAME=value", sorted by name, each name once.
std::vector<std::string> BuildStepEnvironment(const StepEnvInput& input);

// Per node of the layout, its number of tasks, in layout order.
std::vector<uint32_t> StepTasksPerNode(const v1::StepLayout& layout);

}  // namespace drover::cli::srun
