// sprio: the factors that make up pending jobs' priorities under priority/multifactor,
// as Slurm's sprio prints them.
//
// Run() parses the options, sends the filters to the controller in one
// ListPrioritiesRequest, and prints (render.h).
//
// Thread-safety: Run() uses the client from one thread.
#pragma once

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::sprio {

// Returns the process exit code.
int Run(const Invocation& invocation, client::ControllerClient& client);

}  // namespace drover::cli::sprio
