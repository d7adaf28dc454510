// TaskGroup: the tasks of one job step on one node (srun's tasks), started together as
// the step's user and supervised as one step: one ProcessTracker holds them all, one time
// limit covers them, and terminating or signalling the step reaches every process of it.
// StepRunner is the same for the single process of a batch step.
//
// Launch: each task is forked and exec'd like StepRunner's (task_exec.h), in order, the
// next only once the previous one has exec'd or failed, so a task opening a shared output
// file with O_TRUNC has done so before the next one appends to it.
//
// Ending: tasks end on their own, one by one; the step is over once all have exited and
// nothing else of the step is left (leftovers are SIGKILLed once the last task is gone,
// as in Slurm). The time limit and Terminate() send SIGCONT, SIGTERM, then SIGKILL after
// KillWait (state TIMEOUT / CANCELLED), calling `on_terminate` first so the supervisor can
// print Slurm's "*** STEP ... CANCELLED AT ... ***" banner. With kill_on_bad_exit, a task
// ending with a non-zero status terminates the rest (srun -K).
//
// Thread-safety: Start() and Wait() on the owner thread, Wait() once. Terminate() and
// Signal() from any thread, before, during or after Wait(). on_terminate runs on Wait()'s
// thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "core/exit_code.h"
#include "core/job_state.h"
#include "stepd/process_tracker.h"
#include "stepd/step_runner.h"

namespace drover::stepd {

struct TaskGroupOptions {
  std::optional<std::chrono::milliseconds> time_limit;   // none: unlimited
  std::chrono::milliseconds kill_wait{30'000};           // KillWait
  std::chrono::milliseconds unkillable_timeout{60'000};  // UnkillableStepTimeout
  bool kill_on_bad_exit = false;
  // Called once when the step is terminated (time limit or Terminate()), before SIGTERM.
  std::function<void(TerminateReason why)> on_terminate;
};

struct TaskGroupResult {
  JobState state = JobState::kCompleted;   // COMPLETED FAILED TIMEOUT CANCELLED OUT_OF_MEMORY
  std::vector<ExitCode> exit_codes;        // per task, in Start() order
  std::vector<std::string> launch_errors;  // per task: why it never ran; empty when it did
  bool unkillable = false;
};

class TaskGroup {
 public:
  // Forks and starts every task (the tracker's container holds them all). Errors when a
  // task cannot be started at all; the tasks already started are then killed and reaped.
  static Result<std::unique_ptr<TaskGroup>> Start(std::vector<LaunchSpec> tasks,
                                                  std::unique_ptr<ProcessTracker> tracker,
                                                  TaskGroupOptions options);
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  const std::vector<pid_t>& pids() const { return pids_; }

  // Blocks until every task is reaped and the step's processes are gone (or given up as
  // unkillable). The tracker's container is removed before returning.
  TaskGroupResult Wait();

  // SIGCONT, SIGTERM, KillWait, SIGKILL; the first request wins. Idempotent.
  void Terminate(TerminateReason why);

  // `sig` to every process of the step (`tasks` empty) or to the listed tasks (indexes in
  // Start() order) that are still running. Errors: kAlreadyDone once the step is over.
  Status Signal(int sig, std::span<const size_t> tasks = {});

 private:
  TaskGroup(std::unique_ptr<ProcessTracker> tracker, TaskGroupOptions options);
  Status Launch(const LaunchSpec& spec);
  void Wake();

  // Constant after Start().
  const TaskGroupOptions options_;
  std::vector<pid_t> pids_;
  std::vector<int> pidfds_;
  std::vector<std::string> launch_errors_;
  int wake_fd_ = -1;  // eventfd: Terminate() wakes Wait()
  std::chrono::steady_clock::time_point started_;

  std::mutex mu_;
  // Guarded by mu_.
  std::unique_ptr<ProcessTracker> tracker_;
  std::vector<bool> reaped_;
  bool terminate_requested_ = false;
  TerminateReason terminate_reason_ = TerminateReason::kCancelled;
  bool done_ = false;
};

}  // namespace drover::stepd
