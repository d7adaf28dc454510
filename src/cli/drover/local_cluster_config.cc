#include "cli/drover/local_cluster_config.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace drover::cli::drover {
namespace {

// Binds a TCP socket to 127.0.0.1:port; returns the fd (or -1, errno set).
int BindLoopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // As the daemons bind: connections of a killed daemon left in TIME_WAIT do not make
  // its port "taken"; a listening socket still does.
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

std::optional<uint64_t> ParseNumber(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

LocalClusterPaths LocalClusterPaths::For(const std::string& dir) {
  LocalClusterPaths p;
  p.dir = dir;
  p.slurm_conf = dir + "/slurm.conf";
  p.state_file = dir + "/cluster.state";
  p.lock_file = dir + "/.lock";
  p.munge_dir = dir + "/munge";
  p.munge_key_dir = dir + "/munge-key";
  p.munge_key = p.munge_key_dir + "/munge.key";
  p.munge_socket = p.munge_dir + "/munge.sock";
  p.munge_seed = p.munge_dir + "/munged.seed";
  p.state_save = dir + "/state";
  p.spool = dir + "/spool";
  p.log_dir = dir + "/log";
  p.run_dir = dir + "/run";
  return p;
}

std::string LocalNodeName(int index) { return fmt::format("node{}", index); }

std::string LocalNodeList(int nodes) {
  return nodes == 1 ? LocalNodeName(1) : fmt::format("node[1-{}]", nodes);
}

std::string RenderSlurmConf(const LocalClusterSpec& spec, const LocalClusterPaths& paths) {
  std::string out;
  auto line = [&out](std::string_view text) {
    out += text;
    out += '\n';
  };
  line("# The local Drover cluster, written by `drover up`: one controller and the node");
  line("# daemons below on this host, each on a free port, with their own munged.");
  line("# `drover down` stops them; `drover up` again starts whichever is not running.");
  line("ClusterName=drover-local");
  line("SlurmctldHost=localhost(127.0.0.1)");
  line(fmt::format("SlurmctldPort={}", spec.controller_port));
  line(fmt::format("SlurmUser={}", spec.slurm_user));
  line("AuthType=auth/munge");
  line(fmt::format("AuthInfo=socket={}", paths.munge_socket));
  line(fmt::format("StateSaveLocation={}", paths.state_save));
  line(fmt::format("SlurmdSpoolDir={}/%n", paths.spool));
  line(fmt::format("SlurmctldPidFile={}/droverctld.pid", paths.run_dir));
  line(fmt::format("SlurmdPidFile={}/droverd-%n.pid", paths.run_dir));
  line(fmt::format("SlurmctldLogFile={}/droverctld.log", paths.log_dir));
  line(fmt::format("SlurmdLogFile={}/droverd-%n.log", paths.log_dir));
  line("SlurmctldDebug=info");
  line("SlurmdDebug=info");
  line("");
  line("SchedulerType=sched/backfill");
  line("SelectType=select/cons_tres");
  line("SelectTypeParameters=CR_Core");
  line("PriorityType=priority/basic");
  line("ReturnToService=2");
  line("KillWait=5");
  line("MinJobAge=300");
  line("SlurmdTimeout=300");
  line("");
  line(fmt::format("NodeName=DEFAULT CPUs={} RealMemory={} State=UNKNOWN", spec.cpus_per_node,
                   spec.memory_mb_per_node));
  for (int i = 1; i <= spec.nodes; ++i) {
    uint16_t port = static_cast<size_t>(i) <= spec.node_ports.size() ? spec.node_ports[i - 1] : 0;
    line(fmt::format("NodeName={} NodeHostname=localhost NodeAddr=127.0.0.1 Port={}",
                     LocalNodeName(i), port));
  }
  line("");
  line("PartitionName=DEFAULT State=UP");
  line(fmt::format("PartitionName=debug Nodes={} Default=YES MaxTime=INFINITE",
                   LocalNodeList(spec.nodes)));
  line(fmt::format("PartitionName=short Nodes={} MaxTime=00:30:00", LocalNodeList(spec.nodes)));
  return out;
}

std::string FormatClusterState(const LocalClusterSpec& spec) {
  std::string ports;
  for (size_t i = 0; i < spec.node_ports.size(); ++i) {
    ports += (i == 0 ? "" : ",") + std::to_string(spec.node_ports[i]);
  }
  return fmt::format(
      "# drover up: the local cluster's choices; `drover up` reads this file\n"
      "version=1\nnodes={}\ncontroller_port={}\nnode_ports={}\nslurm_user={}\n"
      "cpus_per_node={}\nmemory_mb_per_node={}\n",
      spec.nodes, spec.controller_port, ports, spec.slurm_user, spec.cpus_per_node,
      spec.memory_mb_per_node);
}

Result<LocalClusterSpec> ParseClusterState(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return Error(ErrorCode::kConfigValue, fmt::format("malformed line '{}'", line));
    }
    values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  auto number = [&values](const char* key, uint64_t max) -> Result<uint64_t> {
    auto it = values.find(key);
    if (it == values.end()) return Error(ErrorCode::kConfigValue, fmt::format("{} missing", key));
    std::optional<uint64_t> n = ParseNumber(it->second);
    if (!n || *n > max || *n == 0) {
      return Error(ErrorCode::kConfigValue, fmt::format("{}: invalid value '{}'", key, it->second));
    }
    return *n;
  };
  if (values["version"] != "1") {
    return Error(ErrorCode::kConfigValue, "version: unknown state file version");
  }
  LocalClusterSpec spec;
  auto nodes = number("nodes", 10000);
  if (!nodes) return nodes.error();
  auto controller = number("controller_port", 65535);
  if (!controller) return controller.error();
  auto cpus = number("cpus_per_node", UINT32_MAX);
  if (!cpus) return cpus.error();
  auto memory = number("memory_mb_per_node", UINT64_MAX / 2);
  if (!memory) return memory.error();
  spec.nodes = static_cast<int>(*nodes);
  spec.controller_port = static_cast<uint16_t>(*controller);
  spec.cpus_per_node = static_cast<uint32_t>(*cpus);
  spec.memory_mb_per_node = *memory;
  spec.slurm_user = values["slurm_user"];
  if (spec.slurm_user.empty()) return Error(ErrorCode::kConfigValue, "slurm_user missing");
  std::istringstream ports(values["node_ports"]);
  std::string port;
  while (std::getline(ports, port, ',')) {
    std::optional<uint64_t> n = ParseNumber(port);
    if (!n || *n == 0 || *n > 65535) {
      return Error(ErrorCode::kConfigValue, fmt::format("node_ports: invalid port '{}'", port));
    }
    spec.node_ports.push_back(static_cast<uint16_t>(*n));
  }
  if (spec.node_ports.size() != static_cast<size_t>(spec.nodes)) {
    return Error(ErrorCode::kConfigValue, fmt::format("node_ports: {} ports for {} nodes",
                                                      spec.node_ports.size(), spec.nodes));
  }
  return spec;
}

Result<std::vector<uint16_t>> PickFreePorts(int count) {
  std::vector<int> fds;
  std::vector<uint16_t> ports;
  auto close_all = [&fds] {
    for (int fd : fds) close(fd);
  };
  for (int i = 0; i < count; ++i) {
    int fd = BindLoopback(0);
    if (fd < 0) {
      int saved = errno;
      close_all();
      return Error(ErrorCode::kIo,
                   fmt::format("cannot bind a port on 127.0.0.1: {}", std::strerror(saved)));
    }
    fds.push_back(fd);
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      int saved = errno;
      close_all();
      return Error(ErrorCode::kIo, fmt::format("getsockname: {}", std::strerror(saved)));
    }
    ports.push_back(ntohs(addr.sin_port));
  }
  close_all();
  return ports;
}

bool PortIsFree(uint16_t port) {
  int fd = BindLoopback(port);
  if (fd < 0) return false;
  close(fd);
  return true;
}

HostResources DetectHostResources() {
  HostResources host;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > 0) host.cpus = static_cast<uint32_t>(cpus);
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemTotal:") {
      host.memory_mb = std::max<uint64_t>(1, kib / 1024);
      break;
    }
    meminfo.ignore(256, '\n');
  }
  return host;
}

void SplitHost(const HostResources& host, LocalClusterSpec* spec) {
  spec->cpus_per_node = std::max<uint32_t>(1, host.cpus);
  uint64_t nodes = spec->nodes > 0 ? static_cast<uint64_t>(spec->nodes) : 1;
  spec->memory_mb_per_node = std::max<uint64_t>(1, host.memory_mb / nodes);
}

std::string DefaultRunDir(const Environment& env, uid_t uid) {
  auto get = [&env](const char* name) -> std::string {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  if (std::string home = get("DROVER_HOME"); !home.empty()) return home;
  if (std::string xdg = get("XDG_RUNTIME_DIR"); !xdg.empty()) return xdg + "/drover";
  if (std::string home = get("HOME"); !home.empty() && home != "/") {
    return home + "/.local/state/drover";
  }
  return fmt::format("/tmp/drover-{}", uid);
}

std::vector<LocalDaemon> LocalDaemons(const LocalClusterSpec& spec, const LocalClusterPaths& paths,
                                      const std::string& bin_dir, const std::string& munged) {
  std::vector<LocalDaemon> daemons;
  // munged --foreground logs to stderr, so its console is its log.
  LocalDaemon m;
  m.name = "munged";
  m.exe = munged;
  m.pid_file = paths.run_dir + "/munged.pid";
  m.log_file = paths.log_dir + "/munged.log";
  m.console_file = m.log_file;
  m.argv = {munged,
            "--foreground",
            "--key-file=" + paths.munge_key,
            "--socket=" + paths.munge_socket,
            "--pid-file=" + m.pid_file,
            "--log-file=" + m.log_file,
            "--seed-file=" + paths.munge_seed};
  daemons.push_back(m);

  LocalDaemon ctld;
  ctld.name = "droverctld";
  ctld.exe = bin_dir + "/droverctld";
  ctld.pid_file = paths.run_dir + "/droverctld.pid";
  ctld.log_file = paths.log_dir + "/droverctld.log";
  ctld.console_file = paths.log_dir + "/droverctld.out";
  ctld.argv = {ctld.exe, "-D", "-f", paths.slurm_conf};
  daemons.push_back(ctld);

  for (int i = 1; i <= spec.nodes; ++i) {
    std::string node = LocalNodeName(i);
    LocalDaemon d;
    d.name = "droverd " + node;
    d.exe = bin_dir + "/droverd";
    d.pid_file = fmt::format("{}/droverd-{}.pid", paths.run_dir, node);
    d.log_file = fmt::format("{}/droverd-{}.log", paths.log_dir, node);
    d.console_file = fmt::format("{}/droverd-{}.out", paths.log_dir, node);
    d.argv = {d.exe, "-D", "-N", node, "-f", paths.slurm_conf};
    daemons.push_back(d);
  }
  return daemons;
}

}  // namespace drover::cli::drover
