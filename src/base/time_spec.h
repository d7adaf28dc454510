// Points in time as users write them (sbatch --begin, sacct -S/-E, scontrol update
// StartTime=) and as Slurm prints them (2025-09-18T16:34:50, local time).
//
// Accepted forms, as Slurm documents them:
//   now  now+1hour  now+30 (seconds)  now+2days  now+5minutes  now-1hour
//   YYYY-MM-DD  YYYY-MM-DDTHH:MM  YYYY-MM-DDTHH:MM:SS
//   MMDDYY  MM/DD/YY  MM.DD.YY  MMDD  HH:MM  HH:MM:SS  (a bare time: the next one)
//   midnight  noon  elevenses (11:00)  fika (15:00)  teatime (16:00)  today  tomorrow
//   the same with a time or offset appended where Slurm allows it
// Everything is interpreted in the local time zone, relative to the `now` passed in:
// no function here reads a clock.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"

namespace drover {

// Errors: kInvalidTimeValue naming the text.
Result<TimePoint> ParseTimeSpec(std::string_view text, TimePoint now);

// "2025-09-18T16:34:50" in local time; Slurm's style everywhere it prints a time.
std::string FormatIsoTime(TimePoint t);

}  // namespace drover
