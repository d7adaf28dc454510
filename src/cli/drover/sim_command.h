// `drover sim`: runs the scheduler over a workload with a virtual clock (src/sim) and
// prints what the schedule achieved and what scheduling cost, one row per mode:
//
//   drover sim [--swf FILE | --synthetic JOBS] [--nodes N] [--cpus C] [--seed S]
//              [--load L] [--mode fifo|easy|backfill|compare] [--params SCHEDPARAMS]
//
// --params takes slurm.conf's SchedulerParameters syntax (bf_interval=30,...).
// Thread-safety: call from one thread.
#pragma once

#include "cli/common/invocation.h"

namespace drover::cli::drover {

// `inv.args` starts after "sim". Exit code 0, or 1 with a message on inv.err.
int SimCommand(const Invocation& inv);

}  // namespace drover::cli::drover
