// scontrol: view and change the cluster's state, as Slurm's scontrol.
//
// The host list helpers (`show hostnames`, `show hostlist`, `show hostlistsorted`) and
// `version` work with no cluster running; the rest of the subcommands go to the
// controller.
#pragma once

#include "cli/common/invocation.h"

namespace drover::cli::scontrol {

// Returns the process exit code.
int Run(const Invocation& invocation);

}  // namespace drover::cli::scontrol
