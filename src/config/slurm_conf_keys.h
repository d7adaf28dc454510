// The registry of slurm.conf's global keys: one row per key with its canonical spelling,
// its parser/setter and the default a file that omits it gets. Node and partition lines
// have their own tables (slurm_conf_nodes.cc, slurm_conf_partitions.cc).
//
// Internal to src/config. Thread-safety: the table is a constant.
#pragma once

#include <span>
#include <string_view>

#include "base/result.h"
#include "config/conf_lexer.h"
#include "config/slurm_conf.h"

namespace drover::config {

struct GlobalKey {
  std::string_view name;  // canonical spelling, used in messages
  // Parses pair.value into the config; errors come from ValueError(pair, name, why).
  Status (*set)(SlurmConfig& config, const ConfPair& pair, std::string_view name);
  // Applied by DefaultSlurmConfig() through `set`; nullptr for keys with no default.
  const char* default_value;
};

std::span<const GlobalKey> GlobalKeys();

// The row for `key` (any case, aliases included), or nullptr.
const GlobalKey* FindGlobalKey(std::string_view key);

}  // namespace drover::config
