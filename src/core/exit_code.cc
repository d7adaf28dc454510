#include "core/exit_code.h"

#include <fmt/format.h>

#include <charconv>

namespace drover {
namespace {

// The status layout is fixed by POSIX practice on Linux: low 7 bits are the terminating
// signal (0 for an exit, 0x7f for a stop), bit 7 the core dump, bits 8-15 the exit status.
constexpr int kSignalMask = 0x7f;
constexpr int kStopped = 0x7f;

int RankOf(const ExitCode& code) { return code.exit_status * 256 + code.signal; }

bool ParseSmallInt(std::string_view text, int max, int* out) {
  if (text.empty() || text.size() > 3) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return false;
  *out = value;
  return true;
}

}  // namespace

ExitCode ExitCode::FromWaitStatus(int status) {
  int low = status & kSignalMask;
  if (low == 0) return ExitCode{(status >> 8) & 0xff, 0};
  if (low == kStopped) return ExitCode{};
  return ExitCode{0, low};
}

int ExitCode::ToWaitStatus() const {
  if (signal != 0) return signal & kSignalMask;
  return (exit_status & 0xff) << 8;
}

std::string ExitCode::ToString() const { return fmt::format("{}:{}", exit_status, signal); }

Result<ExitCode> ParseExitCode(std::string_view text) {
  size_t colon = text.find(':');
  ExitCode code;
  if (colon == std::string_view::npos ||
      !ParseSmallInt(text.substr(0, colon), 255, &code.exit_status) ||
      !ParseSmallInt(text.substr(colon + 1), 127, &code.signal)) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid exit code: {}", text));
  }
  return code;
}

ExitCode DerivedExitCode(std::span<const ExitCode> steps) {
  ExitCode highest;
  for (const ExitCode& step : steps) {
    if (RankOf(step) > RankOf(highest)) highest = step;
  }
  return highest;
}

}  // namespace drover
