// The slurm.conf driver: lexes the file, sends each line to the global key table or to the
// node/partition handlers, then checks what must be present and derives what Slurm derives.
#include "config/slurm_conf.h"

#include <fmt/core.h>

#include <algorithm>

#include "config/config_values.h"
#include "config/slurm_conf_keys.h"
#include "config/slurm_conf_lines.h"

namespace drover::config {

namespace {

constexpr uint16_t kSlurmdbdPort = 6819;

Status ApplyGlobalPairs(ParseState& state, const ConfLine& line) {
  for (const ConfPair& pair : line.pairs) {
    const GlobalKey* key = FindGlobalKey(pair.key);
    if (key == nullptr) {
      WarnUnknownKey(state, pair);
      continue;
    }
    RETURN_IF_ERROR(key->set(*state.config, pair, key->name));
  }
  return Ok();
}

Status ApplyLine(ParseState& state, const ConfLine& line) {
  const std::string& first = line.pairs[0].key;
  if (KeyEquals(first, "NodeName")) return ApplyNodeLine(state, line);
  if (KeyEquals(first, "PartitionName")) return ApplyPartitionLine(state, line);
  if (KeyEquals(first, "DownNodes")) return ApplyDownNodesLine(state, line);
  if (KeyEquals(first, "NodeSet")) return ApplyNodeSetLine(state, line);
  if (KeyEquals(first, "FrontendName")) {
    // Front-end nodes (Cray/BlueGene) do not exist in Drover; the line is kept out.
    state.Warn(line.loc, "FrontendName lines are not supported; line ignored");
    return Ok();
  }
  return ApplyGlobalPairs(state, line);
}

// Checks and derived values that need the whole file.
Status Finish(SlurmConfig& config, std::string_view file_name) {
  if (config.slurmctld_hosts.empty()) {
    return Error(ErrorCode::kConfigMissing,
                 "SlurmctldHost is not set: name the controller host, like SlurmctldHost=head1",
                 std::string(file_name));
  }
  for (const ControllerHost& host : config.slurmctld_hosts) {
    if (host.name.empty()) {
      return Error(ErrorCode::kConfigMissing,
                   "ControlAddr or BackupAddr is set without its ControlMachine or "
                   "BackupController",
                   std::string(file_name));
    }
  }
  if (config.first_job_id > config.max_job_id) {
    return Error(ErrorCode::kConfigValue,
                 fmt::format("FirstJobId: invalid value '{}': greater than MaxJobId ({})",
                             config.first_job_id, config.max_job_id),
                 std::string(file_name));
  }
  if (config.accounting_storage_port == 0 &&
      config.accounting_storage_type == "accounting_storage/slurmdbd") {
    config.accounting_storage_port = kSlurmdbdPort;
  }
  if (config.max_dbd_msgs == 0) {
    // Slurm sizes the slurmdbd backlog to hold every job's start and end plus node events.
    uint64_t want = 2ULL * config.max_job_count + 4ULL * config.nodes.size();
    config.max_dbd_msgs = static_cast<uint32_t>(std::clamp<uint64_t>(want, 10000, UINT32_MAX));
  }
  return Ok();
}

}  // namespace

const NodeConfig* SlurmConfig::FindNode(std::string_view name) const {
  for (const NodeConfig& node : nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

const PartitionConfig* SlurmConfig::FindPartition(std::string_view name) const {
  for (const PartitionConfig& part : partitions) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

SlurmConfig DefaultSlurmConfig() {
  SlurmConfig config;
  for (const GlobalKey& key : GlobalKeys()) {
    if (key.default_value == nullptr) continue;
    ConfPair pair{std::string(key.name), key.default_value, SourceLoc{"<default>", 0}};
    Status st = key.set(config, pair, key.name);
    DROVER_CHECK(st.has_value());
  }
  return config;
}

Result<SlurmConfig> ParseSlurmConf(std::string_view text, std::string_view file_name,
                                   const IncludeResolver& resolver,
                                   std::vector<ConfigWarning>* warnings) {
  SlurmConfig config = DefaultSlurmConfig();
  ParseState state;
  state.config = &config;
  state.warnings = warnings;
  LexOptions options;
  options.cluster_name = [&config] { return config.cluster_name; };
  LineSink sink = [&state](const ConfLine& line) { return ApplyLine(state, line); };
  RETURN_IF_ERROR(LexConf(text, file_name, resolver, options, sink, warnings));
  RETURN_IF_ERROR(FinishNodesAndPartitions(state));
  RETURN_IF_ERROR(Finish(config, file_name));
  return config;
}

Result<SlurmConfig> LoadSlurmConf(const std::string& path, std::vector<ConfigWarning>* warnings) {
  FileIncludeResolver resolver;
  auto text = resolver.Read(path);
  if (!text.has_value()) return text.error();
  return ParseSlurmConf(*text, path, resolver, warnings);
}

}  // namespace drover::config
