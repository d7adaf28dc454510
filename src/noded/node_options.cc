// NodeDaemonOptions from slurm.conf.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>

#include "noded/node_daemon.h"
#include "noded/spool.h"

namespace drover::noded {

std::string ControllerTarget(const config::SlurmConfig& config) {
  std::string host = "localhost";
  if (!config.slurmctld_hosts.empty()) {
    const config::ControllerHost& h = config.slurmctld_hosts.front();
    host = h.addr.empty() ? h.name : h.addr;
  }
  uint16_t port = config.slurmctld_port != 0 ? config.slurmctld_port : 6817;
  return fmt::format("{}:{}", host, port);
}

std::string MungeSocketFromAuthInfo(std::string_view auth_info) {
  while (!auth_info.empty()) {
    size_t comma = auth_info.find(',');
    std::string_view item = auth_info.substr(0, comma);
    auth_info = comma == std::string_view::npos ? std::string_view() : auth_info.substr(comma + 1);
    if (item.size() > 7 && (item.substr(0, 7) == "socket=" || item.substr(0, 7) == "SOCKET=")) {
      return std::string(item.substr(7));
    }
  }
  return {};
}

Result<NodeDaemonOptions> OptionsFromConfig(const config::SlurmConfig& config,
                                            const std::string& node_name,
                                            const std::string& conf_path) {
  const config::NodeConfig* node = config.FindNode(node_name);
  if (node == nullptr) {
    return Error(ErrorCode::kInvalidNodeName,
                 fmt::format("Unable to determine this slurmd's NodeName ({} is not in "
                             "slurm.conf)",
                             node_name));
  }
  NodeDaemonOptions o;
  o.node_name = node->name;
  o.hostname = node->hostname.empty() ? node->name : node->hostname;
  o.address = node->addr.empty() ? o.hostname : node->addr;
  uint16_t port =
      node->port != 0 ? node->port : (config.slurmd_port != 0 ? config.slurmd_port : 6818);
  o.listen_address = fmt::format("0.0.0.0:{}", port);
  o.controller = ControllerTarget(config);
  o.munge_socket = MungeSocketFromAuthInfo(config.auth_info);
  std::string spool =
      config.slurmd_spool_dir.empty() ? "/var/spool/slurmd" : config.slurmd_spool_dir;
  o.spool_dir = ExpandNodePath(spool, o.node_name, o.hostname);
  if (o.spool_dir.empty() || o.spool_dir.front() != '/') {
    return Error(
        ErrorCode::kConfigValue,
        fmt::format("SlurmdSpoolDir: invalid value '{}': expected an absolute path", spool));
  }
  o.conf_path = conf_path;
  if (!config.slurmd_log_file.empty()) {
    o.log_file = ExpandNodePath(config.slurmd_log_file, o.node_name, o.hostname);
  }
  if (!config.slurmd_debug.empty()) o.log_level = config.slurmd_debug;
  std::string slurm_user = config.slurm_user.empty() ? "root" : config.slurm_user;
  if (struct passwd* pw = getpwnam(slurm_user.c_str()); pw != nullptr) {
    o.slurm_user_uid = pw->pw_uid;
  } else {
    return Error(ErrorCode::kConfigValue,
                 fmt::format("SlurmUser: invalid value '{}': unknown user", slurm_user));
  }

  o.cpus = node->cpus;
  o.boards = std::max<uint32_t>(node->boards, 1);
  o.sockets = std::max<uint32_t>(node->sockets / o.boards, 1);  // the proto counts per board
  o.cores_per_socket = node->cores_per_socket;
  o.threads_per_core = node->threads_per_core;
  o.real_memory_mb = node->real_memory_mb;
  o.tmp_disk_mb = node->tmp_disk_mb;
  o.mem_spec_limit_mb = node->mem_spec_limit_mb;
  o.core_spec_count = node->core_spec_count;
  o.features = node->features;

  auto secs = [](const Duration& d, int64_t fallback) {
    return std::chrono::seconds(d.infinite() ? fallback : d.seconds());
  };
  o.kill_wait = secs(config.kill_wait, 30);
  o.unkillable_timeout = secs(config.unkillable_step_timeout, 60);
  o.job_file_append = config.job_file_append != 0;
  o.scripts.prolog = config.prolog;
  o.scripts.epilog = config.epilog;
  o.scripts.task_prolog = config.task_prolog;
  o.scripts.task_epilog = config.task_epilog;
  o.scripts.timeout = ScriptTimeout(config.prolog_epilog_timeout);
  o.scripts.cluster = config.cluster_name;
  auto timeout = secs(config.slurmd_timeout, 300);
  auto third = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) / 3;
  o.heartbeat_interval = std::clamp(third, std::chrono::milliseconds(1000), kMaxHeartbeat);
  return o;
}

}  // namespace drover::noded
