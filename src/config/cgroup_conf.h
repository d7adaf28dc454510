// cgroup.conf: how the step supervisor confines jobs (which cgroup version, which
// resources are constrained and by how much).
//
//   CgroupPlugin=cgroup/v2
//   ConstrainCores=yes
//   ConstrainRAMSpace=yes
//   AllowedRAMSpace=100
//
// Defaults are Slurm's. Percentages are floats as Slurm takes them. Obsolete keys Slurm
// still accepts (CgroupAutomount, CgroupReleaseAgentDir, TaskAffinity, ...) are accepted
// with a warning that they are ignored.
//
// Thread-safety: plain values; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/conf_lexer.h"

namespace drover::config {

enum class CgroupPlugin { kAutodetect, kV1, kV2, kDisabled };
std::string_view CgroupPluginName(CgroupPlugin plugin);  // "autodetect", "cgroup/v1", ...

struct CgroupConfig {
  CgroupPlugin plugin = CgroupPlugin::kAutodetect;
  std::string mountpoint = "/sys/fs/cgroup";
  bool constrain_cores = false;
  bool constrain_devices = false;
  bool constrain_ram_space = false;
  bool constrain_swap_space = false;
  bool constrain_kmem_space = false;  // cgroup v1 only
  double allowed_ram_space_percent = 100;
  double allowed_swap_space_percent = 0;
  double allowed_kmem_space_mb = -1;  // -1: unset
  double max_ram_percent = 100;
  double max_swap_percent = 100;
  double max_kmem_percent = 100;
  uint64_t min_ram_space_mb = 30;
  uint64_t min_kmem_space_mb = 30;
  int memory_swappiness = -1;  // -1: unset (0..100 when set)
  bool ignore_systemd = false;
  bool ignore_systemd_on_failure = false;
  bool enable_controllers = false;
  std::vector<std::string> enable_extra_controllers;
  uint64_t systemd_timeout_ms = 1000;
  bool signal_children_processes = false;
};

Result<CgroupConfig> ParseCgroupConf(std::string_view text, std::string_view file_name,
                                     const IncludeResolver& resolver,
                                     std::vector<ConfigWarning>* warnings);
Result<CgroupConfig> LoadCgroupConf(const std::string& path, std::vector<ConfigWarning>* warnings);

}  // namespace drover::config
