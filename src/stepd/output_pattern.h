// Output file names: Slurm's filename patterns for --output, --error and --input.
//
//   %%  a literal %             %A  array master job id (the job id outside arrays)
//   %a  array task id           %b  array task id modulo 10
//   %J  jobid.stepid ("128.0"; the job id alone for the batch step)
//   %j  job id (an array task's own id)      %N  short name of the (first) node
//   %n  node index in the step (0 for batch) %s  step id ("batch" for the batch step)
//   %t  task rank (0 for batch)   %u  user name   %x  job name
// A width between % and the letter zero-pads numbers ("%3a" -> "007", "%010j"); Slurm
// caps it at 10 and ignores it for names (%N %u %x). A name with a backslash is taken
// literally, backslashes removed, as Slurm does. Unknown letters are kept as written.
// Outside arrays %a expands to 4294967294, Slurm's NO_VAL-1 (users see it; kept).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drover::stepd {

struct PatternContext {
  uint32_t job_id = 0;
  std::optional<uint32_t> array_job_id;   // set for array tasks
  std::optional<uint32_t> array_task_id;  // set for array tasks
  std::optional<uint32_t> step_id;        // nullopt: the batch step
  std::string node_name;
  uint32_t node_index = 0;
  uint32_t task_id = 0;
  std::string user;
  std::string job_name;
};

// The pattern with every % sequence replaced.
std::string ExpandOutputPattern(std::string_view pattern, const PatternContext& ctx);

// sbatch's default --output: "slurm-%j.out", or "slurm-%A_%a.out" for an array task.
std::string_view DefaultOutputPattern(bool array_task);

// The file a pattern names: expanded, and joined to `work_dir` when relative. An empty
// pattern means the default for the job.
std::string ResolveOutputPath(std::string_view pattern, const PatternContext& ctx,
                              std::string_view work_dir);

}  // namespace drover::stepd
