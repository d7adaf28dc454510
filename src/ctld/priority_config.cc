#include "ctld/priority_config.h"

#include <algorithm>
#include <unordered_map>

#include "core/gres.h"

namespace drover::ctld {

Result<sched::MultifactorSettings> MultifactorFromConfig(const config::SlurmConfig& c,
                                                         std::vector<std::string>* unknown_flags) {
  sched::MultifactorSettings s;
  s.weight_age = c.priority_weight_age;
  s.weight_assoc = c.priority_weight_assoc;
  s.weight_fair_share = c.priority_weight_fair_share;
  s.weight_job_size = c.priority_weight_job_size;
  s.weight_partition = c.priority_weight_partition;
  s.weight_qos = c.priority_weight_qos;
  s.max_age = c.priority_max_age;
  s.favor_small = c.priority_favor_small;
  sched::ParsedPriorityFlags flags = sched::ParsePriorityFlags(c.priority_flags);
  if (unknown_flags) *unknown_flags = std::move(flags.unknown);
  s.flags = flags.flags;
  auto tres = sched::ParseTresWeights(c.priority_weight_tres);
  if (!tres) return std::move(tres).error();
  s.weight_tres = std::move(*tres);
  return s;
}

sched::PriorityCluster PriorityClusterFromConfig(const config::SlurmConfig& c) {
  sched::PriorityCluster pc;
  std::unordered_map<std::string, Tres> node_tres;
  for (const auto& n : c.nodes) {
    Tres t;
    t.Set(TresKey::Cpu(), n.cpus);
    t.Set(TresKey::Mem(), n.real_memory_mb);
    t.Set(TresKey::Node(), 1);
    AddGresToTres(n.gres, &t);
    pc.total_cpus += n.cpus;
    pc.cluster_tres.Add(t);
    node_tres[n.name] = std::move(t);
  }
  for (const auto& p : c.partitions) {
    pc.max_partition_job_factor =
        std::max<uint32_t>(pc.max_partition_job_factor, p.priority_job_factor);
    Tres t;
    for (const auto& name : p.nodes) {
      auto it = node_tres.find(name);
      if (it != node_tres.end()) t.Add(it->second);
    }
    pc.partition_tres[p.name] = std::move(t);
  }
  pc.def_mem_per_cpu_mb = c.def_mem_per_cpu_mb;
  pc.def_mem_per_node_mb = c.def_mem_per_node_mb;
  return pc;
}

}  // namespace drover::ctld
