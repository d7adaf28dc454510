// Where the commands get their ControllerClient from. The multi-call main calls
// MakeControllerClient once per invocation of a command that talks to the controller and
// hands the client to the command's Run(); tests pass their own fake instead.
//
// Thread-safety: the returned client follows ControllerClient's contract.
#pragma once

#include <memory>

#include "base/result.h"
#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli {

// A client connected to the controller that slurm.conf (SLURM_CONF in `env`) names.
// Errors: kUnavailable when it cannot be reached.
Result<std::unique_ptr<client::ControllerClient>> MakeControllerClient(const Environment& env);

// A client whose every call fails with `error`: lets a command still parse its options,
// print --help or report a bad option before it finds the controller unreachable, the
// order in which Slurm's commands report them.
std::unique_ptr<client::ControllerClient> UnreachableControllerClient(Error error);

}  // namespace drover::cli
