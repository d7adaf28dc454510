// ProcessGroupTracker: the fallback without cgroups. The supervisor becomes a child
// subreaper, so a process that double-forks away from the task is re-parented to the
// supervisor instead of init: the step is then every descendant of the tasks, every
// member of the tasks' process groups and sessions, and every orphan handed to us.
// Orphans carry no other mark, so one such tracker serves one step per process (which
// is how drover-stepd runs: one process per step). Orphaned zombies are reaped here.
#include <fmt/core.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>
#include <unordered_map>

#include "stepd/cgroup_fs.h"
#include "stepd/process_tracker.h"

namespace drover::stepd {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class ProcessGroupTracker final : public ProcessTracker {
 public:
  explicit ProcessGroupTracker(pid_t self) : self_(self) {}
  ~ProcessGroupTracker() override { (void)Destroy(); }

  TrackerKind kind() const override { return TrackerKind::kProcessGroup; }

  // The runner already makes the task a session and group leader (setsid).
  int EnterFromChild() noexcept override { return 0; }

  Status Add(pid_t pid) override {
    roots_.insert(pid);
    return Ok();
  }

  Status Signal(int sig) override {
    // Groups first: one kill(2) reaches members that have not been listed yet.
    for (pid_t root : roots_) (void)::kill(-root, sig);
    ASSIGN_OR_RETURN(auto pids, Pids());
    for (pid_t pid : pids) {
      if (::kill(pid, sig) != 0 && errno != ESRCH) {
        return Error(ErrorCode::kPermissionDenied,
                     fmt::format("kill({}, {}) failed: {}", pid, sig, std::strerror(errno)));
      }
    }
    return Ok();
  }

  Result<std::vector<pid_t>> Pids() override {
    auto procs = ListProcesses();
    std::unordered_map<pid_t, const ProcStat*> by_pid;
    for (const auto& p : procs) by_pid[p.pid] = &p;
    std::vector<pid_t> out;
    for (const auto& p : procs) {
      if (p.pid == self_) continue;
      bool zombie = p.state == 'Z' || p.state == 'X';
      bool orphan = p.ppid == self_ && !roots_.contains(p.pid);
      if (zombie) {
        if (orphan) (void)::waitpid(p.pid, nullptr, WNOHANG);  // ours to reap
        continue;
      }
      if (orphan || roots_.contains(p.pid) || roots_.contains(p.pgid) || roots_.contains(p.sid) ||
          DescendsFromRoot(p, by_pid)) {
        out.push_back(p.pid);
      }
    }
    return out;
  }

  Status Destroy() override {
    if (roots_.empty()) return Ok();
    auto deadline = steady_clock::now() + milliseconds(3000);
    while (!Empty()) {
      if (steady_clock::now() >= deadline) {
        return Error(ErrorCode::kTimeout, "processes of the step survived SIGKILL");
      }
      (void)Signal(SIGKILL);
      std::this_thread::sleep_for(milliseconds(5));
    }
    roots_.clear();
    return Ok();
  }

 private:
  bool DescendsFromRoot(const ProcStat& p,
                        const std::unordered_map<pid_t, const ProcStat*>& by_pid) const {
    pid_t cur = p.ppid;
    for (int depth = 0; depth < 4096 && cur > 1 && cur != self_; ++depth) {
      if (roots_.contains(cur)) return true;
      auto it = by_pid.find(cur);
      if (it == by_pid.end()) return false;
      cur = it->second->ppid;
    }
    return false;
  }

  const pid_t self_;
  std::set<pid_t> roots_;
};

}  // namespace

Result<std::unique_ptr<ProcessTracker>> CreateProcessGroupTracker(const TrackerOptions&) {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    return Error(ErrorCode::kNotSupported,
                 fmt::format("process groups: PR_SET_CHILD_SUBREAPER: {}", std::strerror(errno)));
  }
  return std::unique_ptr<ProcessTracker>(new ProcessGroupTracker(::getpid()));
}

}  // namespace drover::stepd
