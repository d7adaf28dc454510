#include "stepd/task_env.h"

#include <fmt/format.h>

#include <string_view>
#include <unordered_map>

#include "stepd/batch_env.h"

namespace drover::stepd {
namespace {

// An ordered environment: a name keeps the position where it first appeared.
class Env {
 public:
  explicit Env(std::span<const std::string> base) {
    for (const std::string& entry : base) {
      size_t eq = entry.find('=');
      if (eq == std::string::npos || eq == 0) continue;  // not NAME=value
      Set(std::string_view(entry).substr(0, eq), std::string_view(entry).substr(eq + 1));
    }
  }
  template <typename T>
  void Set(std::string_view name, const T& value) {
    std::string entry = fmt::format("{}={}", name, value);
    auto [it, inserted] = index_.emplace(std::string(name), entries_.size());
    if (inserted) {
      entries_.push_back(std::move(entry));
    } else {
      entries_[it->second] = std::move(entry);
    }
  }
  std::vector<std::string> Take() && { return std::move(entries_); }

 private:
  std::vector<std::string> entries_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace

std::vector<std::string> BuildTaskEnv(std::span<const std::string> srun_env,
                                      const StepTaskInfo& info, uint32_t local_id) {
  Env env(srun_env);
  const uint32_t rank = info.local_ranks.at(local_id);
  env.Set("SLURM_JOB_ID", info.job_id);
  env.Set("SLURM_JOBID", info.job_id);
  if (!info.job_node_list.empty()) {
    env.Set("SLURM_JOB_NODELIST", info.job_node_list);
    env.Set("SLURM_NODELIST", info.job_node_list);
  }
  if (!info.conf_path.empty()) env.Set("SLURM_CONF", info.conf_path);
  env.Set("SLURM_STEP_ID", info.step_id);
  env.Set("SLURM_STEPID", info.step_id);
  env.Set("SLURM_STEP_NODELIST", info.step_node_list);
  env.Set("SLURM_STEP_NUM_NODES", info.step_tasks_per_node.size());
  env.Set("SLURM_STEP_NUM_TASKS", info.step_num_tasks);
  env.Set("SLURM_STEP_TASKS_PER_NODE", CompressCounts(info.step_tasks_per_node));
  if (info.cpus_on_node > 0) env.Set("SLURM_CPUS_ON_NODE", info.cpus_on_node);
  env.Set("SLURMD_NODENAME", info.node_name);
  env.Set("SLURM_TOPOLOGY_ADDR", info.node_name);
  env.Set("SLURM_TOPOLOGY_ADDR_PATTERN", "node");
  env.Set("SLURM_NODEID", info.node_index);
  env.Set("SLURM_PROCID", rank);
  env.Set("SLURM_LOCALID", local_id);
  env.Set("SLURM_GTIDS", fmt::format("{}", fmt::join(info.local_ranks, ",")));
  return std::move(env).Take();
}

}  // namespace drover::stepd
