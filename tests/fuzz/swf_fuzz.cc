// Fuzzes ParseSwf: any input either fails with kInvalidArgument naming the file and a
// line ("trace.swf:<n>: ...") or gives jobs the simulator can replay: a positive limit,
// a run time within it, at least one CPU, and one job or one skipped line per job line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/swf.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto trace = drover::sim::ParseSwf(text, "trace.swf");
  if (!trace.has_value()) {
    Check(trace.error().code() == drover::ErrorCode::kInvalidArgument);
    Check(trace.error().message().rfind("trace.swf:", 0) == 0);
    return 0;
  }
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  Check(trace->jobs.size() + trace->skipped <= lines + 1);
  for (const auto& j : trace->jobs) {
    Check(j.limit_s > 0);
    Check(j.run_s >= 0 && j.run_s <= j.limit_s);
    Check(j.cpus >= 1);
    Check(j.submit_s >= 0);
  }
  return 0;
}
