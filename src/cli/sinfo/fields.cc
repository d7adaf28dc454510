#include "cli/sinfo/fields.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/duration.h"
#include "base/hostlist.h"
#include "cli/sinfo/node_text.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::sinfo {
namespace {

namespace nt = nodetext;
using G = NodeGroup;
using F = FieldDef<G>;

const v1::NodeInfo& N(const G& g) { return *g.nodes.front(); }
std::string Num(int64_t n) { return std::to_string(n); }

std::string JoinOr(const google::protobuf::RepeatedPtrField<std::string>& items,
                   std::string_view empty) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? std::string(empty) : out;
}

// "64", or "4+" when the group's nodes differ (Slurm prints the minimum and a '+').
template <typename Get>
std::string MinPlus(const G& g, Get get) {
  int64_t lo = get(*g.nodes.front()), hi = lo;
  for (const v1::NodeInfo* n : g.nodes) {
    lo = std::min<int64_t>(lo, get(*n));
    hi = std::max<int64_t>(hi, get(*n));
  }
  return lo == hi ? Num(lo) : Num(lo) + "+";
}

std::string NodeList(const G& g) {
  std::vector<std::string> names;
  for (const v1::NodeInfo* n : g.nodes) names.push_back(n->name());
  return Hostlist::Compress(names);
}

std::string Partition(const G& g) {
  if (g.partition == nullptr) return "n/a";
  return g.partition->name() + (g.partition->is_default() ? "*" : "");
}

std::string TimeLimit(const G& g) {
  if (g.partition == nullptr) return "n/a";
  const v1::PartitionInfo& p = *g.partition;
  if (!p.has_max_time_s() || p.max_time_s() < 0) return "infinite";
  return FormatTimeLimitSinfo(Duration::FromSeconds(p.max_time_s()));
}

std::string DefaultTime(const G& g) {
  if (g.partition == nullptr || !g.partition->has_default_time_s()) return "n/a";
  int64_t t = g.partition->default_time_s();
  return t < 0 ? "infinite" : FormatTimeLimitSinfo(Duration::FromSeconds(t));
}

std::string Aiot(const G& g, bool with_other) {
  int64_t a = 0, i = 0, o = 0;
  for (const v1::NodeInfo* n : g.nodes) {
    char c = nt::StateClass(*n);
    (c == 'A' ? a : c == 'I' ? i : o)++;
  }
  if (!with_other) return fmt::format("{}/{}", a, i);
  return fmt::format("{}/{}/{}/{}", a, i, o, a + i + o);
}

std::string CpusAiot(const G& g) {
  int64_t a = 0, i = 0, o = 0, t = 0;
  for (const v1::NodeInfo* n : g.nodes) {
    int64_t total = n->config().cpus();
    t += total;
    if (nt::StateClass(*n) == 'O') {
      o += total;
    } else {
      a += n->cpus_alloc();
      i += total - n->cpus_alloc();
    }
  }
  return fmt::format("{}/{}/{}/{}", a, i, o, t);
}

std::string JobSize(const G& g) {
  if (g.partition == nullptr) return "n/a";
  const v1::PartitionInfo& p = *g.partition;
  std::string max = !p.has_max_nodes() || p.max_nodes() < 0 ? "infinite" : Num(p.max_nodes());
  return fmt::format("{}-{}", std::max<uint32_t>(p.min_nodes(), 1), max);
}

std::string OverSubscribe(const G& g) {
  if (g.partition == nullptr) return "n/a";
  switch (g.partition->over_subscribe()) {
    case v1::PARTITION_OVER_SUBSCRIBE_EXCLUSIVE:
      return "EXCLUSIVE";
    case v1::PARTITION_OVER_SUBSCRIBE_YES:
      return fmt::format("YES:{}", g.partition->over_subscribe_count());
    case v1::PARTITION_OVER_SUBSCRIBE_FORCE:
      return fmt::format("FORCE:{}", g.partition->over_subscribe_count());
    default:
      return "NO";
  }
}

std::string Gres(const G& g) {
  std::string out;
  for (const v1::Gres& r : N(g).gres()) {
    if (!out.empty()) out.push_back(',');
    out += r.name() + (r.type().empty() ? "" : ":" + r.type()) + fmt::format(":{}", r.count());
  }
  return out.empty() ? "(null)" : out;
}

const F kFields[] = {
    {"Available", 'a', "AVAIL",
     [](const G& g) {
       return g.partition ? std::string(nt::PartitionAvail(g.partition->state())) : "n/a";
     }},
    {"NodeAI", 'A', "NODES(A/I)", [](const G& g) { return Aiot(g, false); }},
    {"MaxCPUsPerNode", 'B', "MAX_CPUS_PER_NODE",
     [](const G& g) {
       return g.partition && g.partition->has_max_cpus_per_node() &&
                      g.partition->max_cpus_per_node() >= 0
                  ? Num(g.partition->max_cpus_per_node())
                  : std::string("UNLIMITED");
     }},
    {"CPUs", 'c', "CPUS",
     [](const G& g) { return MinPlus(g, [](auto& n) { return n.config().cpus(); }); }},
    {"CPUsState", 'C', "CPUS(A/I/O/T)", CpusAiot},
    {"Disk", 'd', "TMP_DISK",
     [](const G& g) { return MinPlus(g, [](auto& n) { return n.config().tmp_disk_mb(); }); }},
    {"Nodes", 'D', "NODES", [](const G& g) { return Num(static_cast<int64_t>(g.nodes.size())); }},
    {"FreeMem", 'e', "FREE_MEM",
     [](const G& g) {
       return N(g).has_free_mem_mb() ? Num(N(g).free_mem_mb()) : std::string("N/A");
     }},
    {"Reason", 'E', "REASON",
     [](const G& g) { return N(g).reason().empty() ? "none" : N(g).reason(); }},
    {"Features", 'f', "AVAIL_FEATURES",
     [](const G& g) { return JoinOr(N(g).config().features(), "(null)"); }},
    {"FeaturesAct", 'b', "ACTIVE_FEATURES",
     [](const G& g) { return JoinOr(N(g).active_features(), "(null)"); }},
    {"NodeAIOT", 'F', "NODES(A/I/O/T)", [](const G& g) { return Aiot(g, true); }},
    {"Groups", 'g', "GROUPS",
     [](const G& g) { return g.partition ? JoinOr(g.partition->allow_groups(), "all") : "n/a"; }},
    {"Gres", 'G', "GRES", Gres},
    {"OverSubscribe", 'h', "OVERSUBSCRIBE", OverSubscribe},
    {"Timestamp", 'H', "TIMESTAMP",
     [](const G& g) { return jobtext::IsoTimeOr(N(g).reason_time(), "Unknown"); }},
    {"PriorityJobFactor", 'I', "PRIO_JOB_FACTOR",
     [](const G& g) { return g.partition ? Num(g.partition->priority_job_factor()) : "n/a"; }},
    {"Time", 'l', "TIMELIMIT", TimeLimit},
    {"DefaultTime", 'L', "DEFAULTTIME", DefaultTime},
    {"Memory", 'm', "MEMORY",
     [](const G& g) { return MinPlus(g, [](auto& n) { return n.config().real_memory_mb(); }); }},
    {"NodeHost", 'n', "HOSTNAMES", [](const G& g) { return N(g).hostname(); }},
    {"NodeList", 'N', "NODELIST", NodeList},
    {"NodeAddr", 'o', "NODE_ADDR", [](const G& g) { return N(g).address(); }},
    {"CPUsLoad", 'O', "CPU_LOAD",
     [](const G& g) {
       return N(g).has_cpu_load() ? fmt::format("{:.2f}", N(g).cpu_load()) : "N/A";
     }},
    {"PriorityTier", 'p', "PRIO_TIER",
     [](const G& g) { return g.partition ? Num(g.partition->priority_tier()) : "n/a"; }},
    {"Partition", 'P', "PARTITION", Partition},
    {"Root", 'r', "ROOT",
     [](const G& g) {
       return std::string(g.partition && g.partition->root_only() ? "yes" : "no");
     }},
    {"PartitionName", 'R', "PARTITION",
     [](const G& g) { return g.partition ? g.partition->name() : "n/a"; }},
    {"Size", 's', "JOB_SIZE", JobSize},
    {"StateCompact", 't', "STATE", [](const G& g) { return nt::StateCompact(N(g)); }},
    {"StateLong", 'T', "STATE", [](const G& g) { return nt::StateLong(N(g)); }},
    {"User", 'u', "USER",
     [](const G& g) {
       return N(g).reason_user().name().empty() ? Num(N(g).reason_user().uid())
                                                : N(g).reason_user().name();
     }},
    {"UserLong", 'U', "USER",
     [](const G& g) {
       return fmt::format("{}({})", N(g).reason_user().name(), N(g).reason_user().uid());
     }},
    {"Version", 'v', "VERSION", [](const G& g) { return N(g).version(); }},
    {"Weight", 'w', "WEIGHT",
     [](const G& g) { return MinPlus(g, [](auto& n) { return n.weight(); }); }},
    {"Sockets", 'X', "SOCKETS", [](const G& g) { return Num(N(g).config().sockets()); }},
    {"Cores", 'Y', "CORES", [](const G& g) { return Num(N(g).config().cores_per_socket()); }},
    {"Threads", 'Z', "THREADS", [](const G& g) { return Num(N(g).config().threads_per_core()); }},
    {"SocketCoreThread", 'z', "S:C:T",
     [](const G& g) {
       const v1::NodeResources& c = N(g).config();
       return fmt::format("{}:{}:{}", c.sockets(), c.cores_per_socket(), c.threads_per_core());
     }},
};

}  // namespace

std::span<const FieldDef<NodeGroup>> NodeFields() { return kFields; }

bool IsAggregateField(const FieldDef<NodeGroup>& field) {
  return std::string_view("NADFCno").find(field.letter) != std::string_view::npos &&
         field.letter != 0;
}

}  // namespace drover::cli::sinfo
