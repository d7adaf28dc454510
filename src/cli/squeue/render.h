// squeue's output: the jobs the controller returned, sorted and printed in the chosen
// format, or as Slurm 22.05's --json document. No I/O and no clock: `now` is passed in,
// so -i can repeat it and tests can pin it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/squeue/options.h"
#include "drover/v1/job.pb.h"

namespace drover::cli::squeue {

// The date line of -l and -i: "Sat Nov 21 23:35:52 2026" (local time), no newline.
std::string DateLine(int64_t now);

// The jobs in the order of the keys (stable: ties keep the controller's order), as
// pointers into `jobs`. Errors: kInvalidArgument for a key naming no field.
Result<std::vector<const v1::JobInfo*>> SortedJobs(const std::vector<v1::JobInfo>& jobs,
                                                   const std::vector<SortKey>& keys, int64_t now);

// Whether every column and sort key reads only what ListJobsRequest.brief carries.
bool BriefSuffices(const Options& options);

// The table: date line (with -l or -i), header (unless -h), one line a job.
// Errors: an invalid format or sort key ("Invalid job format specification: z").
Result<std::string> RenderJobs(const Options& options, std::vector<v1::JobInfo> jobs, int64_t now);

// squeue --json.
std::string RenderJobsJson(const std::vector<v1::JobInfo>& jobs, int64_t now);

}  // namespace drover::cli::squeue
