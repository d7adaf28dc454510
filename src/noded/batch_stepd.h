// BatchStepd: the batch side of drover-stepd. It runs one batch script from the job's
// spool directory (written by droverd, see spool.h) and reports its end to the controller.
//
//   1. reads stepd.conf and launch.pb; opens the control FIFO (stepd is now "alive");
//   2. starts the script through StepRunner as the job's user, in its working directory,
//      with BuildBatchEnv's environment and the output files its patterns name;
//   3. writes stepd.pid and state ("RUNNING"), then "ok <pid>" on the ready fd, so
//      droverd's LaunchBatch can answer;
//   4. serves control requests (terminate [why], signal) until the script is over; the
//      step's processes are gone (or given up on as unkillable) when it is;
//   5. writes state ("COMPLETED 3:0"), sends NodeRegistry.JobComplete (node, job id,
//      exit code N:S, state, unkillable) with a MUNGE credential, retrying with backoff
//      until the controller acknowledges it (it may be restarting), then removes the
//      spool dir and exits, which is what lets droverd confirm the job's end here.
// A script that cannot start (unknown user, bad working directory) is still reported,
// as JobComplete with launch_error.
//
// Thread-safety: RunBatchStepd runs once per process, on the main thread; it starts the
// control thread itself.
#pragma once

#include <string>

namespace drover::noded {

// Returns drover-stepd's exit status: 0 when the end was reported, 1 otherwise.
// `ready_fd` < 0: nobody waits for readiness.
int RunBatchStepd(const std::string& job_dir, int ready_fd);

}  // namespace drover::noded
