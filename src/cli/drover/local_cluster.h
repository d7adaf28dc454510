// `drover up|down|env|status`: the local cluster, a controller and N node daemons on this
// host with their own munged, all under one run directory (--dir, else DROVER_HOME, else
// $XDG_RUNTIME_DIR/drover, ~/.local/state/drover or /tmp/drover-<uid>).
//
//   up [--nodes N]  writes slurm.conf (free ports), a MUNGE key, starts munged, droverctld
//                   and the droverd's that are not running, waits until every node answers
//   down            stops what up started (by the pids in the run directory), munged last
//   env             prints `export SLURM_CONF=...` and `export PATH=...` for eval
//   status          one line per daemon; exit 0 when all run, 3 otherwise
//
// The daemons are found next to the running `drover` (/proc/self/exe).
#pragma once

#include "cli/common/invocation.h"

namespace drover::cli::drover {

// args[0] is the subcommand ("up", "down", "env", "status").
int LocalClusterCommand(const Invocation& invocation);

// True for the subcommand names LocalClusterCommand handles.
bool IsLocalClusterCommand(const std::string& name);

}  // namespace drover::cli::drover
