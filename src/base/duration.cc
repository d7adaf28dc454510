#include "base/duration.h"

#include <fmt/core.h>

#include <array>
#include <cstddef>
#include <limits>

namespace drover {
namespace {

// Slurm computes a time limit in a C int of seconds (time_str2secs), so anything past
// INT32_MAX seconds (about 68 years) overflows there; we reject it rather than wrap.
// The cap also keeps `start + limit` far inside TimePoint's range (year 2262).
constexpr int64_t kMaxParsedSeconds = std::numeric_limits<int32_t>::max();

Error InvalidTime(std::string_view text) {
  return Error(ErrorCode::kInvalidTimeValue,
               fmt::format("Invalid time limit specification \"{}\"", text));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// A non-empty run of digits, saturating just above kMaxParsedSeconds so that a long
// run cannot overflow; the caller rejects anything that large.
bool ParseField(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
    if (v > kMaxParsedSeconds) v = kMaxParsedSeconds + 1;
  }
  *out = v;
  return true;
}

// Splits "a:b:c" into at most three fields; false when there are more.
bool SplitColons(std::string_view s, std::array<std::string_view, 3>* fields, size_t* count) {
  *count = 0;
  while (true) {
    if (*count == fields->size()) return false;
    size_t colon = s.find(':');
    (*fields)[(*count)++] = s.substr(0, colon);
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text == "-1" || EqualsIgnoreCase(text, "INFINITE") || EqualsIgnoreCase(text, "UNLIMITED")) {
    return Duration::Infinite();
  }
  // Fields hold at most kMaxParsedSeconds + 1 each, so the weighted sum below stays far
  // inside int64 (86400 * 2^31 * 2 < 2^63).
  int64_t days = 0;
  std::string_view rest = text;
  size_t dash = text.find('-');
  bool has_days = dash != std::string_view::npos;
  if (has_days) {
    if (!ParseField(text.substr(0, dash), &days)) return InvalidTime(text);
    rest = text.substr(dash + 1);
  }
  std::array<std::string_view, 3> fields;
  size_t count = 0;
  if (!SplitColons(rest, &fields, &count)) return InvalidTime(text);
  std::array<int64_t, 3> values{};
  for (size_t i = 0; i < count; ++i) {
    if (!ParseField(fields[i], &values[i])) return InvalidTime(text);
  }
  int64_t seconds = 0;
  if (has_days) {
    // d-h, d-h:m, d-h:m:s
    seconds = days * 86400 + values[0] * 3600 + values[1] * 60 + values[2];
  } else if (count == 3) {
    seconds = values[0] * 3600 + values[1] * 60 + values[2];  // h:m:s
  } else {
    seconds = values[0] * 60 + values[1];  // m, m:s
  }
  if (seconds > kMaxParsedSeconds) return InvalidTime(text);
  return Duration::FromSeconds(seconds);
}

std::string FormatElapsed(Duration d, std::string_view infinite_text) {
  if (d.infinite()) return std::string(infinite_text);
  int64_t s = d.seconds();
  int64_t days = s / 86400;
  int64_t hours = s / 3600 % 24;
  int64_t minutes = s / 60 % 60;
  int64_t seconds = s % 60;
  if (days > 0) return fmt::format("{}-{:02}:{:02}:{:02}", days, hours, minutes, seconds);
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, seconds);
  return fmt::format("{}:{:02}", minutes, seconds);
}

std::string FormatHms(Duration d, std::string_view infinite_text) {
  if (d.infinite()) return std::string(infinite_text);
  int64_t s = d.seconds();
  int64_t days = s / 86400;
  int64_t hours = s / 3600 % 24;
  int64_t minutes = s / 60 % 60;
  int64_t seconds = s % 60;
  if (days > 0) return fmt::format("{}-{:02}:{:02}:{:02}", days, hours, minutes, seconds);
  return fmt::format("{:02}:{:02}:{:02}", hours, minutes, seconds);
}

}  // namespace drover
