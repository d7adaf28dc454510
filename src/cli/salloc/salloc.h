// salloc: obtain an interactive allocation and run a command in it, as Slurm's salloc.
//
// Options come from SALLOC_* input variables, then the command line (job_options.h). The
// command is the first argument (its own arguments follow it), else the user's shell
// ($SHELL, else /bin/sh). It runs on this host, with this environment plus the job's
// SLURM_* variables (allocation.h), while AllocateJob's stream stays open.
//
// On stderr, as Slurm words it:
//   salloc: Pending job allocation 42                      (only when it must wait)
//   salloc: job 42 queued and waiting for resources
//   salloc: job 42 has been allocated resources
//   salloc: Granted job allocation 42
//   salloc: Relinquishing job allocation 42                (after the command)
// The command's exit code is salloc's (128+N when a signal N ended it), and it is sent to
// the controller with CompleteJobAllocation. When the controller ends the job first
// (scancel, time limit) salloc prints "salloc: Job allocation 42 has been revoked." (or
// "salloc: Job 42 has exceeded its time limit and its allocation has been revoked."), sends
// the command SIGHUP, and SIGKILL if it is still there kKillWait later.
//
// --no-shell prints the grant and exits 0; the job keeps its allocation until it ends.
// Errors: "salloc: error: Job submit/allocate failed: <reason>", exit 1; option errors
// exit 255 (job_options.h).
#pragma once

#include <chrono>
#include <iosfwd>

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::salloc {

// How long a revoked allocation's command has between SIGHUP and SIGKILL.
inline constexpr std::chrono::seconds kKillWait{5};

struct SallocHooks {
  // Block SIGINT, SIGTERM, SIGHUP, SIGQUIT and read them from a signalfd (the real
  // command); tests leave signals alone.
  bool handle_signals = true;
};

int Run(const Invocation& invocation, client::ControllerClient& client, const SallocHooks& hooks);
int Run(const Invocation& invocation, client::ControllerClient& client);

void PrintHelp(std::ostream& out);
void PrintUsage(std::ostream& out);

}  // namespace drover::cli::salloc
