// sprio's options: what the user asked for, and the ListPrioritiesRequest that carries the
// filters (-j, -u, -p, -A) to the controller.
//
// Thread-safety: pure functions over values.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "drover/v1/controller.pb.h"

namespace drover::cli::sprio {

namespace v1 = ::drover::v1;

struct Options {
  v1::ListPrioritiesRequest request;
  std::string format;         // -o; empty: the default the weights select (render.h)
  bool long_listing = false;  // -l
  bool normalized = false;    // -n
  bool weights = false;       // -w
  bool no_header = false;     // -h
  bool help = false;
  bool usage = false;
  bool version = false;
};

// Errors carry the whole message sprio prints after "sprio: ": getopt's wording for bad
// options, "error: Invalid job id: x".
Result<Options> ParseOptions(const std::vector<std::string>& args);

}  // namespace drover::cli::sprio
