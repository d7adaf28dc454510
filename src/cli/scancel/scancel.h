// scancel: cancel or signal jobs, job array tasks and steps, as Slurm's scancel.
//
// Run() parses the options (options.h), sends the named jobs and every filter (-u, -A,
// -p, -t, -n, -q, -w, --me) to the controller in one CancelJobsRequest, and reports per
// job the way Slurm's scancel does: silent on success; "scancel: error: Kill job error on
// job id 42: Access/permission denied" for a refused job (exit 1); a job that is unknown
// or already finished is ignored when cancelling (exit 0, as `scancel 99999999`) and
// reported only with -v.
//
// Thread-safety: Run() uses the client from one thread.
#pragma once

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::scancel {

// Returns the process exit code.
int Run(const Invocation& invocation, client::ControllerClient& client);

}  // namespace drover::cli::scancel
