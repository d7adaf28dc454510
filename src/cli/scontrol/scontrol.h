// scontrol: view and change the cluster's state, as Slurm's scontrol.
//
// The host list helpers (`show hostnames`, `show hostlist`, `show hostlistsorted`) and
// `version` work with no cluster running; the rest of the subcommands go to the
// controller.
#pragma once

#include <functional>
#include <memory>

#include "base/result.h"
#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::scontrol {

// Makes the controller client; called only by subcommands that need the controller, so
// the host list helpers work with none. The multi-call binary passes MakeControllerClient.
using ClientFactory =
    std::function<Result<std::unique_ptr<client::ControllerClient>>(const Environment&)>;

// Returns the process exit code.
int Run(const Invocation& invocation, const ClientFactory& make_client);

}  // namespace drover::cli::scontrol
