// Standard Workload Format (the Parallel Workloads Archive's trace format): comment lines
// start with ';' (the header: "; MaxProcs: 128", "; UnixStartTime: ..."), then one job per
// line as 18 whitespace-separated numbers, -1 where unknown:
//   1 job number  2 submit time (s)  3 wait time  4 run time  5 allocated processors
//   6 average CPU time  7 used memory  8 requested processors  9 requested time
//   10 requested memory  11 status  12 user id  13 group id  14 executable  15 queue
//   16 partition  17 preceding job  18 think time
// Numbers may have a fraction (some archive traces write 6 and 7 that way).
//
// A malformed line is an error naming the file, the line and the field:
//   trace.swf:12: field 4 (run time): invalid value 'abc': expected a number
// Jobs the simulator cannot replay (no processor count, no run time) are counted as
// skipped, not errors: archive traces hold cancelled jobs like that.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sim/sim_job.h"

namespace drover::sim {

inline constexpr int kSwfFields = 18;

struct SwfTrace {
  std::vector<SimJob> jobs;  // in file order
  uint64_t skipped = 0;      // lines with no usable processor count or run time
  int64_t max_procs = -1;    // "; MaxProcs:" from the header, -1 when absent
  int64_t max_nodes = -1;    // "; MaxNodes:"
};

// `file` names the text in errors. Errors: kInvalidArgument "<file>:<line>: ...".
Result<SwfTrace> ParseSwf(std::string_view text, std::string_view file);
// Reads and parses a file. Errors: kNotFound / kIo naming the file, or ParseSwf's.
Result<SwfTrace> ReadSwfFile(const std::string& path);

}  // namespace drover::sim
