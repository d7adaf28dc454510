// Small helpers over the cgroup file systems and /proc shared by the trackers: where a
// hierarchy is mounted, which cgroup this process is in, reading and writing control
// files, listing pids.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::stepd {

// The mount point of the v1 hierarchy holding `controller` ("freezer"), from
// /proc/self/mountinfo. Errors: kNotFound.
Result<std::string> FindCgroupV1Mount(std::string_view controller);
// The mount point of the cgroup2 file system. Errors: kNotFound.
Result<std::string> FindCgroupV2Mount();

// This process's cgroup path ("/" or "/a/b") in the v1 hierarchy of `controller`, or in
// cgroup2 when `controller` is empty. Errors: kNotFound.
Result<std::string> OwnCgroupPath(std::string_view controller);

Result<std::string> ReadSmallFile(const std::string& path);
// One write(2) of `text`; the kernel's errno becomes the error.
Status WriteSmallFile(const std::string& path, std::string_view text);

// Whitespace-separated pids from cgroup.procs.
std::vector<pid_t> ParsePidList(std::string_view text);

// The integer after `key` in a "key value" per line file (memory.events, oom_control).
int64_t KeyedValue(std::string_view text, std::string_view key);

// mkdir, and rmdir retried until `timeout` while the kernel still reports it busy.
Status MakeCgroupDir(const std::string& path);
Status RemoveCgroupDir(const std::string& path, std::chrono::milliseconds timeout);

// /proc/<pid>/stat fields this code needs.
struct ProcStat {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  pid_t sid = 0;
  char state = '?';
};
// Every process visible in /proc (those that vanish while reading are skipped).
std::vector<ProcStat> ListProcesses();
// True while `pid` exists and is not a zombie.
bool ProcessAlive(pid_t pid);

}  // namespace drover::stepd
