// The local cluster's shape: where its files live under the run directory, the slurm.conf
// `drover up` writes for this host, the daemons it starts (in start order) and the small
// state file that remembers the choices (node count, ports) between `drover up` runs.
//
// Everything here is pure except PickFreePorts and DetectHostResources, so the tests check
// the generated files without starting anything.
//
// Thread-safety: value types and free functions; no shared state.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/common/invocation.h"

namespace drover::cli::drover {

// The files and folders of one local cluster, all under `dir`.
struct LocalClusterPaths {
  std::string dir;            // the run directory, absolute
  std::string slurm_conf;     // dir/slurm.conf
  std::string state_file;     // dir/cluster.state
  std::string lock_file;      // dir/.lock: one `drover up`/`down` at a time
  std::string munge_dir;      // dir/munge (0755): munge.sock, munged.seed
  std::string munge_key_dir;  // dir/munge-key (0700)
  std::string munge_key;      // dir/munge-key/munge.key (0600)
  std::string munge_socket;   // dir/munge/munge.sock
  std::string munge_seed;     // dir/munge/munged.seed
  std::string state_save;     // dir/state (StateSaveLocation)
  std::string spool;          // dir/spool (SlurmdSpoolDir=dir/spool/%n)
  std::string log_dir;        // dir/log
  std::string run_dir;        // dir/run (pid files)

  static LocalClusterPaths For(const std::string& dir);
};

// What `drover up` chose for a cluster; saved in the state file.
struct LocalClusterSpec {
  int nodes = 4;
  uint16_t controller_port = 0;
  std::vector<uint16_t> node_ports;  // one per node, node1 first
  std::string slurm_user;            // "root" when run as root, else the user's name
  uint32_t cpus_per_node = 1;
  uint64_t memory_mb_per_node = 1;

  friend bool operator==(const LocalClusterSpec&, const LocalClusterSpec&) = default;
};

// "node3" for index 3 (1-based), and "node[1-4]" (or "node1") for the whole cluster.
std::string LocalNodeName(int index);
std::string LocalNodeList(int nodes);

// The slurm.conf for `spec` with its files under `paths`.
std::string RenderSlurmConf(const LocalClusterSpec& spec, const LocalClusterPaths& paths);

// The state file's text ("key=value" lines) and back. Errors: kConfigValue for a missing
// or malformed key, naming it.
std::string FormatClusterState(const LocalClusterSpec& spec);
Result<LocalClusterSpec> ParseClusterState(const std::string& text);

// `count` distinct free TCP ports on 127.0.0.1, found by binding port 0 (all sockets are
// held open until every port is known, so they differ). Errors: kIo with the reason.
Result<std::vector<uint16_t>> PickFreePorts(int count);

// True when nothing listens on 127.0.0.1:port (a bind succeeds).
bool PortIsFree(uint16_t port);

struct HostResources {
  uint32_t cpus = 1;
  uint64_t memory_mb = 1;
};
HostResources DetectHostResources();

// Every node gets all of the host's CPUs (a local cluster may oversubscribe) and an
// equal share of its memory (at least 1 MiB).
void SplitHost(const HostResources& host, LocalClusterSpec* spec);

// The run directory: DROVER_HOME, else $XDG_RUNTIME_DIR/drover, else
// $HOME/.local/state/drover, else /tmp/drover-<uid>. (--dir is applied by the caller.)
std::string DefaultRunDir(const Environment& env, uid_t uid);

// One process of the local cluster, in start order: munged, droverctld, droverd per node.
struct LocalDaemon {
  std::string name;  // "munged", "droverctld", "droverd node2"
  std::string exe;   // the program's absolute path
  std::vector<std::string> argv;
  std::string pid_file;      // where `drover up` records the pid (the daemon may too)
  std::string log_file;      // the daemon's own log, named in messages
  std::string console_file;  // its stdout and stderr
};

// `bin_dir` holds droverctld and droverd; `munged` is munged's path.
std::vector<LocalDaemon> LocalDaemons(const LocalClusterSpec& spec, const LocalClusterPaths& paths,
                                      const std::string& bin_dir, const std::string& munged);

}  // namespace drover::cli::drover
