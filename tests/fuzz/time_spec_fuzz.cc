// Fuzzes ParseTimeSpec against a few fixed "now"s in a zone with daylight saving: any input
// either fails with kInvalidTimeValue or gives a whole second that FormatIsoTime prints in a
// form that reads back to the same second (except in the repeated hour when the clocks fall
// back, where one wall-clock time names two instants).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

#include "base/time_spec.h"

namespace {

using drover::TimePoint;
using std::chrono::seconds;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Ambiguous(TimePoint t, const std::string& text) {
  return drover::FormatIsoTime(t - std::chrono::hours(1)) == text ||
         drover::FormatIsoTime(t + std::chrono::hours(1)) == text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Berlin has both DST changes; without tzdata glibc falls back to UTC.
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const TimePoint kNows[] = {
      TimePoint(seconds(1758206090)),  // 2025-09-18T16:34:50 CEST, mid-afternoon
      TimePoint(seconds(1743287400)),  // 2025-03-29T23:30:00 CET, eve of spring forward
      TimePoint(seconds(1767220200)),  // 2025-12-31T23:30:00 CET, end of a year
  };
  for (TimePoint now : kNows) {
    drover::Result<TimePoint> t = drover::ParseTimeSpec(text, now);
    if (!t.has_value()) {
      Check(t.error().code() == drover::ErrorCode::kInvalidTimeValue);
      continue;
    }
    Check(std::chrono::floor<seconds>(*t) == *t);
    std::string iso = drover::FormatIsoTime(*t);
    Check(iso.size() == 19 && iso[4] == '-' && iso[10] == 'T');
    drover::Result<TimePoint> back = drover::ParseTimeSpec(iso, now);
    Check(back.has_value());
    Check(*back == *t || Ambiguous(*t, iso));
    Check(drover::FormatIsoTime(*back) == iso);
  }
  return 0;
}
