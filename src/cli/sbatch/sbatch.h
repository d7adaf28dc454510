// sbatch: submit a batch script, as Slurm's sbatch.
//
// Options come from #SBATCH lines, then SBATCH_* input variables, then the command line,
// each overriding the one before (job_options.h, sbatch_directives.h, input_env.h). The
// script is the first argument (its own arguments follow it), standard input when there
// is none, or the one-line script --wrap builds.
//
// Output is Slurm's: "Submitted batch job 42" (or "42", "42;cluster" with --parsable) on
// stdout and nothing else there; errors on stderr as "sbatch: error: ...". Exit codes:
// 0 submitted; 1 (or SLURM_EXIT_ERROR) for a missing/invalid script or a refused
// submission; 255 for an invalid option or option value.
//
// A refused submission prints the controller's error in two lines when its message is
// its own (Slurm's job_submit_user_msg): Error(kInvalidPartitionName, "invalid partition
// specified: nosuchpart") prints
//   sbatch: error: invalid partition specified: nosuchpart
//   sbatch: error: Batch job submission failed: Invalid partition name specified
// and an Error whose message is the code's text prints only the second line.
#pragma once

#include <iosfwd>

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::sbatch {

// Reads a script given on standard input from `in`. Returns the process exit code.
int Run(const Invocation& invocation, client::ControllerClient& client, std::istream& in);

// As above, with std::cin.
int Run(const Invocation& invocation, client::ControllerClient& client);

// --help and --usage texts.
void PrintHelp(std::ostream& out);
void PrintUsage(std::ostream& out);

}  // namespace drover::cli::sbatch
