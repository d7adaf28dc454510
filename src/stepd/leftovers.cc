// KillLeftoverContainers: the cgroups a step supervisor that died left behind.
#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "stepd/cgroup_fs.h"
#include "stepd/process_tracker.h"

namespace drover::stepd {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Children of `parent` whose names start with `prefix`.
std::vector<std::string> ChildrenNamed(const std::string& parent, std::string_view prefix) {
  std::vector<std::string> out;
  DIR* dir = ::opendir(parent.c_str());
  if (dir == nullptr) return out;
  while (dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (e->d_type == DT_DIR && name.starts_with(prefix)) out.push_back(parent + "/" + e->d_name);
  }
  ::closedir(dir);
  return out;
}

// Where this process's trackers put their children: the v1 hierarchies they use, then
// cgroup2.
std::vector<std::string> TrackerParents() {
  std::vector<std::string> parents;
  for (std::string_view controller : {"freezer", "memory", "cpuset"}) {
    auto mount = FindCgroupV1Mount(controller);
    auto own = OwnCgroupPath(controller);
    if (!mount || !own) continue;
    parents.push_back(*mount + (*own == "/" ? "" : *own));
  }
  auto mount = FindCgroupV2Mount();
  auto own = OwnCgroupPath("");
  if (mount && own) parents.push_back(*mount + (*own == "/" ? "" : *own));
  return parents;
}

std::vector<pid_t> PidsIn(const std::string& cgroup) {
  auto text = ReadSmallFile(cgroup + "/cgroup.procs");
  return text ? ParsePidList(*text) : std::vector<pid_t>{};
}

}  // namespace

Result<size_t> KillLeftoverContainers(std::string_view prefix, milliseconds timeout) {
  if (prefix.empty()) return Error(ErrorCode::kInvalidArgument, "empty cgroup name prefix");
  std::vector<std::string> groups;
  for (const std::string& parent : TrackerParents()) {
    for (std::string& g : ChildrenNamed(parent, prefix)) groups.push_back(std::move(g));
  }
  if (groups.empty()) return size_t{0};
  std::set<pid_t> found;  // every process seen in them (cgroup.kill may beat our kill(2))
  const auto deadline = steady_clock::now() + timeout;
  for (;;) {
    bool any = false;
    for (const std::string& g : groups) {
      std::vector<pid_t> pids = PidsIn(g);
      // A frozen group (its supervisor died between freezing and thawing it) takes
      // SIGKILL only once thawed; cgroup2's cgroup.kill takes the whole group at once.
      (void)WriteSmallFile(g + "/freezer.state", "THAWED");
      (void)WriteSmallFile(g + "/cgroup.freeze", "0");
      (void)WriteSmallFile(g + "/cgroup.kill", "1");
      for (pid_t pid : pids) {
        any = true;
        found.insert(pid);
        (void)::kill(pid, SIGKILL);
      }
    }
    if (!any || steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  Status status = Ok();
  for (const std::string& g : groups) {
    auto removed = RemoveCgroupDir(g, milliseconds(200));
    if (!removed && status.has_value()) status = std::move(removed).error();
  }
  RETURN_IF_ERROR(status);
  return found.size();
}

}  // namespace drover::stepd
