// PartitionName= lines of slurm.conf, and the end-of-parse resolution of partition nodes.
#include <fmt/core.h>

#include <algorithm>
#include <unordered_set>

#include "base/hostlist.h"
#include "config/config_values.h"
#include "config/slurm_conf_lines.h"

namespace drover::config {

std::string FormatPreemptMode(uint16_t mode) {
  if (mode == preempt::kOff) return "OFF";
  // Slurm prints GANG first, then the action.
  std::vector<std::string> words;
  if (mode & preempt::kGang) words.push_back("GANG");
  if (mode & preempt::kSuspend) words.push_back("SUSPEND");
  if (mode & preempt::kRequeue) words.push_back("REQUEUE");
  if (mode & preempt::kCancel) words.push_back("CANCEL");
  if (mode & preempt::kWithin) words.push_back("WITHIN");
  if (mode & preempt::kPriority) words.push_back("PRIORITY");
  return JoinList(words);
}

std::string FormatOverSubscribe(OverSubscribe mode, uint16_t count) {
  switch (mode) {
    case OverSubscribe::kNo:
      return "NO";
    case OverSubscribe::kExclusive:
      return "EXCLUSIVE";
    case OverSubscribe::kYes:
      return fmt::format("YES:{}", count);
    case OverSubscribe::kForce:
      return fmt::format("FORCE:{}", count);
  }
  return "NO";
}

std::string_view PartitionStateName(PartitionState state) {
  switch (state) {
    case PartitionState::kUp:
      return "UP";
    case PartitionState::kDown:
      return "DOWN";
    case PartitionState::kDrain:
      return "DRAIN";
    case PartitionState::kInactive:
      return "INACTIVE";
  }
  return "UP";
}

namespace {

using P = PartitionConfig;
using PartSetter = Status (*)(PartitionProto&, const ConfPair&, std::string_view);

// "ALL" or a comma list; ALL is stored as the empty list.
template <std::vector<std::string> P::*M>
Status List(PartitionProto& pp, const ConfPair& p, std::string_view) {
  pp.part.*M = KeyEquals(p.value, "ALL") ? std::vector<std::string>{} : SplitList(p.value);
  return Ok();
}

template <std::string P::*M>
Status Str(PartitionProto& pp, const ConfPair& p, std::string_view) {
  pp.part.*M = p.value;
  return Ok();
}

template <bool P::*M>
Status Bool(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseYesNo(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.*M = *v;
  return Ok();
}

Status DisableRoot(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseYesNo(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.disable_root_jobs = *v;
  return Ok();
}

// An optional count where UNLIMITED (or INFINITE) leaves it unset.
template <std::optional<uint32_t> P::*M>
Status OptCount(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  if (KeyEquals(p.value, "UNLIMITED") || KeyEquals(p.value, "INFINITE")) {
    pp.part.*M = std::nullopt;
    return Ok();
  }
  auto v = ParseUint(p.value, 0, UINT32_MAX - 1);
  if (!v.has_value()) return ValueError(p, k, "expected a number or UNLIMITED");
  pp.part.*M = static_cast<uint32_t>(*v);
  return Ok();
}

Status MinNodes(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, UINT32_MAX - 1);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.min_nodes = static_cast<uint32_t>(*v);
  return Ok();
}

template <std::optional<uint64_t> P::*M, std::optional<uint64_t> P::*Other>
Status Mem(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseMemoryValue(p.value, true);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.*M = (v->has_value() && **v == 0) ? std::nullopt : *v;
  if constexpr (Other != nullptr) pp.part.*Other = std::nullopt;
  return Ok();
}

Status MaxTime(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseTimeValue(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.max_time = *v;
  return Ok();
}

template <std::optional<Duration> P::*M, int kUnit>  // kUnit: 0 time, 1 seconds, 60 minutes
Status OptTime(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  if (KeyEquals(p.value, "NONE")) {
    pp.part.*M = std::nullopt;
    return Ok();
  }
  auto v = kUnit == 0
               ? ParseTimeValue(p.value)
               : (kUnit == 1 ? ParseSecondsValue(p.value, true) : ParseMinutesValue(p.value));
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.*M = *v;
  return Ok();
}

Status GraceTime(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseSecondsValue(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.grace_time = *v;
  return Ok();
}

Status DefCpuPerGpu(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 1, UINT16_MAX);
  if (!v.has_value()) return ValueError(p, k, v.error());
  pp.part.def_cpu_per_gpu = static_cast<uint32_t>(*v);
  return Ok();
}

template <int kWhich>  // 0 Priority (both), 1 PriorityJobFactor, 2 PriorityTier
Status Priority(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, UINT16_MAX - 1);
  if (!v.has_value()) return ValueError(p, k, v.error());
  if (kWhich != 2) pp.part.priority_job_factor = static_cast<uint16_t>(*v);
  if (kWhich != 1) pp.part.priority_tier = static_cast<uint16_t>(*v);
  return Ok();
}

Status PartPreempt(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  const std::vector<std::string_view> words = {"OFF", "SUSPEND", "REQUEUE", "CANCEL", "GANG"};
  const uint16_t bits[] = {preempt::kOff, preempt::kSuspend, preempt::kRequeue, preempt::kCancel,
                           preempt::kGang};
  uint16_t mode = 0;
  for (const std::string& w : SplitList(p.value)) {
    auto i = FindKeyword(w, words);
    if (!i) return ValueError(p, k, fmt::format("unknown preempt mode '{}'", w));
    mode |= bits[*i];
  }
  pp.part.preempt_mode = mode;
  return Ok();
}

Status OverSub(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  std::string_view v = p.value;
  size_t colon = v.find(':');
  std::string_view word = v.substr(0, colon);
  PartitionConfig& part = pp.part;
  if (KeyEquals(word, "NO")) {
    part.over_subscribe = OverSubscribe::kNo;
  } else if (KeyEquals(word, "EXCLUSIVE")) {
    part.over_subscribe = OverSubscribe::kExclusive;
  } else if (KeyEquals(word, "YES")) {
    part.over_subscribe = OverSubscribe::kYes;
  } else if (KeyEquals(word, "FORCE")) {
    part.over_subscribe = OverSubscribe::kForce;
  } else {
    return ValueError(p, k, "expected NO, YES[:count], EXCLUSIVE or FORCE[:count]");
  }
  part.over_subscribe_count = 1;
  bool counted =
      part.over_subscribe == OverSubscribe::kYes || part.over_subscribe == OverSubscribe::kForce;
  if (counted) part.over_subscribe_count = 4;  // Slurm's default job count per resource
  if (colon != std::string_view::npos) {
    auto n = ParseUint(v.substr(colon + 1), 1, UINT16_MAX);
    if (!counted || !n.has_value()) {
      return ValueError(p, k, "expected NO, YES[:count], EXCLUSIVE or FORCE[:count]");
    }
    part.over_subscribe_count = static_cast<uint16_t>(*n);
  }
  return Ok();
}

Status PartState(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  const std::vector<std::string_view> words = {"UP", "DOWN", "DRAIN", "INACTIVE"};
  auto i = FindKeyword(p.value, words);
  if (!i) return ValueError(p, k, "expected UP, DOWN, DRAIN or INACTIVE");
  pp.part.state = static_cast<PartitionState>(*i);
  return Ok();
}

Status PartSelect(PartitionProto& pp, const ConfPair& p, std::string_view k) {
  const std::vector<std::string_view> words = {"CR_Core", "CR_Socket", "NONE"};
  if (!FindKeyword(p.value, words)) return ValueError(p, k, "expected CR_Core or CR_Socket");
  pp.part.select_type_parameters = KeyEquals(p.value, "NONE") ? "" : ToUpper(p.value);
  return Ok();
}

Status Nodes(PartitionProto& pp, const ConfPair& p, std::string_view) {
  pp.part.nodes_text = p.value;
  return Ok();
}

struct PartKey {
  std::string_view name;
  PartSetter set;
};

constexpr std::optional<uint64_t> P::*kNoOther = nullptr;

const PartKey kPartKeys[] = {
    {"AllocNodes", List<&P::alloc_nodes>},
    {"AllowAccounts", List<&P::allow_accounts>},
    {"AllowGroups", List<&P::allow_groups>},
    {"AllowQos", List<&P::allow_qos>},
    {"Alternate", Str<&P::alternate>},
    {"CpuBind", Str<&P::cpu_bind>},
    {"Default", Bool<&P::is_default>},
    {"DefaultTime", OptTime<&P::default_time, 0>},
    {"DefCpuPerGPU", DefCpuPerGpu},
    {"DefMemPerCPU", Mem<&P::def_mem_per_cpu_mb, &P::def_mem_per_node_mb>},
    {"DefMemPerGPU", Mem<&P::def_mem_per_gpu_mb, kNoOther>},
    {"DefMemPerNode", Mem<&P::def_mem_per_node_mb, &P::def_mem_per_cpu_mb>},
    {"DenyAccounts", List<&P::deny_accounts>},
    {"DenyQos", List<&P::deny_qos>},
    {"DisableRootJobs", DisableRoot},
    {"ExclusiveTopo", Bool<&P::exclusive_topo>},
    {"ExclusiveUser", Bool<&P::exclusive_user>},
    {"GraceTime", GraceTime},
    {"Hidden", Bool<&P::hidden>},
    {"JobDefaults", Str<&P::job_defaults>},
    {"LLN", Bool<&P::lln>},
    {"MaxCPUsPerNode", OptCount<&P::max_cpus_per_node>},
    {"MaxCPUsPerSocket", OptCount<&P::max_cpus_per_socket>},
    {"MaxMemPerCPU", Mem<&P::max_mem_per_cpu_mb, &P::max_mem_per_node_mb>},
    {"MaxMemPerNode", Mem<&P::max_mem_per_node_mb, &P::max_mem_per_cpu_mb>},
    {"MaxNodes", OptCount<&P::max_nodes>},
    {"MaxTime", MaxTime},
    {"MinNodes", MinNodes},
    {"Nodes", Nodes},
    {"OverSubscribe", OverSub},
    {"OverTimeLimit", OptTime<&P::over_time_limit, 60>},
    {"PowerDownOnIdle", Bool<&P::power_down_on_idle>},
    {"PreemptMode", PartPreempt},
    {"Priority", Priority<0>},
    {"PriorityJobFactor", Priority<1>},
    {"PriorityTier", Priority<2>},
    {"QOS", Str<&P::qos>},
    {"ReqResv", Bool<&P::req_resv>},
    {"ResumeTimeout", OptTime<&P::resume_timeout, 1>},
    {"RootOnly", Bool<&P::root_only>},
    {"SelectTypeParameters", PartSelect},
    {"Shared", OverSub},  // the pre-15.08 name of OverSubscribe
    {"State", PartState},
    {"SuspendTime", OptTime<&P::suspend_time, 1>},
    {"SuspendTimeout", OptTime<&P::suspend_timeout, 1>},
    {"TRESBillingWeights", Str<&P::tres_billing_weights>},
};

const PartKey* FindPartKey(std::string_view key) {
  for (const PartKey& k : kPartKeys) {
    if (KeyEquals(k.name, key)) return &k;
  }
  return nullptr;
}

// Expands one partition's Nodes= into defined node names, in node-definition order.
Status ResolveNodes(ParseState& state, PartitionProto& pp) {
  SlurmConfig& config = *state.config;
  PartitionConfig& part = pp.part;
  part.nodes.clear();
  if (part.nodes_text.empty()) return Ok();
  ConfPair pair{"Nodes", part.nodes_text, part.loc};
  std::vector<bool> member(config.nodes.size(), false);
  if (KeyEquals(part.nodes_text, "ALL")) {
    member.assign(config.nodes.size(), true);
  } else {
    auto hl = Hostlist::Parse(part.nodes_text);
    if (!hl.has_value()) return ValueError(pair, "Nodes", hl.error());
    auto names = hl->Expand(Hostlist::kDefaultExpandLimit);
    if (!names.has_value()) return ValueError(pair, "Nodes", names.error());
    for (const std::string& name : *names) {
      auto it = state.node_index.find(name);
      if (it != state.node_index.end()) {
        member[it->second] = true;
        continue;
      }
      auto set = std::find_if(state.node_sets.begin(), state.node_sets.end(),
                              [&](const NodeSetLine& s) { return s.name == name; });
      if (set == state.node_sets.end()) {
        return ValueError(pair, "Nodes",
                          fmt::format("partition '{}' names node '{}', which no NodeName line "
                                      "defines",
                                      part.name, name));
      }
      for (size_t i = 0; i < config.nodes.size(); ++i) {
        const NodeConfig& node = config.nodes[i];
        bool by_feature = !set->feature.empty() &&
                          std::find(node.features.begin(), node.features.end(), set->feature) !=
                              node.features.end();
        if (by_feature) member[i] = true;
      }
      if (!set->nodes.value.empty()) {
        auto set_hl = Hostlist::Parse(set->nodes.value);
        if (!set_hl.has_value()) return ValueError(set->nodes, "Nodes", set_hl.error());
        auto set_names = set_hl->Expand(Hostlist::kDefaultExpandLimit);
        if (!set_names.has_value()) return ValueError(set->nodes, "Nodes", set_names.error());
        for (const std::string& n : *set_names) {
          auto nit = state.node_index.find(n);
          if (nit == state.node_index.end()) {
            return ValueError(set->nodes, "Nodes",
                              fmt::format("NodeSet '{}' names node '{}', which no NodeName line "
                                          "defines",
                                          set->name, n));
          }
          member[nit->second] = true;
        }
      }
    }
  }
  part.total_cpus = 0;
  part.total_memory_mb = 0;
  for (size_t i = 0; i < config.nodes.size(); ++i) {
    if (!member[i]) continue;
    part.nodes.push_back(config.nodes[i].name);
    part.total_cpus += config.nodes[i].cpus;
    part.total_memory_mb += config.nodes[i].real_memory_mb;
  }
  part.total_nodes = static_cast<uint32_t>(part.nodes.size());
  return Ok();
}

}  // namespace

Status ApplyPartitionLine(ParseState& state, const ConfLine& line) {
  const ConfPair& first = line.pairs[0];
  bool is_default_line = KeyEquals(first.value, "DEFAULT");
  PartitionProto pp = state.partition_defaults;
  if (!is_default_line) {
    if (first.value.empty()) return ValueError(first, "PartitionName", "expected a name");
    for (const PartitionProto& other : state.partitions) {
      if (other.part.name == first.value) {
        return ValueError(first, "PartitionName",
                          fmt::format("partition '{}' is already defined at {}", first.value,
                                      other.part.loc.ToString()));
      }
    }
    pp.part.name = first.value;
    pp.part.loc = line.loc;
  }
  for (size_t i = 1; i < line.pairs.size(); ++i) {
    const ConfPair& p = line.pairs[i];
    const PartKey* key = FindPartKey(p.key);
    if (key == nullptr) {
      WarnUnknownKey(state, p);
      continue;
    }
    RETURN_IF_ERROR(key->set(pp, p, key->name));
  }
  if (is_default_line) {
    state.partition_defaults = std::move(pp);
    return Ok();
  }
  state.partitions.push_back(std::move(pp));
  return Ok();
}

Status FinishNodesAndPartitions(ParseState& state) {
  SlurmConfig& config = *state.config;
  for (const DownNodesLine& down : state.down_nodes) {
    auto hl = Hostlist::Parse(down.nodes.value);
    if (!hl.has_value()) return ValueError(down.nodes, "DownNodes", hl.error());
    auto names = hl->Expand(Hostlist::kDefaultExpandLimit);
    if (!names.has_value()) return ValueError(down.nodes, "DownNodes", names.error());
    for (const std::string& name : *names) {
      auto it = state.node_index.find(name);
      if (it == state.node_index.end()) {
        return ValueError(down.nodes, "DownNodes",
                          fmt::format("node '{}' is not defined by any NodeName line", name));
      }
      config.nodes[it->second].state = down.state;
      config.nodes[it->second].reason = down.reason;
    }
  }
  config.partitions.clear();
  config.default_partition.clear();
  for (PartitionProto& pp : state.partitions) {
    RETURN_IF_ERROR(ResolveNodes(state, pp));
    pp.part.disable_root_jobs = pp.disable_root_jobs.value_or(config.disable_root_jobs);
    // Slurm keeps the last Default=YES partition as the default.
    if (pp.part.is_default) {
      if (!config.default_partition.empty()) {
        state.Warn(pp.part.loc, fmt::format("default partition changed from '{}' to '{}'",
                                            config.default_partition, pp.part.name));
      }
      config.default_partition = pp.part.name;
    }
    config.partitions.push_back(std::move(pp.part));
  }
  for (PartitionConfig& part : config.partitions) {
    part.is_default = part.name == config.default_partition;
  }
  return Ok();
}

}  // namespace drover::config
