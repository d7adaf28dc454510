#include "cli/srun/step_env.h"

#include <fmt/format.h>

#include "cli/common/allocation.h"
#include "cli/common/job_spec_builder.h"

namespace drover::cli::srun {

std::vector<uint32_t> StepTasksPerNode(const v1::StepLayout& layout) {
  std::vector<uint32_t> out;
  for (const v1::StepNodeLayout& node : layout.nodes()) {
    out.push_back(static_cast<uint32_t>(node.task_ids_size()));
  }
  return out;
}

std::vector<std::string> BuildStepEnvironment(const StepEnvInput& in) {
  const JobOptions& o = *in.options;
  std::map<std::string, std::string> env;
  for (const std::string& entry : ResolveExport(o.export_env, in.caller, nullptr)) {
    size_t eq = entry.find('=');
    env[entry.substr(0, eq)] = eq == std::string::npos ? "" : entry.substr(eq + 1);
  }
  for (const auto& [name, value] : in.job) env[name] = value;

  const v1::StepLayout& layout = in.step.layout();
  std::string step_id = std::to_string(in.step.step_id().step_id());
  std::string nodes = layout.node_list();
  std::string num_nodes = std::to_string(layout.nodes_size());
  uint32_t tasks = layout.num_tasks();
  if (tasks == 0) {
    for (const v1::StepNodeLayout& node : layout.nodes()) tasks += node.task_ids_size();
  }
  std::string num_tasks = std::to_string(tasks);
  std::string tasks_per_node = CompressCounts(StepTasksPerNode(layout));

  env["SLURM_STEP_ID"] = step_id;
  env["SLURM_STEPID"] = step_id;
  env["SLURM_STEP_NODELIST"] = nodes;
  env["SLURM_STEP_NUM_NODES"] = num_nodes;
  env["SLURM_STEP_NUM_TASKS"] = num_tasks;
  env["SLURM_STEP_TASKS_PER_NODE"] = tasks_per_node;
  env["SLURM_NODELIST"] = nodes;
  env["SLURM_NNODES"] = num_nodes;
  env["SLURM_TASKS_PER_NODE"] = tasks_per_node;
  env["SLURM_NTASKS"] = num_tasks;
  env["SLURM_NPROCS"] = num_tasks;
  if (in.step.step_id().job_id() != 0) {
    std::string job_id = std::to_string(in.step.step_id().job_id());
    env["SLURM_JOB_ID"] = job_id;
    env["SLURM_JOBID"] = job_id;
  }
  if (o.cpus_per_task) env["SLURM_CPUS_PER_TASK"] = std::to_string(*o.cpus_per_task);
  if (o.distribution) env["SLURM_DISTRIBUTION"] = *o.distribution;
  if (o.cpu_bind) env["SLURM_CPU_BIND"] = *o.cpu_bind;
  if (o.label) env["SLURM_LABELIO"] = "1";
  if (o.unbuffered) env["SLURM_UNBUFFEREDIO"] = "1";
  if (o.mpi) env["SLURM_MPI_TYPE"] = *o.mpi;
  if (!in.launch_address.empty()) {
    env["SLURM_SRUN_COMM_HOST"] = in.launch_address;
    env["SLURM_LAUNCH_NODE_IPADDR"] = in.launch_address;
  }
  if (in.umask) env["SLURM_UMASK"] = fmt::format("{:04o}", *in.umask);

  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

}  // namespace drover::cli::srun
