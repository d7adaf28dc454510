#include "core/pending_reason.h"

#include <fmt/format.h>
#include <strings.h>

#include <array>

namespace drover {
namespace {

struct ReasonRow {
  PendingReason reason;
  std::string_view name;
};

constexpr ReasonRow kRows[] = {
#define DROVER_PENDING_REASON_ROW(e, text) {PendingReason::e, text},
    DROVER_PENDING_REASONS(DROVER_PENDING_REASON_ROW)
#undef DROVER_PENDING_REASON_ROW
};
constexpr size_t kNumReasons = std::size(kRows);

constexpr std::array<PendingReason, kNumReasons> kAll = [] {
  std::array<PendingReason, kNumReasons> all{};
  for (size_t i = 0; i < kNumReasons; ++i) all[i] = kRows[i].reason;
  return all;
}();

constexpr bool NamesAreUniqueIgnoringCase() {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < kNumReasons; ++i) {
    for (size_t j = i + 1; j < kNumReasons; ++j) {
      std::string_view a = kRows[i].name, b = kRows[j].name;
      if (a.size() != b.size()) continue;
      bool same = true;
      for (size_t k = 0; k < a.size() && same; ++k) same = lower(a[k]) == lower(b[k]);
      if (same) return false;
    }
  }
  return true;
}
// Parsing is by name, so two rows with one name would make one of them unreachable.
static_assert(NamesAreUniqueIgnoringCase());

}  // namespace

std::span<const PendingReason> AllPendingReasons() { return kAll; }

std::string_view PendingReasonName(PendingReason reason) {
  auto i = static_cast<size_t>(reason);
  return i < kNumReasons ? kRows[i].name : std::string_view("InvalidReason");
}

Result<PendingReason> ParsePendingReason(std::string_view text) {
  for (const ReasonRow& row : kRows) {
    if (row.name.size() == text.size() &&
        strncasecmp(row.name.data(), text.data(), text.size()) == 0) {
      return row.reason;
    }
  }
  return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid job reason: {}", text));
}

bool IsHeld(PendingReason reason) {
  return reason == PendingReason::kJobHeldAdmin || reason == PendingReason::kJobHeldUser;
}

}  // namespace drover
