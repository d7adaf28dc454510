// NodeConfig: one node as slurm.conf declares it (a NodeName= line, expanded).
//
//   NodeName=DEFAULT RealMemory=4096
//   NodeName=n[1-4] NodeHostname=localhost Port=[17001-17004] CPUs=8 Gres=gpu:tesla:2
//
// A NodeName line with a hostlist yields one NodeConfig per name; NodeHostname, NodeAddr
// and Port expand in parallel with it (the i-th name gets the i-th address), or a single
// value is shared by all. `NodeName=DEFAULT` sets the values later lines start from.
// Values Slurm derives are filled in: NodeHostname and NodeAddr default to the name, CPUs to
// Boards*Sockets*CoresPerSocket*ThreadsPerCore, and with only CPUs given Sockets = CPUs.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/conf_lexer.h"
#include "core/gres.h"

namespace drover::config {

// A node's Gres= ("gpu:tesla:2,mps:100"): GresSpec and ParseNodeGres from core/gres.h.

struct NodeConfig {
  std::string name;
  std::string hostname;    // NodeHostname; defaults to name
  std::string addr;        // NodeAddr; defaults to hostname
  std::string bcast_addr;  // BcastAddr
  uint16_t port = 0;       // slurmd port; 0 = the global SlurmdPort

  uint32_t cpus = 1;
  uint32_t boards = 1;
  uint32_t sockets = 1;  // per node (Sockets, or Boards*SocketsPerBoard)
  uint32_t cores_per_socket = 1;
  uint32_t threads_per_core = 1;
  uint64_t real_memory_mb = 1;  // Slurm's default is 1 MiB
  uint64_t tmp_disk_mb = 0;
  uint64_t mem_spec_limit_mb = 0;
  uint32_t core_spec_count = 0;
  std::string cpu_spec_list;
  std::string cpu_bind;

  std::vector<GresSpec> gres;
  std::vector<std::string> features;
  uint32_t weight = 1;
  std::string state = "UNKNOWN";  // UNKNOWN, CLOUD, DOWN, DRAIN, FAIL, FAILING, FUTURE
  std::string reason;
  std::string tres_weights;  // TRESWeights
  std::string topology;      // Topology (newer Slurm)

  SourceLoc loc;  // the NodeName line

  uint64_t total_threads() const {
    return static_cast<uint64_t>(sockets) * cores_per_socket * threads_per_core;
  }
};

}  // namespace drover::config
