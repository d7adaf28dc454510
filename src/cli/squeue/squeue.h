// squeue: the jobs in the queue, as Slurm's squeue prints them.
//
// Run() parses the options, sends the filters to the controller in one ListJobsRequest,
// and prints (render.h). With -i it repeats every N seconds until interrupted.
//
// Thread-safety: Run() uses the client from one thread.
#pragma once

#include "base/result.h"
#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::squeue {

// Returns the process exit code. `now` is read from the system clock.
int Run(const Invocation& invocation, client::ControllerClient& client);

}  // namespace drover::cli::squeue
