// The `drover` command: Drover's own administration (configuration checks now; the local
// cluster's up/down/env/status with the running-cluster work).
#pragma once

#include "cli/common/invocation.h"

namespace drover::cli::drover {

int Run(const Invocation& invocation);

}  // namespace drover::cli::drover
