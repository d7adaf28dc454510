// NodeName=, DownNodes= and NodeSet= lines of slurm.conf.
#include <fmt/core.h>

#include <algorithm>

#include "base/hostlist.h"
#include "config/config_values.h"
#include "config/slurm_conf_lines.h"

namespace drover::config {


namespace {

using NodeSetter = Status (*)(NodeProto&, const ConfPair&, std::string_view);

template <std::optional<uint32_t> NodeProto::*M, uint32_t Min = 0>
Status OptU32(NodeProto& n, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, Min, UINT16_MAX);
  if (!v.has_value()) return ValueError(p, k, v.error());
  n.*M = static_cast<uint32_t>(*v);
  return Ok();
}

template <uint64_t NodeConfig::*M>
Status MemMb(NodeProto& n, const ConfPair& p, std::string_view k) {
  auto v = ParseMemoryValue(p.value, false);
  if (!v.has_value()) return ValueError(p, k, v.error());
  n.node.*M = **v;
  return Ok();
}

template <std::string NodeConfig::*M>
Status NodeStr(NodeProto& n, const ConfPair& p, std::string_view) {
  n.node.*M = p.value;
  return Ok();
}

template <std::string NodeProto::*M>
Status ProtoStr(NodeProto& n, const ConfPair& p, std::string_view k) {
  if (p.value.empty()) return ValueError(p, k, "expected a value");
  n.*M = p.value;
  return Ok();
}

Status Gres(NodeProto& n, const ConfPair& p, std::string_view k) {
  if (p.value.empty() || KeyEquals(p.value, "(null)")) {
    n.node.gres.clear();
    return Ok();
  }
  auto g = ParseNodeGres(p.value);
  if (!g.has_value()) return ValueError(p, k, g.error());
  n.node.gres = std::move(*g);
  return Ok();
}

Status Features(NodeProto& n, const ConfPair& p, std::string_view) {
  n.node.features = SplitList(p.value);
  return Ok();
}

Status Weight(NodeProto& n, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, UINT32_MAX - 1);
  if (!v.has_value()) return ValueError(p, k, v.error());
  n.node.weight = static_cast<uint32_t>(*v);
  return Ok();
}

Status CoreSpec(NodeProto& n, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, UINT16_MAX);
  if (!v.has_value()) return ValueError(p, k, v.error());
  n.node.core_spec_count = static_cast<uint32_t>(*v);
  return Ok();
}

const std::vector<std::string_view> kNodeStates = {"UNKNOWN", "CLOUD",   "DOWN",  "DRAIN",
                                                   "FAIL",    "FAILING", "FUTURE"};

Status State(NodeProto& n, const ConfPair& p, std::string_view k) {
  if (!FindKeyword(p.value, kNodeStates)) {
    return ValueError(p, k, "expected UNKNOWN, CLOUD, DOWN, DRAIN, FAIL, FAILING or FUTURE");
  }
  n.node.state = ToUpper(p.value);
  return Ok();
}

struct NodeKey {
  std::string_view name;
  NodeSetter set;
};

const NodeKey kNodeKeys[] = {
    {"NodeHostname", ProtoStr<&NodeProto::hostname_text>},
    {"NodeAddr", ProtoStr<&NodeProto::addr_text>},
    {"BcastAddr", NodeStr<&NodeConfig::bcast_addr>},
    {"Port", ProtoStr<&NodeProto::port_text>},
    {"CPUs", OptU32<&NodeProto::cpus, 1>},
    {"Procs", OptU32<&NodeProto::procs, 1>},
    {"Boards", OptU32<&NodeProto::boards, 1>},
    {"SocketsPerBoard", OptU32<&NodeProto::sockets_per_board, 1>},
    {"Sockets", OptU32<&NodeProto::sockets, 1>},
    {"CoresPerSocket", OptU32<&NodeProto::cores, 1>},
    {"ThreadsPerCore", OptU32<&NodeProto::threads, 1>},
    {"RealMemory", MemMb<&NodeConfig::real_memory_mb>},
    {"TmpDisk", MemMb<&NodeConfig::tmp_disk_mb>},
    {"MemSpecLimit", MemMb<&NodeConfig::mem_spec_limit_mb>},
    {"CoreSpecCount", CoreSpec},
    {"CPUSpecList", NodeStr<&NodeConfig::cpu_spec_list>},
    {"CpuBind", NodeStr<&NodeConfig::cpu_bind>},
    {"Gres", Gres},
    {"Feature", Features},
    {"Features", Features},
    {"Weight", Weight},
    {"State", State},
    {"Reason", NodeStr<&NodeConfig::reason>},
    {"TRESWeights", NodeStr<&NodeConfig::tres_weights>},
    {"Topology", NodeStr<&NodeConfig::topology>},
};

const NodeKey* FindNodeKey(std::string_view key) {
  for (const NodeKey& k : kNodeKeys) {
    if (KeyEquals(k.name, key)) return &k;
  }
  return nullptr;
}

// Names from a hostlist value; `count` names are wanted, or 1 shared by all.
Result<std::vector<std::string>> ExpandParallel(const ConfPair& pair, std::string_view key,
                                                std::string_view text, size_t count) {
  auto hl = Hostlist::Parse(text);
  if (!hl.has_value()) return ValueError(pair, key, hl.error());
  auto names = hl->Expand(Hostlist::kDefaultExpandLimit);
  if (!names.has_value()) return ValueError(pair, key, names.error());
  if (names->size() != count && names->size() != 1) {
    return ValueError(pair, key,
                      fmt::format("{} names for the {} nodes of NodeName", names->size(), count));
  }
  return std::move(*names);
}

Result<std::vector<uint16_t>> ExpandPorts(const ConfPair& pair, std::string_view text,
                                          size_t count) {
  std::string t(text);
  if (t.find('[') == std::string::npos && t.find('-') != std::string::npos) t = "[" + t + "]";
  auto words = ExpandBracketList(t, 1 << 16);
  if (!words.has_value()) return ValueError(pair, "Port", words.error());
  std::vector<uint16_t> ports;
  for (const auto& w : *words) {
    auto v = ParseUint(w, 1, UINT16_MAX);
    if (!v.has_value()) return ValueError(pair, "Port", "expected a port number or range");
    ports.push_back(static_cast<uint16_t>(*v));
  }
  if (ports.size() != count && ports.size() != 1) {
    return ValueError(pair, "Port",
                      fmt::format("{} ports for the {} nodes of NodeName", ports.size(), count));
  }
  return ports;
}

// Fills in what Slurm derives from what was given (see node_config.h).
void DeriveTopology(const NodeProto& p, NodeConfig& n) {
  n.boards = p.boards.value_or(1);
  n.cores_per_socket = p.cores.value_or(1);
  n.threads_per_core = p.threads.value_or(1);
  std::optional<uint32_t> cpus = p.cpus ? p.cpus : p.procs;
  if (p.sockets) {
    n.sockets = *p.sockets;
  } else if (p.sockets_per_board) {
    n.sockets = n.boards * *p.sockets_per_board;
  } else if (cpus) {
    // With only CPUs given Slurm makes each CPU a socket; otherwise as many sockets as fit.
    uint32_t per_socket = n.cores_per_socket * n.threads_per_core;
    n.sockets = std::max<uint32_t>(1, *cpus / std::max<uint32_t>(1, per_socket));
  } else {
    n.sockets = n.boards;
  }
  n.cpus = cpus ? *cpus : static_cast<uint32_t>(n.total_threads());
}

Status ApplyKeys(ParseState& state, const ConfLine& line, NodeProto& proto) {
  for (size_t i = 1; i < line.pairs.size(); ++i) {
    const ConfPair& p = line.pairs[i];
    const NodeKey* key = FindNodeKey(p.key);
    if (key == nullptr) {
      WarnUnknownKey(state, p);
      continue;
    }
    RETURN_IF_ERROR(key->set(proto, p, key->name));
  }
  return Ok();
}

}  // namespace

void WarnUnknownKey(ParseState& state, const ConfPair& pair) {
  state.Warn(pair.loc, fmt::format("unknown key '{}' ignored", pair.key));
}

Status ApplyNodeLine(ParseState& state, const ConfLine& line) {
  const ConfPair& first = line.pairs[0];
  if (KeyEquals(first.value, "DEFAULT")) {
    return ApplyKeys(state, line, state.node_defaults);
  }
  if (first.value.empty()) return ValueError(first, "NodeName", "expected a node name");
  NodeProto proto = state.node_defaults;
  RETURN_IF_ERROR(ApplyKeys(state, line, proto));
  auto hl = Hostlist::Parse(first.value);
  if (!hl.has_value()) return ValueError(first, "NodeName", hl.error());
  auto names = hl->Expand(Hostlist::kDefaultExpandLimit);
  if (!names.has_value()) return ValueError(first, "NodeName", names.error());
  const size_t n = names->size();
  std::vector<std::string> hostnames, addrs;
  std::vector<uint16_t> ports;
  auto find_pair = [&](std::string_view key) -> const ConfPair& {
    for (const ConfPair& p : line.pairs) {
      if (KeyEquals(p.key, key)) return p;
    }
    return first;  // the value came from NodeName=DEFAULT
  };
  if (!proto.hostname_text.empty()) {
    ASSIGN_OR_RETURN(hostnames, ExpandParallel(find_pair("NodeHostname"), "NodeHostname",
                                               proto.hostname_text, n));
  }
  if (!proto.addr_text.empty()) {
    ASSIGN_OR_RETURN(addrs, ExpandParallel(find_pair("NodeAddr"), "NodeAddr", proto.addr_text, n));
  }
  if (!proto.port_text.empty()) {
    ASSIGN_OR_RETURN(ports, ExpandPorts(find_pair("Port"), proto.port_text, n));
  }
  NodeConfig base = proto.node;
  DeriveTopology(proto, base);
  base.loc = line.loc;
  SlurmConfig& config = *state.config;
  for (size_t i = 0; i < n; ++i) {
    const std::string& name = (*names)[i];
    auto [it, inserted] = state.node_index.emplace(name, config.nodes.size());
    if (!inserted) {
      return ValueError(first, "NodeName",
                        fmt::format("node '{}' is already defined at {}", name,
                                    config.nodes[it->second].loc.ToString()));
    }
    NodeConfig node = base;
    node.name = name;
    node.hostname = hostnames.empty() ? name : hostnames[hostnames.size() == 1 ? 0 : i];
    node.addr = addrs.empty() ? node.hostname : addrs[addrs.size() == 1 ? 0 : i];
    if (!ports.empty()) node.port = ports[ports.size() == 1 ? 0 : i];
    config.nodes.push_back(std::move(node));
  }
  return Ok();
}

Status ApplyDownNodesLine(ParseState& state, const ConfLine& line) {
  DownNodesLine down;
  down.nodes = line.pairs[0];
  for (size_t i = 1; i < line.pairs.size(); ++i) {
    const ConfPair& p = line.pairs[i];
    if (KeyEquals(p.key, "State")) {
      if (!FindKeyword(p.value, kNodeStates)) {
        return ValueError(p, "State", "expected UNKNOWN, DOWN, DRAIN, FAIL or FAILING");
      }
      down.state = ToUpper(p.value);
    } else if (KeyEquals(p.key, "Reason")) {
      down.reason = p.value;
    } else {
      WarnUnknownKey(state, p);
    }
  }
  state.down_nodes.push_back(std::move(down));
  return Ok();
}

Status ApplyNodeSetLine(ParseState& state, const ConfLine& line) {
  NodeSetLine set;
  set.name = line.pairs[0].value;
  set.nodes = line.pairs[0];
  set.nodes.value.clear();
  if (set.name.empty()) return ValueError(line.pairs[0], "NodeSet", "expected a name");
  for (size_t i = 1; i < line.pairs.size(); ++i) {
    const ConfPair& p = line.pairs[i];
    if (KeyEquals(p.key, "Nodes")) {
      set.nodes = p;
    } else if (KeyEquals(p.key, "Feature")) {
      set.feature = p.value;
    } else {
      WarnUnknownKey(state, p);
    }
  }
  state.node_sets.push_back(std::move(set));
  return Ok();
}

}  // namespace drover::config
