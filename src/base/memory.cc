#include "base/memory.h"

#include <fmt/core.h>

#include <limits>

namespace drover {
namespace {

Error InvalidMemory(std::string_view text, std::string_view why) {
  return Error(ErrorCode::kInvalidMemory,
               fmt::format("Invalid memory specification \"{}\": {}", text, why));
}

// The unit letters in order of size; index 1 is MiB. Slurm reads K, M, G and T and prints
// up to P (mbytes_to_str), so P is read too for every printed value to read back.
constexpr std::string_view kUnits = "KMGTP";

// Position of `unit` (either case) in kUnits, or npos.
size_t UnitIndex(char unit) {
  if (unit >= 'a' && unit <= 'z') unit = static_cast<char>(unit - 'a' + 'A');
  return kUnits.find(unit);
}

}  // namespace

Result<uint64_t> ParseMemoryMb(std::string_view text, char default_unit) {
  size_t default_index = UnitIndex(default_unit);
  DROVER_CHECK(default_index != std::string_view::npos);

  if (text.empty()) return InvalidMemory(text, "empty");
  if (text.front() == '-') return InvalidMemory(text, "negative");
  size_t i = 0;
  uint64_t value = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (kMax - digit) / 10) return InvalidMemory(text, "too large");
    value = value * 10 + digit;
  }
  if (i == 0) return InvalidMemory(text, "no number");

  std::string_view suffix = text.substr(i);
  size_t unit = default_index;
  if (!suffix.empty()) {
    unit = UnitIndex(suffix.front());
    // "10GB" and "10gb" are "10G"; a "B" alone is not a unit, as in Slurm.
    bool byte_ok =
        suffix.size() == 1 || (suffix.size() == 2 && (suffix[1] == 'B' || suffix[1] == 'b'));
    if (unit == std::string_view::npos || !byte_ok) {
      return InvalidMemory(text, "unknown unit");
    }
  }

  if (unit == 0) {
    // KiB: round up to whole MiB, as Slurm does ("512K" is 1).
    return value / 1024 + (value % 1024 != 0 ? 1 : 0);
  }
  for (size_t u = 1; u < unit; ++u) {
    if (value > kMax / 1024) return InvalidMemory(text, "too large");
    value *= 1024;
  }
  return value;
}

std::string FormatMemoryMb(uint64_t mb) {
  if (mb == 0) return "0";
  size_t unit = 1;  // M
  while (unit + 1 < kUnits.size() && mb % 1024 == 0) {
    mb /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", mb, kUnits[unit]);
}

}  // namespace drover
