// Job ids as users type them to scancel, squeue -j and scontrol:
//   42   42_3   42_[1-3,5]   42_[1-9%2]   42_*   42.1   42.batch   42.extern
// and lists of them ("42,43 44_[1,3]": commas and spaces outside brackets separate ids).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drover/v1/common.pb.h"

namespace drover::cli {

// The job (with its array tasks and step, when written), or nullopt when `text` is not a
// job id. A %N throttle in the task list is ignored; `42_*` names the whole array.
std::optional<v1::JobRef> ReadJobRef(std::string_view text);

// Splits a list of job ids at commas and spaces outside brackets.
std::vector<std::string> SplitJobList(std::string_view text);

// A whole decimal uint32, or nullopt.
std::optional<uint32_t> ReadUint32(std::string_view text);

}  // namespace drover::cli
