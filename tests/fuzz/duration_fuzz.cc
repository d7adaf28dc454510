// Fuzzes ParseDuration: any input either fails with kInvalidTimeValue or gives a duration
// that both of Slurm's print styles (squeue, scontrol) write in a form that reads back
// to the same duration.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "base/duration.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool SameDuration(const std::string& text, drover::Duration want) {
  drover::Result<drover::Duration> got = drover::ParseDuration(text);
  return got.has_value() && *got == want;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  drover::Result<drover::Duration> d = drover::ParseDuration(text);
  if (!d.has_value()) {
    Check(d.error().code() == drover::ErrorCode::kInvalidTimeValue);
    return 0;
  }
  if (!d->infinite()) {
    Check(d->seconds() >= 0 && d->seconds() <= std::numeric_limits<int32_t>::max());
    Check(d->minutes_ceil() * 60 >= d->seconds());
  }
  std::string elapsed = drover::FormatElapsed(*d);
  std::string hms = drover::FormatHms(*d);
  Check(SameDuration(elapsed, *d));
  Check(SameDuration(hms, *d));
  Check(SameDuration(drover::FormatTimeLimitSinfo(*d), *d));
  // Printing what was read back prints the same text.
  Check(drover::FormatElapsed(drover::ParseDuration(elapsed).value()) == elapsed);
  Check(drover::FormatHms(drover::ParseDuration(hms).value()) == hms);
  return 0;
}
