#include "config/cgroup_conf.h"

#include <fmt/core.h>

#include "config/config_values.h"

namespace drover::config {

std::string_view CgroupPluginName(CgroupPlugin plugin) {
  switch (plugin) {
    case CgroupPlugin::kAutodetect:
      return "autodetect";
    case CgroupPlugin::kV1:
      return "cgroup/v1";
    case CgroupPlugin::kV2:
      return "cgroup/v2";
    case CgroupPlugin::kDisabled:
      return "disabled";
  }
  return "autodetect";
}

namespace {

using C = CgroupConfig;
using Setter = Status (*)(C&, const ConfPair&, std::string_view);

template <bool C::*M>
Status Bool(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseYesNo(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

template <double C::*M, int kMax>
Status Percent(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseDouble(p.value, 0, kMax);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

template <uint64_t C::*M>
Status MemMb(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseMemoryValue(p.value, false);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = **v;
  return Ok();
}

Status Plugin(C& c, const ConfPair& p, std::string_view k) {
  const std::vector<std::string_view> words = {"autodetect", "cgroup/v1", "cgroup/v2", "disabled"};
  auto i = FindKeyword(p.value, words);
  if (!i) return ValueError(p, k, "expected autodetect, cgroup/v1, cgroup/v2 or disabled");
  c.plugin = static_cast<CgroupPlugin>(*i);
  return Ok();
}

Status Mountpoint(C& c, const ConfPair& p, std::string_view k) {
  if (p.value.empty() || p.value.front() != '/')
    return ValueError(p, k, "expected an absolute path");
  c.mountpoint = p.value;
  return Ok();
}

Status Swappiness(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, 100);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.memory_swappiness = static_cast<int>(*v);
  return Ok();
}

Status KmemSpace(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseDouble(p.value, 0, 1e15);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.allowed_kmem_space_mb = *v;
  return Ok();
}

Status SystemdTimeout(C& c, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, 0, UINT32_MAX);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.systemd_timeout_ms = *v;
  return Ok();
}

Status ExtraControllers(C& c, const ConfPair& p, std::string_view) {
  c.enable_extra_controllers = SplitList(p.value);
  return Ok();
}

Status Obsolete(C&, const ConfPair&, std::string_view) { return Ok(); }

struct CgroupKey {
  std::string_view name;
  Setter set;
  bool obsolete = false;
};

const CgroupKey kKeys[] = {
    {"AllowedKmemSpace", KmemSpace},
    {"AllowedRAMSpace", Percent<&C::allowed_ram_space_percent, 100000>},
    {"AllowedSwapSpace", Percent<&C::allowed_swap_space_percent, 100000>},
    {"CgroupAutomount", Obsolete, true},
    {"CgroupMountpoint", Mountpoint},
    {"CgroupPlugin", Plugin},
    {"CgroupReleaseAgentDir", Obsolete, true},
    {"ConstrainCores", Bool<&C::constrain_cores>},
    {"ConstrainDevices", Bool<&C::constrain_devices>},
    {"ConstrainKmemSpace", Bool<&C::constrain_kmem_space>},
    {"ConstrainRAMSpace", Bool<&C::constrain_ram_space>},
    {"ConstrainSwapSpace", Bool<&C::constrain_swap_space>},
    {"EnableControllers", Bool<&C::enable_controllers>},
    {"EnableExtraControllers", ExtraControllers},
    {"IgnoreSystemd", Bool<&C::ignore_systemd>},
    {"IgnoreSystemdOnFailure", Bool<&C::ignore_systemd_on_failure>},
    {"MaxKmemPercent", Percent<&C::max_kmem_percent, 100>},
    {"MaxRAMPercent", Percent<&C::max_ram_percent, 100>},
    {"MaxSwapPercent", Percent<&C::max_swap_percent, 100>},
    {"MemoryLimitEnforcement", Obsolete, true},
    {"MemorySwappiness", Swappiness},
    {"MinKmemSpace", MemMb<&C::min_kmem_space_mb>},
    {"MinRAMSpace", MemMb<&C::min_ram_space_mb>},
    {"SignalChildrenProcesses", Bool<&C::signal_children_processes>},
    {"SystemdTimeout", SystemdTimeout},
    {"TaskAffinity", Obsolete, true},
};

}  // namespace

Result<CgroupConfig> ParseCgroupConf(std::string_view text, std::string_view file_name,
                                     const IncludeResolver& resolver,
                                     std::vector<ConfigWarning>* warnings) {
  CgroupConfig config;
  LineSink sink = [&](const ConfLine& line) -> Status {
    for (const ConfPair& p : line.pairs) {
      const CgroupKey* key = nullptr;
      for (const CgroupKey& k : kKeys) {
        if (KeyEquals(k.name, p.key)) key = &k;
      }
      if (key == nullptr) {
        if (warnings) warnings->push_back({p.loc, fmt::format("unknown key '{}' ignored", p.key)});
        continue;
      }
      if (key->obsolete && warnings) {
        warnings->push_back({p.loc, fmt::format("obsolete key '{}' ignored", key->name)});
      }
      RETURN_IF_ERROR(key->set(config, p, key->name));
    }
    return Ok();
  };
  RETURN_IF_ERROR(LexConf(text, file_name, resolver, LexOptions{}, sink, warnings));
  return config;
}

Result<CgroupConfig> LoadCgroupConf(const std::string& path, std::vector<ConfigWarning>* warnings) {
  FileIncludeResolver resolver;
  auto text = resolver.Read(path);
  if (!text.has_value()) return text.error();
  return ParseCgroupConf(*text, path, resolver, warnings);
}

}  // namespace drover::config
