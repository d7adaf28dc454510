// StepRunner: the core of drover-stepd. It starts one step's task as the submitting
// user, confines it with a ProcessTracker, enforces the time limit, carries cancel and
// signal requests, and reports how the step ended.
//
// Launch, as Slurm does it: fork; in the child setsid, join the tracker's container,
// setgroups (the user's groups, initgroups-style) / setgid / setuid, open stdin, stdout
// and stderr as the user (so files are the user's and permissions are the user's), chdir
// to the working directory, exec. A child that fails before exec writes
// "slurmstepd: error: ..." to the job's stderr file and exits non-zero; the step FAILS.
//
// Ending: the time limit and Terminate() both send SIGCONT and SIGTERM to every process
// of the step, then SIGKILL after KillWait (state TIMEOUT / CANCELLED). A terminate
// carries why (the controller may end a job for its time limit before this runner's own
// timer does), which picks the "*** JOB ... CANCELLED AT ... DUE TO ... ***" wording. When the task
// itself exits, whatever it left behind is SIGKILLed (the step is over, as in Slurm).
// Processes still there UnkillableStepTimeout after SIGKILL make the result
// `unkillable`: the node daemon drains the node with kUnkillableReason.
//
// Thread-safety: Start() and Wait() on the owner thread, Wait() once. Cancel() and
// Signal() from any thread, before, during or after Wait().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "core/exit_code.h"
#include "core/job_state.h"
#include "stepd/process_tracker.h"

namespace drover::stepd {

// Slurm's drain reason for a step that outlived SIGKILL.
inline constexpr std::string_view kUnkillableReason = "Kill task failed";

// --open-mode. kTruncateShared: truncate on open, then append, for a file several tasks
// of a step write (the first one opened truncates it, the others use kAppend).
enum class OpenMode { kTruncate, kAppend, kTruncateShared };
// Why a step is terminated: the banner's "DUE TO" clause and the state it ends in.
enum class TerminateReason {
  kCancelled,  // scancel, requeue: no clause; CANCELLED
  kTimeLimit,  // " DUE TO TIME LIMIT"; TIMEOUT
  kNodeFail,   // " DUE TO NODE FAILURE"; CANCELLED
  kPreempted,  // " DUE TO PREEMPTION"; CANCELLED
};
// What to do when the user cannot enter the working directory. Slurm's batch steps fall
// back to /tmp (with an error line); its container steps fail. Drover fails by default.
enum class BadCwd { kFail, kUseTmp };

struct LaunchSpec {
  std::vector<std::string> argv;  // argv[0]: the script or program; PATH of `env` searched
  std::string cwd;
  std::vector<std::string> env;  // "NAME=value"
  uid_t uid = 0;
  gid_t gid = 0;
  // Supplementary groups: these when set, else the user's from the group database
  // (initgroups), else none beyond gid.
  std::optional<std::vector<gid_t>> groups;
  std::string user;
  std::string stdin_path;   // empty: /dev/null
  std::string stdout_path;  // empty: /dev/null; relative paths are taken against cwd
  std::string stderr_path;  // empty: the stdout file
  // Descriptors the task gets instead of the files above (pipes to the supervisor), when
  // >= 0. The caller keeps ownership; the child dups them before exec.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;  // -1 with stderr_path empty: whatever stdout is
  OpenMode open_mode = OpenMode::kTruncate;
  mode_t umask = 022;
  BadCwd bad_cwd = BadCwd::kFail;
  bool set_task_pid_env = true;  // SLURM_TASK_PID=<pid of the task>
  // Written to the task's stdout before its program starts (TaskProlog's print lines).
  // Kept under a pipe's capacity: nobody reads a task's pipe before it has exec'd.
  std::string stdout_preamble;

  std::optional<std::chrono::milliseconds> time_limit;   // none: unlimited
  std::chrono::milliseconds kill_wait{30'000};           // KillWait
  std::chrono::milliseconds unkillable_timeout{60'000};  // UnkillableStepTimeout

  // For the "*** JOB 42 ON n1 CANCELLED AT ... ***" line Slurm writes to stderr on a
  // cancel or time limit; 0 skips it.
  uint32_t job_id = 0;
  std::string node_name;
};

struct StepResult {
  JobState state = JobState::kCompleted;  // COMPLETED FAILED TIMEOUT CANCELLED OUT_OF_MEMORY
  ExitCode exit_code;
  pid_t pid = 0;
  bool unkillable = false;
  std::string launch_error;  // why the program never ran; empty when it did
  std::chrono::milliseconds elapsed{0};
};

class StepRunner {
 public:
  // Forks and starts the task; returns once it is running its program or has failed
  // before exec (Wait() then reports FAILED). Errors when nothing could be started.
  static Result<std::unique_ptr<StepRunner>> Start(LaunchSpec spec,
                                                   std::unique_ptr<ProcessTracker> tracker);
  ~StepRunner();
  StepRunner(const StepRunner&) = delete;
  StepRunner& operator=(const StepRunner&) = delete;

  pid_t pid() const { return pid_; }

  // Blocks until the step is over: the task reaped and its processes gone (or given up
  // as unkillable). The tracker's container is removed before returning.
  StepResult Wait();

  // scancel: SIGCONT, SIGTERM, KillWait, SIGKILL; state CANCELLED. Idempotent.
  void Cancel() { Terminate(TerminateReason::kCancelled); }
  // The same for `why`; the first request wins. Idempotent.
  void Terminate(TerminateReason why);

  // scancel --signal: to every process of the step, or only the task (scancel --batch).
  // Errors: kAlreadyDone once the step is over.
  Status Signal(int sig, bool whole_step = true);

 private:
  StepRunner(LaunchSpec spec, std::unique_ptr<ProcessTracker> tracker);
  Status Launch();
  void WriteBanner(std::string_view why);
  void Wake();

  // Constant after Start().
  LaunchSpec spec_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int wake_fd_ = -1;  // eventfd: Cancel() wakes Wait()
  std::string launch_error_;
  std::chrono::steady_clock::time_point started_;

  std::mutex mu_;
  // Guarded by mu_.
  std::unique_ptr<ProcessTracker> tracker_;
  bool cancel_requested_ = false;
  TerminateReason cancel_reason_ = TerminateReason::kCancelled;
  bool done_ = false;
  bool reaped_ = false;
};

}  // namespace drover::stepd
