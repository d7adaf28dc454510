// Options -> drover.v1.JobSpec: the request sbatch (and salloc/srun when they create an
// allocation) sends to the controller.
//
// What needs the submitting process is passed in a SubmitContext, so the builder reads
// no clock, no cwd and no environment of its own: --begin/--deadline are resolved
// against `now`, -D against `cwd`, --export against `env`.
//
// --export, as Slurm documents it (the job's starting environment, resolved here):
//   absent or ALL        every variable of the submitting environment
//   ALL,A=1,B            all of them, plus A=1 (B as it is)
//   A=1,B                only SLURM_* variables, A=1 and B
//   NONE                 only SLURM_* variables; the node loads the user's login
//                        environment (--get-user-env)
//   NIL                  only SLURM_* variables, nothing loaded
// SLURM_EXPORT_ENV carries the spec into the job (srun inside reads it), as sbatch does.
//
// Thread-safety: pure functions (uid/gid names are resolved with getpwnam_r/getgrnam_r).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "cli/common/invocation.h"
#include "cli/common/job_options.h"
#include "drover/v1/job.pb.h"

namespace drover::cli {

struct SubmitContext {
  TimePoint now;
  std::string cwd;                // absolute
  Environment env;                // the submitting environment
  std::string hostname;           // AllocNode
  uint32_t sid = 0;               // AllocSid
  uint32_t caller_uid = 0;        // getuid(): --uid/--gid are for root only
  std::string default_name;       // the job name without -J: script name, "wrap", "sbatch"
  std::string command;            // Command=: the script's path; empty for --wrap/stdin
  std::vector<std::string> argv;  // the script's arguments
  std::string submit_line;        // the command line as typed
};

// Errors: kInvalidArgument with Slurm's option text (exit 255 in the commands);
// kDependency for a --dependency the controller would refuse ("Job dependency problem").
Result<v1::JobSpec> BuildJobSpec(const JobOptions& options, const SubmitContext& context);

// --dependency=afterok:42:43_2,singleton or after:42+10?afterany:43. Errors: kDependency.
Result<v1::DependencySpec> ParseDependency(std::string_view text);

// The job's environment for an --export spec (absent: ALL), sorted by name; sets
// *get_user_env for NONE.
std::vector<std::string> ResolveExport(const std::optional<std::string>& spec,
                                       const Environment& env, bool* get_user_env);

}  // namespace drover::cli
