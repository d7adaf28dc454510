// The step srun asks for: its StepSpec from the options, and CreateStep with Slurm's
// retry while the allocation's resources are busy:
//   srun: Job 42 step creation temporarily disabled, retrying (Requested nodes are busy)
//   srun: Step created for StepId=42.1
// (the first line once, the second only after a retry). Ctrl-C while waiting gives up:
//   srun: Cancelled pending job step with signal 2
//
// Thread-safety: pure functions apart from the client calls.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <span>
#include <string>

#include "cli/common/job_options.h"
#include "client/controller_client.h"

namespace drover::cli::srun {

struct StepContext {
  std::string hostname;     // SrunHost
  uint32_t pid = 0;         // SrunPid
  std::string submit_line;  // the command line as typed
};

// The StepSpec for `argv` (the command and its arguments).
v1::StepSpec BuildStepSpec(const JobOptions& options, std::span<const std::string> argv,
                           const StepContext& context);

// Waits `delay` unless interrupted; returns the signal that interrupted it, or 0.
using RetryWait = std::function<int(std::chrono::milliseconds delay)>;

// The delays between CreateStep attempts: 500 ms doubling up to 10 s.
std::chrono::milliseconds RetryDelay(int attempt);

// CreateStep, retried on kNodesBusy. Errors: kCancelled when `wait` was interrupted
// (already reported), else the call's error for the caller to report.
Result<v1::CreateStepResponse> CreateStepRetrying(client::ControllerClient& client,
                                                  const v1::CreateStepRequest& request,
                                                  const RetryWait& wait, bool quiet,
                                                  std::ostream& err);

// "StepId=42.1" (or StepId=42.batch, .extern, .interactive).
std::string StepIdText(const v1::StepId& id);

}  // namespace drover::cli::srun
