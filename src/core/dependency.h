// Dependency: a job's --dependency as the controller evaluates it. The text form is what
// sbatch sends and scontrol prints ("afterok:12:13,singleton", "after:12+5?afterany:13"):
// items joined by ',' (all must hold) or '?' (any may hold); each item is a type and one
// job id, or singleton. Each item carries its status, which the engine sets when the jobs
// it names change state (ctld/dependencies.cc); nothing here reads other jobs.
//
// An item naming a job array waits for every task of it (or for the one task named,
// 42_3); aftercorr is evaluated as afterok of the whole array, not task by task.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover {

enum class DependencyKind : uint8_t {
  kAfter,       // the job started (or was cancelled), plus the delay
  kAfterAny,    // the job ended, in any state
  kAfterOk,     // the job completed with exit code 0
  kAfterNotOk,  // the job ended in any other way
  kAfterCorr,   // afterok until arrays exist
  kAfterBurstBuffer,  // afterany: there are no burst buffers
  kSingleton,   // no earlier job of the same name and user is running
};

enum class DependencyStatus : uint8_t { kUnfulfilled, kFulfilled, kFailed };

struct DependencyItem {
  DependencyKind kind = DependencyKind::kAfterAny;
  uint32_t job = 0;  // 0 for singleton
  std::optional<uint32_t> array_task;
  bool all_array_tasks = false;
  int64_t delay_s = 0;  // after:ID+minutes, in seconds
  DependencyStatus status = DependencyStatus::kUnfulfilled;

  friend bool operator==(const DependencyItem&, const DependencyItem&) = default;
};

struct Dependency {
  std::vector<DependencyItem> items;
  bool any = false;  // '?': one fulfilled item is enough

  bool empty() const { return items.empty(); }
  // kFulfilled when all (any: one) items are; kFailed when one (any: every) item failed.
  DependencyStatus Overall() const;

  friend bool operator==(const Dependency&, const Dependency&) = default;
};

// Reads the text form; a bare job id means afterany. Errors: kDependency.
Result<Dependency> ParseDependency(std::string_view text);
// The text form without statuses ("afterok:12,singleton").
std::string DependencyText(const Dependency& dep);
std::string_view DependencyKindName(DependencyKind kind);

}  // namespace drover
