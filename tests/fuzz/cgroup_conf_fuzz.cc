// Fuzzes the cgroup.conf reader in memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/cgroup_conf.h"

using namespace drover::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  MapIncludeResolver resolver;
  std::vector<ConfigWarning> warnings;
  auto conf = ParseCgroupConf(text, "cgroup.conf", resolver, &warnings);
  if (conf.has_value()) (void)CgroupPluginName(conf->plugin);
  return 0;
}
