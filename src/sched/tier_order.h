// Partition PriorityTier comes before job priority: Slurm examines jobs whose partitions
// have a higher PriorityTier first, then by priority, submit order and id. The engine
// keeps the queue in priority order; this reorders it by tier before a pass.
//
// Thread-safety: pure function.
#pragma once

#include <span>
#include <vector>

#include "sched/pass.h"

namespace drover::sched {

// Stable-sorts `queue` by the highest PriorityTier among each job's partitions, highest
// first. O(n) when every partition has the same tier (the usual case): nothing moves.
void OrderByPriorityTier(std::vector<PassJob>& queue, std::span<const Partition> partitions);

}  // namespace drover::sched
