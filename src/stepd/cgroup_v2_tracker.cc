// CgroupV2Tracker: the step is a child of our own cgroup2 cgroup. Tracking and killing
// need no controller (cgroup.procs, cgroup.kill since Linux 5.14, cgroup.freeze since
// 5.2); limits need the memory/cpuset controllers delegated to our cgroup.
#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "stepd/cgroup_fs.h"
#include "stepd/process_tracker.h"

namespace drover::stepd {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kFreezeTimeout{1000};
constexpr milliseconds kDestroyTimeout{3000};

bool HasWord(std::string_view text, std::string_view word) {
  size_t pos = 0;
  while ((pos = text.find(word, pos)) != std::string_view::npos) {
    bool start_ok = pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\n';
    size_t end = pos + word.size();
    bool end_ok = end == text.size() || text[end] == ' ' || text[end] == '\n';
    if (start_ok && end_ok) return true;
    pos = end;
  }
  return false;
}

class CgroupV2Tracker final : public ProcessTracker {
 public:
  ~CgroupV2Tracker() override { (void)Destroy(); }

  static Result<std::unique_ptr<ProcessTracker>> Create(const TrackerOptions& options,
                                                        bool require_controllers) {
    if (options.name.empty() || options.name.find('/') != std::string::npos) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("invalid cgroup name '{}'", options.name));
    }
    ASSIGN_OR_RETURN(std::string mount, FindCgroupV2Mount());
    ASSIGN_OR_RETURN(std::string own, OwnCgroupPath(""));
    if (own == "/") own.clear();
    auto tracker = std::unique_ptr<CgroupV2Tracker>(new CgroupV2Tracker());
    tracker->path_ = mount + own + "/" + options.name;
    RETURN_IF_ERROR(MakeCgroupDir(tracker->path_));
    tracker->created_ = true;
    tracker->procs_fd_ = ::open((tracker->path_ + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
    if (tracker->procs_fd_ < 0) {
      return Error(ErrorCode::kPermissionDenied, fmt::format("cannot open {}/cgroup.procs: {}",
                                                             tracker->path_, std::strerror(errno)));
    }
    auto controllers = ReadSmallFile(tracker->path_ + "/cgroup.controllers").value_or("");
    bool memory = HasWord(controllers, "memory");
    if (require_controllers && !memory) {
      return Error(ErrorCode::kNotSupported,
                   fmt::format("no memory controller delegated to {}", mount + own));
    }
    if (options.memory_limit_bytes) {
      if (!memory) {
        return Error(ErrorCode::kNotSupported, "memory limit asked for, no memory controller");
      }
      RETURN_IF_ERROR(WriteSmallFile(tracker->path_ + "/memory.max",
                                     std::to_string(*options.memory_limit_bytes)));
      (void)WriteSmallFile(tracker->path_ + "/memory.swap.max", "0");
    }
    if (!options.cpuset_cpus.empty()) {
      if (!HasWord(controllers, "cpuset")) {
        return Error(ErrorCode::kNotSupported, "cpuset asked for, no cpuset controller");
      }
      RETURN_IF_ERROR(WriteSmallFile(tracker->path_ + "/cpuset.cpus", options.cpuset_cpus));
    }
    struct stat st;
    tracker->has_kill_ = ::stat((tracker->path_ + "/cgroup.kill").c_str(), &st) == 0;
    return std::unique_ptr<ProcessTracker>(std::move(tracker));
  }

  TrackerKind kind() const override { return TrackerKind::kCgroupV2; }

  int EnterFromChild() noexcept override {
    if (::write(procs_fd_, "0", 1) < 0) return errno;
    return 0;
  }

  Status Add(pid_t pid) override {
    return WriteSmallFile(path_ + "/cgroup.procs", std::to_string(pid));
  }

  Status Signal(int sig) override {
    if (!created_) return Ok();
    // cgroup.kill is atomic against forks and works on frozen tasks.
    if (sig == SIGKILL && has_kill_) return WriteSmallFile(path_ + "/cgroup.kill", "1");
    bool frozen = SetFrozen(true);
    Status status = Ok();
    auto pids = Pids();
    if (!pids) {
      status = pids.error();
    } else {
      for (pid_t pid : *pids) {
        if (::kill(pid, sig) != 0 && errno != ESRCH && status.has_value()) {
          status = Error(ErrorCode::kPermissionDenied,
                         fmt::format("kill({}, {}) failed: {}", pid, sig, std::strerror(errno)));
        }
      }
    }
    if (frozen) SetFrozen(false);
    return status;
  }

  Result<std::vector<pid_t>> Pids() override {
    if (!created_) return std::vector<pid_t>{};
    ASSIGN_OR_RETURN(auto text, ReadSmallFile(path_ + "/cgroup.procs"));
    return ParsePidList(text);
  }

  bool OomKilled() override {
    auto text = ReadSmallFile(path_ + "/memory.events");
    return text && KeyedValue(*text, "oom_kill") > 0;
  }

  Status Destroy() override {
    if (!created_) return Ok();
    auto deadline = steady_clock::now() + kDestroyTimeout;
    while (!Empty() && steady_clock::now() < deadline) {
      (void)Signal(SIGKILL);
      std::this_thread::sleep_for(milliseconds(5));
    }
    if (procs_fd_ >= 0) ::close(procs_fd_);
    procs_fd_ = -1;
    created_ = false;
    return RemoveCgroupDir(path_, milliseconds(500));
  }

 private:
  CgroupV2Tracker() = default;

  bool SetFrozen(bool frozen) {
    if (!WriteSmallFile(path_ + "/cgroup.freeze", frozen ? "1" : "0")) return false;
    if (!frozen) return true;
    auto deadline = steady_clock::now() + kFreezeTimeout;
    auto pause = std::chrono::microseconds(100);
    while (true) {
      auto events = ReadSmallFile(path_ + "/cgroup.events");
      if (events && KeyedValue(*events, "frozen") == 1) return true;
      if (steady_clock::now() >= deadline) return true;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
  }

  // Constant after Create().
  std::string path_;
  bool has_kill_ = false;
  // Owner thread.
  bool created_ = false;
  int procs_fd_ = -1;
};

}  // namespace

Result<std::unique_ptr<ProcessTracker>> CreateCgroupV2Tracker(const TrackerOptions& options,
                                                              bool require_controllers) {
  auto tracker = CgroupV2Tracker::Create(options, require_controllers);
  if (!tracker) {
    return Error(ErrorCode::kNotSupported, "cgroup v2: " + tracker.error().message());
  }
  return tracker;
}

}  // namespace drover::stepd
