// NodeScript: runs one administrator or user script to its end: the node's Prolog and
// Epilog (as root, for droverd and the batch drover-stepd) and TaskProlog / TaskEpilog
// (as the job's user, for drover-stepd). The script runs in a session of its own with
// stdin from /dev/null; its stdout is captured (TaskProlog's requests, task_prolog.h) or
// discarded, its stderr discarded. Its environment is exactly the one given: Slurm sets
// no search path for these programs either.
//
// A script still running at its timeout, or when `cancelled` says so, is killed with its
// whole session (SIGKILL) and counts as failed.
//
// Thread-safety: RunScript may be called from several threads at once; the child only
// makes async-signal-safe calls.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace drover::stepd {

struct ScriptSpec {
  std::string path;              // run with argv = {path}
  std::vector<std::string> env;  // "NAME=value", the whole environment
  std::string cwd = "/";         // a cwd the user cannot enter falls back to /
  // Run as this user (with their groups, initgroups-style) when set; else as the caller.
  struct Identity {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string user;  // for the supplementary groups; empty: gid alone
  };
  std::optional<Identity> identity;
  std::chrono::milliseconds timeout{std::chrono::hours(1)};
  size_t max_output = 0;  // stdout bytes kept; 0: stdout goes to /dev/null
  // Polled while the script runs: true kills it.
  std::function<bool()> cancelled;
};

struct ScriptResult {
  int wait_status = 0;  // as waitpid reports it
  bool timed_out = false;
  bool cancelled = false;
  std::string output;  // stdout, up to max_output bytes

  // Exited 0 within its time.
  bool ok() const;
  // "exit 3", "signal 9", "timed out after 5 s" for log lines and drain messages.
  std::string Describe() const;
};

// Runs the script and waits for it. Errors only when it cannot be started at all (fork,
// pipe, the user's groups); a program that cannot be executed exits 127.
Result<ScriptResult> RunScript(const ScriptSpec& spec);

}  // namespace drover::stepd
