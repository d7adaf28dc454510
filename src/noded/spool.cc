#include "noded/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

namespace drover::noded {
namespace {

Error ErrnoError(std::string_view what, const std::string& path, int err) {
  return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
               fmt::format("{}: {}", what, std::strerror(err)), path);
}

// write(2) to a FIFO whose reader vanished raises SIGPIPE; this process (a test binary, a
// daemon embedding NodeDaemon) may not ignore it, so it is blocked on this thread for the
// write and a pending one is consumed.
ssize_t WriteNoSigpipe(int fd, std::string_view data) {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  ssize_t n = write(fd, data.data(), data.size());
  int saved = errno;
  if (n < 0 && saved == EPIPE) {
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = saved;
  return n;
}

}  // namespace

std::string JobDir(std::string_view spool_dir, uint32_t job_id) {
  return fmt::format("{}/job{:05}", spool_dir, job_id);
}

std::vector<uint32_t> ListJobDirs(const std::string& spool_dir) {
  std::vector<uint32_t> ids;
  DIR* dir = opendir(spool_dir.c_str());
  if (dir == nullptr) return ids;
  while (struct dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name.size() <= 3 || name.substr(0, 3) != "job") continue;
    uint64_t id = 0;
    bool digits = true;
    for (char c : name.substr(3)) {
      if (c < '0' || c > '9' || id > UINT32_MAX) {
        digits = false;
        break;
      }
      id = id * 10 + static_cast<uint64_t>(c - '0');
    }
    if (digits && id > 0 && id <= UINT32_MAX) ids.push_back(static_cast<uint32_t>(id));
  }
  closedir(dir);
  return ids;
}

bool StepdAlive(const std::string& job_dir) {
  int fd = open((job_dir + "/" + kControlFifo).c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool fifo = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
  close(fd);
  return fifo;
}

Status SendControl(const std::string& job_dir, std::string_view line) {
  std::string path = job_dir + "/" + kControlFifo;
  int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENXIO || errno == ENOENT) {
      return Error(ErrorCode::kNotFound, "no drover-stepd serves the job", job_dir);
    }
    return ErrnoError("open", path, errno);
  }
  std::string data(line);
  if (data.empty() || data.back() != '\n') data.push_back('\n');
  ssize_t n = WriteNoSigpipe(fd, data);
  int err = errno;
  close(fd);
  if (n < 0) {
    if (err == EPIPE) return Error(ErrorCode::kNotFound, "drover-stepd went away", job_dir);
    return ErrnoError("write", path, err);
  }
  if (static_cast<size_t>(n) != data.size()) {
    return Error(ErrorCode::kIo, "short write to the control FIFO", path);
  }
  return Ok();
}

Status WriteFileAtomic(const std::string& path, std::string_view content, mode_t mode) {
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoError("open", tmp, errno);
  fchmod(fd, mode);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return ErrnoError("write", tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return ErrnoError("close", tmp, errno);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return ErrnoError("rename", path, err);
  }
  return Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open", path, errno);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return ErrnoError("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

std::string FormatKeyValues(const std::map<std::string, std::string>& values) {
  std::string out;
  for (const auto& [key, value] : values) out += fmt::format("{}={}\n", key, value);
  return out;
}

std::map<std::string, std::string> ParseKeyValues(std::string_view text) {
  std::map<std::string, std::string> values;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    values[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return values;
}

Status RemoveJobDir(const std::string& job_dir) {
  DIR* dir = opendir(job_dir.c_str());
  if (dir == nullptr) return errno == ENOENT ? Ok() : ErrnoError("opendir", job_dir, errno);
  std::vector<std::string> names;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(dir);
  for (const std::string& name : names) unlink((job_dir + "/" + name).c_str());
  if (rmdir(job_dir.c_str()) != 0 && errno != ENOENT) return ErrnoError("rmdir", job_dir, errno);
  return Ok();
}

std::string ExpandNodePath(std::string_view pattern, std::string_view node_name,
                           std::string_view host_name) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      char c = pattern[i + 1];
      if (c == 'n') {
        out += node_name;
        ++i;
        continue;
      }
      if (c == 'h') {
        out += host_name;
        ++i;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace drover::noded
