// sacct's options, parsed into the ListJobRecordsRequest that goes to the controller and
// the few choices that stay with the printer (fields, separators, header).
//
// Defaults, as Slurm's sacct has them: root and SlurmUser see every user's jobs, others
// their own unless -a or -u; without -j the window starts at midnight today (-S) and ends
// now (-E); -j without -S has no window and names jobs of any user.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "cli/common/invocation.h"
#include "drover/v1/accounting.pb.h"

namespace drover::cli::sacct {

struct FieldChoice {
  std::string name;  // as typed ("jobid")
  int width = -1;    // from "%20"; -1: the field's default
};

struct Options {
  v1::ListJobRecordsRequest request;
  std::vector<FieldChoice> fields;
  bool noheader = false;
  bool parsable = false;   // -p: '|' after every field
  bool parsable2 = false;  // -P: '|' between fields
  std::string delimiter = "|";
  bool json = false;
  bool help = false;
  bool usage = false;
  bool version = false;
  bool helpformat = false;
};

// `uid` is the caller's (getuid()); `privileged` whether it is root (or SlurmUser).
// Errors: kInvalidArgument with the message sacct prints after "sacct: error: " (or
// getopt's own wording for a bad option).
Result<Options> ParseOptions(const std::vector<std::string>& args, TimePoint now, uint32_t uid,
                             bool privileged);

// "jobid,jobname%20" -> fields. Errors: kInvalidArgument for a bad width.
Result<std::vector<FieldChoice>> ParseFieldList(std::string_view text);

}  // namespace drover::cli::sacct
