// Synthetic workloads: a seeded random stream of jobs with the shape archive traces
// show: most jobs small, sizes often powers of two, run times spread over minutes to a
// day (log-uniform), time limits above the run time by a random factor (users ask for
// more than they use), and Poisson arrivals at a rate that offers the cluster `load`
// (1.0 = as much work as it can do).
//
// The same seed gives the same jobs. Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/sim_job.h"

namespace drover::sim {

struct SyntheticSpec {
  uint64_t seed = 1;
  uint64_t jobs = 1000;
  uint64_t total_cpus = 1024;  // the cluster the load is computed for
  uint32_t max_cpus = 0;       // largest job; 0: total_cpus / 8
  double load = 0.9;
  int64_t min_run_s = 60;
  int64_t max_run_s = 86400;
  uint32_t users = 100;
};

std::vector<SimJob> MakeSyntheticWorkload(const SyntheticSpec& spec);

}  // namespace drover::sim
