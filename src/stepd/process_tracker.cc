#include "stepd/process_tracker.h"

#include <fmt/core.h>

namespace drover::stepd {

std::string_view TrackerKindName(TrackerKind kind) {
  switch (kind) {
    case TrackerKind::kCgroupV2:
      return "cgroup/v2";
    case TrackerKind::kCgroupV1:
      return "cgroup/v1";
    case TrackerKind::kProcessGroup:
      return "pgid";
  }
  return "unknown";
}

Result<std::unique_ptr<ProcessTracker>> CreateBestTracker(const TrackerOptions& options) {
  std::string why;
  auto note = [&why](const Error& e) {
    if (!why.empty()) why += "; ";
    why += e.message();
  };
  if (auto v2 = CreateCgroupV2Tracker(options, /*require_controllers=*/true))
    return v2;
  else
    note(v2.error());
  if (auto v1 = CreateCgroupV1Tracker(options))
    return v1;
  else
    note(v1.error());
  // Limits cannot be kept without a controller: only fall further when none is asked for.
  if (options.memory_limit_bytes || !options.cpuset_cpus.empty()) {
    return Error(ErrorCode::kNotSupported, "no cgroup can enforce the step's limits: " + why);
  }
  if (auto v2 = CreateCgroupV2Tracker(options, /*require_controllers=*/false))
    return v2;
  else
    note(v2.error());
  if (auto pg = CreateProcessGroupTracker(options))
    return pg;
  else
    note(pg.error());
  return Error(ErrorCode::kNotSupported, "no process tracking available: " + why);
}

}  // namespace drover::stepd
