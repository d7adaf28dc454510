// Input environment variables: job options read from SBATCH_*, SALLOC_* and SLURM_*
// variables, named by the option table's rows (job_options.h).
//
// Precedence, as the sbatch man page states it: "Environment variables will override
// any options set in a batch script, and command line options will override any
// environment variables." So a command applies #SBATCH lines, then these, then its
// arguments.
//
// A variable of a flag option (no argument) turns it on when its value is empty, "yes"
// or a non-zero number; any other value leaves the option unset (Slurm's rule). Other
// variables take their value as the option's argument and are validated the same way.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "cli/common/invocation.h"
#include "cli/common/job_options.h"

namespace drover::cli {

// Slurm's rule for flag variables.
bool EnvFlagEnabled(std::string_view value);

// Applies every input variable of `command` present in `env` as kEnvironment options.
[[nodiscard]] OptionResult ApplyInputEnvironment(const Environment& env, CommandMask command,
                                                 JobOptions& options);

}  // namespace drover::cli
