// Fuzzes Hostlist: any input either fails to parse or gives a list whose size, Nth,
// Contains, Expand, ToString and Compress agree, and whose ranged form parses back to the
// same names in the same order. Nothing here may allocate in proportion to size() unless
// size() is small, so ranges like n[0-999999999] are only probed at a few indices.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/hostlist.h"

namespace {

constexpr uint64_t kMaxExpanded = 10'000;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Parse(text).Expand() must be `names`, in order.
void CheckReparses(const std::string& text, const std::vector<std::string>& names) {
  drover::Result<drover::Hostlist> again = drover::Hostlist::Parse(text);
  Check(again.has_value());
  Check(again->size() == names.size());
  drover::Result<std::vector<std::string>> expanded = again->Expand(kMaxExpanded);
  Check(expanded.has_value() && *expanded == names);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  drover::Result<drover::Hostlist> parsed = drover::Hostlist::Parse(text);
  if (!parsed.has_value()) {
    Check(parsed.error().code() == drover::ErrorCode::kInvalidHostlist);
    return 0;
  }
  const drover::Hostlist& h = *parsed;
  uint64_t n = h.size();
  if (n > kMaxExpanded) {
    Check(!h.Expand(kMaxExpanded).has_value());
    const uint64_t probes[] = {0, n / 3, n / 2, n - 1};
    for (uint64_t i : probes) Check(h.Contains(h.Nth(i)));
    // ToString is bounded by its budget whatever the ranges, but spending it takes a while:
    // check it on one input in eight so that the fuzzer keeps its pace.
    if (size % 8 != 0) return 0;
    drover::Result<drover::Hostlist> again = drover::Hostlist::Parse(h.ToString());
    Check(again.has_value() && again->size() == n);
    for (uint64_t i : probes) Check(again->Nth(i) == h.Nth(i));
    return 0;
  }

  drover::Result<std::vector<std::string>> expanded = h.Expand(kMaxExpanded);
  Check(expanded.has_value() && expanded->size() == n);
  const std::vector<std::string>& names = *expanded;
  std::set<std::string> unique(names.begin(), names.end());
  for (uint64_t i = 0; i < n; ++i) {
    Check(!names[i].empty());
    Check(h.Nth(i) == names[i]);
    if (i % 97 == 0) {
      Check(h.Contains(names[i]));
      std::string near = names[i] + "0";
      Check(h.Contains(near) == (unique.count(near) > 0));
      near = "0" + names[i];
      Check(h.Contains(near) == (unique.count(near) > 0));
    }
  }

  std::string compressed = drover::Hostlist::Compress(names);
  CheckReparses(compressed, names);
  // ToString is Compress worked out from the ranges, and a fixed point.
  Check(h.ToString() == compressed);
  Check(drover::Hostlist::Parse(compressed)->ToString() == compressed);
  return 0;
}
