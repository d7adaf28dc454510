#include "sched/policy/priority_basic.h"

#include <algorithm>

namespace drover::sched {

uint32_t BasicPriority::Priority(const Job& job, const Partition*, TimePoint) const {
  int64_t p = int64_t{kTop} - 1 - static_cast<int64_t>(job.submit_seq % (kTop - 2)) - job.nice;
  return static_cast<uint32_t>(std::clamp<int64_t>(p, 1, UINT32_MAX));
}

}  // namespace drover::sched
