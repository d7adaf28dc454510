// srun's command line: the options of the shared job option table (job_options.h) and
// the few only srun has, which describe how srun runs the step rather than the job:
// --pty (task 0 on a pseudo-terminal; Slurm reads it from the command line only).
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/common/job_options.h"

namespace drover::cli::srun {

struct SrunOnlyOptions {
  bool pty = false;
};

// As ParseAndApply(args, kSrun, Permute::kStopAtFirst, ...), with srun's own options too.
[[nodiscard]] OptionResult ParseSrunArgs(std::span<const std::string> args, JobOptions& options,
                                         SrunOnlyOptions& srun_only,
                                         std::vector<std::string>* positionals);

}  // namespace drover::cli::srun
