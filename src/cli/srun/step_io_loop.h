// The I/O of a launched step: one LaunchTasks stream per node, srun's stdin, its signals
// and (when srun made the allocation) the job's event stream, all in one poll loop until
// every node has said `done` or gone away.
//
// Output goes through OutputAssembler (task_output.h); task exits, Ctrl-C and lost nodes
// are reported as task_status.h words them; `message` replies go to stderr as sent.
// Stdin is read as it comes and sent to the node(s) that hold its task(s), then `eof`.
// SIGINT follows InterruptTracker; SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are
// forwarded to every task. With --pty, SIGINT is forwarded as the others are (a ^C typed
// on srun's raw terminal is a byte of input, not a signal) and SIGWINCH sends the
// terminal's new size to task 0's node. When the job ends under srun (scancel, time
// limit) srun says "srun: Force Terminated JobId=42" and waits for the nodes to finish
// killing the tasks (kJobEndGrace at most).
//
// Thread-safety: runs on the caller's thread; borrows everything it is given.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/controller_client.h"
#include "client/step_io.h"

namespace drover::cli::srun {

inline constexpr std::chrono::seconds kJobEndGrace{30};

struct NodeStream {
  std::string node_name;
  std::vector<uint32_t> tasks;  // global ranks on this node
  std::unique_ptr<client::StepIoStream> stream;
};

struct StepIoConfig {
  std::string step_text;  // "StepId=42.0"
  uint32_t job_id = 0;
  uint32_t num_tasks = 0;
  bool label = false;
  bool unbuffered = false;
  bool quiet = false;
  int stdin_fd = -1;                   // -1: no stdin forwarded
  std::optional<uint32_t> stdin_task;  // absent: every task
  int signal_fd = -1;                  // -1: none
  std::function<int()> take_signal;    // the next pending signal on signal_fd, or 0
  bool pty = false;                    // --pty: task 0 runs on a pseudo-terminal
  // --pty: the size of srun's terminal, sent on SIGWINCH.
  std::function<std::optional<v1::WindowSize>()> window_size;
  client::JobEventStream* job_events = nullptr;  // srun's own allocation, else null
};

struct StepIoResult {
  int highest_status = 0;  // the highest wait status (task_status.h)
  bool launch_failed = false;
  bool job_ended = false;  // the job ended under the step
};

StepIoResult RunStepIo(std::vector<NodeStream>& nodes, const StepIoConfig& config,
                       std::ostream& out, std::ostream& err);

}  // namespace drover::cli::srun
