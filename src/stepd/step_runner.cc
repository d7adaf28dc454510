#include "stepd/step_runner.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "stepd/task_exec.h"

namespace drover::stepd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// While processes must still go away, how often to look again (and resend SIGKILL).
constexpr milliseconds kKillPollInterval{20};

Error SysError(std::string_view what) {
  return Error(ErrorCode::kInternal, fmt::format("{}: {}", what, std::strerror(errno)));
}

std::string NowIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace

StepRunner::StepRunner(LaunchSpec spec, std::unique_ptr<ProcessTracker> tracker)
    : spec_(std::move(spec)), tracker_(std::move(tracker)) {}

Result<std::unique_ptr<StepRunner>> StepRunner::Start(LaunchSpec spec,
                                                      std::unique_ptr<ProcessTracker> tracker) {
  if (tracker == nullptr) return Error(ErrorCode::kInvalidArgument, "no process tracker");
  auto runner = std::unique_ptr<StepRunner>(new StepRunner(std::move(spec), std::move(tracker)));
  RETURN_IF_ERROR(runner->Launch());
  return runner;
}

Status StepRunner::Launch() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return SysError("eventfd");
  started_ = Clock::now();
  ASSIGN_OR_RETURN(StartedTask task, StartTask(spec_, *tracker_));
  const pid_t pid = task.pid;
  pid_ = pid;
  pidfd_ = task.pidfd;
  launch_error_ = std::move(task.launch_error);
  if (pidfd_ < 0) {
    // Without a pidfd we cannot poll for the exit; the pid is ours, so kill and reap it.
    Error e = SysError("pidfd_open");
    (void)::kill(pid, SIGKILL);
    (void)::waitpid(pid, nullptr, 0);
    reaped_ = true;
    return e;
  }
  return Ok();
}

StepRunner::~StepRunner() {
  {
    std::lock_guard lock(mu_);
    if (!reaped_ && pid_ > 0 && !done_) {
      // Wait() never ran: the step must not outlive its supervisor object.
      if (tracker_) (void)tracker_->Signal(SIGKILL);
      (void)::kill(pid_, SIGKILL);
      (void)::waitpid(pid_, nullptr, 0);
      reaped_ = true;
    } else if (!reaped_ && pid_ > 0) {
      (void)::waitpid(pid_, nullptr, WNOHANG);  // unkillable: never block on it
    }
    if (tracker_) (void)tracker_->Destroy();
    tracker_.reset();
    done_ = true;
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void StepRunner::Wake() {
  uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
}

void StepRunner::Terminate(TerminateReason why) {
  {
    std::lock_guard lock(mu_);
    if (done_ || cancel_requested_) return;
    cancel_requested_ = true;
    cancel_reason_ = why;
  }
  Wake();
}

Status StepRunner::Signal(int sig, bool whole_step) {
  std::lock_guard lock(mu_);
  if (done_ || (reaped_ && !whole_step)) {
    return Error(ErrorCode::kAlreadyDone, fmt::format("step of pid {} has ended", pid_));
  }
  if (!whole_step) {
    if (::kill(pid_, sig) != 0) return SysError(fmt::format("kill({}, {})", pid_, sig));
    return Ok();
  }
  return tracker_->Signal(sig);
}

void StepRunner::WriteBanner(std::string_view why) {
  if (spec_.job_id == 0) return;
  std::string path = spec_.stderr_path.empty() ? spec_.stdout_path : spec_.stderr_path;
  if (path.empty()) return;
  if (path.front() != '/') path = spec_.cwd + "/" + path;
  // The file already exists, created by the user's task; append only, never create.
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return;
  std::string line = fmt::format("{}*** JOB {} ON {} CANCELLED AT {}{} ***\n", kStepdErrorPrefix,
                                 spec_.job_id, spec_.node_name, NowIso8601(), why);
  (void)::write(fd, line.data(), line.size());
  ::close(fd);
}

StepResult StepRunner::Wait() {
  enum class Phase { kRunning, kTerminating, kKilling };
  enum class Reason { kNone, kTimeout, kCancelled };
  std::string_view clause;  // the banner's "DUE TO ..." for a terminate request
  Phase phase = Phase::kRunning;
  Reason reason = Reason::kNone;
  int status = 0;
  bool exited = reaped_;
  bool unkillable = false;
  Clock::time_point kill_at{}, give_up_at{};
  std::optional<Clock::time_point> limit_at;
  if (spec_.time_limit) limit_at = started_ + *spec_.time_limit;

  auto signal_all = [this](int sig) {
    std::lock_guard lock(mu_);
    (void)tracker_->Signal(sig);
  };
  auto empty = [this] {
    std::lock_guard lock(mu_);
    return tracker_->Empty();
  };
  auto begin_terminate = [&](Reason why) {
    reason = why;
    phase = Phase::kTerminating;
    WriteBanner(why == Reason::kTimeout ? " DUE TO TIME LIMIT" : clause);
    signal_all(SIGCONT);
    signal_all(SIGTERM);
    kill_at = Clock::now() + spec_.kill_wait;
  };
  auto begin_kill = [&] {
    phase = Phase::kKilling;
    signal_all(SIGKILL);
    give_up_at = Clock::now() + spec_.unkillable_timeout;
  };

  while (true) {
    auto now = Clock::now();
    // 1. Deadlines and requests, in order of precedence.
    bool cancel;
    TerminateReason why;
    {
      std::lock_guard lock(mu_);
      cancel = cancel_requested_;
      why = cancel_reason_;
    }
    if (phase == Phase::kRunning && !exited) {
      if (cancel) {
        switch (why) {
          case TerminateReason::kCancelled:
            clause = "";
            break;
          case TerminateReason::kTimeLimit:
            clause = " DUE TO TIME LIMIT";
            break;
          case TerminateReason::kNodeFail:
            clause = " DUE TO NODE FAILURE";
            break;
          case TerminateReason::kPreempted:
            clause = " DUE TO PREEMPTION";
            break;
        }
        begin_terminate(why == TerminateReason::kTimeLimit ? Reason::kTimeout : Reason::kCancelled);
      } else if (limit_at && now >= *limit_at) {
        begin_terminate(Reason::kTimeout);
      }
    }
    if (phase == Phase::kTerminating && now >= kill_at) begin_kill();
    if (exited && phase != Phase::kKilling) {
      // The task is gone: whatever it left behind ends with the step.
      if (empty()) break;
      begin_kill();
    }
    if (phase == Phase::kKilling) {
      if (exited && empty()) break;
      if (Clock::now() >= give_up_at) {
        unkillable = true;
        break;
      }
    }

    // 2. Sleep until the next event or deadline.
    int timeout_ms = -1;
    auto until = [&](Clock::time_point t) {
      auto ms = std::chrono::ceil<milliseconds>(t - Clock::now()).count();
      int v = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(ms, 1'000'000)));
      timeout_ms = timeout_ms < 0 ? v : std::min(timeout_ms, v);
    };
    if (phase == Phase::kRunning && limit_at) until(*limit_at);
    if (phase == Phase::kTerminating) until(kill_at);
    if (phase == Phase::kKilling) {
      until(give_up_at);
      until(Clock::now() + kKillPollInterval);
      signal_all(SIGKILL);  // late forks and processes that were between lists
    }
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {pidfd_, POLLIN, 0}};
    int nfds = exited ? 1 : 2;
    int n = ::poll(fds, nfds, timeout_ms);
    if (n < 0 && errno != EINTR) break;  // cannot happen with valid fds; do not spin
    if (fds[0].revents & POLLIN) {
      uint64_t count;
      (void)::read(wake_fd_, &count, sizeof count);
    }
    if (!exited && (fds[1].revents & POLLIN)) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited = true;
        std::lock_guard lock(mu_);
        reaped_ = true;
      }
    }
  }

  StepResult result;
  result.pid = pid_;
  result.unkillable = unkillable;
  result.launch_error = launch_error_;
  result.exit_code = exited ? ExitCode::FromWaitStatus(status) : ExitCode{0, SIGKILL};
  std::lock_guard lock(mu_);
  bool oom = tracker_->OomKilled();
  (void)tracker_->Destroy();
  done_ = true;
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started_);
  if (reason == Reason::kCancelled) {
    result.state = JobState::kCancelled;
  } else if (reason == Reason::kTimeout) {
    result.state = JobState::kTimeout;
  } else if (oom) {
    result.state = JobState::kOutOfMemory;
  } else if (!launch_error_.empty() || !result.exit_code.Succeeded()) {
    result.state = JobState::kFailed;
  } else {
    result.state = JobState::kCompleted;
  }
  return result;
}

}  // namespace drover::stepd
