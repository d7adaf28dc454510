// The simulator: replays a workload on N nodes x C CPUs with a virtual clock, scheduling
// it with the controller's own code: sched::RunPass (the main pass, over the first
// default_queue_depth jobs, on every arrival or end) and sched::RunBackfill (every
// bf_interval of virtual time, when something changed since the last). Jobs queue in
// arrival order (priority/basic) in one partition over every node; each job is `cpus`
// one-CPU tasks (select/cons_tres, CR_CPU) and ends after its run time.
//
// Modes: FIFO (no backfill), EASY (backfill, bf_job_part_count_reserve=1) and full
// backfill (a reservation for every job examined).
//
// Besides the schedule's metrics it reports what the scheduler itself cost: the wall
// time of each pass, measured around the pass call only.
// Thread-safety: Simulate is a pure function of its arguments (but for the timings).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sched/scheduler_params.h"
#include "sim/metrics.h"
#include "sim/sim_job.h"

namespace drover::sim {

enum class SimMode : uint8_t { kFifo, kEasy, kFull };
std::string_view SimModeName(SimMode mode);  // "fifo", "easy", "backfill"

struct SimConfig {
  uint32_t nodes = 16;
  uint32_t cpus_per_node = 32;
  SimMode mode = SimMode::kEasy;
  sched::SchedulerParams params;  // bf_job_part_count_reserve is set by the mode
  bool keep_outcomes = false;     // fill SimResult::outcomes
};

struct PassCost {
  uint64_t cycles = 0;
  double total_us = 0, max_us = 0;
  double mean_us() const { return cycles ? total_us / static_cast<double>(cycles) : 0; }
};

struct SimResult {
  Metrics metrics;
  PassCost main, backfill;
  uint64_t started_by_backfill = 0;
  uint64_t too_large = 0;  // jobs asking more CPUs than the cluster has: not run
  double wall_s = 0;       // the whole simulation's wall time
  std::vector<JobOutcome> outcomes;  // in completion order, with keep_outcomes
};

// Errors: kInvalidArgument for a cluster without nodes or CPUs.
Result<SimResult> Simulate(std::span<const SimJob> jobs, const SimConfig& config);

}  // namespace drover::sim
