// squeue's options: what the user asked for, and the ListJobsRequest that carries the
// filters to the controller (squeue never fetches everything to filter by itself).
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/common/invocation.h"
#include "drover/v1/controller.pb.h"

namespace drover::cli::squeue {

namespace v1 = ::drover::v1;

struct SortKey {
  std::string field;  // a % letter ("P") or a -O long name
  bool descending = false;
};

struct Options {
  v1::ListJobsRequest request;      // the filters and flags sent to the controller
  std::string format;               // -o, or the format -l / --start select
  bool long_format_syntax = false;  // the format is -O's
  std::vector<SortKey> sort;
  bool no_header = false;
  bool long_listing = false;  // -l: the date line first
  bool start = false;         // --start: pending jobs with their expected start
  bool json = false;
  bool steps = false;  // -s: steps instead of jobs
  std::optional<int> iterate_s;  // -i
  bool help = false;
  bool usage = false;
  bool version = false;
};

// Errors carry the whole message squeue prints, without "squeue: ": getopt's wording for
// bad options, "error: Invalid job id: x", "error: Invalid job state specified: x".
// `uid` is the caller's uid, for --me.
Result<Options> ParseOptions(const std::vector<std::string>& args, uint32_t uid);

// "P,t,-p" -> keys. Errors: kInvalidArgument for an empty key.
Result<std::vector<SortKey>> ParseSortKeys(std::string_view text);

// "42", "42_3", "42_[1-3,7]"; a step suffix (".0") is ignored as squeue ignores it.
Result<v1::JobRef> ParseJobRef(std::string_view text);

}  // namespace drover::cli::squeue
