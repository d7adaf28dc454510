#include "sched/policy/select_cons_tres.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace drover::sched {

ConsTresSelect::ConsTresSelect(std::string_view params, std::optional<uint64_t> def_mem_per_cpu_mb,
                               std::optional<uint64_t> def_mem_per_node_mb) {
  std::string p(params);
  for (auto& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  defaults_.whole_cores =
      p.find("CR_CORE") != std::string::npos || p.find("CR_SOCKET") != std::string::npos;
  defaults_.track_memory = p.find("MEMORY") != std::string::npos;
  defaults_.def_mem_per_cpu_mb = def_mem_per_cpu_mb;
  defaults_.def_mem_per_node_mb = def_mem_per_node_mb;
}

MatchRequest ConsTresSelect::BuildRequest(const Job& job, const Partition& part) const {
  const JobSpec& spec = *job.spec;
  MatchRequest r;
  r.min_nodes = std::max<uint32_t>(job.min_nodes, 1);
  r.max_nodes = job.max_nodes;
  r.ntasks = EffectiveTasks(spec, r.min_nodes);
  r.cpus_per_task = std::max<uint32_t>(spec.cpus_per_task, 1);
  r.ntasks_per_node = spec.ntasks_per_node;
  r.whole_cores = defaults_.whole_cores;
  r.whole_node = spec.exclusive || part.over_subscribe == PartitionOverSubscribe::kExclusive;
  if (!r.whole_node) {
    uint16_t count = std::max<uint16_t>(part.over_subscribe_count, 1);
    if (part.over_subscribe == PartitionOverSubscribe::kForce ||
        (part.over_subscribe == PartitionOverSubscribe::kYes && spec.oversubscribe)) {
      r.share_limit = static_cast<uint8_t>(std::min<uint16_t>(count, 254));
    }
  }
  if (spec.mem_per_node_mb) {
    r.mem = *spec.mem_per_node_mb == 0 ? MemRequest::kWholeNode : MemRequest::kPerNode;
    r.mem_mb = *spec.mem_per_node_mb;
  } else if (spec.mem_per_cpu_mb) {
    r.mem = MemRequest::kPerCpu;
    r.mem_mb = *spec.mem_per_cpu_mb;
  } else if (!defaults_.track_memory) {
    r.mem = MemRequest::kNone;
  } else if (part.def_mem_per_cpu_mb) {
    r.mem = MemRequest::kPerCpu, r.mem_mb = *part.def_mem_per_cpu_mb;
  } else if (part.def_mem_per_node_mb) {
    r.mem = MemRequest::kPerNode, r.mem_mb = *part.def_mem_per_node_mb;
  } else if (defaults_.def_mem_per_cpu_mb) {
    r.mem = MemRequest::kPerCpu, r.mem_mb = *defaults_.def_mem_per_cpu_mb;
  } else if (defaults_.def_mem_per_node_mb && *defaults_.def_mem_per_node_mb > 0) {
    r.mem = MemRequest::kPerNode, r.mem_mb = *defaults_.def_mem_per_node_mb;
  } else {
    r.mem = MemRequest::kWholeNode;
  }
  if (r.whole_node && !spec.mem_per_node_mb && !spec.mem_per_cpu_mb && defaults_.track_memory) {
    r.mem = MemRequest::kWholeNode;
  }
  return r;
}

}  // namespace drover::sched
