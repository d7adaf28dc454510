// sinfo: partitions and nodes, as Slurm's sinfo prints them.
//
// Run() sends the filters (-p, -n, -t, -r, -d, -a) to the controller in ListNodesRequest
// and ListPartitionsRequest, groups the nodes that print alike (RenderSinfo) and prints.
//
// Thread-safety: Run() uses the client from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::sinfo {

namespace v1 = ::drover::v1;

struct Options {
  v1::ListNodesRequest nodes_request;
  v1::ListPartitionsRequest partitions_request;
  std::string format;
  bool long_format_syntax = false;
  bool node_oriented = false;  // -N
  bool summarize = false;      // -s
  bool reasons = false;        // -R
  bool long_listing = false;   // -l
  bool no_header = false;
  bool json = false;
  std::optional<int> iterate_s;
  bool help = false;
  bool version = false;
};

// Errors carry the message sinfo prints after "sinfo: ".
Result<Options> ParseOptions(const std::vector<std::string>& args);

// The whole listing for one snapshot. Errors: an invalid format.
Result<std::string> RenderSinfo(const Options& options,
                                const std::vector<v1::PartitionInfo>& partitions,
                                const std::vector<v1::NodeInfo>& nodes, int64_t now);

// sinfo --json (Slurm 22.05's v0.0.38 nodes and partitions).
std::string RenderSinfoJson(const std::vector<v1::PartitionInfo>& partitions,
                            const std::vector<v1::NodeInfo>& nodes);

int Run(const Invocation& invocation, client::ControllerClient& client);

}  // namespace drover::cli::sinfo
