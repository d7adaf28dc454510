#include "cli/common/allocation.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>
#include <sstream>

namespace drover::cli {
namespace {

// Drains `signal_fd`; true when a signal was pending.
bool TakeSignal(int signal_fd) {
  bool any = false;
  signalfd_siginfo info;
  while (read(signal_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) any = true;
  return any;
}

}  // namespace

AllocationOutcome WaitForAllocation(client::JobEventStream& events, std::string_view program,
                                    int signal_fd, bool quiet, std::ostream& err) {
  AllocationOutcome outcome;
  bool salloc = program == "salloc";
  std::ostringstream discard;
  std::ostream& info = quiet ? discard : err;
  while (true) {
    while (std::optional<v1::JobEvent> event = events.TakeEvent()) {
      if (event->job_id() != 0) outcome.job_id = event->job_id();
      switch (event->event_case()) {
        case v1::JobEvent::kQueued:
          if (!outcome.waited) {
            if (salloc) info << program << ": Pending job allocation " << outcome.job_id << "\n";
            info << program << ": job " << outcome.job_id << " queued and waiting for resources\n";
            info.flush();
          }
          outcome.waited = true;
          break;
        case v1::JobEvent::kGranted:
          outcome.allocation = event->granted();
          if (outcome.allocation.job_id() == 0) outcome.allocation.set_job_id(outcome.job_id);
          outcome.job_id = outcome.allocation.job_id();
          if (outcome.waited) {
            info << program << ": job " << outcome.job_id << " has been allocated resources\n";
          }
          if (salloc) info << program << ": Granted job allocation " << outcome.job_id << "\n";
          info.flush();
          outcome.kind = AllocationOutcome::Kind::kGranted;
          return outcome;
        case v1::JobEvent::kEnded:
          outcome.kind = AllocationOutcome::Kind::kEnded;
          outcome.ended = event->ended();
          return outcome;
        default:
          break;
      }
    }
    if (events.done()) {
      Status status = events.status();
      outcome.kind = AllocationOutcome::Kind::kFailed;
      outcome.error = status ? Error(ErrorCode::kUnavailable) : status.error();
      return outcome;
    }
    pollfd fds[2] = {{events.fd(), events.events(), 0}, {signal_fd, POLLIN, 0}};
    int n = poll(fds, signal_fd >= 0 ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      outcome.error = Error(ErrorCode::kIo, "poll failed");
      return outcome;
    }
    if (signal_fd >= 0 && (fds[1].revents & POLLIN) != 0 && TakeSignal(signal_fd)) {
      events.Cancel();
      outcome.kind = AllocationOutcome::Kind::kInterrupted;
      if (outcome.job_id != 0) {
        info << program << ": Job allocation " << outcome.job_id << " has been revoked.\n";
      }
      return outcome;
    }
    if (fds[0].revents != 0) {
      if (Status status = events.OnReady(fds[0].revents); !status) {
        outcome.kind = AllocationOutcome::Kind::kFailed;
        outcome.error = status.error();
        return outcome;
      }
    }
  }
}

std::string CompressCounts(std::span<const uint32_t> counts) {
  std::string out;
  for (size_t i = 0; i < counts.size();) {
    size_t j = i;
    while (j < counts.size() && counts[j] == counts[i]) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(counts[i]);
    if (j - i > 1) out += fmt::format("(x{})", j - i);
    i = j;
  }
  return out;
}

std::vector<uint32_t> JobTasksPerNode(const v1::JobAllocation& allocation) {
  const v1::JobSpec& spec = allocation.spec();
  uint32_t nodes = static_cast<uint32_t>(std::max(allocation.nodes_size(), 1));
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < nodes; ++i) {
    if (spec.has_ntasks_per_node()) {
      out.push_back(spec.ntasks_per_node());
    } else {
      uint32_t tasks = std::max<uint32_t>(spec.has_num_tasks() ? spec.num_tasks() : 0, nodes);
      out.push_back(tasks / nodes + (i < tasks % nodes ? 1 : 0));
    }
  }
  return out;
}

std::map<std::string, std::string> AllocationEnvironment(const v1::JobAllocation& allocation,
                                                         const AllocationContext& context) {
  std::map<std::string, std::string> env;
  const v1::JobSpec& spec = allocation.spec();
  auto set_nonempty = [&env](const std::string& name, const std::string& value) {
    if (!value.empty()) env[name] = value;
  };
  std::string job_id = std::to_string(allocation.job_id());
  uint32_t num_nodes = static_cast<uint32_t>(allocation.nodes_size());
  env["SLURM_JOB_ID"] = job_id;
  env["SLURM_JOBID"] = job_id;
  set_nonempty("SLURM_JOB_NAME", spec.name());
  env["SLURM_JOB_NODELIST"] = allocation.node_list();
  env["SLURM_NODELIST"] = allocation.node_list();
  env["SLURM_JOB_NUM_NODES"] = std::to_string(num_nodes);
  env["SLURM_NNODES"] = std::to_string(num_nodes);
  if (spec.has_num_tasks()) {
    env["SLURM_NTASKS"] = std::to_string(spec.num_tasks());
    env["SLURM_NPROCS"] = std::to_string(spec.num_tasks());
  }
  if (spec.has_cpus_per_task()) env["SLURM_CPUS_PER_TASK"] = std::to_string(spec.cpus_per_task());
  if (spec.has_ntasks_per_node()) {
    env["SLURM_NTASKS_PER_NODE"] = std::to_string(spec.ntasks_per_node());
  }
  std::vector<uint32_t> cpus;
  for (const v1::NodeAllocation& node : allocation.nodes()) cpus.push_back(node.num_cpus());
  env["SLURM_JOB_CPUS_PER_NODE"] = CompressCounts(cpus);
  env["SLURM_TASKS_PER_NODE"] = CompressCounts(JobTasksPerNode(allocation));
  if (spec.memory_case() == v1::JobSpec::kMemPerCpuMb) {
    env["SLURM_MEM_PER_CPU"] = std::to_string(spec.mem_per_cpu_mb());
  } else if (spec.memory_case() == v1::JobSpec::kMemPerNodeMb) {
    env["SLURM_MEM_PER_NODE"] = std::to_string(spec.mem_per_node_mb());
  } else if (!allocation.nodes().empty() && allocation.nodes(0).mem_mb() > 0) {
    env["SLURM_MEM_PER_NODE"] = std::to_string(allocation.nodes(0).mem_mb());
  }
  set_nonempty("SLURM_SUBMIT_DIR", context.submit_dir);
  set_nonempty("SLURM_SUBMIT_HOST", context.submit_host);
  std::string partition = allocation.partition();
  if (partition.empty() && spec.partitions_size() > 0) partition = spec.partitions(0);
  set_nonempty("SLURM_JOB_PARTITION", partition);
  set_nonempty("SLURM_JOB_ACCOUNT", allocation.account());
  set_nonempty("SLURM_JOB_QOS", allocation.qos());
  set_nonempty("SLURM_CLUSTER_NAME", allocation.cluster());
  set_nonempty("SLURM_CONF", context.conf_path);
  if (allocation.start_time() > 0) {
    env["SLURM_JOB_START_TIME"] = std::to_string(allocation.start_time());
  }
  if (allocation.end_time() > 0) env["SLURM_JOB_END_TIME"] = std::to_string(allocation.end_time());
  return env;
}

}  // namespace drover::cli
