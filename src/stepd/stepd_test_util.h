// Test support for the stepd tests: temporary directories a test user can write,
// waiting with deadlines instead of sleeping, the tracker back ends usable here.
#pragma once

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "stepd/cgroup_fs.h"
#include "stepd/process_tracker.h"

namespace drover::stepd::testing {

// A fresh directory under /tmp, owned by `uid`/`gid`, removed with its contents.
class TempDir {
 public:
  explicit TempDir(uid_t uid = ::geteuid(), gid_t gid = ::getegid()) {
    char tmpl[] = "/tmp/drover_stepd_test.XXXXXX";
    path_ = ::mkdtemp(tmpl);
    (void)::chown(path_.c_str(), uid, gid);
    (void)::chmod(path_.c_str(), 0755);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls `done` until it holds or `timeout` passes; returns its last value. For state
// that has no event to wait on (another process's files, /proc).
inline bool WaitUntil(const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return true;
}

struct TestUser {
  std::string name;
  uid_t uid;
  gid_t gid;
};

// `nobody`: present on every Debian system, so the tests change nothing on the host.
inline TestUser Nobody() {
  passwd* pw = ::getpwnam("nobody");
  if (pw == nullptr) return {"nobody", 65534, 65534};
  return {pw->pw_name, pw->pw_uid, pw->pw_gid};
}

inline uid_t OwnerOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return static_cast<uid_t>(-1);
  return st.st_uid;
}

// Reaps `pid` if it is our zombie (a subreaper test process inherits orphans).
inline void ReapIfChild(pid_t pid) { (void)::waitpid(pid, nullptr, WNOHANG); }

inline std::string UniqueName(std::string_view what) {
  static int counter = 0;
  return "drover_test_" + std::to_string(::getpid()) + "_" + std::string(what) + "_" +
         std::to_string(++counter);
}

inline TrackerOptions NamedOptions(std::string_view what) {
  TrackerOptions options;
  options.name = UniqueName(what);
  return options;
}

// The tracker of `kind`, or the reason it is unusable here.
inline Result<std::unique_ptr<ProcessTracker>> MakeTracker(TrackerKind kind,
                                                           TrackerOptions options = {}) {
  if (options.name.empty()) options.name = UniqueName(TrackerKindName(kind).substr(0, 6));
  for (auto& c : options.name) {
    if (c == '/') c = '_';
  }
  switch (kind) {
    case TrackerKind::kCgroupV2:
      return CreateCgroupV2Tracker(options, /*require_controllers=*/false);
    case TrackerKind::kCgroupV1:
      return CreateCgroupV1Tracker(options);
    case TrackerKind::kProcessGroup:
      return CreateProcessGroupTracker(options);
  }
  return Error(ErrorCode::kInvalidArgument, "unknown tracker kind");
}

inline std::string KindParamName(TrackerKind kind) {
  switch (kind) {
    case TrackerKind::kCgroupV2:
      return "CgroupV2";
    case TrackerKind::kCgroupV1:
      return "CgroupV1";
    case TrackerKind::kProcessGroup:
      return "ProcessGroup";
  }
  return "Unknown";
}

}  // namespace drover::stepd::testing
