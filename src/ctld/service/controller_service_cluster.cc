// The node, partition and controller RPCs of ControllerService.
#include <unistd.h>

#include <set>

#include "base/hostlist.h"
#include "config/show_config.h"
#include "ctld/service/controller_service.h"
#include "ctld/service/names.h"
#include "rpc/convert_cluster.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

// Partition names per node index, in partition order.
std::vector<std::vector<std::string>> PartitionsOfNodes(const ClusterSnapshot& snap) {
  std::vector<std::vector<std::string>> out(snap.nodes.size());
  if (!snap.partitions) return out;
  for (const Partition& p : *snap.partitions) {
    for (uint32_t i : p.node_indexes) {
      if (i < out.size()) out[i].push_back(p.name);
    }
  }
  return out;
}

rpc::NodeInfoContext NodeContext(const ClusterSnapshot& snap, const Node& node,
                                 std::vector<std::string> partitions) {
  rpc::NodeInfoContext ctx;
  ctx.partitions = std::move(partitions);
  ctx.names = SystemNames();
  if (snap.config) {
    ctx.default_port = snap.config->slurmd_port;
    if (const config::NodeConfig* nc = snap.config->FindNode(node.name)) {
      ctx.hostname = nc->hostname;
      ctx.boards = nc->boards;
      ctx.tmp_disk_mb = nc->tmp_disk_mb;
    }
  }
  return ctx;
}

Result<NodeStateUpdate> StateUpdateOf(v1::NodeUpdateState state) {
  switch (state) {
    case v1::NODE_UPDATE_STATE_DRAIN:
      return NodeStateUpdate::kDrain;
    case v1::NODE_UPDATE_STATE_RESUME:
      return NodeStateUpdate::kResume;
    case v1::NODE_UPDATE_STATE_DOWN:
      return NodeStateUpdate::kDown;
    case v1::NODE_UPDATE_STATE_IDLE:
      return NodeStateUpdate::kIdle;
    case v1::NODE_UPDATE_STATE_UNDRAIN:
      return NodeStateUpdate::kUndrain;
    default:
      return Error(ErrorCode::kNotSupported,
                   "State=" + v1::NodeUpdateState_Name(state).substr(18) + " is not supported");
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

grpc::Status ControllerService::ListNodes(grpc::ServerContext* context,
                                          const v1::ListNodesRequest* req,
                                          grpc::ServerWriter<v1::ListNodesResponse>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::vector<Hostlist> names;
  for (const std::string& text : req->node_names()) {
    Result<Hostlist> h = Hostlist::Parse(text);
    if (!h) return rpc::ToGrpcStatus(h.error());
    names.push_back(std::move(*h));
  }
  std::set<std::string> parts(req->partitions().begin(), req->partitions().end());
  std::set<int> states(req->states().begin(), req->states().end());
  std::set<int> flags(req->state_flags().begin(), req->state_flags().end());

  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  std::vector<std::vector<std::string>> node_parts = PartitionsOfNodes(*snap);
  v1::ListNodesResponse chunk;
  chunk.set_snapshot_time(rpc::ToEpochSeconds(snap->published));
  bool sent_any = false;
  size_t chunk_bytes = 0;
  for (size_t i = 0; i < snap->nodes.size(); ++i) {
    const Node& n = *snap->nodes[i];
    if (!names.empty()) {
      bool any = false;
      for (const Hostlist& h : names) any = any || h.Contains(n.name);
      if (!any) continue;
    }
    if (!parts.empty()) {
      bool any = false;
      for (const std::string& p : node_parts[i]) any = any || parts.contains(p);
      if (!any) continue;
    }
    if (!states.empty() || !flags.empty()) {
      bool any = states.contains(rpc::NodeStateToProto(n));
      for (v1::NodeStateFlag f : rpc::NodeStateFlagsToProto(n)) any = any || flags.contains(f);
      if (!any) continue;
    }
    if (req->responding_only() && n.not_responding) continue;
    if (req->dead_only() && !n.not_responding && n.base != NodeBaseState::kDown) continue;
    v1::NodeInfo* info = chunk.add_nodes();
    *info = rpc::NodeInfoFromNode(n, NodeContext(*snap, n, node_parts[i]));
    chunk_bytes += info->ByteSizeLong() + 4;  // per node: the whole chunk each time is O(n^2)
    if (chunk_bytes >= kChunkBytes) {
      if (!writer->Write(chunk))
        return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      sent_any = true;
      chunk.clear_nodes();
      chunk_bytes = 0;
    }
  }
  if (chunk.nodes_size() > 0 || !sent_any) writer->Write(chunk);
  return grpc::Status::OK;
}

grpc::Status ControllerService::UpdateNodes(grpc::ServerContext* context,
                                            const v1::UpdateNodesRequest* req,
                                            v1::UpdateNodesResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  if (req->node_names().empty()) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidNodeName, "no node name given"));
  }
  if (req->has_features() || req->has_active_features() || req->has_weight() ||
      req->has_comment() || req->has_extra() || req->resume_after_s() != 0) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kNotSupported, "only State= and Reason= of a node can be updated"));
  }
  NodeUpdate update;
  for (const std::string& n : req->node_names()) {
    update.nodes += (update.nodes.empty() ? "" : ",") + n;
  }
  if (req->state() != v1::NODE_UPDATE_STATE_UNSPECIFIED) {
    Result<NodeStateUpdate> state = StateUpdateOf(req->state());
    if (!state) return rpc::ToGrpcStatus(state.error());
    update.state = *state;
  }
  update.reason = req->reason();
  return rpc::ToGrpcStatus(options_.controller->UpdateNode(update, who));
}

grpc::Status ControllerService::ListPartitions(grpc::ServerContext* context,
                                               const v1::ListPartitionsRequest* req,
                                               v1::ListPartitionsResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::set<std::string> names(req->names().begin(), req->names().end());
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  resp->set_snapshot_time(rpc::ToEpochSeconds(snap->published));
  if (!snap->partitions) return grpc::Status::OK;
  for (const Partition& p : *snap->partitions) {
    if (!names.empty() && !names.contains(p.name)) continue;
    std::vector<const Node*> nodes;
    for (uint32_t i : p.node_indexes) {
      if (i < snap->nodes.size()) nodes.push_back(snap->nodes[i].get());
    }
    *resp->add_partitions() = rpc::PartitionInfoFromPartition(p, nodes);
  }
  return grpc::Status::OK;
}

grpc::Status ControllerService::GetConfig(grpc::ServerContext* context,
                                          const v1::GetConfigRequest* req,
                                          v1::GetConfigResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  if (!snap->config) return rpc::ToGrpcStatus(Error(ErrorCode::kUnavailable));
  const config::SlurmConfig& conf = *snap->config;
  config::ShowConfigContext ctx;
  ctx.now = options_.clock->Now();
  ctx.slurm_conf_path = options_.slurm_conf_path;
  ctx.version = kSlurmCompatVersion;
  ctx.boot_time = options_.boot_time;
  ctx.uid_of = [](std::string_view user) { return UidOf(user); };
  // "Key                     = value" lines; the header and the trailing controller lines
  // are the client's to print.
  std::string text = config::FormatShowConfig(conf, ctx);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    size_t eq = line.find(" = ");
    if (line.starts_with("Configuration data as of") || eq == std::string_view::npos) continue;
    v1::ConfigEntry* e = resp->add_entries();
    e->set_key(Trim(line.substr(0, eq)));
    e->set_value(std::string(line.substr(eq + 3)));
  }
  resp->set_config_time(rpc::ToEpochSeconds(ctx.now));
  resp->set_cluster_name(conf.cluster_name);
  resp->set_version(kSlurmCompatVersion);
  resp->set_boot_time(rpc::ToEpochSeconds(options_.boot_time));
  for (const config::ControllerHost& h : conf.slurmctld_hosts) {
    v1::ControllerHost* c = resp->add_controllers();
    c->set_name(h.name);
    c->set_address(h.addr.empty() ? h.name : h.addr);
    c->set_port(conf.slurmctld_port);
  }
  return grpc::Status::OK;
}

grpc::Status ControllerService::Reconfigure(grpc::ServerContext* context,
                                            const v1::ReconfigureRequest* req,
                                            v1::ReconfigureResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  if (who.uid != 0 && who.uid != options_.slurm_user_uid) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kAccessDenied));
  }
  Result<std::shared_ptr<const config::SlurmConfig>> conf =
      LoadControllerConfig(options_.slurm_conf_path);
  if (!conf) return rpc::ToGrpcStatus(conf.error());
  return rpc::ToGrpcStatus(options_.controller->Reconfigure(*conf, who));
}

grpc::Status ControllerService::Ping(grpc::ServerContext* context, const v1::PingRequest* req,
                                     v1::PingResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  // Which SlurmctldHost this daemon is: the one named like this machine (short or full
  // name, as Slurm matches it), else the first. Its place in the list is its role.
  char buf[256] = {};
  gethostname(buf, sizeof(buf) - 1);
  std::string self = buf;
  std::string short_self = self.substr(0, self.find('.'));
  std::string host = self;
  v1::ControllerRole role = v1::CONTROLLER_ROLE_PRIMARY;
  if (snap->config && !snap->config->slurmctld_hosts.empty()) {
    const auto& hosts = snap->config->slurmctld_hosts;
    host = hosts.front().name;
    for (size_t i = 0; i < hosts.size(); ++i) {
      if (hosts[i].name == self || hosts[i].name == short_self) {
        host = hosts[i].name;
        role = i == 0 ? v1::CONTROLLER_ROLE_PRIMARY : v1::CONTROLLER_ROLE_BACKUP;
        break;
      }
    }
  }
  resp->set_hostname(host);
  resp->set_role(role);
  resp->set_version(kSlurmCompatVersion);
  resp->set_boot_time(rpc::ToEpochSeconds(options_.boot_time));
  return grpc::Status::OK;
}

}  // namespace drover::ctld::service
