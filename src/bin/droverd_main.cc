// droverd: the node daemon. Options as slurmd's:
//   -N NODENAME  the NodeName to serve (several daemons per host); default: the NodeName
//                whose NodeHostname (or name) is this host's short name
//   -D           stay in the foreground (log to stderr unless SlurmdLogFile is set)
//   -f FILE      slurm.conf (default: $SLURM_CONF, else /etc/slurm/slurm.conf)
//   -v           more verbose (repeatable)
// Refuses to start on a bad slurm.conf. Writes SlurmdPidFile (%n expanded). SIGTERM or
// SIGINT stop droverd; running jobs keep running under their drover-stepd.
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/log.h"
#include "config/slurm_conf.h"
#include "noded/node_daemon.h"
#include "noded/spool.h"
#include "rpc/runtime.h"

namespace {

void Usage(FILE* out) {
  std::fprintf(out, "Usage: droverd [-D] [-N NODENAME] [-f FILE] [-v...]\n");
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "droverd: error: %s\n", message.c_str());
  return 1;
}

std::string ShortHostName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string name = host;
  if (size_t dot = name.find('.'); dot != std::string::npos) name.resize(dot);
  return name;
}

// The directory of this executable: drover-stepd sits beside droverd.
std::string SelfDir() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  std::string self(path, static_cast<size_t>(n));
  return self.substr(0, self.rfind('/'));
}

// fork, setsid, fork: the daemon is no process group leader and has no terminal.
void Daemonize() {
  if (pid_t pid = fork(); pid != 0) _exit(pid < 0 ? 1 : 0);
  setsid();
  if (pid_t pid = fork(); pid != 0) _exit(pid < 0 ? 1 : 0);
  if (chdir("/") != 0) _exit(1);
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    if (devnull > 2) close(devnull);
  }
}

}  // namespace

int main(int argc, char** argv) {
  drover::rpc::TuneRuntime();
  std::string node_name;
  std::string conf_path;
  bool foreground = false;
  int verbose = 0;
  static const struct option kLong[] = {{"help", no_argument, nullptr, 'h'},
                                        {nullptr, 0, nullptr, 0}};
  for (int c; (c = getopt_long(argc, argv, "DN:f:vh", kLong, nullptr)) != -1;) {
    switch (c) {
      case 'D':
        foreground = true;
        break;
      case 'N':
        node_name = optarg;
        break;
      case 'f':
        conf_path = optarg;
        break;
      case 'v':
        ++verbose;
        break;
      case 'h':
        Usage(stdout);
        return 0;
      default:
        Usage(stderr);
        return 1;
    }
  }
  if (optind < argc) {
    Usage(stderr);
    return 1;
  }
  if (conf_path.empty()) {
    const char* env = std::getenv("SLURM_CONF");
    conf_path = env != nullptr && *env != '\0' ? env : "/etc/slurm/slurm.conf";
  }

  std::vector<drover::config::ConfigWarning> warnings;
  auto config = drover::config::LoadSlurmConf(conf_path, &warnings);
  if (!config) return Fail(config.error().ToString());
  if (node_name.empty()) {
    std::string host = ShortHostName();
    for (const auto& node : config->nodes) {
      if (node.name == host || node.hostname == host) {
        node_name = node.name;
        break;
      }
    }
    if (node_name.empty()) {
      return Fail("Unable to determine this slurmd's NodeName (use -N)");
    }
  }
  auto options = drover::noded::OptionsFromConfig(*config, node_name, conf_path);
  if (!options) return Fail(options.error().ToString());
  options->stepd_path = SelfDir() + "/drover-stepd";
  if (access(options->stepd_path.c_str(), X_OK) != 0) {
    return Fail(options->stepd_path + ": " + std::strerror(errno));
  }

  drover::log::Options log_options;
  drover::log::ParseSlurmLevel(options->log_level, &log_options.level);
  for (int i = 0; i < verbose && log_options.level > drover::log::Level::kTrace; ++i) {
    log_options.level = static_cast<drover::log::Level>(static_cast<int>(log_options.level) - 1);
  }
  if (verbose > 0) options->log_level = verbose >= 2 ? "debug2" : "debug";
  log_options.file = options->log_file;
  if (!foreground) Daemonize();
  drover::log::Configure(log_options);
  drover::log::Logger log("noded");
  for (const auto& w : warnings) log.Warn("{}", w.ToString());

  // Block the stop signals in every thread (gRPC's included); main waits for them.
  sigset_t stop_set;
  sigemptyset(&stop_set);
  sigaddset(&stop_set, SIGTERM);
  sigaddset(&stop_set, SIGINT);
  sigaddset(&stop_set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::string pid_file;
  if (!config->slurmd_pid_file.empty()) {
    pid_file = drover::noded::ExpandNodePath(config->slurmd_pid_file, options->node_name,
                                             options->hostname);
    if (auto s = drover::noded::WriteFileAtomic(pid_file, std::to_string(getpid()) + "\n", 0644);
        !s) {
      return Fail(s.error().ToString());
    }
  }
  auto daemon = drover::noded::NodeDaemon::Create(*options);
  if (!daemon) {
    if (!pid_file.empty()) unlink(pid_file.c_str());
    log.Error("{}", daemon.error().ToString());
    return Fail(daemon.error().ToString());
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&stop_set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      log.Info("SIGHUP: reconfiguration is not supported yet; ignored");
      continue;
    }
    log.Info("{} received, stopping (running jobs are left running)", strsignal(sig));
    break;
  }
  daemon->reset();
  if (!pid_file.empty()) unlink(pid_file.c_str());
  return 0;
}
