// What a simulated schedule achieved, from each job's submit, start and end:
//  - utilization: CPU-seconds used over CPU-seconds available from the first submission
//    to the last end (the makespan);
//  - wait: start - submit (mean and median);
//  - bounded slowdown: max(1, (wait + run) / max(run, 10 s)), the mean over jobs; the
//    10 s bound keeps very short jobs from dominating it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace drover::sim {

struct JobOutcome {
  int64_t submit_s = 0, start_s = 0, end_s = 0;
  uint32_t cpus = 0;
  bool backfilled = false;
};

struct Metrics {
  uint64_t jobs = 0;
  double utilization = 0;  // 0..1
  double mean_wait_s = 0, median_wait_s = 0;
  double mean_bounded_slowdown = 0;
  int64_t makespan_s = 0;
};

// REQUIRES: every outcome has start >= submit and end >= start.
Metrics ComputeMetrics(std::span<const JobOutcome> outcomes, uint64_t total_cpus);

}  // namespace drover::sim
