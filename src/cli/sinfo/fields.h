// sinfo's field table: every column sinfo can print by % letter and -O long name. A row is
// a group of nodes that print alike in one partition (or one node with -N); aggregate
// columns (NODELIST, NODES, NODES(A/I/O/T), CPUS(A/I/O/T)) sum over the group, the others
// read its first node.
//
// Thread-safety: constant tables.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cli/common/format_table.h"
#include "drover/v1/cluster.pb.h"

namespace drover::cli::sinfo {

namespace v1 = ::drover::v1;

struct NodeGroup {
  const v1::PartitionInfo* partition = nullptr;  // null with -R, or a node in no partition
  std::vector<const v1::NodeInfo*> nodes;        // at least one
};

std::span<const FieldDef<NodeGroup>> NodeFields();

// True for the columns that sum over a group; the others decide which nodes group together.
bool IsAggregateField(const FieldDef<NodeGroup>& field);

// Slurm 22.05's formats. '#' widths are computed from the data, at least 9 wide.
inline constexpr std::string_view kDefaultFormat = "%#P %.5a %.10l %.6D %.6t %N";
inline constexpr std::string_view kLongFormat =
    "%#P %.5a %.10l %.10s %.4r %.8h %.10g %.6D %.11T %N";
inline constexpr std::string_view kSummarizeFormat = "%#P %.5a %.10l %.16F %N";
inline constexpr std::string_view kNodeFormat = "%#N %.6D %#P %6t";
inline constexpr std::string_view kNodeLongFormat =
    "%#N %.6D %.9P %.11T %4c %.8z %.6m %.8d %.6w %.8f %20E";
inline constexpr std::string_view kReasonFormat = "%20E %9u %19H %N";
inline constexpr std::string_view kReasonLongFormat = "%20E %12U %19H %6t %N";
inline constexpr int kMinAutoWidth = 9;

}  // namespace drover::cli::sinfo
