// srun: run a parallel step, as Slurm's srun.
//
// Inside an allocation (SLURM_JOB_ID set: a batch script, a salloc shell) it creates a
// step there (GetJobAllocation, CreateStep); outside one it first allocates a job with
// AllocateJob ("srun: job 42 queued and waiting for resources", "srun: job 42 has been
// allocated resources" when it had to wait) and releases it at the end with
// CompleteJobAllocation. CreateStep is retried while the allocation is busy
// (step_request.h). Then one StepIo.LaunchTasks stream per node carries the tasks' I/O
// (step_io_loop.h) until every task has ended; CompleteStep reports the exit code.
//
// Options come from SLURM_* input variables, then the command line (job_options.h); the
// command is the first positional argument. -i/-o/-e: "all", "none" or a task number for
// -i, else a file pattern (%j %t %n %N %s ...) the node expands and opens.
//
// --pty: task 0 runs on a pseudo-terminal on its node and gets srun's stdin; with a
// terminal on stdin, srun puts it in raw mode while the step runs (terminal.h), sends its
// window size at launch and on SIGWINCH, and passes every byte typed (^C included).
//
// Exit code: the tasks' (task_status.h); 1 when the job or step could not be created or
// launched; 255 for option errors.
#pragma once

#include <iosfwd>

#include "cli/common/invocation.h"
#include "client/controller_client.h"
#include "client/step_io.h"

namespace drover::cli::srun {

struct SrunHooks {
  int stdin_fd = 0;            // -1: nothing to forward
  bool handle_signals = true;  // read SIGINT & co from a signalfd (tests: false)
  std::string launch_address;  // empty: this host's address, looked up
};

int Run(const Invocation& invocation, client::ControllerClient& client,
        client::StepIoDialer& dialer, const SrunHooks& hooks);

// The real command: dials the node daemons per slurm.conf.
int Run(const Invocation& invocation, client::ControllerClient& client);

void PrintHelp(std::ostream& out);
void PrintUsage(std::ostream& out);

}  // namespace drover::cli::srun
