#include "cli/srun/step_io_loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "cli/srun/task_output.h"
#include "cli/srun/task_status.h"

namespace drover::cli::srun {
namespace {

struct NodeState {
  bool launched = false;
  bool done_seen = false;
  bool ended = false;
};

class StepIo {
 public:
  StepIo(std::vector<NodeStream>& nodes, const StepIoConfig& config, std::ostream& out,
         std::ostream& err)
      : nodes_(nodes),
        config_(config),
        out_(out),
        err_(err),
        states_(nodes.size()),
        tasks_(config.num_tasks),
        output_(config.num_tasks, config.label, config.unbuffered,
                [this](OutputStreamKind kind, std::string_view text) {
                  std::ostream& s = kind == OutputStreamKind::kStdout ? out_ : err_;
                  s << text;
                  s.flush();
                }) {}

  StepIoResult Run() {
    bool stdin_open = config_.stdin_fd >= 0;
    bool events_open = config_.job_events != nullptr;
    while (true) {
      if (events_open) events_open = TakeJobEvents();
      for (size_t i = 0; i < nodes_.size(); ++i) TakeReplies(i);
      if (std::all_of(states_.begin(), states_.end(), [](const NodeState& s) { return s.ended; }))
        break;
      if (grace_deadline_ && std::chrono::steady_clock::now() >= *grace_deadline_) {
        for (size_t i = 0; i < nodes_.size(); ++i) {
          if (!states_[i].ended) nodes_[i].stream->Cancel();
        }
        grace_deadline_.reset();
        continue;
      }

      std::vector<pollfd> fds;
      std::vector<int> owner;  // node index, or kStdin / kSignals / kEvents
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (states_[i].ended) continue;
        fds.push_back({nodes_[i].stream->fd(), nodes_[i].stream->events(), 0});
        owner.push_back(static_cast<int>(i));
      }
      // Signals before stdin: a window resized before keys were typed is resized first.
      if (config_.signal_fd >= 0) {
        fds.push_back({config_.signal_fd, POLLIN, 0});
        owner.push_back(kSignals);
      }
      if (stdin_open) {
        fds.push_back({config_.stdin_fd, POLLIN, 0});
        owner.push_back(kStdin);
      }
      if (events_open) {
        fds.push_back({config_.job_events->fd(), config_.job_events->events(), 0});
        owner.push_back(kEvents);
      }
      int timeout_ms = -1;
      if (grace_deadline_) {
        timeout_ms = static_cast<int>(
            std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                     *grace_deadline_ - std::chrono::steady_clock::now())
                                     .count()));
      }
      int n = poll(fds.data(), fds.size(), timeout_ms);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (size_t k = 0; k < fds.size(); ++k) {
        if (fds[k].revents == 0) continue;
        switch (owner[k]) {
          case kStdin:
            stdin_open = ForwardStdin();
            break;
          case kSignals:
            while (int sig = config_.take_signal ? config_.take_signal() : 0) OnSignal(sig);
            break;
          case kEvents:
            if (!config_.job_events->OnReady(fds[k].revents)) events_open = false;
            break;
          default: {
            size_t i = static_cast<size_t>(owner[k]);
            if (Status s = nodes_[i].stream->OnReady(fds[k].revents); !s) {
              TakeReplies(i);
              NodeEnded(i, s.error());
            }
          }
        }
      }
    }
    output_.Flush();
    return result_;
  }

 private:
  static constexpr int kStdin = -1;
  static constexpr int kSignals = -2;
  static constexpr int kEvents = -3;

  bool Cancelling() const { return tracker_.aborting() || result_.job_ended; }

  // Returns whether the job's stream is still open.
  bool TakeJobEvents() {
    client::JobEventStream& events = *config_.job_events;
    while (std::optional<v1::JobEvent> event = events.TakeEvent()) {
      if (event->event_case() == v1::JobEvent::kEnded && !result_.job_ended) {
        result_.job_ended = true;
        err_ << "srun: Force Terminated JobId=" << config_.job_id << "\n";
        err_.flush();
        grace_deadline_ = std::chrono::steady_clock::now() + kJobEndGrace;
      }
    }
    return !events.done();
  }

  void TakeReplies(size_t i) {
    NodeStream& node = nodes_[i];
    NodeState& state = states_[i];
    if (state.ended) return;
    while (std::optional<v1::StepIoResponse> reply = node.stream->TakeReply()) {
      switch (reply->msg_case()) {
        case v1::StepIoResponse::kLaunched:
          state.launched = true;
          for (const v1::LaunchedTask& t : reply->launched().tasks()) tasks_.Launched(t.task_id());
          if (reply->launched().tasks().empty()) {
            for (uint32_t t : node.tasks) tasks_.Launched(t);
          }
          break;
        case v1::StepIoResponse::kOutput: {
          const v1::TaskOutput& o = reply->output();
          output_.Add(o.task_id(),
                      o.stream() == v1::OUTPUT_STREAM_STDERR ? OutputStreamKind::kStderr
                                                             : OutputStreamKind::kStdout,
                      o.data());
          break;
        }
        case v1::StepIoResponse::kExit: {
          const v1::TaskExit& e = reply->exit();
          std::vector<uint32_t> ids(e.task_ids().begin(), e.task_ids().end());
          for (uint32_t t : ids) tasks_.Exited(t, e.exit_code());
          result_.highest_status = std::max(result_.highest_status, WaitStatusOf(e.exit_code()));
          std::string name = e.node_name().empty() ? node.node_name : e.node_name();
          std::string text = TaskExitText(name, ids, e.exit_code(), Cancelling());
          if (!text.empty()) {
            err_ << "srun: error: " << text << "\n";
            err_.flush();
          }
          break;
        }
        case v1::StepIoResponse::kMessage: {
          std::string_view text = reply->message().text();
          err_ << text;
          if (text.empty() || text.back() != '\n') err_ << "\n";
          err_.flush();
          break;
        }
        case v1::StepIoResponse::kDone:
          state.done_seen = true;
          result_.highest_status =
              std::max(result_.highest_status, WaitStatusOf(reply->done().exit_code()));
          break;
        default:
          break;
      }
    }
    if (node.stream->done()) {
      Status status = node.stream->status();
      NodeEnded(i, status ? std::optional<Error>() : std::optional<Error>(status.error()));
    }
  }

  void NodeEnded(size_t i, std::optional<Error> error) {
    NodeState& state = states_[i];
    if (state.ended) return;
    state.ended = true;
    if (state.done_seen) return;
    const NodeStream& node = nodes_[i];
    std::string why = error ? std::string(ErrorText(error->code())) : "Connection closed";
    if (!state.launched) {
      for (uint32_t t : node.tasks) tasks_.FailedToStart(t);
      err_ << "srun: error: Task launch for " << config_.step_text << " failed on node "
           << node.node_name << ": " << why << "\n";
      if (!result_.launch_failed) {
        err_ << "srun: error: Application launch failed: " << why << "\n";
        result_.launch_failed = true;
        SignalAll(SIGKILL);
      }
    } else if (!Cancelling()) {
      err_ << "srun: error: " << node.node_name << ": tasks " << FormatTaskRanges(node.tasks)
           << ": Lost connection to node: " << why << "\n";
    }
    err_.flush();
    result_.highest_status = std::max(result_.highest_status, 1 << 8);
  }

  bool ForwardStdin() {
    char buf[65536];
    ssize_t n = read(config_.stdin_fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    v1::StepIoRequest request;
    v1::StdinData* data = request.mutable_input();
    if (n > 0) {
      data->set_data(buf, static_cast<size_t>(n));
    } else {
      data->set_eof(true);
    }
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (states_[i].ended) continue;
      const std::vector<uint32_t>& t = nodes_[i].tasks;
      if (config_.stdin_task && std::find(t.begin(), t.end(), *config_.stdin_task) == t.end())
        continue;
      (void)nodes_[i].stream->Send(request);
    }
    return n > 0;
  }

  void SignalAll(int sig) {
    v1::StepIoRequest request;
    request.mutable_signal()->set_signal(sig);
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (!states_[i].ended) (void)nodes_[i].stream->Send(request);
    }
  }

  // To the node of task 0, the one with the pseudo-terminal.
  void SendWindowSize() {
    std::optional<v1::WindowSize> size = config_.window_size ? config_.window_size() : std::nullopt;
    if (!size) return;
    v1::StepIoRequest request;
    *request.mutable_window_size() = *size;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const std::vector<uint32_t>& t = nodes_[i].tasks;
      if (!states_[i].ended && std::find(t.begin(), t.end(), 0u) != t.end()) {
        (void)nodes_[i].stream->Send(request);
      }
    }
  }

  void OnSignal(int sig) {
    if (config_.pty && sig == SIGWINCH) {
      SendWindowSize();
      return;
    }
    if (sig != SIGINT || config_.pty) {
      SignalAll(sig);
      return;
    }
    switch (tracker_.OnInterrupt(std::chrono::steady_clock::now())) {
      case InterruptTracker::Action::kPrintStatus:
        err_ << "srun: interrupt (one more within 1 sec to abort)\n";
        for (const std::string& line : tasks_.StatusLines(config_.step_text)) {
          err_ << "srun: " << line << "\n";
        }
        break;
      case InterruptTracker::Action::kAbort:
        err_ << "srun: sending Ctrl-C to " << config_.step_text << "\n";
        SignalAll(SIGINT);
        err_ << "srun: forcing job termination\n";
        SignalAll(SIGKILL);
        break;
      case InterruptTracker::Action::kAbortInProgress:
        err_ << "srun: job abort in progress\n";
        SignalAll(SIGKILL);
        break;
    }
    err_.flush();
  }

  std::vector<NodeStream>& nodes_;
  const StepIoConfig& config_;
  std::ostream& out_;
  std::ostream& err_;
  std::vector<NodeState> states_;
  TaskStates tasks_;
  OutputAssembler output_;
  InterruptTracker tracker_;
  StepIoResult result_;
  std::optional<std::chrono::steady_clock::time_point> grace_deadline_;
};

}  // namespace

StepIoResult RunStepIo(std::vector<NodeStream>& nodes, const StepIoConfig& config,
                       std::ostream& out, std::ostream& err) {
  return StepIo(nodes, config, out, err).Run();
}

}  // namespace drover::cli::srun
