// scontrol show node: Slurm 22.05's keys and order (shared/reference/scontrol_show_node*.txt),
// including its trailing spaces and the power/sensor lines it prints with no plugin.
#include <fmt/format.h>

#include <ostream>

#include "cli/scontrol/record.h"
#include "cli/scontrol/show.h"
#include "cli/sinfo/node_text.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::scontrol {
namespace {

namespace jt = jobtext;

std::string JoinOrNull(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return jt::OrNull(out);
}

std::string GresText(const google::protobuf::RepeatedPtrField<v1::Gres>& gres, bool sockets) {
  std::string out;
  for (const v1::Gres& g : gres) {
    if (!out.empty()) out.push_back(',');
    out += g.name() + (g.type().empty() ? "" : ":" + g.type()) + fmt::format(":{}", g.count());
    if (sockets && g.sockets_size() > 0) out += "(S:" + jt::IdRangesText(g.sockets()) + ")";
    if (!sockets && g.indexes_size() > 0) out += "(IDX:" + jt::IdRangesText(g.indexes()) + ")";
  }
  return out;
}

}  // namespace

std::string RenderNode(const v1::NodeInfo& n, const ShowOptions& options) {
  const v1::NodeResources& c = n.config();
  Record r(options.one_liner);
  r.Line(fmt::format("NodeName={} Arch={} CoresPerSocket={} ", n.name(), jt::OrNull(n.arch()),
                     c.cores_per_socket()));
  r.Line(fmt::format("CPUAlloc={} CPUEfctv={} CPUTot={} CPULoad={}", n.cpus_alloc(),
                     n.cpus_effective(), c.cpus(),
                     n.has_cpu_load() ? fmt::format("{:.2f}", n.cpu_load()) : "N/A"));
  r.Line("AvailableFeatures=" + JoinOrNull(c.features()));
  r.Line("ActiveFeatures=" + JoinOrNull(n.active_features()));
  r.Line("Gres=" + jt::OrNull(GresText(n.gres(), true)));
  if (n.gres_used_size() > 0) r.Line("GresUsed=" + GresText(n.gres_used(), false));
  std::string addr = fmt::format("NodeAddr={} NodeHostName={}", n.address(), n.hostname());
  if (n.port() != 0) addr += fmt::format(" Port={}", n.port());
  r.Line(addr + " Version=" + jt::OrNull(n.version()));
  r.Line("OS=" + n.os() + " ");
  r.Line(fmt::format("RealMemory={} AllocMem={} FreeMem={} Sockets={} Boards={}",
                     c.real_memory_mb(), n.alloc_mem_mb(),
                     n.has_free_mem_mb() ? std::to_string(n.free_mem_mb()) : "N/A", c.sockets(),
                     c.boards()));
  if (c.core_spec_count() > 0 || c.cpu_spec_list_size() > 0 || c.mem_spec_limit_mb() > 0) {
    r.Line(fmt::format("CoreSpecCount={} CPUSpecList={} MemSpecLimit={}", c.core_spec_count(),
                       jt::IdRangesText(c.cpu_spec_list()), c.mem_spec_limit_mb()));
  }
  std::string owner =
      n.has_owner() ? fmt::format("{}({})", n.owner().name(), n.owner().uid()) : "N/A";
  r.Line(fmt::format("State={} ThreadsPerCore={} TmpDisk={} Weight={} Owner={} MCS_label={}",
                     nodetext::StateScontrol(n), c.threads_per_core(), c.tmp_disk_mb(), n.weight(),
                     owner, n.mcs_label().empty() ? "N/A" : n.mcs_label()));
  if (n.partitions_size() > 0) {
    std::string parts;
    for (const std::string& p : n.partitions()) parts += (parts.empty() ? "" : ",") + p;
    r.Line("Partitions=" + parts + " ");
  }
  r.Line(fmt::format("BootTime={} SlurmdStartTime={}", jt::IsoTimeOr(n.boot_time(), "None"),
                     jt::IsoTimeOr(n.daemon_start_time(), "None")));
  r.Line("LastBusyTime=" + jt::IsoTimeOr(n.last_busy_time(), "Unknown"));
  r.Line("CfgTRES=" + jt::TresText(n.cfg_tres()));
  r.Line("AllocTRES=" + jt::TresText(n.alloc_tres()));
  r.Line("CapWatts=n/a");
  r.Line(fmt::format("CurrentWatts={} AveWatts={}", n.current_watts(), n.ave_watts()));
  r.Line("ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s");
  if (!n.reason().empty()) {
    std::string who = n.reason_user().name().empty() ? std::to_string(n.reason_user().uid())
                                                     : n.reason_user().name();
    r.Line(fmt::format("Reason={} [{}@{}]", n.reason(), who,
                       jt::IsoTimeOr(n.reason_time(), "Unknown")));
  }
  if (!n.comment().empty()) r.Line("Comment=" + n.comment());
  if (!n.extra().empty()) r.Line("Extra=" + n.extra());
  return r.Finish();
}

int ShowNodes(const Invocation& inv, client::ControllerClient& client,
              const std::vector<std::string>& words, const ShowOptions& options) {
  v1::ListNodesRequest request;
  request.set_include_hidden(true);
  for (const std::string& w : words) request.add_node_names(w);
  Result<std::vector<v1::NodeInfo>> nodes = client.ListNodes(request);
  if (!nodes) {
    inv.err << "slurm_load_node error: " << nodes.error().message() << "\n";
    return 1;
  }
  if (nodes->empty()) {
    if (!words.empty()) {
      inv.err << "Node " << words.front() << " not found\n";
      return 1;
    }
    inv.out << "No nodes in the system\n";
    return 0;
  }
  for (const v1::NodeInfo& n : *nodes) inv.out << RenderNode(n, options);
  return 0;
}

}  // namespace drover::cli::scontrol
