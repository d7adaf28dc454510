// Process handling for the local cluster: pid files, "is this pid still our daemon",
// starting a daemon detached from the terminal, stopping one by its pid, and running a
// short command to read its output. Only pids read from the run directory's pid files
// are ever signalled; nothing is looked up by name.
//
// Thread-safety: free functions over process-wide resources (fork, signals); call from
// one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace drover::cli::drover {

// The pid in `path` (a decimal number, surrounding whitespace allowed); nullopt when the
// file is missing or holds no valid pid.
std::optional<pid_t> ReadPidFile(const std::string& path);
Status WritePidFile(const std::string& path, pid_t pid);

// True when `pid` is alive (not a zombie) and runs `exe` (compared by base name with
// /proc/<pid>/exe, else argv[0]), so a reused pid is never taken for the daemon.
// An empty `exe` checks liveness only.
bool ProcessRunning(pid_t pid, const std::string& exe);

// The pid from `pid_file` when that process is running `exe`.
std::optional<pid_t> RunningFromPidFile(const std::string& pid_file, const std::string& exe);

// Starts argv[0] (an absolute path) in its own session, stdin from /dev/null, stdout and
// stderr appended to `console_file`, no other inherited descriptors, with `env`
// ("NAME=value" entries) as its whole environment. Errors: kIo when fork or exec fails
// (exec's errno is reported back through a close-on-exec pipe).
Result<pid_t> SpawnDetached(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env, const std::string& console_file);

// For a child of this process: its exit description ("exited with status 1", "killed by
// signal 9") once it has ended, reaping it; nullopt while it runs.
std::optional<std::string> ChildEnded(pid_t pid);

// When `pid` sits in a frozen cgroup v1 freezer group (a step supervisor killed while it
// froze its job to signal it), thaws that group so signals reach the process again.
// Returns whether it thawed anything.
bool ThawFreezerOf(pid_t pid);

// SIGTERM, then waits up to `grace` for the process to end, then SIGKILL (thawing its
// freezer group) and waits up to `kill_wait`. Returns true when it ended (or was already
// gone).
bool StopProcess(pid_t pid, const std::string& exe, std::chrono::milliseconds grace,
                 std::chrono::milliseconds kill_wait);

struct CommandOutput {
  int exit_code = -1;  // -1 when killed or timed out
  std::string out;     // stdout followed by stderr
};

// Runs argv (argv[0] absolute) with `env`, capturing its output; kills it after `timeout`.
Result<CommandOutput> RunCommand(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env,
                                 std::chrono::milliseconds timeout);

// Pids of processes in the sessions `sids` other than the session leaders themselves.
std::vector<pid_t> SessionMembers(const std::set<pid_t>& sids);

// The job-step processes of one local cluster: every process running `program` (base name)
// whose command line holds `marker` (the run directory's spool folder), then all their
// descendants and the members of those descendants' sessions (tasks that called setsid).
// Collected before anything is signalled, while parent links still lead to the tasks.
std::vector<pid_t> StepProcesses(const std::string& program, const std::string& marker);

// True when a Unix socket at `path` accepts a connection.
bool UnixSocketAccepts(const std::string& path);
// True when 127.0.0.1:port accepts a TCP connection.
bool TcpPortAccepts(uint16_t port);

// The last `lines` lines of a file (empty when unreadable).
std::string TailFile(const std::string& path, int lines);

}  // namespace drover::cli::drover
