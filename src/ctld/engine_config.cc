// Engine configuration: nodes, partitions and policies from slurm.conf, at start-up and
// on scontrol reconfigure. Node states, jobs and allocations survive a reconfigure.
#include <algorithm>

#include "core/gres.h"
#include "ctld/engine.h"
#include "ctld/priority_config.h"
#include "sched/policy/multifactor_settings.h"
#include "sched/policy/registry.h"

namespace drover::ctld {
namespace {

PartitionOverSubscribe ToCore(config::OverSubscribe o) {
  switch (o) {
    case config::OverSubscribe::kNo:
      return PartitionOverSubscribe::kNo;
    case config::OverSubscribe::kYes:
      return PartitionOverSubscribe::kYes;
    case config::OverSubscribe::kExclusive:
      return PartitionOverSubscribe::kExclusive;
    case config::OverSubscribe::kForce:
      return PartitionOverSubscribe::kForce;
  }
  return PartitionOverSubscribe::kNo;
}

PartitionStateKind ToCore(config::PartitionState s) {
  switch (s) {
    case config::PartitionState::kUp:
      return PartitionStateKind::kUp;
    case config::PartitionState::kDown:
      return PartitionStateKind::kDown;
    case config::PartitionState::kDrain:
      return PartitionStateKind::kDrain;
    case config::PartitionState::kInactive:
      return PartitionStateKind::kInactive;
  }
  return PartitionStateKind::kUp;
}

}  // namespace

Status Engine::Configure(std::shared_ptr<const config::SlurmConfig> config) {
  if (!config) return Error(ErrorCode::kConfigMissing, "no configuration");
  std::vector<std::string> unknown_flags;
  auto multifactor = MultifactorFromConfig(*config, &unknown_flags);
  if (!multifactor) return std::move(multifactor).error();
  for (const auto& word : unknown_flags) {
    log_.Warn("PriorityFlags: unknown flag '{}' ignored", word);
  }
  // Fair-share, QOS and association factors have no source yet: they count 0.
  auto priority = sched::MakePriorityPolicy(config->priority_type, *multifactor,
                                            PriorityClusterFromConfig(*config), nullptr);
  if (!priority) {
    log_.Warn("{}; using priority/basic", priority.error().ToString());
    priority = sched::MakePriorityPolicy("priority/basic");
  }
  auto sched_params = sched::ParseSchedulerParams(config->scheduler_parameters);
  if (!sched_params) return std::move(sched_params).error();
  for (const auto& item : sched_params->ignored) {
    log_.Debug("SchedulerParameters: '{}' has no effect in Drover", item);
  }
  bool backfill = config->scheduler_type.empty() || config->scheduler_type == "sched/backfill";
  if (!backfill && config->scheduler_type != "sched/builtin") {
    log_.Warn("SchedulerType={} not supported; using sched/builtin", config->scheduler_type);
  }
  sched::SelectDefaults defaults;
  defaults.def_mem_per_cpu_mb = config->def_mem_per_cpu_mb;
  defaults.def_mem_per_node_mb = config->def_mem_per_node_mb;
  auto select =
      sched::MakeSelectPolicy(config->select_type, defaults, config->select_type_parameters);
  if (!select) return std::move(select).error();

  // Nodes: keep each surviving node's state; new ones start as slurm.conf says.
  std::vector<std::shared_ptr<const Node>> nodes;
  std::unordered_map<std::string, uint32_t> index;
  for (const auto& nc : config->nodes) {
    auto n = std::make_shared<Node>();
    if (int32_t old = NodeIndex(nc.name); old >= 0)
      *n = *nodes_[old];
    else {
      std::string st = nc.state;
      std::transform(st.begin(), st.end(), st.begin(), ::toupper);
      if (st == "DOWN") n->base = NodeBaseState::kDown, n->down_cause = DownCause::kAdmin;
      if (st == "FUTURE") n->base = NodeBaseState::kFuture;
      if (st == "DRAIN") n->drain = true;
      n->reason = nc.reason;
    }
    n->name = nc.name;
    n->addr = nc.addr;
    n->port = nc.port;
    n->res = NodeResources{
        nc.cpus,     nc.sockets, nc.cores_per_socket, nc.threads_per_core, nc.real_memory_mb,
        nc.features, nc.weight};
    index[nc.name] = static_cast<uint32_t>(nodes.size());
    nodes.push_back(std::move(n));
  }
  std::vector<Partition> parts;
  for (const auto& pc : config->partitions) {
    Partition p;
    p.name = pc.name;
    p.is_default = pc.is_default;
    p.state = ToCore(pc.state);
    p.max_time = pc.max_time;
    p.default_time = pc.default_time;
    p.min_nodes = pc.min_nodes;
    p.max_nodes = pc.max_nodes;
    p.over_subscribe = ToCore(pc.over_subscribe);
    p.over_subscribe_count = pc.over_subscribe_count;
    if (p.over_subscribe == PartitionOverSubscribe::kYes ||
        p.over_subscribe == PartitionOverSubscribe::kForce) {
      // "OverSubscribe=YES" without a count shares among 4, as in Slurm.
      if (p.over_subscribe_count <= 1) p.over_subscribe_count = 4;
    }
    p.def_mem_per_cpu_mb = pc.def_mem_per_cpu_mb;
    p.def_mem_per_node_mb = pc.def_mem_per_node_mb;
    p.max_mem_per_cpu_mb = pc.max_mem_per_cpu_mb;
    p.max_mem_per_node_mb = pc.max_mem_per_node_mb;
    p.priority_job_factor = pc.priority_job_factor;
    p.priority_tier = pc.priority_tier;
    p.root_only = pc.root_only;
    p.nodes_text = pc.nodes_text;
    for (const auto& name : pc.nodes) {
      auto it = index.find(name);
      if (it != index.end()) p.node_indexes.push_back(it->second);
    }
    std::sort(p.node_indexes.begin(), p.node_indexes.end());
    parts.push_back(std::move(p));
  }

  config_ = std::move(config);
  priority_ = std::move(*priority);
  select_ = std::move(*select);
  sched_params_ = std::move(*sched_params);
  backfill_ = backfill;
  last_priority_calc_ = {};  // new weights: recalculate at the next pass
  nodes_ = std::move(nodes);
  node_index_ = std::move(index);
  partitions_ = std::move(parts);
  published_partitions_ = std::make_shared<const std::vector<Partition>>(partitions_);
  RebuildLedger();
  for (auto& [id, e] : jobs_) Resolve(e);
  sched_dirty_ = true;
  return Ok();
}

}  // namespace drover::ctld
