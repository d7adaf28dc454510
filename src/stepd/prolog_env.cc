#include "stepd/prolog_env.h"

#include <fmt/format.h>

namespace drover::stepd {

std::vector<std::string> BuildPrologEnv(const PrologJobInfo& info, std::string_view context) {
  std::vector<std::string> env;
  auto set = [&env](std::string_view name, const auto& value) {
    env.push_back(fmt::format("{}={}", name, value));
  };
  auto set_text = [&set](std::string_view name, const std::string& value) {
    if (!value.empty()) set(name, value);
  };
  set("SLURM_SCRIPT_CONTEXT", context);
  set("SLURM_JOB_ID", info.job_id);
  set("SLURM_JOBID", info.job_id);
  set_text("SLURM_JOB_USER", info.user);
  if (info.uid) set("SLURM_JOB_UID", *info.uid);
  if (info.gid) set("SLURM_JOB_GID", *info.gid);
  set_text("SLURM_JOB_GROUP", info.group);
  set_text("SLURM_JOB_PARTITION", info.partition);
  set_text("SLURM_JOB_ACCOUNT", info.account);
  set_text("SLURM_JOB_QOS", info.qos);
  set_text("SLURM_JOB_RESERVATION", info.reservation);
  set_text("SLURM_JOB_NAME", info.job_name);
  set_text("SLURM_JOB_WORK_DIR", info.work_dir);
  if (!info.node_list.empty()) {
    set("SLURM_JOB_NODELIST", info.node_list);
    set("SLURM_NODELIST", info.node_list);
  }
  if (info.array_job_id && info.array_task_id) {
    set("SLURM_ARRAY_JOB_ID", *info.array_job_id);
    set("SLURM_ARRAY_TASK_ID", *info.array_task_id);
  }
  set_text("SLURM_CLUSTER_NAME", info.cluster);
  set_text("SLURMD_NODENAME", info.node_name);
  set_text("SLURM_CONF", info.conf_path);
  return env;
}

}  // namespace drover::stepd
