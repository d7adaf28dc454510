#include "core/job.h"

#include <algorithm>

namespace drover {

std::vector<std::string> JobPartitions(const JobSpec& spec, const std::string& default_partition) {
  if (!spec.partitions.empty()) return spec.partitions;
  if (default_partition.empty()) return {};
  return {default_partition};
}

uint32_t EffectiveTasks(const JobSpec& spec, uint32_t min_nodes) {
  if (spec.ntasks > 0) return spec.ntasks;
  uint32_t nodes = std::max<uint32_t>(min_nodes, 1);
  if (spec.ntasks_per_node > 0) return nodes * spec.ntasks_per_node;
  return nodes;
}

}  // namespace drover
