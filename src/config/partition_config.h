// PartitionConfig: one partition as slurm.conf declares it (a PartitionName= line), with
// every value `scontrol show partition` prints and the totals Slurm derives from its nodes.
//
//   PartitionName=DEFAULT MaxTime=30
//   PartitionName=gpu Nodes=server[2-3] Default=YES MaxTime=INFINITE State=UP
//
// Unset optional values print as Slurm prints them: NONE, UNLIMITED, N/A, ALL.
// `Nodes=ALL` means every node defined in the file.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "config/conf_lexer.h"

namespace drover::config {

enum class OverSubscribe { kNo, kYes, kExclusive, kForce };
enum class PartitionState { kUp, kDown, kDrain, kInactive };

// PreemptMode bits, as both the global key and the partition key take them.
namespace preempt {
inline constexpr uint16_t kOff = 0;
inline constexpr uint16_t kSuspend = 1 << 0;
inline constexpr uint16_t kRequeue = 1 << 1;
inline constexpr uint16_t kCancel = 1 << 2;
inline constexpr uint16_t kGang = 1 << 3;
inline constexpr uint16_t kWithin = 1 << 4;
inline constexpr uint16_t kPriority = 1 << 5;
}  // namespace preempt

// "OFF", "GANG,SUSPEND", "CANCEL" in Slurm's order (GANG first).
std::string FormatPreemptMode(uint16_t mode);
// "NO", "YES:4", "EXCLUSIVE", "FORCE:1" as scontrol prints it.
std::string FormatOverSubscribe(OverSubscribe mode, uint16_t count);
std::string_view PartitionStateName(PartitionState state);

struct PartitionConfig {
  std::string name;

  // Empty lists mean ALL (Allow*) or none (Deny*).
  std::vector<std::string> allow_groups;
  std::vector<std::string> allow_accounts;
  std::vector<std::string> allow_qos;
  std::vector<std::string> deny_accounts;
  std::vector<std::string> deny_qos;
  std::vector<std::string> alloc_nodes;
  std::string alternate;
  std::string qos;  // the partition QOS; empty prints N/A

  bool is_default = false;
  bool disable_root_jobs = false;  // defaults to the global DisableRootJobs
  bool exclusive_user = false;
  bool exclusive_topo = false;
  bool hidden = false;
  bool lln = false;
  bool root_only = false;
  bool req_resv = false;
  bool power_down_on_idle = false;

  std::optional<Duration> default_time;  // NONE when unset
  Duration max_time = Duration::Infinite();
  Duration grace_time;                      // seconds
  std::optional<Duration> over_time_limit;  // NONE when unset (the global applies)
  std::optional<Duration> resume_timeout;
  std::optional<Duration> suspend_time;
  std::optional<Duration> suspend_timeout;

  uint32_t min_nodes = 0;
  std::optional<uint32_t> max_nodes;  // UNLIMITED when unset
  std::optional<uint32_t> max_cpus_per_node;
  std::optional<uint32_t> max_cpus_per_socket;
  std::optional<uint32_t> def_cpu_per_gpu;

  // At most one of each pair is set; neither prints DefMemPerNode=UNLIMITED.
  std::optional<uint64_t> def_mem_per_cpu_mb;
  std::optional<uint64_t> def_mem_per_node_mb;
  std::optional<uint64_t> def_mem_per_gpu_mb;
  std::optional<uint64_t> max_mem_per_cpu_mb;
  std::optional<uint64_t> max_mem_per_node_mb;

  uint16_t priority_job_factor = 1;
  uint16_t priority_tier = 1;
  std::optional<uint16_t> preempt_mode;  // unset: the global PreemptMode
  OverSubscribe over_subscribe = OverSubscribe::kNo;
  uint16_t over_subscribe_count = 1;
  PartitionState state = PartitionState::kUp;
  std::string select_type_parameters;  // CR_Core, CR_Socket...; empty prints NONE
  std::string job_defaults;            // "DefCpuPerGPU=2,DefMemPerGPU=1024"
  std::string tres_billing_weights;
  std::string cpu_bind;

  std::string nodes_text;          // as written ("server[2-5]", "ALL")
  std::vector<std::string> nodes;  // expanded, in the order of the node definitions

  // Derived from the nodes.
  uint64_t total_cpus = 0;
  uint32_t total_nodes = 0;
  uint64_t total_memory_mb = 0;

  SourceLoc loc;  // the PartitionName line
};

}  // namespace drover::config
