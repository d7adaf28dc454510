// `drover config check [FILE]`: reads a configuration the way the daemons will, without
// starting anything, and prints it in the `scontrol show config` layout.
#pragma once

#include <string>

#include "cli/common/invocation.h"

namespace drover::cli::drover {

// `path` empty: $SLURM_CONF, then /etc/slurm/slurm.conf. Exit 0 when the configuration
// loads (warnings on stderr), 1 with every error on stderr when it does not.
int ConfigCheck(const Invocation& invocation, std::string path);

}  // namespace drover::cli::drover
