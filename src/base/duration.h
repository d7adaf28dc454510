// Duration: a time limit or elapsed time, in whole seconds, or infinite.
//
// Slurm reads time limits as   mm   mm:ss   hh:mm:ss   d-hh   d-hh:mm   d-hh:mm:ss
// and UNLIMITED / INFINITE / -1 for no limit; a bare number is minutes.
// It prints them in several styles, all provided here:
//   squeue TIME/TIME_LIMIT   0:04  30:00  1:00:00  2-00:00:00   infinite / UNLIMITED
//   scontrol show job        00:30:00  2-00:00:00  UNLIMITED
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drover {

class Duration {
 public:
  constexpr Duration() = default;  // zero
  static constexpr Duration Infinite() { return Duration(-1); }
  static constexpr Duration FromSeconds(int64_t s) { return Duration(s); }
  static constexpr Duration FromMinutes(int64_t m) { return Duration(m * 60); }

  constexpr bool infinite() const { return seconds_ < 0; }
  // REQUIRES: !infinite().
  constexpr int64_t seconds() const { return seconds_; }
  // Whole minutes, rounded up as Slurm stores limits; -1 when infinite.
  constexpr int64_t minutes_ceil() const {
    return infinite() ? -1 : (seconds_ + 59) / 60;
  }

  friend constexpr bool operator==(Duration, Duration) = default;
  // Infinite is greater than every finite duration.
  friend constexpr bool operator<(Duration a, Duration b) {
    if (a.infinite()) return false;
    if (b.infinite()) return true;
    return a.seconds_ < b.seconds_;
  }

 private:
  constexpr explicit Duration(int64_t s) : seconds_(s) {}
  int64_t seconds_ = 0;
};

// Parses every form Slurm takes for a time limit (see above). Errors: kInvalidTimeValue.
Result<Duration> ParseDuration(std::string_view text);

// squeue's style: [d-][h:]mm:ss with the hours and days only when non-zero
// ("0:04", "30:00", "1:00:00", "2-00:00:00"); `infinite_text` when infinite.
std::string FormatElapsed(Duration d, std::string_view infinite_text = "UNLIMITED");

// scontrol's style: [d-]hh:mm:ss ("00:30:00", "7-00:00:00"); `infinite_text` when infinite.
std::string FormatHms(Duration d, std::string_view infinite_text = "UNLIMITED");

// sinfo's TIMELIMIT style: like FormatElapsed, "infinite" when infinite.
inline std::string FormatTimeLimitSinfo(Duration d) { return FormatElapsed(d, "infinite"); }

}  // namespace drover
