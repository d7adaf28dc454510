// Partition: the controller's record of one partition: its limits and state (from
// slurm.conf, changed by scontrol update) and its nodes, as indexes into the node table.
//
// Core cannot see src/config (config depends on core), so the few enums the scheduler
// needs are restated here and the controller converts.
//
// Owner: the controller's engine; published records are immutable.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"

namespace drover {

enum class PartitionOverSubscribe : uint8_t { kNo, kYes, kExclusive, kForce };
enum class PartitionStateKind : uint8_t { kUp, kDown, kDrain, kInactive };

struct Partition {
  std::string name;
  bool is_default = false;
  PartitionStateKind state = PartitionStateKind::kUp;
  Duration max_time = Duration::Infinite();
  std::optional<Duration> default_time;
  uint32_t min_nodes = 0;
  std::optional<uint32_t> max_nodes;
  PartitionOverSubscribe over_subscribe = PartitionOverSubscribe::kNo;
  uint16_t over_subscribe_count = 1;
  std::optional<uint64_t> def_mem_per_cpu_mb, def_mem_per_node_mb;
  std::optional<uint64_t> max_mem_per_cpu_mb, max_mem_per_node_mb;
  uint16_t priority_job_factor = 1;
  uint16_t priority_tier = 1;
  bool root_only = false;
  std::string nodes_text;
  std::vector<uint32_t> node_indexes;  // in node-table order
};

}  // namespace drover
