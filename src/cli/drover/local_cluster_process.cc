#include "cli/drover/local_cluster_process.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

namespace drover::cli::drover {
namespace {

using Clock = std::chrono::steady_clock;

std::string BaseName(std::string path) {
  const std::string deleted = " (deleted)";  // a binary rebuilt while it runs
  if (path.size() > deleted.size() &&
      path.compare(path.size() - deleted.size(), deleted.size(), deleted) == 0) {
    path.resize(path.size() - deleted.size());
  }
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or 0 when there is none.
char ProcState(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos || paren + 2 >= text.size()) return 0;
  return text[paren + 2];
}

std::string ProcExeName(pid_t pid) {
  char buf[4096];
  ssize_t n = readlink(fmt::format("/proc/{}/exe", pid).c_str(), buf, sizeof buf - 1);
  if (n > 0) return BaseName(std::string(buf, static_cast<size_t>(n)));
  // Another user's process (not root): fall back to argv[0].
  std::ifstream cmdline(fmt::format("/proc/{}/cmdline", pid));
  std::string argv0;
  std::getline(cmdline, argv0, '\0');
  return BaseName(argv0);
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Waits until `pid` has ended or `timeout` passes; true when it ended.
bool WaitGone(pid_t pid, const std::string& exe, std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  // pidfd_open(2) through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C".
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  while (ProcessRunning(pid, exe)) {
    ChildEnded(pid);  // reaps it when it is our own child
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    if (pidfd >= 0) {
      // Readable once the process has exited; a bounded wait keeps the zombie check going.
      pollfd p{pidfd, POLLIN, 0};
      poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 100)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(left.count(), 20)));
    }
  }
  if (pidfd >= 0) close(pidfd);
  return !ProcessRunning(pid, exe);
}

}  // namespace

std::optional<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  long long pid = 0;
  if (!(in >> pid) || pid <= 1 || pid > 0x3fffffff) return std::nullopt;
  return static_cast<pid_t>(pid);
}

Status WritePidFile(const std::string& path, pid_t pid) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << pid << '\n';
    if (!out.flush()) return Error(ErrorCode::kIo, "cannot write " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    return Error(ErrorCode::kIo, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return Ok();
}

bool ProcessRunning(pid_t pid, const std::string& exe) {
  if (pid <= 1) return false;
  char state = ProcState(pid);
  if (state == 0 || state == 'Z' || state == 'X') return false;
  return exe.empty() || ProcExeName(pid) == BaseName(exe);
}

std::optional<pid_t> RunningFromPidFile(const std::string& pid_file, const std::string& exe) {
  std::optional<pid_t> pid = ReadPidFile(pid_file);
  if (pid && ProcessRunning(*pid, exe)) return pid;
  return std::nullopt;
}

Result<pid_t> SpawnDetached(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env, const std::string& console_file) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(env);
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(report[0]);
    close(report[1]);
    return Error(ErrorCode::kIo, fmt::format("fork: {}", std::strerror(saved)));
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    setsid();
    int in = open("/dev/null", O_RDONLY);
    int out = open(console_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = errno;
    if (in < 0 || out < 0) {
      (void)!write(report[1], &err, sizeof err);
      _exit(127);
    }
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    // Keep the report pipe (close-on-exec) and drop every other inherited descriptor:
    // a daemon holding the caller's stdout pipe would keep `$(drover up)` waiting.
    for (int fd = 3; fd < report[1]; ++fd) close(fd);
    closefrom(report[1] + 1);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execve(args[0], args.data(), envp.data());
    err = errno;
    (void)!write(report[1], &err, sizeof err);
    _exit(127);
  }
  close(report[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(report[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    waitpid(pid, nullptr, 0);
    return Error(ErrorCode::kIo, fmt::format("cannot start {} (console {}): {}", argv[0],
                                             console_file, std::strerror(child_errno)));
  }
  return pid;
}

std::optional<std::string> ChildEnded(pid_t pid) {
  int status = 0;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r != pid) return std::nullopt;
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return std::string("ended");
}

bool ThawFreezerOf(pid_t pid) {
  std::ifstream cgroups(fmt::format("/proc/{}/cgroup", pid));
  std::string line;
  while (std::getline(cgroups, line)) {
    // "6:freezer:/drover_node2_3_batch"
    size_t first = line.find(':');
    size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    if (line.compare(first + 1, second - first - 1, "freezer") != 0) continue;
    std::string path = line.substr(second + 1);
    if (path == "/") return false;
    std::string state_file = "/sys/fs/cgroup/freezer" + path + "/freezer.state";
    std::string state;
    std::ifstream(state_file) >> state;
    if (state != "FROZEN" && state != "FREEZING") return false;
    std::ofstream(state_file) << "THAWED";
    return true;
  }
  return false;
}

bool StopProcess(pid_t pid, const std::string& exe, std::chrono::milliseconds grace,
                 std::chrono::milliseconds kill_wait) {
  if (!ProcessRunning(pid, exe)) return true;
  kill(pid, SIGTERM);
  if (WaitGone(pid, exe, grace)) return true;
  kill(pid, SIGKILL);
  // A frozen process takes no signal until thawed.
  ThawFreezerOf(pid);
  return WaitGone(pid, exe, kill_wait);
}

Result<CommandOutput> RunCommand(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env,
                                 std::chrono::milliseconds timeout) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
  }
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(env);
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Error(ErrorCode::kIo, fmt::format("fork: {}", std::strerror(saved)));
  }
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, 0);
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    closefrom(3);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  CommandOutput result;
  Clock::time_point deadline = Clock::now() + timeout;
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out_pipe[0], POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.out.append(buf, static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

namespace {

struct ProcEntry {
  pid_t pid;
  pid_t ppid;
};

std::vector<ProcEntry> AllProcesses() {
  std::vector<ProcEntry> all;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return all;
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 1) continue;
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(text.substr(paren + 1));
    char state = 0;
    long ppid = 0;
    if (rest >> state >> ppid) {
      all.push_back({static_cast<pid_t>(pid), static_cast<pid_t>(ppid)});
    }
  }
  closedir(proc);
  return all;
}

std::string CommandLine(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/cmdline", pid));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

std::vector<pid_t> SessionMembers(const std::set<pid_t>& sids) {
  std::vector<pid_t> members;
  if (sids.empty()) return members;
  for (const ProcEntry& p : AllProcesses()) {
    if (sids.count(p.pid) > 0) continue;
    pid_t sid = getsid(p.pid);
    if (sid > 0 && sids.count(sid) > 0) members.push_back(p.pid);
  }
  return members;
}

std::vector<pid_t> StepProcesses(const std::string& program, const std::string& marker) {
  std::vector<ProcEntry> all = AllProcesses();
  std::vector<pid_t> found;
  std::set<pid_t> seen;
  for (const ProcEntry& p : all) {
    if (ProcExeName(p.pid) == program && CommandLine(p.pid).find(marker) != std::string::npos &&
        ProcessRunning(p.pid, "")) {
      found.push_back(p.pid);
      seen.insert(p.pid);
    }
  }
  for (size_t i = 0; i < found.size(); ++i) {  // breadth-first over the parent links
    for (const ProcEntry& p : all) {
      if (p.ppid == found[i] && seen.insert(p.pid).second) found.push_back(p.pid);
    }
  }
  std::set<pid_t> sessions;
  for (pid_t pid : found) {
    pid_t sid = getsid(pid);
    if (sid > 1) sessions.insert(sid);
  }
  for (pid_t pid : SessionMembers(sessions)) {
    if (seen.insert(pid).second) found.push_back(pid);
  }
  for (pid_t sid : sessions) {  // the session leaders themselves
    if (seen.count(sid) == 0 && ProcessRunning(sid, "") && getsid(sid) == sid) {
      seen.insert(sid);
      found.push_back(sid);
    }
  }
  return found;
}

bool UnixSocketAccepts(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return false;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool TcpPortAccepts(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string TailFile(const std::string& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string out;
  for (const std::string& l : last) out += "    " + l + "\n";
  return out;
}

}  // namespace drover::cli::drover
