// ProcessTracker: the set of every process that belongs to one step, however it was
// started (double forks and setsid included), so the step can be signalled and killed
// as a whole and its end detected.
//
// Back ends, best first (CreateBestTracker picks at run time):
//   CgroupV2Tracker     a child of our own cgroup2 cgroup: cgroup.procs, cgroup.kill,
//                       cgroup.freeze, memory.max / cpuset where the controllers are
//                       delegated. Preferred only when it has the memory controller.
//   CgroupV1Tracker     child cgroups of ours in the v1 freezer hierarchy (plus memory
//                       and cpuset when limits are asked for): freeze, signal, thaw.
//   CgroupV2Tracker     again, tracking only, when v2 is writable but has no controllers.
//   ProcessGroupTracker the supervisor becomes a child subreaper; the step is every
//                       descendant of it (orphans come back to it) plus the task's
//                       process group.
//
// Protocol with the runner: create the tracker before fork; in the child, before exec,
// call EnterFromChild() (async-signal-safe); in the parent call Add(child pid). Destroy()
// (or the destructor) kills what is left and removes the container.
//
// Thread-safety: one owner thread; Signal() may be called from another thread only when
// the owner serialises it (StepRunner does).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::stepd {

enum class TrackerKind { kCgroupV2, kCgroupV1, kProcessGroup };
std::string_view TrackerKindName(TrackerKind kind);

struct TrackerOptions {
  // The leaf name of the step's cgroup, unique on the host: "drover_42_batch".
  std::string name;
  std::optional<uint64_t> memory_limit_bytes;
  std::string cpuset_cpus;  // "0-3"; empty: inherit the parent's
};

class ProcessTracker {
 public:
  virtual ~ProcessTracker() = default;

  virtual TrackerKind kind() const = 0;

  // Runs in the forked child before exec: joins the container. Async-signal-safe (only
  // write(2)s to descriptors opened at creation). Returns 0 or an errno.
  virtual int EnterFromChild() noexcept = 0;

  // Puts an already running process in the step (the child after fork, or any pid).
  virtual Status Add(pid_t pid) = 0;

  // Sends `sig` to every live process of the step. Succeeds when there is none.
  virtual Status Signal(int sig) = 0;

  // The live processes of the step now (zombies excluded; orphaned zombies are reaped).
  virtual Result<std::vector<pid_t>> Pids() = 0;

  bool Empty() {
    auto pids = Pids();
    return pids.has_value() && pids->empty();
  }

  // True when the kernel OOM-killed a process of the step (cgroup memory accounting).
  virtual bool OomKilled() { return false; }

  // SIGKILLs what is left and removes the container; idempotent. Errors when processes
  // remain or the cgroup cannot be removed (it is then left for an operator).
  virtual Status Destroy() = 0;
};

// Each errors with kNotSupported (and why) when its mechanism is not usable here.
Result<std::unique_ptr<ProcessTracker>> CreateCgroupV2Tracker(const TrackerOptions& options,
                                                              bool require_controllers);
Result<std::unique_ptr<ProcessTracker>> CreateCgroupV1Tracker(const TrackerOptions& options);
Result<std::unique_ptr<ProcessTracker>> CreateProcessGroupTracker(const TrackerOptions& options);

// The best usable back end, in the order above.
Result<std::unique_ptr<ProcessTracker>> CreateBestTracker(const TrackerOptions& options);

// Kills every process in the cgroups this process's trackers would have made whose names
// start with `prefix` ("drover_node1_42_": every step of job 42 on node1), thawing frozen
// ones first, and removes those cgroups. For a supervisor that died (kill -9) and left
// its processes behind, possibly frozen mid-signal. Returns how many processes it
// found there; an error when a cgroup stays busy past `timeout`.
Result<size_t> KillLeftoverContainers(std::string_view prefix,
                                      std::chrono::milliseconds timeout);

}  // namespace drover::stepd
