#include "stepd/node_script.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace drover::stepd {
namespace {

using Clock = std::chrono::steady_clock;

// How often `cancelled` is asked while the script runs.
constexpr std::chrono::milliseconds kPollInterval{100};

Result<std::vector<gid_t>> GroupsOf(const ScriptSpec::Identity& id) {
  if (id.user.empty()) return std::vector<gid_t>{id.gid};
  int count = 64;
  std::vector<gid_t> groups(count);
  while (::getgrouplist(id.user.c_str(), id.gid, groups.data(), &count) < 0) {
    if (count <= static_cast<int>(groups.size())) count = static_cast<int>(groups.size()) * 2;
    groups.resize(count);
  }
  groups.resize(count);
  if (groups.empty()) {
    return Error(ErrorCode::kUserIdMissing, fmt::format("cannot read the groups of {}", id.user));
  }
  return groups;
}

// In the forked child: async-signal-safe calls only.
[[noreturn]] void Child(const char* path, char* const* argv, char* const* envp, const char* cwd,
                        const ScriptSpec::Identity* id, const std::vector<gid_t>& groups,
                        int out_fd) noexcept {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) (void)::sigaction(sig, &dfl, nullptr);
  ::setsid();
  if (id != nullptr) {
    if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(id->gid) != 0 ||
        ::setuid(id->uid) != 0) {
      ::_exit(126);
    }
  }
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) ::_exit(126);
  ::dup2(null_fd, 0);
  ::dup2(out_fd >= 0 ? out_fd : null_fd, 1);
  ::dup2(null_fd, 2);
  if (::chdir(cwd) != 0 && ::chdir("/") != 0) ::_exit(126);
  (void)::syscall(SYS_close_range, 3u, ~0u, 0u);
  ::execve(path, argv, envp);
  ::_exit(127);
}

// REQUIRES: `pid` not reaped yet (its id cannot have been reused).
void KillSession(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
}

}  // namespace

bool ScriptResult::ok() const {
  return !timed_out && !cancelled && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

std::string ScriptResult::Describe() const {
  if (timed_out) return "timed out";
  if (cancelled) return "cancelled";
  if (WIFSIGNALED(wait_status)) return fmt::format("signal {}", WTERMSIG(wait_status));
  return fmt::format("exit {}", WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1);
}

Result<ScriptResult> RunScript(const ScriptSpec& spec) {
  if (spec.path.empty()) return Error(ErrorCode::kInvalidArgument, "no script to run");
  std::vector<gid_t> groups;
  if (spec.identity) {
    ASSIGN_OR_RETURN(groups, GroupsOf(*spec.identity));
  }
  std::vector<std::string> storage = spec.env;
  std::vector<char*> envp;
  for (std::string& e : storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string path = spec.path;
  char* argv[] = {path.data(), nullptr};
  std::string cwd = spec.cwd.empty() ? "/" : spec.cwd;

  int pipe_fds[2] = {-1, -1};
  if (spec.max_output > 0 && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)), spec.path);
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    if (pipe_fds[0] >= 0) ::close(pipe_fds[0]), ::close(pipe_fds[1]);
    return Error(ErrorCode::kIo, fmt::format("fork: {}", std::strerror(err)), spec.path);
  }
  if (pid == 0) {
    Child(path.c_str(), argv, envp.data(), cwd.c_str(),
          spec.identity ? &*spec.identity : nullptr, groups, pipe_fds[1]);
  }
  if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  int out_fd = pipe_fds[0];
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));

  ScriptResult result;
  const Clock::time_point deadline = Clock::now() + spec.timeout;
  bool exited = false;
  while (!exited) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    if (spec.cancelled && spec.cancelled()) {
      result.cancelled = true;
      break;
    }
    pollfd fds[2];
    nfds_t n = 0;
    if (pidfd >= 0) fds[n++] = {pidfd, POLLIN, 0};
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    int wait_ms = static_cast<int>(std::min<int64_t>(left, kPollInterval.count()));
    if (pidfd < 0 && out_fd < 0) {
      ::usleep(static_cast<useconds_t>(std::min(wait_ms, 10)) * 1000);
    } else if (::poll(fds, n, wait_ms) < 0 && errno != EINTR) {
      break;
    }
    if (out_fd >= 0) {
      char buf[4096];
      ssize_t got = ::read(out_fd, buf, sizeof buf);
      if (got > 0) {
        size_t room = spec.max_output - std::min(spec.max_output, result.output.size());
        result.output.append(buf, std::min(room, static_cast<size_t>(got)));
      } else if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        ::close(out_fd);
        out_fd = -1;
      }
      if (got > 0) continue;  // drain the pipe before looking at the process
    }
    // Looked at without reaping: the session's id stays the script's until it is reaped.
    siginfo_t info = {};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      exited = true;
    }
  }
  // Whatever the script left in its session does not outlive it.
  KillSession(pid);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.wait_status = status;
  if (out_fd >= 0) {
    // Read what is left without waiting for descendants that still hold the pipe.
    ::fcntl(out_fd, F_SETFL, O_NONBLOCK);
    char buf[4096];
    ssize_t got;
    while ((got = ::read(out_fd, buf, sizeof buf)) > 0) {
      size_t room = spec.max_output - std::min(spec.max_output, result.output.size());
      result.output.append(buf, std::min(room, static_cast<size_t>(got)));
    }
    ::close(out_fd);
  }
  if (pidfd >= 0) ::close(pidfd);
  return result;
}

}  // namespace drover::stepd
