// priority/basic: FIFO. Slurm gives each new job one less than the last job's priority,
// starting just under 0xffff0000, and subtracts the job's nice value. Drover derives the
// same number from the job's submission sequence, so replay after a restart gives every
// job the priority it had.
//
// Thread-safety: stateless.
#pragma once

#include "sched/policies.h"

namespace drover::sched {

class BasicPriority final : public PriorityPolicy {
 public:
  static constexpr uint32_t kTop = 0xffff0000u;
  std::string_view name() const override { return "priority/basic"; }
  uint32_t Priority(const Job& job, const Partition* partition, TimePoint now) const override;
};

}  // namespace drover::sched
