// Job steps as the controller keeps them: what srun asks for inside an allocation
// (StepRequest), where the tasks go (PlanStep), and the running step (Step).
//
// A step lives inside its job's allocation and books CPUs there: on each of its nodes,
// tasks x cpus-per-task. Steps do not share CPUs unless they ask to (--overlap), so a
// step that does not fit next to the running ones waits (kNodesBusy; srun retries), and
// one that could never fit in the allocation is refused. Unlike Slurm 22.05, a step books
// only what it asks for even without --exact: two `srun -n1 ... &` in a two-CPU job run
// side by side instead of one waiting for the other.
//
// Tasks are placed in blocks: the step's nodes are the first usable nodes of the
// allocation (in its order), and the tasks are split as evenly as the nodes allow, the
// first nodes taking the remainder (ranks ascending node by node).
//
// Thread-safety: plain values; PlanStep is a pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "core/allocation.h"
#include "core/exit_code.h"
#include "core/job.h"
#include "core/job_state.h"

namespace drover::ctld {

// What srun asks (CreateStepRequest.spec), already validated by its parser.
struct StepRequest {
  std::string name;
  uint32_t min_nodes = 0;  // 0: not given (every node of the allocation, at most one per task)
  uint32_t max_nodes = 0;
  std::optional<uint32_t> num_tasks;
  uint32_t cpus_per_task = 1;
  std::optional<uint32_t> ntasks_per_node;
  std::string node_list;  // -w: a subset of the allocation
  std::string exclude;    // -x
  bool overlap = false;   // --overlap: books no CPUs
  std::optional<int64_t> time_limit_s;
  std::string command;
  std::string srun_host;
  uint32_t srun_pid = 0;
};

// One node of a step: the CPUs it books there and its global task ranks.
struct StepNode {
  std::string node;
  uint32_t cpus = 0;
  std::vector<uint32_t> task_ids;
};

struct Step {
  JobId job = 0;
  uint32_t id = 0;
  std::string name;
  uint32_t uid = 0;
  TimePoint start_time{};
  std::vector<StepNode> nodes;
  uint32_t num_tasks = 0;
  uint32_t cpus_per_task = 1;
  int64_t time_limit_s = -1;  // -1: the job's limit
  bool overlap = false;
  std::string command;
  std::string srun_host;
  uint32_t srun_pid = 0;
  // Nodes whose supervisor has not reported the step's end yet.
  std::vector<std::string> running_on;
  TimePoint job_submit_time{};  // the job's (accounting keys steps by their job's)
  // Once ended: how (srun's report, the nodes' highest exit, or the job's end).
  TimePoint end_time{};
  JobState state = JobState::kRunning;
  ExitCode exit_code;

  uint32_t TotalCpus() const;
  std::string NodeList() const;  // compressed hostlist
};

// CPUs the job's running (non-overlapping) steps book on `node`.
using BookedCpus = std::function<uint32_t(const std::string& node)>;

// Where the step's tasks go within `alloc`. Errors (as srun prints them after "Unable to
// create step for job N: "): kNodesBusy when it fits the allocation but not next to the
// running steps; kTooManyRequestedCpus when the allocation could never hold it;
// kNodeConfigUnavailable for -w/-x naming nodes outside it or leaving too few;
// kInvalidArgument for contradictory counts.
Result<std::vector<StepNode>> PlanStep(const Allocation& alloc, const StepRequest& request,
                                       const BookedCpus& booked);

}  // namespace drover::ctld
