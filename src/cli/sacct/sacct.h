// sacct: job accounting records, as Slurm's sacct prints them.
//
// Run() parses the options (options.h), sends the filters to the controller in one
// ListJobRecordsRequest (the accounting store answers, not the live queue), and prints
// the records and their steps (fields.h).
//
// Thread-safety: Run() uses the client from one thread.
#pragma once

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::sacct {

// Returns the process exit code. `now` is read from the system clock; the caller's uid
// from getuid().
int Run(const Invocation& invocation, client::ControllerClient& client);

}  // namespace drover::cli::sacct
