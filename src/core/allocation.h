// Allocation: the exact resources a running job holds, per node: which CPUs (by index on
// the node), how much memory, and whether it shares its CPUs (OverSubscribe) or holds
// the whole node (--exclusive, OverSubscribe=EXCLUSIVE).
//
// Owner: the Job record that holds it; the scheduler's ledger books and releases it.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace drover {

struct NodeAllocation {
  std::string node;            // the node's name: stable across reconfigure and restart
  uint32_t node_index = 0;     // position in the controller's node table; transient
  std::vector<uint16_t> cpus;  // CPU indexes on the node, ascending
  uint64_t mem_mb = 0;         // memory booked on the node
  uint8_t share_limit = 1;     // 1: CPUs are the job's alone; n>1: shared with up to n jobs
  bool whole_node = false;     // the node is the job's alone (--exclusive)

  friend bool operator==(const NodeAllocation&, const NodeAllocation&) = default;
};

struct Allocation {
  std::vector<NodeAllocation> nodes;  // in the order the scheduler picked them

  bool empty() const { return nodes.empty(); }
  uint32_t TotalCpus() const;
  uint64_t TotalMemMb() const;
  // The node names, compressed as Slurm prints NodeList= ("n[1-3]").
  std::string NodeList() const;

  friend bool operator==(const Allocation&, const Allocation&) = default;
};

}  // namespace drover
