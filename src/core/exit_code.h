// ExitCode: how a job or step ended, as Slurm shows it: "exit status:signal" ("0:0",
// "1:0", "0:9", "0:15") in scontrol `ExitCode=`/`DerivedExitCode=` and sacct ExitCode.
//
// Built from a wait(2) status the way Slurm reads one: a normal exit gives "N:0", death
// by a signal gives "0:S" (the core-dump bit is dropped; Slurm does not print it), and a
// stopped status (not an end) gives "0:0".
//
// Thread-safety: value type; pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drover {

struct ExitCode {
  int exit_status = 0;  // 0..255, WEXITSTATUS
  int signal = 0;       // 0..127, WTERMSIG

  // REQUIRES: nothing; any int is read as a wait(2) status.
  static ExitCode FromWaitStatus(int status);
  // The wait(2) status for this code: the signal when there is one, else the exit status
  // shifted into place (so FromWaitStatus(ToWaitStatus()) is the identity whenever one of
  // the two fields is 0 and the signal is not 127, which is every code a process produces).
  int ToWaitStatus() const;

  // "1:0".
  std::string ToString() const;
  bool Succeeded() const { return exit_status == 0 && signal == 0; }

  friend bool operator==(const ExitCode&, const ExitCode&) = default;
};

// "N:S" with N in 0..255 and S in 0..127, decimal, nothing else.
// Errors: kInvalidArgument "Invalid exit code: <text>".
Result<ExitCode> ParseExitCode(std::string_view text);

// The job's DerivedExitCode from its steps' exit codes: the highest, comparing as Slurm
// compares raw wait statuses (exit status first, then signal), so any non-zero exit
// status outranks a signal. "0:0" for no steps.
ExitCode DerivedExitCode(std::span<const ExitCode> steps);

}  // namespace drover
