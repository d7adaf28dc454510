// NodeScripts: the node's Prolog and Epilog, and the TaskProlog / TaskEpilog around each
// task, run the way slurmd and slurmstepd run them.
//
//   Prolog       as root, before the first step of a job starts on this node: the batch
//                script (drover-stepd runs it before the script) or an srun step (droverd
//                runs it before starting the step's stepd). Once per job per node: a
//                successful run leaves SPOOL/prolog.job00042 (the job's context, binary
//                JobContext), which later steps find. A failure (non-zero exit, signal,
//                timeout) drains the node ("Prolog error") and requeues the job, held.
//   Epilog       as root, when the job is over here (TerminateJob, once every stepd of it
//                is gone), before droverd confirms with EpilogComplete, which carries its
//                status: non-zero drains the node ("Epilog error"). It removes the mark.
//   TaskProlog   as the job's user, before each task (the batch script, each srun task),
//                with the task's environment; its stdout requests (task_prolog.h) change
//                that environment and print to the task's stdout. srun --task-prolog runs
//                after it, the same way.
//   TaskEpilog   as the job's user after each task, with the task's environment; then
//                srun --task-epilog.
// Each script is bounded by PrologEpilogTimeout, or kDefaultScriptTimeout when unset.
//
// Thread-safety: free functions; RunProlog callers serialise runs for one job.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"
#include "drover/v1/credential.pb.h"
#include "stepd/prolog_env.h"
#include "stepd/step_runner.h"

namespace drover::noded {

// When PrologEpilogTimeout is unset: a hung script must not hold a job (or a node) forever.
inline constexpr std::chrono::seconds kDefaultScriptTimeout{3600};
// The message of a failed prolog's launch error, as Slurm words ESLURMD_PROLOG_FAILED.
inline constexpr std::string_view kPrologFailedText = "Job prolog failed";
// TaskProlog stdout kept (its requests) and print text a task gets at most: under a pipe's
// capacity (see LaunchSpec::stdout_preamble).
inline constexpr size_t kMaxTaskPrologOutput = 1u << 20;
inline constexpr size_t kMaxTaskPrologPrint = 32u << 10;

struct NodeScriptOptions {
  std::string prolog, epilog, task_prolog, task_epilog;  // empty: none
  std::chrono::seconds timeout = kDefaultScriptTimeout;
  std::string node_name;  // SLURMD_NODENAME
  std::string cluster;    // SLURM_CLUSTER_NAME
  std::string conf_path;  // SLURM_CONF
  std::string spool_dir;  // where the prolog marks live
};

// PrologEpilogTimeout's value (seconds; 0 or 65534: unset) as a timeout.
std::chrono::seconds ScriptTimeout(uint32_t prolog_epilog_timeout_s);

// The options as stepd.conf keys, and back.
void AddScriptOptions(const NodeScriptOptions& options, std::map<std::string, std::string>& conf);
NodeScriptOptions ScriptOptionsFromConf(const std::map<std::string, std::string>& conf);

// "SPOOL/prolog.job00042".
std::string PrologMarkPath(std::string_view spool_dir, uint32_t job_id);
bool PrologRan(std::string_view spool_dir, uint32_t job_id);

// The Prolog's view of the job (work_dir: the batch script's, or the step's).
stepd::PrologJobInfo PrologInfo(const v1::JobContext& job, const NodeScriptOptions& options,
                                const std::string& work_dir);

// Runs the Prolog for `job` unless it is not configured or already ran here; marks the
// job on success. `cancelled` (may be empty) is polled while it runs. Errors: kInternal
// with kPrologFailedText (and how it failed in the context) when the prolog failed.
Status RunProlog(const NodeScriptOptions& options, const v1::JobContext& job,
                 const std::string& work_dir, const std::function<bool()>& cancelled);

// Runs the Epilog for `job_id` (with the context the prolog's mark holds, if any) and
// removes the mark. Returns the status to report: 0 on success or when none is
// configured, else the wait status (a timeout reports as exit 1).
int RunEpilog(const NodeScriptOptions& options, uint32_t job_id,
              const std::function<bool()>& cancelled = {});

// TaskProlog, then `extra` (srun --task-prolog; may be empty), as the task's user with
// its environment; their requests are applied to `spec` (env, stdout_preamble). A script
// that fails is logged and its requests still apply, as slurmstepd does.
void RunTaskProlog(const NodeScriptOptions& options, const std::string& extra,
                   stepd::LaunchSpec& spec);
// TaskEpilog, then `extra` (srun --task-epilog), with the task's environment.
void RunTaskEpilog(const NodeScriptOptions& options, const std::string& extra,
                   const stepd::LaunchSpec& spec);

}  // namespace drover::noded
