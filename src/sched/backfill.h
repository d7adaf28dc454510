// The backfill pass (Slurm's sched/backfill): run after the main pass, on the jobs still
// pending, in priority order. It builds a timeline of when resources free up (each running
// job holds its resources until its start + time limit), then, job by job:
//  - finds the earliest time within bf_window the job fits on its partition's nodes for
//    its whole time limit, given the running jobs and the reservations made so far;
//  - if that is now, starts it (Scheduler=Backfill): it fits beside every reservation for
//    its whole time limit, so it delays none of them;
//  - otherwise reserves those resources from that time, so no lower job can take them,
//    while the partition has reservations left (bf_job_part_count_reserve: 0 is every job
//    examined, i.e. conservative backfill; 1 is EASY backfill).
// Every job examined gets its planned start time (squeue --start, StartTime=).
// At most bf_max_job_test jobs are examined, bf_max_job_user per user. Times are planned
// on a bf_resolution grid, rounding every end up: a plan may be late, never early.
//
// Pure: `now` is given; the ledger is the only thing changed (jobs started are booked).
// Thread-safety: none; the caller owns the ledger.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sched/pass.h"
#include "sched/scheduler_params.h"
#include "sched/timeline.h"

namespace drover::sched {

// A job holding resources: they come back at `end` (TimePoint::max(): never).
struct RunningAlloc {
  const Allocation* alloc = nullptr;  // node_index set on every node
  TimePoint end = TimePoint::max();
};

struct BackfillInput {
  TimePoint now{};
  std::span<const PassJob> queue;  // pending jobs, priority order
  std::span<const Partition> partitions;
  const SelectPolicy* select = nullptr;
  std::span<const RunningAlloc> running;
  SchedulerParams params;
};

struct PlannedStart {
  JobId job = 0;
  uint16_t partition = 0;
  TimePoint start{};
  bool reserved = false;         // resources held for it; false once the depth is used up
  std::vector<NodePlan> nodes;   // where, by count
};

struct BackfillResult {
  std::vector<StartDecision> starts;  // started now, by backfill
  std::vector<PlannedStart> planned;  // pending jobs with a start within the window
  uint32_t examined = 0;
};

BackfillResult RunBackfill(const BackfillInput& input, ResourceLedger& ledger);

// The plan `req` gets on `candidates` if every node offers, over the whole of
// [start, end), only what the timeline says is free then; nullopt if it does not fit.
// Mirrors Plan() (matcher.h) with counts instead of a ledger.
std::optional<std::vector<NodePlan>> PlanOnTimeline(const MatchRequest& req,
                                                    const Timeline& timeline,
                                                    const ResourceLedger& ledger,
                                                    std::span<const uint32_t> candidates,
                                                    int64_t start, int64_t end);

}  // namespace drover::sched
