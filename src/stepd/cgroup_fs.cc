#include "stepd/cgroup_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace drover::stepd {
namespace {

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    out.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

Error ErrnoError(int err, std::string_view what, std::string_view path) {
  ErrorCode code = ErrorCode::kIo;
  if (err == ENOENT) code = ErrorCode::kNotFound;
  if (err == EACCES || err == EPERM || err == EROFS) code = ErrorCode::kPermissionDenied;
  if (err == EEXIST) code = ErrorCode::kAlreadyExists;
  return Error(code, fmt::format("{} {}: {}", what, path, std::strerror(err)));
}

struct MountEntry {
  std::string root;
  std::string mount_point;
  std::string fs_type;
  std::string super_options;
};

std::vector<MountEntry> ReadMountInfo() {
  std::vector<MountEntry> out;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream head(line.substr(0, dash));
    std::istringstream tail(line.substr(dash + 3));
    std::string id, parent, dev;
    MountEntry e;
    std::string source;
    head >> id >> parent >> dev >> e.root >> e.mount_point;
    tail >> e.fs_type >> source >> e.super_options;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::string> FindCgroupV1Mount(std::string_view controller) {
  for (const auto& m : ReadMountInfo()) {
    if (m.fs_type != "cgroup") continue;
    for (auto opt : Split(m.super_options, ',')) {
      if (opt == controller) return m.mount_point;
    }
  }
  return Error(ErrorCode::kNotFound,
               fmt::format("no cgroup v1 hierarchy with the {} controller", controller));
}

Result<std::string> FindCgroupV2Mount() {
  for (const auto& m : ReadMountInfo()) {
    if (m.fs_type == "cgroup2") return m.mount_point;
  }
  return Error(ErrorCode::kNotFound, "no cgroup2 file system mounted");
}

Result<std::string> OwnCgroupPath(std::string_view controller) {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    // "4:memory:/a/b", "0::/a/b", "9:name=systemd:/"
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string_view controllers = std::string_view(line).substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controller.empty()) {
      if (line.substr(0, first) == "0" && controllers.empty()) return path;
      continue;
    }
    for (auto c : Split(controllers, ',')) {
      if (c == controller) return path;
    }
  }
  return Error(ErrorCode::kNotFound, fmt::format("this process is in no {} cgroup",
                                                 controller.empty() ? "cgroup2" : controller));
}

Result<std::string> ReadSmallFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return ErrnoError(err, "cannot read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status WriteSmallFile(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  ssize_t n = ::write(fd, text.data(), text.size());
  int err = errno;
  ::close(fd);
  if (n < 0) return ErrnoError(err, fmt::format("cannot write '{}' to", text), path);
  return Ok();
}

std::vector<pid_t> ParsePidList(std::string_view text) {
  std::vector<pid_t> out;
  pid_t value = 0;
  bool in_number = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      in_number = true;
    } else if (in_number) {
      out.push_back(value);
      value = 0;
      in_number = false;
    }
  }
  if (in_number) out.push_back(value);
  return out;
}

int64_t KeyedValue(std::string_view text, std::string_view key) {
  for (auto line : Split(text, '\n')) {
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ') {
      return std::strtoll(std::string(line.substr(key.size() + 1)).c_str(), nullptr, 10);
    }
  }
  return 0;
}

Status MakeCgroupDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoError(errno, "cannot create cgroup", path);
  }
  return Ok();
}

Status RemoveCgroupDir(const std::string& path, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return Ok();
    // EBUSY: the last task is still leaving (exit is not synchronous with rmdir).
    if (errno != EBUSY || std::chrono::steady_clock::now() >= deadline) {
      return ErrnoError(errno, "cannot remove cgroup", path);
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

std::vector<ProcStat> ListProcesses() {
  std::vector<ProcStat> out;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return out;
  while (dirent* entry = ::readdir(dir)) {
    const char* name = entry->d_name;
    if (name[0] < '1' || name[0] > '9') continue;
    auto text = ReadSmallFile(fmt::format("/proc/{}/stat", name));
    if (!text) continue;
    // "pid (comm) S ppid pgrp session ...": comm may hold spaces and parentheses.
    auto close = text->rfind(')');
    if (close == std::string::npos) continue;
    ProcStat st;
    st.pid = std::atoi(name);
    std::istringstream rest(text->substr(close + 1));
    rest >> st.state >> st.ppid >> st.pgid >> st.sid;
    if (rest) out.push_back(st);
  }
  ::closedir(dir);
  return out;
}

bool ProcessAlive(pid_t pid) {
  auto text = ReadSmallFile(fmt::format("/proc/{}/stat", pid));
  if (!text) return false;
  auto close = text->rfind(')');
  if (close == std::string::npos || close + 2 >= text->size()) return false;
  char state = (*text)[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace drover::stepd
