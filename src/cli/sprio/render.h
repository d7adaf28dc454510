// sprio's output: pending jobs' priority factors (or, with -w, the weights) in the chosen
// format. The default format has a column per factor whose weight is set, as Slurm
// 22.05's sprio chooses it: JOBID PARTITION PRIORITY SITE, then AGE ASSOC FAIRSHARE
// JOBSIZE PARTITION QOS for the non-zero weights, NICE with -l, and TRES when
// PriorityWeightTRES is set. -n shows the normalized factors (0..1) instead.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "base/result.h"
#include "cli/sprio/options.h"

namespace drover::cli::sprio {

// The format -o would have to spell to get the default output for these weights.
std::string DefaultFormat(const v1::PriorityWeights& weights, bool long_listing, bool normalized);

// The table: header (unless -h), then a line a job, or the one "Weights" line with -w.
// Errors: an invalid format ("Invalid job format specification: z").
Result<std::string> Render(const Options& options, const v1::ListPrioritiesResponse& reply);

}  // namespace drover::cli::sprio
