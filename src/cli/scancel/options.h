// scancel's options: the CancelJobsRequest they make and the flags that change what
// scancel prints.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "drover/v1/controller.pb.h"

namespace drover::cli::scancel {

namespace v1 = ::drover::v1;

struct Options {
  v1::CancelJobsRequest request;  // the ids, the filters and -s/-b/-f/-H
  int verbose = 0;                // -v (repeatable)
  bool quiet = false;             // -Q
  bool interactive = false;       // -i: refused by Run()
  bool help = false;
  bool usage = false;
  bool version = false;
};

// Errors carry the message scancel prints after "scancel: ": getopt's wording for bad
// options ("unrecognized option '--x'"), "error: Invalid job id 4x2",
// "error: Invalid job signal: FOO", "error: Invalid job state specified: X".
// `uid` is the caller's, for --me.
Result<Options> ParseOptions(const std::vector<std::string>& args, uint32_t uid);

// "42", "42_3", "42_[1-3,7]", "42_*", "42.1", "42.batch". Errors: "error: Invalid job id X".
Result<v1::JobRef> ParseJobId(std::string_view text);

// A JobRef as Slurm prints it in messages: 42, 42_3, 42_[1-3,7], 42.1, 42.batch.
std::string FormatJobRef(const v1::JobRef& ref);

// "KILL", "SIGKILL", "kill", "9" -> 9. Errors: "error: Invalid job signal: X".
Result<int> ParseSignal(std::string_view text);

}  // namespace drover::cli::scancel
