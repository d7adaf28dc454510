// SchedulerParameters: the comma-separated options slurm.conf gives the main scheduler
// and the backfill pass ("bf_interval=30,bf_window=2880,default_queue_depth=200").
// slurm.conf keeps the value as text; this reads the options scheduling uses.
//
//   bf_interval=#s             seconds between backfill passes (default 30)
//   bf_window=#min             how far ahead backfill plans (default 1440 = one day)
//   bf_resolution=#s           time granularity of the plan (default 60)
//   bf_max_job_test=#          jobs one backfill pass examines (default 500)
//   bf_max_job_user=#          jobs per user one backfill pass examines (0: no limit)
//   bf_job_part_count_reserve=#  jobs per partition given a reservation; 0 (default) is
//                              every job examined (conservative backfill), 1 is EASY
//   default_queue_depth=#      jobs one event-driven main pass examines (default 100)
//   sched_interval=#s          seconds between main passes over the whole queue (60)
// Options Drover does not use are kept in `ignored` for the caller to mention.
//
// Thread-safety: value types; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::sched {

struct SchedulerParams {
  int64_t bf_interval_s = 30;
  int64_t bf_window_min = 1440;
  int64_t bf_resolution_s = 60;
  uint32_t bf_max_job_test = 500;
  uint32_t bf_max_job_user = 0;           // 0: unlimited
  uint32_t bf_job_part_count_reserve = 0;  // 0: unlimited
  uint32_t default_queue_depth = 100;     // 0: unlimited
  int64_t sched_interval_s = 60;
  std::vector<std::string> ignored;
};

// Errors: kConfigValue "SchedulerParameters: bf_window: invalid value 'x': expected a
// positive integer".
Result<SchedulerParams> ParseSchedulerParams(std::string_view text);

}  // namespace drover::sched
