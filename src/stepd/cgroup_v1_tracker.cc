// CgroupV1Tracker: the step is a child of our own cgroup in the v1 freezer hierarchy;
// memory and cpuset children join it when limits are asked for (and memory whenever it
// is there, to see OOM kills). Signals go freeze -> kill every pid -> thaw, so nothing
// forks between reading cgroup.procs and the kill.
#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
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

struct Group {
  std::string controller;
  std::string path;
  int procs_fd = -1;
};

class CgroupV1Tracker final : public ProcessTracker {
 public:
  ~CgroupV1Tracker() override { (void)Destroy(); }

  static Result<std::unique_ptr<ProcessTracker>> Create(const TrackerOptions& options) {
    if (options.name.empty() || options.name.find('/') != std::string::npos) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("invalid cgroup name '{}'", options.name));
    }
    auto tracker = std::unique_ptr<CgroupV1Tracker>(new CgroupV1Tracker());
    // The freezer is the step's container; without it v1 gives no reliable kill.
    RETURN_IF_ERROR(tracker->Join("freezer", options.name));
    if (options.memory_limit_bytes) {
      RETURN_IF_ERROR(tracker->Join("memory", options.name));
      RETURN_IF_ERROR(tracker->SetMemoryLimit(*options.memory_limit_bytes));
    } else {
      (void)tracker->Join("memory", options.name);  // for OOM detection; optional
    }
    if (!options.cpuset_cpus.empty()) {
      RETURN_IF_ERROR(tracker->Join("cpuset", options.name));
      RETURN_IF_ERROR(tracker->SetCpus(options.cpuset_cpus));
    }
    return std::unique_ptr<ProcessTracker>(std::move(tracker));
  }

  TrackerKind kind() const override { return TrackerKind::kCgroupV1; }

  int EnterFromChild() noexcept override {
    for (const auto& g : groups_) {
      // "0" is the writer itself, in v1 as in v2.
      if (::write(g.procs_fd, "0", 1) < 0) return errno;
    }
    return 0;
  }

  Status Add(pid_t pid) override {
    for (const auto& g : groups_) {
      RETURN_IF_ERROR(WriteSmallFile(g.path + "/cgroup.procs", std::to_string(pid)));
    }
    return Ok();
  }

  Status Signal(int sig) override {
    if (groups_.empty()) return Ok();
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
    if (groups_.empty()) return std::vector<pid_t>{};
    ASSIGN_OR_RETURN(auto text, ReadSmallFile(groups_.front().path + "/cgroup.procs"));
    return ParsePidList(text);
  }

  bool OomKilled() override {
    for (const auto& g : groups_) {
      if (g.controller != "memory") continue;
      auto text = ReadSmallFile(g.path + "/memory.oom_control");
      if (text && KeyedValue(*text, "oom_kill") > 0) return true;
    }
    return false;
  }

  Status Destroy() override {
    if (groups_.empty()) return Ok();
    auto deadline = steady_clock::now() + kDestroyTimeout;
    while (!Empty() && steady_clock::now() < deadline) {
      (void)Signal(SIGKILL);
      std::this_thread::sleep_for(milliseconds(5));
    }
    Status status = Ok();
    // Children in reverse order of creation; every hierarchy is tried even after a failure.
    for (auto it = groups_.rbegin(); it != groups_.rend(); ++it) {
      if (it->procs_fd >= 0) ::close(it->procs_fd);
      auto removed = RemoveCgroupDir(it->path, milliseconds(500));
      if (!removed && status.has_value()) status = std::move(removed).error();
    }
    groups_.clear();
    return status;
  }

 private:
  CgroupV1Tracker() = default;

  Status Join(const std::string& controller, const std::string& name) {
    ASSIGN_OR_RETURN(std::string mount, FindCgroupV1Mount(controller));
    ASSIGN_OR_RETURN(std::string own, OwnCgroupPath(controller));
    if (own == "/") own.clear();
    Group g{controller, mount + own + "/" + name, -1};
    RETURN_IF_ERROR(MakeCgroupDir(g.path));
    if (controller == "cpuset") {
      // A cpuset child starts empty and takes no task until mems and cpus are set.
      auto mems = ReadSmallFile(mount + own + "/cpuset.mems");
      if (mems) (void)WriteSmallFile(g.path + "/cpuset.mems", *mems);
    }
    g.procs_fd = ::open((g.path + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
    if (g.procs_fd < 0) {
      int err = errno;
      (void)RemoveCgroupDir(g.path, milliseconds(0));
      return Error(ErrorCode::kPermissionDenied,
                   fmt::format("cannot open {}/cgroup.procs: {}", g.path, std::strerror(err)));
    }
    groups_.push_back(std::move(g));
    return Ok();
  }

  const Group* Find(std::string_view controller) const {
    for (const auto& g : groups_) {
      if (g.controller == controller) return &g;
    }
    return nullptr;
  }

  Status SetMemoryLimit(uint64_t bytes) {
    const Group* g = Find("memory");
    RETURN_IF_ERROR(WriteSmallFile(g->path + "/memory.limit_in_bytes", std::to_string(bytes)));
    // With swap accounting, memory+swap gets the same cap so the limit cannot spill to
    // swap; absent without swap accounting, which is fine.
    (void)WriteSmallFile(g->path + "/memory.memsw.limit_in_bytes", std::to_string(bytes));
    return Ok();
  }

  Status SetCpus(const std::string& cpus) {
    return WriteSmallFile(Find("cpuset")->path + "/cpuset.cpus", cpus);
  }

  // Returns true when the group reached FROZEN (a task in uninterruptible sleep can hold
  // it in FREEZING; then signals go out unfrozen rather than not at all).
  bool SetFrozen(bool frozen) {
    const Group* g = Find("freezer");
    if (g == nullptr) return false;
    std::string state_file = g->path + "/freezer.state";
    if (!WriteSmallFile(state_file, frozen ? "FROZEN" : "THAWED")) return false;
    if (!frozen) return true;
    auto deadline = steady_clock::now() + kFreezeTimeout;
    auto pause = std::chrono::microseconds(100);
    while (true) {
      auto state = ReadSmallFile(state_file);
      if (state && state->starts_with("FROZEN")) return true;
      if (steady_clock::now() >= deadline) return true;  // FREEZING: still thaw after
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
  }

  std::vector<Group> groups_;  // freezer first
};

}  // namespace

Result<std::unique_ptr<ProcessTracker>> CreateCgroupV1Tracker(const TrackerOptions& options) {
  auto tracker = CgroupV1Tracker::Create(options);
  if (!tracker) {
    const Error& e = tracker.error();
    return Error(ErrorCode::kNotSupported, "cgroup v1: " + e.message());
  }
  return tracker;
}

}  // namespace drover::stepd
