// The scheduling pass (Slurm's main scheduler, without backfill): pending jobs in
// priority order, then submit order; each starts on the first-fit allocation in the first
// of its partitions where it fits. Within a partition the pass stops at the first job
// that cannot start for lack of resources: that job's reason is Resources, and every
// lower job in the partition gets Priority. Jobs that cannot run for a reason of their own
// (held, BeginTime, PartitionDown, PartitionTimeLimit, PartitionNodeLimit,
// ReqNodeNotAvail) are passed over without blocking anyone.
//
// Pure: `now` is given; the ledger is the only thing changed (jobs started are booked).
// With a queue depth, only that many jobs are examined (Slurm's default_queue_depth).
// Cost: O(pending + nodes examined); no sorting here (the caller keeps the queue in order).
// Thread-safety: none; the caller owns the ledger.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/clock.h"
#include "core/job.h"
#include "core/partition.h"
#include "sched/ledger.h"
#include "sched/policies.h"

namespace drover::sched {

// One pending job as the pass sees it.
struct PassJob {
  const Job* job = nullptr;
  std::span<const uint16_t> partitions;  // indexes into PassInput::partitions, in order
  std::span<const uint32_t> required;    // -w as node indexes (sorted or not)
  std::span<const uint32_t> excluded;    // -x as node indexes, sorted
  bool unknown_required_node = false;    // -w names a node not in the table
};

struct PassInput {
  TimePoint now{};
  std::span<const PassJob> queue;  // priority order
  std::span<const Partition> partitions;
  const SelectPolicy* select = nullptr;
  // default_queue_depth: the pass examines at most this many jobs (0: all); the jobs after
  // keep their reasons until a later pass reaches them.
  uint32_t queue_depth = 0;
};

struct StartDecision {
  JobId job = 0;
  uint16_t partition = 0;
  Allocation alloc;  // booked in the ledger
};

struct ReasonDecision {
  JobId job = 0;
  PendingReason reason = PendingReason::kNone;
};

struct PassResult {
  std::vector<StartDecision> starts;
  std::vector<ReasonDecision> reasons;  // only where the reason changed
  uint32_t considered = 0;
  bool depth_reached = false;  // stopped at queue_depth with jobs left unexamined
};

// A reason of the job's own that keeps it from starting in `partition` now, or kNone.
PendingReason PartitionLimitReason(const Job& job, const Partition& partition);
// Hold and BeginTime: reasons that do not depend on the partition.
PendingReason JobOwnReason(const Job& job, TimePoint now);

PassResult RunPass(const PassInput& input, ResourceLedger& ledger);

}  // namespace drover::sched
