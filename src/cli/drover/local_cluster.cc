#include "cli/drover/local_cluster.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "cli/drover/local_cluster_config.h"
#include "cli/drover/local_cluster_process.h"

namespace drover::cli::drover {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir;  // as given with --dir; empty: the default
  std::optional<int> nodes;
  bool help = false;
};

constexpr const char* kLocalUsage =
    "Usage: drover up [--nodes N] [--dir DIR]   start the local cluster (N node daemons,\n"
    "                                          default 4; starts only what is not running)\n"
    "       drover down [--dir DIR]             stop every daemon `drover up` started\n"
    "       drover env [--dir DIR]              print export lines for eval \"$(drover env)\"\n"
    "       drover status [--dir DIR]           one line per daemon; exit 3 when not all run\n"
    "DIR defaults to $DROVER_HOME, then $XDG_RUNTIME_DIR/drover, ~/.local/state/drover,\n"
    "/tmp/drover-$UID. `up` waits DROVER_UP_TIMEOUT seconds (default 60) for the\n"
    "controller and for every node to be idle.\n";

Result<Options> ParseOptions(const std::vector<std::string>& args, bool allow_nodes) {
  Options o;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& name) -> Result<std::string> {
      if (a.size() > name.size() && a.compare(0, name.size() + 1, name + "=") == 0) {
        return a.substr(name.size() + 1);
      }
      if (i + 1 >= args.size()) {
        return Error(ErrorCode::kInvalidArgument, fmt::format("{} needs a value", name));
      }
      return args[++i];
    };
    auto is = [&a](const char* name) {
      size_t n = std::strlen(name);
      return a == name || (a.size() > n && a.compare(0, n, name) == 0 && a[n] == '=');
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (is("--dir")) {
      auto v = value("--dir");
      if (!v) return v.error();
      if (v->empty()) return Error(ErrorCode::kInvalidArgument, "--dir needs a directory");
      o.dir = *v;
    } else if (allow_nodes && (is("--nodes") || a == "-N" || a == "-n")) {
      auto v = value(a == "-N" || a == "-n" ? a : "--nodes");
      if (!v) return v.error();
      char* end = nullptr;
      long n = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || n < 1 || n > 1000) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("--nodes: '{}' is not a node count from 1 to 1000", *v));
      }
      o.nodes = static_cast<int>(n);
    } else {
      return Error(ErrorCode::kInvalidArgument, fmt::format("unknown argument '{}'", a));
    }
  }
  return o;
}

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

std::string RunDir(const Invocation& inv, const Options& o) {
  std::string dir = o.dir.empty() ? DefaultRunDir(inv.env, getuid()) : o.dir;
  dir = AbsolutePath(dir);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

std::string SelfBinDir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

// `name` on PATH, else in the sbin folders (munged lives in /usr/sbin, often off PATH).
std::string FindProgram(const Invocation& inv, const std::string& name) {
  std::string path = inv.Getenv("PATH").value_or("") + ":/usr/sbin:/usr/bin:/sbin:/bin";
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

Status MakeDir(const std::string& path, mode_t mode) {
  std::string partial;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    partial += "/" + part;
    if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return Error(ErrorCode::kIo,
                   fmt::format("cannot create {}: {}", partial, std::strerror(errno)));
    }
  }
  if (chmod(path.c_str(), mode) != 0) {
    return Error(ErrorCode::kIo, fmt::format("chmod {}: {}", path, std::strerror(errno)));
  }
  return Ok();
}

bool FileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// The first folder from / down to `dir` that others cannot search ("" when none). munged
// refuses such a socket path unless forced: under a 0700 home only this user reaches it,
// which is all a local cluster needs.
std::string FirstPrivateFolder(const std::string& dir) {
  std::string partial;
  std::istringstream parts(dir);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    partial += "/" + part;
    struct stat st;
    if (stat(partial.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) return partial;
  }
  return {};
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Error(ErrorCode::kIo, "cannot write " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    return Error(ErrorCode::kIo, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return Ok();
}

// Holds an exclusive flock on the run directory's lock file while alive.
class DirLock {
 public:
  static Result<DirLock> Take(const std::string& path) {
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Error(ErrorCode::kIo, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      return Error(ErrorCode::kAlreadyExists,
                   fmt::format("another `drover up` or `drover down` is working on {}", path));
    }
    return DirLock(fd);
  }
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

std::string UserName(uid_t uid) {
  if (uid == 0) return "root";
  struct passwd pw;
  struct passwd* found = nullptr;
  char buf[4096];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

std::vector<std::string> DaemonEnvironment(const Invocation& inv, const std::string& conf) {
  std::vector<std::string> env;
  for (const auto& [name, value] : inv.env) {
    if (name != "SLURM_CONF") env.push_back(name + "=" + value);
  }
  env.push_back("SLURM_CONF=" + conf);
  return env;
}

std::string ShellQuote(const std::string& s) {
  bool plain = !s.empty() && s.find_first_not_of(
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789/._-+:,@%=") == std::string::npos;
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int Fail(const Invocation& inv, const std::string& message) {
  inv.err << "drover: error: " << message << "\n";
  return 1;
}

// The daemons of the cluster in `paths`, or an empty list when it has no state file.
Result<std::vector<LocalDaemon>> KnownDaemons(const Invocation& inv, const LocalClusterPaths& paths,
                                              LocalClusterSpec* spec_out) {
  std::optional<std::string> text = ReadFile(paths.state_file);
  if (!text) return std::vector<LocalDaemon>{};
  Result<LocalClusterSpec> spec = ParseClusterState(*text);
  if (!spec) return spec.error().WithContext(paths.state_file);
  if (spec_out != nullptr) *spec_out = *spec;
  return LocalDaemons(*spec, paths, SelfBinDir(), FindProgram(inv, "munged"));
}

int64_t UpTimeoutSeconds(const Invocation& inv) {
  std::optional<std::string> text = inv.Getenv("DROVER_UP_TIMEOUT");
  if (text) {
    char* end = nullptr;
    long v = std::strtol(text->c_str(), &end, 10);
    if (!text->empty() && *end == '\0' && v > 0) return v;
  }
  return 60;
}

// Node name -> compact state ("idle", "mix", "idle*") from `sinfo -h -N -o "%N %t"`.
std::map<std::string, std::string> NodeStates(const std::string& output) {
  std::map<std::string, std::string> states;
  std::istringstream lines(output);
  std::string name, state;
  while (lines >> name >> state) states[name] = state;
  return states;
}

bool NodeReady(const std::string& state) {
  return state == "idle" || state == "mix" || state == "alloc" || state == "comp";
}

struct Started {
  const LocalDaemon* daemon;
  pid_t pid;
};

// Error text for a daemon that ended while `drover up` waited for it.
std::string EndedMessage(const LocalDaemon& d, pid_t pid, const std::string& how) {
  std::string text = fmt::format("{} (pid {}) {} right after starting; its log is {}", d.name, pid,
                                 how, d.log_file);
  if (d.console_file != d.log_file) text += fmt::format(" (console output: {})", d.console_file);
  std::string tail = TailFile(d.console_file, 8);
  if (tail.empty()) tail = TailFile(d.log_file, 8);
  if (!tail.empty()) text += ":\n" + tail;
  return text;
}

// Checks that none of `started` has ended; the first that has becomes the error.
Status NoneEnded(const std::vector<Started>& started) {
  for (const Started& s : started) {
    if (std::optional<std::string> how = ChildEnded(s.pid)) {
      return Error(ErrorCode::kUnavailable, EndedMessage(*s.daemon, s.pid, *how));
    }
  }
  return Ok();
}

// Polls `ready` (and the started daemons) until it holds or `timeout` passes.
template <typename Ready>
Status WaitFor(const std::vector<Started>& started, seconds timeout, Ready ready,
               const std::string& what) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    if (Status alive = NoneEnded(started); !alive) return alive;
    if (ready()) return Ok();
    if (Clock::now() >= deadline) {
      return Error(ErrorCode::kTimeout,
                   fmt::format("timed out after {}s waiting for {}", timeout.count(), what));
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
}

Status CreateMungeKey(const Invocation& inv, const LocalClusterPaths& paths) {
  if (FileExists(paths.munge_key)) return Ok();
  std::string mungekey = FindProgram(inv, "mungekey");
  if (mungekey.empty()) {
    return Error(ErrorCode::kNotFound,
                 "mungekey is not installed (apt-get install munge, or run scripts/install-deps)");
  }
  auto ran = RunCommand({mungekey, "--create", "--keyfile=" + paths.munge_key},
                        DaemonEnvironment(inv, paths.slurm_conf), seconds(30));
  if (!ran) return ran.error();
  if (ran->exit_code != 0) {
    return Error(ErrorCode::kIo, fmt::format("mungekey --create --keyfile={} failed:\n{}",
                                             paths.munge_key, ran->out));
  }
  chmod(paths.munge_key.c_str(), 0600);
  return Ok();
}

// Chooses ports, resources and SlurmUser, and writes slurm.conf and the state file.
Result<LocalClusterSpec> WriteNewConfig(const LocalClusterPaths& paths, int nodes) {
  LocalClusterSpec spec;
  spec.nodes = nodes;
  auto ports = PickFreePorts(nodes + 1);
  if (!ports) return ports.error();
  spec.controller_port = (*ports)[0];
  spec.node_ports.assign(ports->begin() + 1, ports->end());
  spec.slurm_user = UserName(getuid());
  SplitHost(DetectHostResources(), &spec);
  if (Status s = WriteFile(paths.slurm_conf, RenderSlurmConf(spec, paths)); !s) return s.error();
  if (Status s = WriteFile(paths.state_file, FormatClusterState(spec)); !s) return s.error();
  return spec;
}

int Up(const Invocation& inv, const Options& o) {
  LocalClusterPaths paths = LocalClusterPaths::For(RunDir(inv, o));
  std::string bin_dir = SelfBinDir();
  for (const char* daemon : {"droverctld", "droverd"}) {
    if (access((bin_dir + "/" + daemon).c_str(), X_OK) != 0) {
      return Fail(inv, fmt::format("{}/{} is missing: build it beside drover (ninja droverctld "
                                   "droverd drover-stepd)",
                                   bin_dir, daemon));
    }
  }
  std::string munged = FindProgram(inv, "munged");
  if (munged.empty()) {
    return Fail(inv, "munged is not installed (apt-get install munge, or scripts/install-deps)");
  }
  if (paths.munge_socket.size() >= 100) {
    return Fail(inv, fmt::format("the run directory {} is too long for a Unix socket path; pick "
                                 "a shorter --dir",
                                 paths.dir));
  }
  if (Status s = MakeDir(paths.dir, 0755); !s) return Fail(inv, s.error().ToString());
  auto lock = DirLock::Take(paths.lock_file);
  if (!lock) return Fail(inv, lock.error().ToString());

  // Reuse the recorded choices while any daemon of the cluster still runs; otherwise
  // choose again (ports free now, this host's resources, the requested node count).
  LocalClusterSpec spec;
  auto known = KnownDaemons(inv, paths, &spec);
  if (!known) return Fail(inv, known.error().ToString() + " (remove it to start afresh)");
  bool any_running = false;
  for (const LocalDaemon& d : *known)
    any_running |= RunningFromPidFile(d.pid_file, d.exe).has_value();
  if (any_running && o.nodes && *o.nodes != spec.nodes) {
    return Fail(inv, fmt::format("the local cluster in {} runs with {} nodes; `drover down` "
                                 "first to change that",
                                 paths.dir, spec.nodes));
  }
  if (!any_running) {
    int nodes = o.nodes.value_or(known->empty() ? 4 : spec.nodes);
    auto written = WriteNewConfig(paths, nodes);
    if (!written) return Fail(inv, written.error().ToString());
    spec = *written;
  }
  for (const auto& [dir, mode] :
       std::vector<std::pair<std::string, mode_t>>{{paths.munge_dir, 0755},
                                                   {paths.munge_key_dir, 0700},
                                                   {paths.state_save, 0700},
                                                   {paths.log_dir, 0755},
                                                   {paths.run_dir, 0755}}) {
    if (Status s = MakeDir(dir, mode); !s) return Fail(inv, s.error().ToString());
  }
  for (int i = 1; i <= spec.nodes; ++i) {
    if (Status s = MakeDir(paths.spool + "/" + LocalNodeName(i), 0755); !s) {
      return Fail(inv, s.error().ToString());
    }
  }
  if (Status s = CreateMungeKey(inv, paths); !s) return Fail(inv, s.error().ToString());

  std::vector<LocalDaemon> daemons = LocalDaemons(spec, paths, bin_dir, munged);
  std::string private_folder = FirstPrivateFolder(paths.munge_dir);
  if (!private_folder.empty()) daemons[0].argv.push_back("--force");
  std::vector<std::string> env = DaemonEnvironment(inv, paths.slurm_conf);
  std::vector<Started> started;
  inv.out << "Local cluster in " << paths.dir << "\n";
  for (size_t i = 0; i < daemons.size(); ++i) {
    const LocalDaemon& d = daemons[i];
    if (std::optional<pid_t> pid = RunningFromPidFile(d.pid_file, d.exe)) {
      inv.out << fmt::format("  {:<16} running (pid {})\n", d.name, *pid);
      continue;
    }
    uint16_t port = i == 1 ? spec.controller_port : i >= 2 ? spec.node_ports[i - 2] : 0;
    // A daemon killed a moment ago holds its port until its last thread has gone, a
    // little after its pid stops counting as alive: give it a few seconds.
    auto port_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (port != 0 && !PortIsFree(port) && std::chrono::steady_clock::now() < port_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (port != 0 && !PortIsFree(port)) {
      return Fail(inv, fmt::format("{} cannot start: port {} (from {}) is taken by another "
                                   "process; `drover down` and `drover up` choose new ports",
                                   d.name, port, paths.slurm_conf));
    }
    if (d.name == "munged") unlink(paths.munge_socket.c_str());  // a stale one
    auto pid = SpawnDetached(d.argv, env, d.console_file);
    if (!pid) return Fail(inv, pid.error().ToString());
    if (Status s = WritePidFile(d.pid_file, *pid); !s) return Fail(inv, s.error().ToString());
    started.push_back({&d, *pid});
    inv.out << fmt::format("  {:<16} started (pid {})\n", d.name, *pid);
    if (d.name == "munged" && !private_folder.empty()) {
      inv.out << fmt::format("  {:<16} (--force: {} is private, so only you reach its socket)\n",
                             "", private_folder);
    }
    Status ready = Ok();
    if (d.name == "munged") {
      ready = WaitFor(
          started, seconds(15), [&] { return UnixSocketAccepts(paths.munge_socket); },
          fmt::format("munged's socket {} (log {})", paths.munge_socket, d.log_file));
    } else if (d.name == "droverctld") {
      ready = WaitFor(
          started, seconds(UpTimeoutSeconds(inv)),
          [&] { return TcpPortAccepts(spec.controller_port); },
          fmt::format("droverctld to listen on 127.0.0.1:{} (log {}, console {})",
                      spec.controller_port, d.log_file, d.console_file));
    }
    if (!ready) return Fail(inv, ready.error().message());
  }
  inv.out.flush();

  // Every node answers the controller: ask it the way a user would.
  std::string sinfo = bin_dir + "/sinfo";
  std::map<std::string, std::string> states;
  Status nodes_ready = WaitFor(
      started, seconds(UpTimeoutSeconds(inv)),
      [&] {
        auto ran = RunCommand({sinfo, "-h", "-N", "-o", "%N %t"}, env, seconds(10));
        if (!ran || ran->exit_code != 0) return false;
        states = NodeStates(ran->out);
        for (int n = 1; n <= spec.nodes; ++n) {
          auto it = states.find(LocalNodeName(n));
          if (it == states.end() || !NodeReady(it->second)) return false;
        }
        return true;
      },
      "every node to be idle");
  if (!nodes_ready) {
    std::string detail;
    for (int n = 1; n <= spec.nodes; ++n) {
      auto it = states.find(LocalNodeName(n));
      std::string state = it == states.end() ? "not reported" : it->second;
      if (it != states.end() && NodeReady(state)) continue;
      detail += fmt::format("\n  {}: {} (log {}/droverd-{}.log)", LocalNodeName(n), state,
                            paths.log_dir, LocalNodeName(n));
    }
    return Fail(inv, fmt::format("{}; controller log {}/droverctld.log{}",
                                 nodes_ready.error().message(), paths.log_dir, detail));
  }

  std::string drover = ShellQuote(bin_dir + "/drover");
  std::string dir_flag = o.dir.empty() ? "" : " --dir " + ShellQuote(paths.dir);
  inv.out << fmt::format(
      "\nThe local cluster is up: {} nodes ({}), {} CPUs and {} MB each; partitions debug "
      "(default) and short.\n"
      "  slurm.conf {}\n  logs       {}\n\n"
      "Next:\n"
      "  eval \"$({} env{})\"   # SLURM_CONF and PATH for this shell\n"
      "  sinfo\n"
      "  sbatch --wrap 'echo Hello from $(hostname)'\n"
      "  squeue\n"
      "  drover down{}   # stop it; `drover up` starts it again\n",
      spec.nodes, LocalNodeList(spec.nodes), spec.cpus_per_node, spec.memory_mb_per_node,
      paths.slurm_conf, paths.log_dir, drover, dir_flag, dir_flag);
  return 0;
}

// Pid files in the run directory that no known daemon names (a cluster shrunk by
// `drover up --nodes`, or a state file gone): "droverd-node9.pid" is a droverd.
std::vector<LocalDaemon> StrayPidFiles(const LocalClusterPaths& paths,
                                       const std::vector<LocalDaemon>& known) {
  std::set<std::string> named;
  for (const LocalDaemon& d : known) named.insert(d.pid_file);
  std::vector<LocalDaemon> strays;
  DIR* run = opendir(paths.run_dir.c_str());
  if (run == nullptr) return strays;
  while (dirent* entry = readdir(run)) {
    std::string file = entry->d_name;
    if (file.size() < 5 || file.compare(file.size() - 4, 4, ".pid") != 0) continue;
    std::string path = paths.run_dir + "/" + file;
    if (named.count(path) > 0) continue;
    LocalDaemon d;
    d.name = file.substr(0, file.size() - 4);
    d.exe = d.name.substr(0, d.name.find('-'));
    d.pid_file = path;
    strays.push_back(d);
  }
  closedir(run);
  // Node daemons first, then the controller, munged last.
  auto rank = [](const LocalDaemon& d) { return d.exe == "munged" ? 2 : d.exe == "droverctld"; };
  std::sort(strays.begin(), strays.end(),
            [&rank](const LocalDaemon& a, const LocalDaemon& b) { return rank(a) < rank(b); });
  return strays;
}

int Down(const Invocation& inv, const Options& o) {
  LocalClusterPaths paths = LocalClusterPaths::For(RunDir(inv, o));
  if (!FileExists(paths.dir)) {
    inv.out << "No local cluster in " << paths.dir << "\n";
    return 0;
  }
  auto lock = DirLock::Take(paths.lock_file);
  if (!lock) return Fail(inv, lock.error().ToString());
  auto known = KnownDaemons(inv, paths, nullptr);
  std::vector<LocalDaemon> daemons = known ? *known : std::vector<LocalDaemon>{};
  std::vector<LocalDaemon> strays = StrayPidFiles(paths, daemons);
  // Node daemons after strays, then the controller, munged last.
  std::vector<LocalDaemon> order(strays);
  order.insert(order.end(), daemons.rbegin(), daemons.rend());

  // The daemons' sessions are collected before anything is signalled (whatever else runs
  // in them goes too). The jobs' processes (drover-stepd detaches from its droverd, and
  // tasks from it) are collected once no node daemon is left to start another: a job the
  // controller has just started may still be on its way to a stepd.
  std::set<pid_t> sessions;
  for (const LocalDaemon& d : order) {
    if (auto pid = RunningFromPidFile(d.pid_file, d.exe)) sessions.insert(*pid);
  }
  std::vector<pid_t> session_members = SessionMembers(sessions);
  bool all_stopped = true;
  int stopped = 0;
  auto stop_daemon = [&](const LocalDaemon& d) {
    std::optional<pid_t> pid = RunningFromPidFile(d.pid_file, d.exe);
    if (pid) {
      bool gone = StopProcess(*pid, d.exe, seconds(10), seconds(5));
      inv.out << fmt::format("  {:<16} {} (pid {})\n", d.name, gone ? "stopped" : "DID NOT STOP",
                             *pid);
      all_stopped &= gone;
      stopped += gone ? 1 : 0;
      if (!gone) return;
    }
    unlink(d.pid_file.c_str());
  };
  // Node daemons and the controller; munged last, after the jobs.
  for (const LocalDaemon& d : order) {
    if (d.name != "munged") stop_daemon(d);
  }
  std::vector<pid_t> members = StepProcesses("drover-stepd", paths.spool + "/");
  for (pid_t pid : session_members) {
    if (std::find(members.begin(), members.end(), pid) == members.end()) members.push_back(pid);
  }
  for (pid_t pid : members) {
    if (ProcessRunning(pid, "")) kill(pid, SIGTERM);
  }
  for (pid_t pid : members) {
    if (!StopProcess(pid, "", seconds(5), seconds(5))) {
      inv.err << fmt::format("drover: warning: process {} did not stop\n", pid);
      all_stopped = false;
    }
  }
  if (!members.empty()) {
    inv.out << fmt::format("  {:<16} stopped ({} processes)\n", "job steps", members.size());
  }
  for (const LocalDaemon& d : order) {
    if (d.name == "munged") stop_daemon(d);
  }
  inv.out << (all_stopped ? fmt::format("The local cluster in {} is down ({} daemons stopped)\n",
                                        paths.dir, stopped)
                          : fmt::format("Some daemons of {} did not stop\n", paths.dir));
  return all_stopped ? 0 : 1;
}

int Env(const Invocation& inv, const Options& o) {
  LocalClusterPaths paths = LocalClusterPaths::For(RunDir(inv, o));
  if (!FileExists(paths.slurm_conf)) {
    return Fail(inv, fmt::format("no local cluster in {}: run `drover up` first", paths.dir));
  }
  inv.out << "export SLURM_CONF=" << ShellQuote(paths.slurm_conf) << "\n";
  inv.out << "export PATH=" << ShellQuote(SelfBinDir()) << ":\"$PATH\"\n";
  return 0;
}

int StatusCommand(const Invocation& inv, const Options& o) {
  LocalClusterPaths paths = LocalClusterPaths::For(RunDir(inv, o));
  auto known = KnownDaemons(inv, paths, nullptr);
  if (!known) return Fail(inv, known.error().ToString());
  if (known->empty()) {
    inv.out << "The local cluster in " << paths.dir << " is down (never started)\n";
    return 3;
  }
  std::string lines;
  size_t up = 0;
  for (const LocalDaemon& d : *known) {
    std::optional<pid_t> pid = RunningFromPidFile(d.pid_file, d.exe);
    up += pid ? 1 : 0;
    lines += fmt::format("  {:<16} {:<8} {}\n", d.name, pid ? std::to_string(*pid) : "-",
                         pid ? "up" : "down");
  }
  std::string overall = up == known->size() ? "up"
                        : up == 0           ? "down"
                                            : fmt::format(
                                                  "degraded ({} of {} daemons running; "
                                                            "`drover up` restarts the others)",
                                                  up, known->size());
  inv.out << "The local cluster in " << paths.dir << " is " << overall << "\n";
  inv.out << fmt::format("  {:<16} {:<8} {}\n", "DAEMON", "PID", "STATE") << lines;
  inv.out << "  slurm.conf " << paths.slurm_conf << "\n";
  return up == known->size() ? 0 : 3;
}

}  // namespace

bool IsLocalClusterCommand(const std::string& name) {
  return name == "up" || name == "down" || name == "env" || name == "status";
}

int LocalClusterCommand(const Invocation& inv) {
  const std::string& command = inv.args.at(0);
  auto options = ParseOptions(inv.args, command == "up");
  if (!options) {
    inv.err << "drover " << command << ": error: " << options.error().message() << "\n"
            << kLocalUsage;
    return 1;
  }
  if (options->help) {
    inv.out << kLocalUsage;
    return 0;
  }
  if (command == "up") return Up(inv, *options);
  if (command == "down") return Down(inv, *options);
  if (command == "env") return Env(inv, *options);
  return StatusCommand(inv, *options);
}

}  // namespace drover::cli::drover
