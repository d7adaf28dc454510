// SimJob: one job as the simulator replays it: when it arrives, how many CPUs it asks
// for, its time limit, and how long it really runs (at most its limit: a job that would
// run longer is ended at its limit, as the controller would).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>

namespace drover::sim {

struct SimJob {
  uint64_t id = 0;
  int64_t submit_s = 0;  // seconds from the start of the trace
  int64_t run_s = 0;     // >= 0, <= limit_s
  int64_t limit_s = 60;  // > 0
  uint32_t cpus = 1;     // tasks of one CPU each
  uint32_t user = 0;
  friend bool operator==(const SimJob&, const SimJob&) = default;
};

}  // namespace drover::sim
