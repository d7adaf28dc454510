#include "rpc/convert_cluster.h"

namespace drover::rpc {
namespace {

void AddTres(v1::TresList* list, const char* type, int64_t count) {
  v1::Tres* t = list->add_items();
  t->set_type(type);
  t->set_count(count);
}

}  // namespace

v1::NodeState NodeStateToProto(const Node& n) {
  switch (n.base) {
    case NodeBaseState::kUnknown:
      return v1::NODE_STATE_UNKNOWN;
    case NodeBaseState::kDown:
      return v1::NODE_STATE_DOWN;
    case NodeBaseState::kFuture:
      return v1::NODE_STATE_FUTURE;
    case NodeBaseState::kIdle:
      break;
  }
  if (n.alloc_cpus == 0 && n.running_jobs == 0) return v1::NODE_STATE_IDLE;
  if (n.completing_jobs > 0 && n.active_jobs() == 0) return v1::NODE_STATE_IDLE;
  return n.alloc_cpus >= n.res.cpus ? v1::NODE_STATE_ALLOCATED : v1::NODE_STATE_MIXED;
}

std::vector<v1::NodeStateFlag> NodeStateFlagsToProto(const Node& n) {
  std::vector<v1::NodeStateFlag> flags;
  if (n.completing_jobs > 0) flags.push_back(v1::NODE_STATE_FLAG_COMPLETING);
  if (n.drain) flags.push_back(v1::NODE_STATE_FLAG_DRAIN);
  if (n.not_responding) flags.push_back(v1::NODE_STATE_FLAG_NOT_RESPONDING);
  return flags;
}

v1::NodeInfo NodeInfoFromNode(const Node& n, const NodeInfoContext& ctx) {
  v1::NodeInfo info;
  info.set_name(n.name);
  info.set_address(n.addr.empty() ? n.name : n.addr);
  info.set_hostname(ctx.hostname.empty() ? n.name : ctx.hostname);
  info.set_port(n.port != 0 ? n.port : ctx.default_port);
  v1::NodeResources* c = info.mutable_config();
  c->set_cpus(n.res.cpus);
  c->set_boards(ctx.boards);
  c->set_sockets(n.res.sockets);
  c->set_cores_per_socket(n.res.cores_per_socket);
  c->set_threads_per_core(n.res.threads_per_core);
  c->set_real_memory_mb(n.res.real_memory_mb);
  c->set_tmp_disk_mb(ctx.tmp_disk_mb);
  for (const std::string& f : n.res.features) {
    c->add_features(f);
    info.add_active_features(f);
  }
  info.set_cpus_effective(n.res.cpus);
  info.set_cpus_alloc(n.alloc_cpus);
  info.set_alloc_mem_mb(n.alloc_mem_mb);
  info.set_state(NodeStateToProto(n));
  for (v1::NodeStateFlag f : NodeStateFlagsToProto(n)) info.add_state_flags(f);
  info.set_weight(n.res.weight);
  for (const std::string& p : ctx.partitions) info.add_partitions(p);
  info.set_boot_time(ToEpochSeconds(n.boot_time));
  AddTres(info.mutable_cfg_tres(), "cpu", n.res.cpus);
  AddTres(info.mutable_cfg_tres(), "mem", static_cast<int64_t>(n.res.real_memory_mb));
  AddTres(info.mutable_cfg_tres(), "billing", n.res.cpus);
  if (n.alloc_cpus > 0) AddTres(info.mutable_alloc_tres(), "cpu", n.alloc_cpus);
  if (n.alloc_mem_mb > 0) {
    AddTres(info.mutable_alloc_tres(), "mem", static_cast<int64_t>(n.alloc_mem_mb));
  }
  if (!n.reason.empty()) {
    info.set_reason(n.reason);
    info.set_reason_time(ToEpochSeconds(n.reason_time));
    info.mutable_reason_user()->set_uid(n.reason_uid);
    if (ctx.names.user) info.mutable_reason_user()->set_name(ctx.names.user(n.reason_uid));
  }
  return info;
}

v1::PartitionState PartitionStateToProto(PartitionStateKind state) {
  switch (state) {
    case PartitionStateKind::kUp:
      return v1::PARTITION_STATE_UP;
    case PartitionStateKind::kDown:
      return v1::PARTITION_STATE_DOWN;
    case PartitionStateKind::kDrain:
      return v1::PARTITION_STATE_DRAIN;
    case PartitionStateKind::kInactive:
      return v1::PARTITION_STATE_INACTIVE;
  }
  return v1::PARTITION_STATE_UNSPECIFIED;
}

v1::PartitionInfo PartitionInfoFromPartition(const Partition& p,
                                             const std::vector<const Node*>& nodes) {
  v1::PartitionInfo info;
  info.set_name(p.name);
  info.set_state(PartitionStateToProto(p.state));
  info.set_is_default(p.is_default);
  info.set_node_list(p.nodes_text);
  uint64_t cpus = 0, mem = 0;
  for (const Node* n : nodes) {
    cpus += n->res.cpus;
    mem += n->res.real_memory_mb;
  }
  info.set_total_nodes(static_cast<uint32_t>(nodes.size()));
  info.set_total_cpus(static_cast<uint32_t>(cpus));
  AddTres(info.mutable_tres(), "cpu", static_cast<int64_t>(cpus));
  AddTres(info.mutable_tres(), "mem", static_cast<int64_t>(mem));
  AddTres(info.mutable_tres(), "node", static_cast<int64_t>(nodes.size()));
  AddTres(info.mutable_tres(), "billing", static_cast<int64_t>(cpus));
  if (p.default_time) {
    info.set_default_time_s(p.default_time->infinite() ? -1 : p.default_time->seconds());
  }
  info.set_max_time_s(p.max_time.infinite() ? -1 : p.max_time.seconds());
  if (p.max_nodes) info.set_max_nodes(*p.max_nodes);
  info.set_min_nodes(p.min_nodes);
  if (p.def_mem_per_cpu_mb)
    info.set_def_mem_per_cpu_mb(static_cast<int64_t>(*p.def_mem_per_cpu_mb));
  if (p.def_mem_per_node_mb) {
    info.set_def_mem_per_node_mb(static_cast<int64_t>(*p.def_mem_per_node_mb));
  }
  if (p.max_mem_per_cpu_mb)
    info.set_max_mem_per_cpu_mb(static_cast<int64_t>(*p.max_mem_per_cpu_mb));
  if (p.max_mem_per_node_mb) {
    info.set_max_mem_per_node_mb(static_cast<int64_t>(*p.max_mem_per_node_mb));
  }
  info.set_priority_job_factor(p.priority_job_factor);
  info.set_priority_tier(p.priority_tier);
  info.set_root_only(p.root_only);
  switch (p.over_subscribe) {
    case PartitionOverSubscribe::kNo:
      info.set_over_subscribe(v1::PARTITION_OVER_SUBSCRIBE_NO);
      break;
    case PartitionOverSubscribe::kYes:
      info.set_over_subscribe(v1::PARTITION_OVER_SUBSCRIBE_YES);
      break;
    case PartitionOverSubscribe::kExclusive:
      info.set_over_subscribe(v1::PARTITION_OVER_SUBSCRIBE_EXCLUSIVE);
      break;
    case PartitionOverSubscribe::kForce:
      info.set_over_subscribe(v1::PARTITION_OVER_SUBSCRIBE_FORCE);
      break;
  }
  info.set_over_subscribe_count(p.over_subscribe_count);
  info.set_preempt_mode(v1::PREEMPT_MODE_OFF);
  return info;
}

}  // namespace drover::rpc
