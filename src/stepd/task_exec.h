// The child side of a step launch: everything between fork and exec.
//
// The supervisor may have other threads (the node daemon's, a test's), so after fork
// the child may only make async-signal-safe calls: no malloc, no locks, no stdio, no
// getpwnam. PrepareExec() therefore does every allocation and lookup in the parent
// (argv/envp arrays, the PATH candidates, the user's group list, error text prefixes),
// and RunChild() only issues system calls over that prepared data.
//
// A failure before exec is reported twice: as "slurmstepd: error: ..." on the job's
// stderr (where the user looks) and as a ChildFailure on `report_fd` (a close-on-exec
// pipe: EOF there means exec succeeded).
//
// Thread-safety: PreparedExec is built and used by one thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "stepd/process_tracker.h"
#include "stepd/step_runner.h"

namespace drover::stepd {

// The stderr prefix users and their tools know from Slurm.
inline constexpr std::string_view kStepdErrorPrefix = "slurmstepd: error: ";

enum class ChildStage : int {
  kSignals = 1,
  kSession,
  kCgroup,
  kIdentity,
  kStdin,
  kStdout,
  kStderr,
  kChdir,
  kExec,
  kTerminal,
};

struct ChildFailure {
  ChildStage stage = ChildStage::kExec;
  int err = 0;
};

struct PreparedExec {
  // Points argv/envp at the storage; call once the object is where it will stay (the
  // pointers, including the one to task_pid_buf, do not survive a move).
  void BindPointers();

  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;                   // null-terminated, into argv_storage
  std::vector<char*> envp;                   // null-terminated, into env_storage
  std::vector<std::string> exec_candidates;  // absolute or cwd-relative paths to try
  bool change_identity = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  mode_t umask = 022;
  std::string stdin_path;
  std::string stdout_path;
  std::string stderr_path;
  bool stderr_to_stdout = false;
  int stdin_fd = -1;  // used instead of the paths when >= 0 (LaunchSpec's)
  int stdout_fd = -1;
  int stderr_fd = -1;
  // stdin_fd is a terminal (a pty slave): the child, a new session's leader, makes it its
  // controlling terminal, so the terminal's signals (^C, SIGWINCH) reach the job.
  bool controlling_tty = false;
  int output_flags = 0;
  std::string cwd;
  bool cwd_fallback_tmp = false;
  int task_pid_slot = -1;  // index in envp of SLURM_TASK_PID, filled in the child
  char task_pid_buf[48] = {};
  // Pre-formatted message heads; the child appends strerror text and a newline.
  std::string chdir_message;  // "slurmstepd: error: couldn't chdir to `/x': "
  std::string chdir_suffix;   // ": going to /tmp instead" when falling back
  std::string exec_message;   // "slurmstepd: error: execve(): prog: "
  std::string stdout_preamble;  // LaunchSpec's, written once stdout is in place
};

// Builds what RunChild needs. Errors: kUserIdMissing when the user's groups cannot be
// read, kInvalidArgument for an empty argv.
Result<PreparedExec> PrepareExec(const LaunchSpec& spec);

// In the forked child: never returns. Exits 1 for a failure before exec, and with the
// errno of execve when the program cannot be run (as Slurm does: 2 for "not found").
[[noreturn]] void RunChild(PreparedExec& exec, ProcessTracker& tracker, int report_fd) noexcept;

// The user-facing text for a failure reported on the pipe.
std::string DescribeChildFailure(const ChildFailure& failure, const LaunchSpec& spec);

// A task StartTask forked.
struct StartedTask {
  pid_t pid = -1;
  int pidfd = -1;  // -1 when pidfd_open failed (the child is still unreaped: ours to reap)
  std::string launch_error;  // what the child reported before exec; empty once it exec'd
};

// Forks a child that joins `tracker` and execs `spec` (PrepareExec, then RunChild), adds
// it to `tracker`, and waits until it exec'd or failed before exec. Errors only for what
// failed in this process (pipe, fork, PrepareExec); the child's own failures come back as
// StartedTask::launch_error, with the child exiting.
Result<StartedTask> StartTask(const LaunchSpec& spec, ProcessTracker& tracker);

}  // namespace drover::stepd
