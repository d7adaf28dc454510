#include "cli/sinfo/sinfo.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>
#include <thread>

#include "cli/common/version.h"
#include "cli/sinfo/fields.h"
#include "cli/squeue/render.h"

namespace drover::cli::sinfo {
namespace {

constexpr const char* kUsage =
    "Usage: sinfo [-adelNRrsv] [-i seconds] [-t states] [-p partition] [-n nodes]\n"
    "             [-S fields] [-o format] [-O Format] [--json]\n";

// Slurm's base state numbers (UNKNOWN, DOWN, IDLE, ALLOCATED, ERROR, MIXED, FUTURE): sinfo
// lists a partition's groups by these, highest first.
int SlurmStateNumber(v1::NodeState s) {
  switch (s) {
    case v1::NODE_STATE_DOWN:
      return 1;
    case v1::NODE_STATE_IDLE:
      return 2;
    case v1::NODE_STATE_ALLOCATED:
      return 3;
    case v1::NODE_STATE_ERROR:
      return 4;
    case v1::NODE_STATE_MIXED:
      return 5;
    case v1::NODE_STATE_FUTURE:
      return 6;
    default:
      return 0;
  }
}

bool InPartition(const v1::NodeInfo& node, const std::string& partition) {
  for (const std::string& p : node.partitions()) {
    if (p == partition) return true;
  }
  return false;
}

struct Item {
  const v1::PartitionInfo* partition;
  size_t partition_index;
  const v1::NodeInfo* node;
  size_t node_index;
};

std::vector<NodeGroup> Group(const Options& o, const Layout<NodeGroup>& layout,
                             const std::vector<v1::PartitionInfo>& partitions,
                             const std::vector<v1::NodeInfo>& nodes) {
  std::vector<Item> items;
  if (o.reasons) {
    for (size_t n = 0; n < nodes.size(); ++n) {
      if (!nodes[n].reason().empty()) items.push_back({nullptr, 0, &nodes[n], n});
    }
  } else {
    for (size_t p = 0; p < partitions.size(); ++p) {
      for (size_t n = 0; n < nodes.size(); ++n) {
        if (InPartition(nodes[n], partitions[p].name())) {
          items.push_back({&partitions[p], p, &nodes[n], n});
        }
      }
    }
  }
  struct Entry {
    NodeGroup group;
    size_t partition_index;
    size_t node_index;
  };
  std::vector<Entry> entries;
  std::map<std::string, size_t> by_key;
  for (const Item& item : items) {
    std::string key = std::to_string(item.partition_index) + "\x1f";
    if (o.node_oriented) key += item.node->name() + "\x1f";
    if (!o.summarize) {
      NodeGroup one{item.partition, {item.node}};
      for (const Column<NodeGroup>& c : layout.columns) {
        if (!IsAggregateField(*c.def)) key += c.def->get(one) + "\x1f";
      }
    }
    auto [it, inserted] = by_key.emplace(key, entries.size());
    if (inserted) {
      entries.push_back({NodeGroup{item.partition, {}}, item.partition_index, item.node_index});
    }
    entries[it->second].group.nodes.push_back(item.node);
  }
  if (o.node_oriented) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.node_index, a.partition_index) < std::tie(b.node_index, b.partition_index);
    });
  } else if (!o.reasons && !o.summarize) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      if (a.partition_index != b.partition_index) return a.partition_index < b.partition_index;
      return SlurmStateNumber(a.group.nodes.front()->state()) >
             SlurmStateNumber(b.group.nodes.front()->state());
    });
  }
  std::vector<NodeGroup> groups;
  for (Entry& e : entries) groups.push_back(std::move(e.group));
  return groups;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Once(const Invocation& inv, client::ControllerClient& client, const Options& o) {
  Result<v1::ListPartitionsResponse> partitions = client.ListPartitions(o.partitions_request);
  if (!partitions) {
    inv.err << "slurm_load_partitions: " << partitions.error().message() << "\n";
    return 1;
  }
  Result<std::vector<v1::NodeInfo>> nodes = client.ListNodes(o.nodes_request);
  if (!nodes) {
    inv.err << "slurm_load_node: " << nodes.error().message() << "\n";
    return 1;
  }
  std::vector<v1::PartitionInfo> parts(partitions->partitions().begin(),
                                       partitions->partitions().end());
  if (o.json) {
    inv.out << RenderSinfoJson(parts, *nodes);
    return 0;
  }
  Result<std::string> text = RenderSinfo(o, parts, *nodes, NowSeconds());
  if (!text) {
    inv.err << "sinfo: error: " << text.error().message() << "\n";
    return 1;
  }
  inv.out << *text;
  return 0;
}

}  // namespace

Result<std::string> RenderSinfo(const Options& o, const std::vector<v1::PartitionInfo>& partitions,
                                const std::vector<v1::NodeInfo>& nodes, int64_t now) {
  Result<FormatSpec> spec =
      o.long_format_syntax ? ParseLongFormat(o.format) : ParsePercentFormat(o.format);
  if (!spec) return Error(ErrorCode::kInvalidArgument, "Invalid node format specification");
  ASSIGN_OR_RETURN(Layout<NodeGroup> layout, ResolveFormat<NodeGroup>(*spec, NodeFields(), "node"));
  std::vector<NodeGroup> groups = Group(o, layout, partitions, nodes);
  ApplyAutoWidths<NodeGroup>(&layout, groups, kMinAutoWidth);
  std::string out;
  if (o.long_listing || o.iterate_s) out += squeue::DateLine(now) + "\n";
  if (!o.no_header) out += RenderHeader(layout);
  for (const NodeGroup& g : groups) out += RenderRow(layout, g);
  return out;
}

int Run(const Invocation& inv, client::ControllerClient& client) {
  Result<Options> options = ParseOptions(inv.args);
  if (!options) {
    inv.err << "sinfo: " << options.error().message() << "\n";
    if (options.error().message().rfind("error:", 0) != 0) {
      inv.err << "Try \"sinfo --help\" for more information\n";
    }
    return 1;
  }
  if (options->version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (options->help) {
    inv.out << kUsage;
    return 0;
  }
  if (!options->iterate_s) return Once(inv, client, *options);
  for (;;) {
    int code = Once(inv, client, *options);
    if (code != 0) return code;
    inv.out << "\n";
    inv.out.flush();
    std::this_thread::sleep_for(std::chrono::seconds(*options->iterate_s));
  }
}

}  // namespace drover::cli::sinfo
