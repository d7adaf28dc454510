#include "stepd/task_exec.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "stepd/batch_env.h"

namespace drover::stepd {
namespace {

std::string Absolute(const std::string& path, const std::string& cwd) {
  if (path.empty() || path.front() == '/' || cwd.empty()) return path;
  return cwd.back() == '/' ? cwd + path : cwd + "/" + path;
}

Result<std::vector<gid_t>> UserGroups(const LaunchSpec& spec) {
  if (spec.groups) return *spec.groups;
  if (spec.user.empty()) return std::vector<gid_t>{spec.gid};
  int count = 64;
  std::vector<gid_t> groups(count);
  while (::getgrouplist(spec.user.c_str(), spec.gid, groups.data(), &count) < 0) {
    if (count <= static_cast<int>(groups.size())) count = static_cast<int>(groups.size()) * 2;
    groups.resize(count);
  }
  groups.resize(count);
  if (groups.empty()) {
    return Error(ErrorCode::kUserIdMissing,
                 fmt::format("cannot read the groups of user {}", spec.user));
  }
  return groups;
}

// --- async-signal-safe helpers for the child ---

void WriteAll(int fd, const char* data, size_t size) noexcept {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void WriteText(int fd, const char* text) noexcept { WriteAll(fd, text, std::strlen(text)); }

// Writes "<head><strerror text>\n" to the job's stderr.
void UserError(int fd, const std::string& head, int err, const std::string& tail = {}) noexcept {
  if (fd < 0) return;
  WriteAll(fd, head.data(), head.size());
  const char* desc = ::strerrordesc_np(err);
  WriteText(fd, desc != nullptr ? desc : "Unknown error");
  WriteAll(fd, tail.data(), tail.size());
  WriteText(fd, "\n");
}

[[noreturn]] void Fail(int report_fd, ChildStage stage, int err, int exit_code) noexcept {
  ChildFailure failure{stage, err};
  WriteAll(report_fd, reinterpret_cast<const char*>(&failure), sizeof failure);
  ::_exit(exit_code);
}

// Keeps `fd` out of 0..2 so the dup2 calls below cannot clobber each other.
int AboveStdio(int fd) noexcept {
  if (fd < 0 || fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

void FormatPid(char* out, size_t size, const char* prefix, pid_t pid) noexcept {
  char digits[16];
  int n = 0;
  unsigned long v = static_cast<unsigned long>(pid);
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < 15);
  size_t pos = 0;
  for (const char* p = prefix; *p != '\0' && pos + 1 < size; ++p) out[pos++] = *p;
  while (n > 0 && pos + 1 < size) out[pos++] = digits[--n];
  out[pos] = '\0';
}

}  // namespace

void PreparedExec::BindPointers() {
  argv.clear();
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  envp.clear();
  for (auto& e : env_storage) envp.push_back(e.data());
  if (task_pid_slot >= 0) envp.push_back(task_pid_buf);
  envp.push_back(nullptr);
}

Result<PreparedExec> PrepareExec(const LaunchSpec& spec) {
  if (spec.argv.empty() || spec.argv.front().empty()) {
    return Error(ErrorCode::kInvalidArgument, "no program to run");
  }
  PreparedExec p;
  p.change_identity = ::geteuid() == 0;
  if (!p.change_identity && (spec.uid != ::geteuid() || spec.gid != ::getegid())) {
    return Error(ErrorCode::kPermissionDenied,
                 fmt::format("cannot run as uid {} gid {} without root", spec.uid, spec.gid));
  }
  p.uid = spec.uid;
  p.gid = spec.gid;
  if (p.change_identity) {
    ASSIGN_OR_RETURN(p.groups, UserGroups(spec));
  }
  p.umask = spec.umask;

  p.argv_storage = spec.argv;
  p.env_storage = spec.env;
  if (spec.set_task_pid_env) {
    std::erase_if(p.env_storage,
                  [](const std::string& e) { return e.starts_with("SLURM_TASK_PID="); });
    p.task_pid_slot = static_cast<int>(p.env_storage.size());
  }

  const std::string& prog = spec.argv.front();
  if (prog.find('/') != std::string::npos) {
    p.exec_candidates.push_back(prog);
  } else {
    std::string path(EnvValue(spec.env, "PATH").value_or("/usr/local/bin:/usr/bin:/bin"));
    size_t start = 0;
    while (start <= path.size()) {
      size_t colon = path.find(':', start);
      if (colon == std::string::npos) colon = path.size();
      std::string dir = path.substr(start, colon - start);
      p.exec_candidates.push_back(dir.empty() ? prog : dir + "/" + prog);
      start = colon + 1;
    }
  }

  p.stdin_path = spec.stdin_path.empty() ? "/dev/null" : Absolute(spec.stdin_path, spec.cwd);
  p.stdout_path = spec.stdout_path.empty() ? "/dev/null" : Absolute(spec.stdout_path, spec.cwd);
  std::string err = Absolute(spec.stderr_path, spec.cwd);
  p.stderr_to_stdout = err.empty() || err == p.stdout_path;
  p.stderr_path = p.stderr_to_stdout ? p.stdout_path : err;
  p.stdin_fd = spec.stdin_fd;
  p.stdout_fd = spec.stdout_fd;
  p.stderr_fd = spec.stderr_fd;
  p.controlling_tty = p.stdin_fd >= 0 && ::isatty(p.stdin_fd) == 1;
  if (p.stderr_fd < 0 && spec.stderr_path.empty() && p.stdout_fd >= 0) p.stderr_to_stdout = true;
  p.output_flags = O_WRONLY | O_CREAT | O_CLOEXEC;
  switch (spec.open_mode) {
    case OpenMode::kTruncate:
      p.output_flags |= O_TRUNC;
      break;
    case OpenMode::kAppend:
      p.output_flags |= O_APPEND;
      break;
    case OpenMode::kTruncateShared:
      p.output_flags |= O_TRUNC | O_APPEND;
      break;
  }
  p.cwd = spec.cwd.empty() ? "/" : spec.cwd;
  p.cwd_fallback_tmp = spec.bad_cwd == BadCwd::kUseTmp;
  p.chdir_message = fmt::format("{}couldn't chdir to `{}': ", kStepdErrorPrefix, p.cwd);
  if (p.cwd_fallback_tmp) p.chdir_suffix = ": going to /tmp instead";
  p.exec_message = fmt::format("{}execve(): {}: ", kStepdErrorPrefix, prog);
  p.stdout_preamble = spec.stdout_preamble;
  return p;
}

void RunChild(PreparedExec& p, ProcessTracker& tracker, int report_fd) noexcept {
  // The parent's blocked signals and handlers must not leak into the job.
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0)
    Fail(report_fd, ChildStage::kSignals, errno, 1);
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) (void)::sigaction(sig, &dfl, nullptr);

  if (::setsid() < 0) Fail(report_fd, ChildStage::kSession, errno, 1);
  // Before the identity changes, so it does not depend on the user's rights to the slave.
  if (p.controlling_tty && ::ioctl(p.stdin_fd, TIOCSCTTY, 0) != 0) {
    Fail(report_fd, ChildStage::kTerminal, errno, 1);
  }
  if (int err = tracker.EnterFromChild(); err != 0) Fail(report_fd, ChildStage::kCgroup, err, 1);

  if (p.change_identity) {
    if (::setgroups(p.groups.size(), p.groups.data()) != 0 || ::setgid(p.gid) != 0 ||
        ::setuid(p.uid) != 0) {
      Fail(report_fd, ChildStage::kIdentity, errno, 1);
    }
  }
  ::umask(p.umask);

  // Opened as the user: files are the user's, and a path the user may not write fails.
  // Descriptors handed in (pipes) are duplicated above 2 first, for the same reason.
  int in = p.stdin_fd >= 0 ? ::fcntl(p.stdin_fd, F_DUPFD_CLOEXEC, 3)
                           : AboveStdio(::open(p.stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in < 0) Fail(report_fd, ChildStage::kStdin, errno, 1);
  int out = p.stdout_fd >= 0 ? ::fcntl(p.stdout_fd, F_DUPFD_CLOEXEC, 3)
                             : AboveStdio(::open(p.stdout_path.c_str(), p.output_flags, 0666));
  if (out < 0) Fail(report_fd, ChildStage::kStdout, errno, 1);
  int err_fd = out;
  if (p.stderr_fd >= 0) {
    err_fd = ::fcntl(p.stderr_fd, F_DUPFD_CLOEXEC, 3);
    if (err_fd < 0) Fail(report_fd, ChildStage::kStderr, errno, 1);
  } else if (!p.stderr_to_stdout) {
    err_fd = AboveStdio(::open(p.stderr_path.c_str(), p.output_flags, 0666));
    if (err_fd < 0) Fail(report_fd, ChildStage::kStderr, errno, 1);
  }
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err_fd, 2) < 0) {
    Fail(report_fd, ChildStage::kStdout, errno, 1);
  }

  if (!p.stdout_preamble.empty()) WriteAll(1, p.stdout_preamble.data(), p.stdout_preamble.size());

  if (::chdir(p.cwd.c_str()) != 0) {
    int e = errno;
    UserError(2, p.chdir_message, e, p.chdir_suffix);
    if (!p.cwd_fallback_tmp || ::chdir("/tmp") != 0) Fail(report_fd, ChildStage::kChdir, e, 1);
  }

  if (p.task_pid_slot >= 0) {
    FormatPid(p.task_pid_buf, sizeof p.task_pid_buf, "SLURM_TASK_PID=", ::getpid());
  }
  // Nothing of the supervisor's but 0..2 (and the report pipe, until exec) reaches the job.
  (void)::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC);

  int exec_err = ENOENT;
  bool saw_eacces = false;
  for (const auto& candidate : p.exec_candidates) {
    ::execve(candidate.c_str(), p.argv.data(), p.envp.data());
    exec_err = errno;
    if (exec_err == EACCES) saw_eacces = true;
    if (exec_err != ENOENT && exec_err != ENOTDIR && exec_err != EACCES) break;
  }
  if (saw_eacces && (exec_err == ENOENT || exec_err == ENOTDIR)) exec_err = EACCES;
  UserError(2, p.exec_message, exec_err);
  Fail(report_fd, ChildStage::kExec, exec_err, exec_err);
}

std::string DescribeChildFailure(const ChildFailure& f, const LaunchSpec& spec) {
  std::string why = std::strerror(f.err);
  switch (f.stage) {
    case ChildStage::kSignals:
      return "cannot reset signals: " + why;
    case ChildStage::kSession:
      return "setsid: " + why;
    case ChildStage::kCgroup:
      return "cannot join the step's cgroup: " + why;
    case ChildStage::kIdentity:
      return fmt::format("cannot become uid {} gid {}: {}", spec.uid, spec.gid, why);
    case ChildStage::kStdin:
      return fmt::format("Could not open stdin file {}: {}", spec.stdin_path, why);
    case ChildStage::kStdout:
      return fmt::format("Could not open stdout file {}: {}", spec.stdout_path, why);
    case ChildStage::kStderr:
      return fmt::format("Could not open stderr file {}: {}", spec.stderr_path, why);
    case ChildStage::kChdir:
      return fmt::format("couldn't chdir to `{}': {}", spec.cwd, why);
    case ChildStage::kExec:
      return fmt::format("execve(): {}: {}", spec.argv.empty() ? "" : spec.argv[0], why);
    case ChildStage::kTerminal:
      return "cannot make the pseudo-terminal the controlling terminal: " + why;
  }
  return why;
}

}  // namespace drover::stepd

namespace drover::stepd {
namespace {

// The child's report: EOF (exec succeeded) or one ChildFailure.
std::optional<ChildFailure> ReadReport(int fd) {
  ChildFailure failure;
  size_t got = 0;
  auto* out = reinterpret_cast<char*>(&failure);
  while (got < sizeof failure) {
    ssize_t n = ::read(fd, out + got, sizeof failure - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != sizeof failure) return std::nullopt;
  return failure;
}

}  // namespace

Result<StartedTask> StartTask(const LaunchSpec& spec, ProcessTracker& tracker) {
  ASSIGN_OR_RETURN(PreparedExec prepared, PrepareExec(spec));
  prepared.BindPointers();
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kInternal, fmt::format("pipe2: {}", std::strerror(errno)));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    Error e(ErrorCode::kInternal, fmt::format("fork: {}", std::strerror(errno)));
    ::close(report[0]);
    ::close(report[1]);
    return e;
  }
  if (pid == 0) {
    ::close(report[0]);
    RunChild(prepared, tracker, report[1]);
  }
  ::close(report[1]);
  StartedTask task;
  task.pid = pid;
  // The child is unreaped, so its pid cannot be reused yet.
  task.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  // The child joined the container itself before exec; this records the pid for
  // trackers that keep their own list and is a no-op (or ESRCH, harmless) for cgroups.
  (void)tracker.Add(pid);
  if (auto failure = ReadReport(report[0])) task.launch_error = DescribeChildFailure(*failure, spec);
  ::close(report[0]);
  return task;
}

}  // namespace drover::stepd
