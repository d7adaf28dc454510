#include "stepd/task_group.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

}  // namespace

TaskGroup::TaskGroup(std::unique_ptr<ProcessTracker> tracker, TaskGroupOptions options)
    : options_(std::move(options)), tracker_(std::move(tracker)) {}

Result<std::unique_ptr<TaskGroup>> TaskGroup::Start(std::vector<LaunchSpec> tasks,
                                                    std::unique_ptr<ProcessTracker> tracker,
                                                    TaskGroupOptions options) {
  if (tracker == nullptr) return Error(ErrorCode::kInvalidArgument, "no process tracker");
  if (tasks.empty()) return Error(ErrorCode::kInvalidArgument, "no task to start");
  auto group = std::unique_ptr<TaskGroup>(new TaskGroup(std::move(tracker), std::move(options)));
  group->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (group->wake_fd_ < 0) return SysError("eventfd");
  group->started_ = Clock::now();
  for (const LaunchSpec& spec : tasks) {
    // On failure the destructor kills and reaps the tasks already started.
    RETURN_IF_ERROR(group->Launch(spec));
  }
  return group;
}

Status TaskGroup::Launch(const LaunchSpec& spec) {
  ASSIGN_OR_RETURN(StartedTask task, StartTask(spec, *tracker_));
  {
    std::lock_guard lock(mu_);
    pids_.push_back(task.pid);
    pidfds_.push_back(task.pidfd);
    reaped_.push_back(false);
  }
  launch_errors_.push_back(std::move(task.launch_error));
  if (task.pidfd < 0) return SysError("pidfd_open");
  return Ok();
}

TaskGroup::~TaskGroup() {
  {
    std::lock_guard lock(mu_);
    if (!done_) {
      // Wait() never ran (or Start() failed): the tasks must not outlive this object.
      if (tracker_) (void)tracker_->Signal(SIGKILL);
      for (size_t i = 0; i < pids_.size(); ++i) {
        if (reaped_[i]) continue;
        (void)::kill(pids_[i], SIGKILL);
        (void)::waitpid(pids_[i], nullptr, 0);
        reaped_[i] = true;
      }
    } else {
      for (size_t i = 0; i < pids_.size(); ++i) {
        if (!reaped_[i]) (void)::waitpid(pids_[i], nullptr, WNOHANG);  // unkillable
      }
    }
    if (tracker_) (void)tracker_->Destroy();
    tracker_.reset();
    done_ = true;
  }
  for (int fd : pidfds_) {
    if (fd >= 0) ::close(fd);
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void TaskGroup::Wake() {
  uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
}

void TaskGroup::Terminate(TerminateReason why) {
  {
    std::lock_guard lock(mu_);
    if (done_ || terminate_requested_) return;
    terminate_requested_ = true;
    terminate_reason_ = why;
  }
  Wake();
}

Status TaskGroup::Signal(int sig, std::span<const size_t> tasks) {
  std::lock_guard lock(mu_);
  if (done_) return Error(ErrorCode::kAlreadyDone, "the step has ended");
  if (tasks.empty()) return tracker_->Signal(sig);
  for (size_t i : tasks) {
    if (i >= pids_.size() || reaped_[i]) continue;  // unreaped: the pid is still the task's
    if (::kill(pids_[i], sig) != 0 && errno != ESRCH) {
      return SysError(fmt::format("kill({}, {})", pids_[i], sig));
    }
  }
  return Ok();
}

TaskGroupResult TaskGroup::Wait() {
  enum class Phase { kRunning, kTerminating, kKilling };
  const size_t n = pids_.size();
  Phase phase = Phase::kRunning;
  std::optional<TerminateReason> reason;
  std::vector<int> status(n, 0);
  std::vector<bool> exited(n, false);
  size_t live = 0;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < n; ++i) {
      exited[i] = reaped_[i];
      if (!exited[i]) ++live;
    }
  }
  bool bad_exit = false;
  bool unkillable = false;
  Clock::time_point kill_at{}, give_up_at{};
  std::optional<Clock::time_point> limit_at;
  if (options_.time_limit) limit_at = started_ + *options_.time_limit;

  auto signal_all = [this](int sig) {
    std::lock_guard lock(mu_);
    (void)tracker_->Signal(sig);
  };
  auto empty = [this] {
    std::lock_guard lock(mu_);
    return tracker_->Empty();
  };
  auto begin_terminate = [&](TerminateReason why) {
    reason = why;
    phase = Phase::kTerminating;
    if (options_.on_terminate) options_.on_terminate(why);
    signal_all(SIGCONT);
    signal_all(SIGTERM);
    kill_at = Clock::now() + options_.kill_wait;
  };
  auto begin_kill = [&] {
    phase = Phase::kKilling;
    signal_all(SIGKILL);
    give_up_at = Clock::now() + options_.unkillable_timeout;
  };

  std::vector<pollfd> fds;
  std::vector<size_t> fd_task;
  while (true) {
    auto now = Clock::now();
    bool requested;
    TerminateReason why;
    {
      std::lock_guard lock(mu_);
      requested = terminate_requested_;
      why = terminate_reason_;
    }
    if (phase == Phase::kRunning && live > 0) {
      if (requested) {
        begin_terminate(why);
      } else if (limit_at && now >= *limit_at) {
        begin_terminate(TerminateReason::kTimeLimit);
      } else if (bad_exit && options_.kill_on_bad_exit) {
        begin_terminate(TerminateReason::kCancelled);
      }
    }
    if (phase == Phase::kTerminating && now >= kill_at) begin_kill();
    if (live == 0 && phase != Phase::kKilling) {
      // Every task is gone: whatever they left behind ends with the step.
      if (empty()) break;
      begin_kill();
    }
    if (phase == Phase::kKilling) {
      if (live == 0 && empty()) break;
      if (Clock::now() >= give_up_at) {
        unkillable = true;
        break;
      }
    }

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
    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    fd_task.assign(1, n);
    for (size_t i = 0; i < n; ++i) {
      if (exited[i]) continue;
      fds.push_back(pollfd{pidfds_[i], POLLIN, 0});
      fd_task.push_back(i);
    }
    int r = ::poll(fds.data(), fds.size(), timeout_ms);
    if (r < 0 && errno != EINTR) break;  // cannot happen with valid fds; do not spin
    if (r <= 0) continue;
    if (fds[0].revents & POLLIN) {
      uint64_t count;
      (void)::read(wake_fd_, &count, sizeof count);
    }
    for (size_t k = 1; k < fds.size(); ++k) {
      if (!(fds[k].revents & POLLIN)) continue;
      size_t i = fd_task[k];
      if (::waitpid(pids_[i], &status[i], WNOHANG) != pids_[i]) continue;
      exited[i] = true;
      --live;
      if (!ExitCode::FromWaitStatus(status[i]).Succeeded()) bad_exit = true;
      std::lock_guard lock(mu_);
      reaped_[i] = true;
    }
  }

  TaskGroupResult result;
  result.unkillable = unkillable;
  result.launch_errors = launch_errors_;
  bool failed = false;
  for (size_t i = 0; i < n; ++i) {
    ExitCode code = exited[i] ? ExitCode::FromWaitStatus(status[i]) : ExitCode{0, SIGKILL};
    if (!code.Succeeded() || !launch_errors_[i].empty()) failed = true;
    result.exit_codes.push_back(code);
  }
  std::lock_guard lock(mu_);
  bool oom = tracker_->OomKilled();
  (void)tracker_->Destroy();
  done_ = true;
  if (reason) {
    result.state =
        *reason == TerminateReason::kTimeLimit ? JobState::kTimeout : JobState::kCancelled;
  } else if (oom) {
    result.state = JobState::kOutOfMemory;
  } else {
    result.state = failed ? JobState::kFailed : JobState::kCompleted;
  }
  return result;
}

}  // namespace drover::stepd
