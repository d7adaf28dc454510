// TasksStepd: the srun side of drover-stepd. It runs the local tasks of one job step from
// the step's spool directory (written by droverd's StepIo.LaunchTasks, see step_spool.h)
// and carries their I/O over the directory's `io` socket, which droverd relays to srun.
//
//   1. reads stepd.conf, launch.pb (LaunchTasks) and credential.pb (the verified grant);
//      opens the control FIFO (stepd is now "alive") and listens on `io`;
//   2. starts the tasks this node's StepNodeLayout lists through a TaskGroup, as the
//      step's user, with BuildTaskEnv's environment, stdout/stderr on pipes (or the files
//      -o/-e name), stdin on a pipe for the tasks that get srun's input (or the -i file,
//      or /dev/null); with --pty, task 0 on a new pseudo-terminal instead (its
//      controlling terminal, sized as LaunchTasks.window_size) and the other tasks on
//      /dev/null; then says "ok <pid>" on the ready fd ("error: ..." when nothing could
//      start, which droverd returns to srun);
//   3. sends `launched`, then each chunk of output as it arrives; writes `input` to the
//      stdin pipes (eof closes them; on a pty it is the terminal's EOF character),
//      delivers `signal` (on a pty, SIGINT, SIGQUIT, SIGTSTP and SIGWINCH go to the
//      terminal's foreground process group), resizes the pty on `window_size`; serves
//      the control FIFO (terminate [why], signal <sig> all, suspend, resume) for the
//      job-wide requests;
//      enforces the time limit (the step's, and the job's end time), sending Slurm's
//      "*** STEP 42.0 ON n1 CANCELLED AT ... DUE TO TIME LIMIT ***" as a StepMessage;
//   4. once every task has exited and its output is read: `exit` (tasks with the same
//      status together) and `done`; writes state ("TIMEOUT 0:15"); sends
//      NodeRegistry.StepComplete until the controller has it; removes the spool dir and
//      exits, which is what lets droverd confirm the job's end here.
//
// Thread-safety: RunTasksStepd runs once per process, on the main thread (which owns the
// I/O); it starts a thread that waits for the tasks and one that serves the FIFO.
#pragma once

#include <string>

namespace drover::noded {

// Returns drover-stepd's exit status: 0 when the step ran and its end was reported.
// `ready_fd` < 0: nobody waits for readiness.
int RunTasksStepd(const std::string& step_dir, int ready_fd);

}  // namespace drover::noded
