// Internal to src/config: the state of one slurm.conf parse and the handlers for its
// NodeName=, PartitionName=, DownNodes= and NodeSet= lines.
//
// Node lines are expanded as they are read (so a duplicate name is reported at its line);
// partition lines are parsed as they are read and resolved against the nodes at the end,
// because Slurm lets a partition line precede the nodes it names.
//
// Thread-safety: one ParseState per parse.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "config/conf_lexer.h"
#include "config/slurm_conf.h"

namespace drover::config {

// A node line's values before expansion, with which ones were written (the derived values
// depend on what was given, not on what the value happens to be).
struct NodeProto {
  NodeConfig node;
  std::string hostname_text, addr_text, port_text;
  std::optional<uint32_t> cpus, procs, boards, sockets, sockets_per_board, cores, threads;
};

struct PartitionProto {
  PartitionConfig part;
  std::optional<bool> disable_root_jobs;  // unset: the global DisableRootJobs
};

struct DownNodesLine {
  ConfPair nodes;  // the DownNodes= pair, for messages
  std::string state = "DOWN";
  std::string reason;
};

struct NodeSetLine {
  std::string name;
  ConfPair nodes;  // Nodes= (hostlist), may be empty
  std::string feature;
};

struct ParseState {
  SlurmConfig* config = nullptr;
  std::vector<ConfigWarning>* warnings = nullptr;
  NodeProto node_defaults;
  PartitionProto partition_defaults;
  std::vector<PartitionProto> partitions;
  std::vector<DownNodesLine> down_nodes;
  std::vector<NodeSetLine> node_sets;
  std::unordered_map<std::string, size_t> node_index;  // name -> config->nodes index

  void Warn(const SourceLoc& loc, std::string message) {
    if (warnings != nullptr) warnings->push_back({loc, std::move(message)});
  }
};

// "unknown key 'Foo' ignored" at the pair.
void WarnUnknownKey(ParseState& state, const ConfPair& pair);

Status ApplyNodeLine(ParseState& state, const ConfLine& line);
Status ApplyDownNodesLine(ParseState& state, const ConfLine& line);
Status ApplyNodeSetLine(ParseState& state, const ConfLine& line);
Status ApplyPartitionLine(ParseState& state, const ConfLine& line);

// After the last line: applies DownNodes, resolves partition node lists (erroring on
// unknown nodes), computes partition totals and the default partition.
Status FinishNodesAndPartitions(ParseState& state);

}  // namespace drover::config
