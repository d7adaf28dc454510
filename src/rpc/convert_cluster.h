// Nodes and partitions between core and the wire: a core Node into the drover.v1.NodeInfo
// that sinfo and scontrol show node print, a core Partition into PartitionInfo.
//
// rpc sees core but not config or ctld (DESIGN.md's dependency rule), so what only
// slurm.conf or the controller knows (NodeHostname, Boards, TmpDisk, which partitions
// hold a node, the nodes' sizes for a partition's totals) comes in a small context the
// caller fills.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node.h"
#include "core/partition.h"
#include "drover/v1/cluster.pb.h"
#include "rpc/convert_job.h"

namespace drover::rpc {

struct NodeInfoContext {
  std::string hostname;  // NodeHostname; empty: the node's name
  uint32_t boards = 1;
  uint64_t tmp_disk_mb = 0;
  uint16_t default_port = 0;  // SlurmdPort, for nodes without Port=
  std::vector<std::string> partitions;
  NameLookup names;  // for Reason=... [user@time]
};

// State= and state flags: base IDLE/ALLOCATED/MIXED derived from the allocation as
// core/node.h describes; DRAIN and NOT_RESPONDING as flags.
v1::NodeState NodeStateToProto(const Node& node);
std::vector<v1::NodeStateFlag> NodeStateFlagsToProto(const Node& node);

v1::NodeInfo NodeInfoFromNode(const Node& node, const NodeInfoContext& context);

// `nodes`: the partition's nodes (for TotalNodes, TotalCPUs and TRES).
v1::PartitionInfo PartitionInfoFromPartition(const Partition& partition,
                                             const std::vector<const Node*>& nodes);

v1::PartitionState PartitionStateToProto(PartitionStateKind state);

}  // namespace drover::rpc
