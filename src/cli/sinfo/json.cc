// sinfo --json: nodes and partitions in Slurm 22.05's OpenAPI v0.0.38 shape (member names
// and order of its node and partition dumps; see shared/reference/sinfo_json_head50.txt).
#include "base/strings.h"
#include "cli/common/format_json.h"
#include "cli/sinfo/node_text.h"
#include "cli/sinfo/sinfo.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::sinfo {
namespace {

namespace nt = nodetext;

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

JsonArray List(const google::protobuf::RepeatedPtrField<std::string>& items) {
  JsonArray out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

JsonObject NodeJson(const v1::NodeInfo& n) {
  const v1::NodeResources& c = n.config();
  std::string base = nt::StateScontrol(n);
  std::string state = AsciiLower(base.substr(0, base.find('+')));
  JsonArray flags;
  for (size_t pos = base.find('+'); pos != std::string::npos;) {
    size_t next = base.find('+', pos + 1);
    flags.emplace_back(base.substr(pos + 1, next == std::string::npos ? next : next - pos - 1));
    pos = next;
  }
  int64_t load = n.has_cpu_load() ? static_cast<int64_t>(n.cpu_load() * 100 + 0.5) : 0;
  return JsonObject{
      {"architecture", n.arch()},
      {"burstbuffer_network_address", ""},
      {"boards", c.boards()},
      {"boot_time", n.boot_time()},
      {"comment", n.comment()},
      {"cores", c.cores_per_socket()},
      {"cpu_binding", 0},
      {"cpu_load", load},
      {"extra", n.extra()},
      {"free_memory", n.has_free_mem_mb() ? JsonValue(n.free_mem_mb()) : JsonValue(0)},
      {"cpus", c.cpus()},
      {"last_busy", n.last_busy_time()},
      {"features", Join(c.features())},
      {"active_features", Join(n.active_features())},
      {"gres", ""},
      {"gres_drained", "N/A"},
      {"gres_used", ""},
      {"mcs_label", n.mcs_label()},
      {"name", n.name()},
      {"next_state_after_reboot", "invalid"},
      {"address", n.address()},
      {"hostname", n.hostname()},
      {"state", state},
      {"state_flags", flags},
      {"next_state_after_reboot_flags", JsonArray{}},
      {"operating_system", n.os()},
      {"owner", n.has_owner() ? JsonValue(n.owner().name()) : JsonValue(nullptr)},
      {"partitions", List(n.partitions())},
      {"port", n.port()},
      {"real_memory", c.real_memory_mb()},
      {"reason", n.reason()},
      {"reason_changed_at", n.reason_time()},
      {"reason_set_by_user", n.reason_user().name()},
      {"slurmd_start_time", n.daemon_start_time()},
      {"sockets", c.sockets()},
      {"threads", c.threads_per_core()},
      {"temporary_disk", c.tmp_disk_mb()},
      {"weight", n.weight()},
      {"tres", jobtext::TresText(n.cfg_tres())},
      {"slurmd_version", n.version()},
      {"alloc_memory", n.alloc_mem_mb()},
      {"alloc_cpus", n.cpus_alloc()},
      {"idle_cpus", c.cpus() > n.cpus_alloc() ? c.cpus() - n.cpus_alloc() : 0u},
      {"tres_used", jobtext::TresText(n.alloc_tres())},
      {"tres_weighted", 0.0},
  };
}

JsonValue Limit(bool has, int64_t v) { return !has || v < 0 ? JsonValue(-1) : JsonValue(v); }

JsonObject PartitionJson(const v1::PartitionInfo& p) {
  JsonArray flags;
  if (p.is_default()) flags.emplace_back("default");
  if (p.hidden()) flags.emplace_back("hidden");
  return JsonObject{
      {"flags", flags},
      {"preemption_mode", JsonArray{"disabled"}},
      {"allowed_allocation_nodes", Join(p.alloc_nodes())},
      {"allowed_accounts", Join(p.allow_accounts())},
      {"allowed_groups", Join(p.allow_groups())},
      {"allowed_qos", Join(p.allow_qos())},
      {"alternative", ""},
      {"billing_weights", p.tres_billing_weights()},
      {"default_memory_per_cpu", p.has_def_mem_per_cpu_mb() ? p.def_mem_per_cpu_mb() : 0},
      {"default_time_limit", p.has_default_time_s() ? JsonValue(p.default_time_s() / 60) : nullptr},
      {"denied_accounts", Join(p.deny_accounts())},
      {"denied_qos", Join(p.deny_qos())},
      {"preemption_grace_time", p.grace_time_s()},
      {"maximum_cpus_per_node", Limit(p.has_max_cpus_per_node(), p.max_cpus_per_node())},
      {"maximum_memory_per_node", Limit(p.has_max_mem_per_node_mb(), p.max_mem_per_node_mb())},
      {"maximum_nodes_per_job", Limit(p.has_max_nodes(), p.max_nodes())},
      {"max_time_limit", Limit(p.has_max_time_s(), p.max_time_s() < 0 ? -1 : p.max_time_s() / 60)},
      {"min nodes per job", p.min_nodes()},
      {"name", p.name()},
      {"nodes", p.node_list()},
      {"over_time_limit",
       p.has_over_time_limit_s() ? JsonValue(p.over_time_limit_s() / 60) : nullptr},
      {"priority_job_factor", p.priority_job_factor()},
      {"priority_tier", p.priority_tier()},
      {"qos", p.qos()},
      {"state", std::string(nt::PartitionStateText(p.state()))},
      {"total_cpus", p.total_cpus()},
      {"total_nodes", p.total_nodes()},
      {"tres", jobtext::TresText(p.tres())},
  };
}

}  // namespace

std::string RenderSinfoJson(const std::vector<v1::PartitionInfo>& partitions,
                            const std::vector<v1::NodeInfo>& nodes) {
  JsonObject doc = SlurmJsonMeta();
  JsonArray node_list, partition_list;
  for (const v1::NodeInfo& n : nodes) node_list.emplace_back(NodeJson(n));
  for (const v1::PartitionInfo& p : partitions) partition_list.emplace_back(PartitionJson(p));
  doc.emplace_back("nodes", std::move(node_list));
  doc.emplace_back("partitions", std::move(partition_list));
  return WriteJson(doc);
}

}  // namespace drover::cli::sinfo
