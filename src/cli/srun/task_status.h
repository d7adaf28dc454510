// What srun reports about a step's tasks, as Slurm's srun words it, and the rules that
// turn their ends into srun's exit code. Pure: the I/O loop (step_io_loop.h) feeds them.
//
//   srun: error: node1: task 0: Exited with exit code 3
//   srun: error: node1: tasks 0-1: Killed
//   srun: error: node2: task 3: Segmentation fault (core dumped)
//   srun: StepId=42.0 tasks 0-3: running                       (Ctrl-C status)
//
// Exit code: the highest wait status of the tasks (as Slurm compares them, so an exit
// code outranks a signal), then WEXITSTATUS of it, or 128+N when signal N ended the task.
//
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "drover/v1/common.pb.h"

namespace drover::cli::srun {

// Ascending task ids as Slurm prints a set of them: {0,1,2,5} -> "0-2,5".
std::string FormatTaskRanges(std::vector<uint32_t> ids);

// The line (without "srun: error: ") for tasks of `node` that ended with `code`; empty
// when they exited 0. `quiet_signals` (the step is being cancelled) drops signal deaths.
std::string TaskExitText(std::string_view node, std::span<const uint32_t> tasks,
                         const v1::ExitCode& code, bool quiet_signals = false);

// A wait(2)-style status: exit code << 8, or the signal (| 0x80 with a core dump).
int WaitStatusOf(const v1::ExitCode& code);

// srun's exit code for the highest wait status of its tasks.
int SrunExitCode(int highest_wait_status);

// The state of every task of a step, for the Ctrl-C status lines.
class TaskStates {
 public:
  explicit TaskStates(uint32_t num_tasks);
  void Launched(uint32_t task);
  void Exited(uint32_t task, const v1::ExitCode& code);
  void FailedToStart(uint32_t task);
  // "StepId=42.0 tasks 0-3: running", ...: failed to start, running, exited abnormally,
  // exited, unknown, each when non-empty.
  std::vector<std::string> StatusLines(std::string_view step) const;
  bool AllEnded() const;

 private:
  enum class State : uint8_t { kUnknown, kFailed, kRunning, kAbnormal, kExited };
  std::vector<State> states_;
};

// Ctrl-C as srun reads it: the first prints the status and "interrupt (one more within 1
// sec to abort)"; a second within a second forwards SIGINT to the tasks and forces the
// step's termination (SIGKILL); later ones only say the abort is in progress.
class InterruptTracker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Action {
    kPrintStatus,      // "interrupt (one more within 1 sec to abort)" and the task states
    kAbort,            // "sending Ctrl-C to StepId=..", SIGINT, "forcing job termination", SIGKILL
    kAbortInProgress,  // "job abort in progress"
  };
  Action OnInterrupt(Clock::time_point now);
  bool aborting() const { return aborting_; }

 private:
  std::optional<Clock::time_point> last_;
  bool aborting_ = false;
};

}  // namespace drover::cli::srun
