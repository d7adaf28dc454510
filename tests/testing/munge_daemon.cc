#include "testing/munge_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "fmt/format.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

// How long munged may take to create its socket, and to exit on SIGTERM. Generous: the
// machine is shared and loaded; both loops end as soon as the condition holds.
constexpr auto kStartDeadline = std::chrono::seconds(20);
constexpr auto kStopDeadline = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(5);

// munged and mungekey live in sbin, which is not on every user's PATH.
std::string FindProgram(const char* name) {
  for (const char* dir : {"/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"}) {
    std::string path = fmt::format("{}/{}", dir, name);
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return name;  // left to execvp's PATH search
}

std::string ReadTail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

// fork + exec `argv` with stdin from /dev/null and stdout/stderr appended to `log`. The child
// is sent SIGTERM when the forking thread dies, so a crashed test leaves no daemon behind.
// Only async-signal-safe calls between fork and exec: the test process has gRPC threads.
Result<pid_t> Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return Error(ErrorCode::kInternal, fmt::format("fork: {}", strerror(errno)));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (in < 0 || out < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Runs a short command to completion.
Status Run(const std::vector<std::string>& args, const std::string& log) {
  ASSIGN_OR_RETURN(pid_t pid, Spawn(args, log));
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Error(ErrorCode::kInternal, "waitpid failed", args[0]);
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Error(ErrorCode::kInternal, fmt::format("{} failed: {}", args[0], ReadTail(log)));
  }
  return Ok();
}

// True once something listens on the Unix socket `path`.
bool SocketAnswers(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

Result<std::string> MakeTempDir() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = fmt::format("{}/drover-munge-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    return Error(ErrorCode::kIo, fmt::format("mkdtemp: {}", strerror(errno)), pattern);
  }
  std::string dir(buf.data());
  // munged refuses a socket directory that others may write, and clients must traverse it.
  if (chmod(dir.c_str(), 0755) != 0 || mkdir((dir + "/key").c_str(), 0700) != 0) {
    return Error(ErrorCode::kIo, fmt::format("preparing directory: {}", strerror(errno)), dir);
  }
  return dir;
}

}  // namespace

MungeDaemon::MungeDaemon(std::string dir)
    : dir_(std::move(dir)),
      key_path_(dir_ + "/key/munge.key"),
      socket_path_(dir_ + "/munge.sock"),
      log_path_(dir_ + "/munged.log") {}

Result<std::unique_ptr<MungeDaemon>> MungeDaemon::Start() {
  ASSIGN_OR_RETURN(std::string dir, MakeTempDir());
  std::unique_ptr<MungeDaemon> daemon(new MungeDaemon(dir));
  RETURN_IF_ERROR(Run({FindProgram("mungekey"), "--create", "--keyfile=" + daemon->key_path_},
                      daemon->log_path_));
  RETURN_IF_ERROR(daemon->Launch());
  return daemon;
}

Result<std::unique_ptr<MungeDaemon>> MungeDaemon::StartWithKeyOf(const MungeDaemon& other) {
  ASSIGN_OR_RETURN(std::string dir, MakeTempDir());
  std::unique_ptr<MungeDaemon> daemon(new MungeDaemon(dir));
  std::error_code ec;
  fs::copy_file(other.key_path_, daemon->key_path_, ec);
  if (ec || chmod(daemon->key_path_.c_str(), 0600) != 0) {
    return Error(ErrorCode::kIo, fmt::format("copying the key: {}", ec.message()),
                 daemon->key_path_);
  }
  RETURN_IF_ERROR(daemon->Launch());
  return daemon;
}

Status MungeDaemon::Launch() {
  ASSIGN_OR_RETURN(pid_, Spawn({FindProgram("munged"), "--foreground", "--key-file=" + key_path_,
                                "--socket=" + socket_path_, "--pid-file=" + dir_ + "/munged.pid",
                                "--seed-file=" + dir_ + "/munged.seed", "--num-threads=2"},
                               log_path_));
  const auto deadline = steady_clock::now() + kStartDeadline;
  // munged creates its socket before it writes its pid file, and may still exit between
  // the two (an unusable pid-file directory): ready means both.
  const std::string pid_file = dir_ + "/munged.pid";
  auto ready = [&] {
    std::error_code ec;
    auto size = fs::file_size(pid_file, ec);
    return !ec && size > 0 && SocketAnswers(socket_path_);
  };
  while (!ready()) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return Error(ErrorCode::kUnavailable,
                   fmt::format("munged exited during start-up: {}", ReadTail(log_path_)), dir_);
    }
    if (steady_clock::now() > deadline) {
      Stop();
      return Error(
          ErrorCode::kTimeout,
          fmt::format("munged did not open {} in time: {}", socket_path_, ReadTail(log_path_)),
          dir_);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return Ok();
}

void MungeDaemon::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = steady_clock::now() + kStopDeadline;
  int wstatus = 0;
  for (;;) {
    pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) break;
    if (steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wstatus, 0);
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  pid_ = -1;
}

MungeDaemon::~MungeDaemon() {
  Stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);  // best effort: a leftover temp dir is not worth a crash
}

}  // namespace drover::testing
