#include "noded/stepd_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace drover::noded {
namespace {

constexpr int kReadyFd = 3;

// Runs in the grandchild: stdio to /dev/null, the ready pipe on fd 3, nothing else open,
// default signal mask, then exec. Async-signal-safe only.
[[noreturn]] void ExecStepd(char* const argv[], int devnull, int ready_write) {
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  if (ready_write == kReadyFd) {
    fcntl(kReadyFd, F_SETFD, 0);
  } else {
    dup2(ready_write, kReadyFd);
  }
  if (syscall(SYS_close_range, kReadyFd + 1, ~0U, 0) != 0) {
    for (int fd = kReadyFd + 1; fd < 65536; ++fd) close(fd);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

Result<pid_t> SpawnStepd(const std::string& stepd_path, const std::string& job_dir,
                         std::chrono::milliseconds timeout, const std::string& dir_flag) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) {
    close(ready[0]);
    close(ready[1]);
    return Error(ErrorCode::kIo, fmt::format("/dev/null: {}", std::strerror(errno)));
  }
  std::vector<std::string> args = {stepd_path, dir_flag, job_dir, "--ready-fd",
                                   std::to_string(kReadyFd)};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t child = fork();
  if (child < 0) {
    int err = errno;
    close(ready[0]);
    close(ready[1]);
    close(devnull);
    return Error(ErrorCode::kIo, fmt::format("fork: {}", std::strerror(err)));
  }
  if (child == 0) {
    setsid();
    pid_t stepd = fork();
    if (stepd == 0) ExecStepd(argv.data(), devnull, ready[1]);
    _exit(stepd < 0 ? 1 : 0);
  }
  close(ready[1]);
  close(devnull);
  int wstatus = 0;
  while (waitpid(child, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    close(ready[0]);
    return Error(ErrorCode::kIo, "could not fork drover-stepd", job_dir);
  }

  // Read the one ready line (or EOF: stepd died before it could say anything).
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      close(ready[0]);
      return Error(ErrorCode::kTimeout, "drover-stepd did not report ready", job_dir);
    }
    struct pollfd pfd = {ready[0], POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char buf[512];
    ssize_t n = read(ready[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
    if (line.find('\n') != std::string::npos) break;
  }
  close(ready[0]);
  if (size_t nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
  if (line.rfind("ok ", 0) == 0) {
    return static_cast<pid_t>(std::atoi(line.c_str() + 3));
  }
  if (line.empty()) line = "drover-stepd exited before it was ready";
  return Error(ErrorCode::kInternal, line, job_dir);
}

}  // namespace drover::noded
