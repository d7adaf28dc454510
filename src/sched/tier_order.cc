#include "sched/tier_order.h"

#include <algorithm>

namespace drover::sched {

void OrderByPriorityTier(std::vector<PassJob>& queue, std::span<const Partition> partitions) {
  if (partitions.empty()) return;
  const uint16_t first = partitions.front().priority_tier;
  bool same = std::all_of(partitions.begin(), partitions.end(),
                          [&](const Partition& p) { return p.priority_tier == first; });
  if (same) return;
  auto tier = [&](const PassJob& j) {
    uint16_t t = 0;
    for (uint16_t p : j.partitions) t = std::max(t, partitions[p].priority_tier);
    return t;
  };
  std::stable_sort(queue.begin(), queue.end(),
                   [&](const PassJob& a, const PassJob& b) { return tier(a) > tier(b); });
}

}  // namespace drover::sched
