// scontrol show partition: Slurm 22.05's keys and order (shared/reference/
// scontrol_show_partition.txt). 25.05 adds ExclusiveTopo and MaxCPUsPerSocket (seed 000);
// Drover prints 22.05's set, the version it reports.
#include <fmt/format.h>

#include <ostream>

#include "base/duration.h"
#include "cli/scontrol/record.h"
#include "cli/scontrol/show.h"
#include "cli/sinfo/node_text.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::scontrol {
namespace {

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string YesNo(bool b) { return b ? "YES" : "NO"; }

std::string Limit(bool has, int64_t v) { return !has || v < 0 ? "UNLIMITED" : std::to_string(v); }

std::string Hms(int64_t s) {
  return FormatHms(s < 0 ? Duration::Infinite() : Duration::FromSeconds(s));
}

// AllowAccounts=ALL, or DenyAccounts=x when only a deny list is set.
std::string Access(std::string_view allow_key, std::string_view deny_key,
                   const google::protobuf::RepeatedPtrField<std::string>& allow,
                   const google::protobuf::RepeatedPtrField<std::string>& deny) {
  if (allow.empty() && !deny.empty()) return fmt::format("{}={}", deny_key, Join(deny));
  return fmt::format("{}={}", allow_key, allow.empty() ? "ALL" : Join(allow));
}

std::string OverSubscribe(const v1::PartitionInfo& p) {
  switch (p.over_subscribe()) {
    case v1::PARTITION_OVER_SUBSCRIBE_EXCLUSIVE:
      return "EXCLUSIVE";
    case v1::PARTITION_OVER_SUBSCRIBE_YES:
      return fmt::format("YES:{}", p.over_subscribe_count());
    case v1::PARTITION_OVER_SUBSCRIBE_FORCE:
      return fmt::format("FORCE:{}", p.over_subscribe_count());
    default:
      return "NO";
  }
}

std::string PreemptMode(const v1::PartitionInfo& p) {
  std::string mode;
  switch (p.preempt_mode()) {
    case v1::PREEMPT_MODE_CANCEL:
      mode = "CANCEL";
      break;
    case v1::PREEMPT_MODE_REQUEUE:
      mode = "REQUEUE";
      break;
    case v1::PREEMPT_MODE_SUSPEND:
      mode = "SUSPEND";
      break;
    case v1::PREEMPT_MODE_WITHIN:
      mode = "WITHIN";
      break;
    default:
      mode = "OFF";
      break;
  }
  if (p.preempt_gang()) mode += ",GANG";
  return mode;
}

std::string MemLine(const v1::PartitionInfo& p) {
  std::string def =
      p.has_def_mem_per_cpu_mb()
          ? fmt::format("DefMemPerCPU={}", p.def_mem_per_cpu_mb())
          : "DefMemPerNode=" + Limit(p.has_def_mem_per_node_mb(), p.def_mem_per_node_mb());
  std::string max =
      p.has_max_mem_per_cpu_mb()
          ? fmt::format("MaxMemPerCPU={}", p.max_mem_per_cpu_mb())
          : "MaxMemPerNode=" + Limit(p.has_max_mem_per_node_mb(), p.max_mem_per_node_mb());
  return def + " " + max;
}

}  // namespace

std::string RenderPartition(const v1::PartitionInfo& p, const ShowOptions& options) {
  Record r(options.one_liner);
  r.Line("PartitionName=" + p.name());
  r.Line(fmt::format("AllowGroups={} {} {}",
                     p.allow_groups().empty() ? "ALL" : Join(p.allow_groups()),
                     Access("AllowAccounts", "DenyAccounts", p.allow_accounts(), p.deny_accounts()),
                     Access("AllowQos", "DenyQos", p.allow_qos(), p.deny_qos())));
  r.Line(fmt::format("AllocNodes={} Default={} QoS={}",
                     p.alloc_nodes().empty() ? "ALL" : Join(p.alloc_nodes()), YesNo(p.is_default()),
                     p.qos().empty() ? "N/A" : p.qos()));
  r.Line(fmt::format("DefaultTime={} DisableRootJobs={} ExclusiveUser={} GraceTime={} Hidden={}",
                     p.has_default_time_s() ? Hms(p.default_time_s()) : "NONE",
                     YesNo(p.disable_root_jobs()), YesNo(p.exclusive_user()), p.grace_time_s(),
                     YesNo(p.hidden())));
  r.Line(fmt::format("MaxNodes={} MaxTime={} MinNodes={} LLN={} MaxCPUsPerNode={}",
                     Limit(p.has_max_nodes(), p.max_nodes()),
                     p.has_max_time_s() ? Hms(p.max_time_s()) : "UNLIMITED", p.min_nodes(),
                     YesNo(p.lln()), Limit(p.has_max_cpus_per_node(), p.max_cpus_per_node())));
  r.Line("Nodes=" + jobtext::OrNull(p.node_list()));
  r.Line(fmt::format("PriorityJobFactor={} PriorityTier={} RootOnly={} ReqResv={} OverSubscribe={}",
                     p.priority_job_factor(), p.priority_tier(), YesNo(p.root_only()),
                     YesNo(p.req_resv()), OverSubscribe(p)));
  std::string over_time = !p.has_over_time_limit_s()  ? "NONE"
                          : p.over_time_limit_s() < 0 ? "UNLIMITED"
                                                      : std::to_string(p.over_time_limit_s() / 60);
  r.Line(fmt::format("OverTimeLimit={} PreemptMode={}", over_time, PreemptMode(p)));
  r.Line(fmt::format("State={} TotalCPUs={} TotalNodes={} SelectTypeParameters={}",
                     nodetext::PartitionStateText(p.state()), p.total_cpus(), p.total_nodes(),
                     p.select_type_parameters().empty() ? "NONE" : p.select_type_parameters()));
  r.Line("JobDefaults=" + jobtext::OrNull(p.job_defaults()));
  r.Line(MemLine(p));
  r.Line("TRES=" + jobtext::TresText(p.tres()));
  if (!p.tres_billing_weights().empty()) r.Line("TRESBillingWeights=" + p.tres_billing_weights());
  return r.Finish();
}

int ShowPartitions(const Invocation& inv, client::ControllerClient& client,
                   const std::vector<std::string>& words, const ShowOptions& options) {
  v1::ListPartitionsRequest request;
  request.set_include_hidden(true);
  for (const std::string& w : words) request.add_names(w);
  Result<v1::ListPartitionsResponse> reply = client.ListPartitions(request);
  if (!reply) {
    inv.err << "slurm_load_partitions error: " << reply.error().message() << "\n";
    return 1;
  }
  if (reply->partitions().empty()) {
    if (!words.empty()) {
      inv.err << "Partition " << words.front() << " not found\n";
      return 1;
    }
    inv.out << "No partitions in the system\n";
    return 0;
  }
  for (const v1::PartitionInfo& p : reply->partitions()) inv.out << RenderPartition(p, options);
  return 0;
}

}  // namespace drover::cli::scontrol
