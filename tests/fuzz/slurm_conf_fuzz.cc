// Fuzzes the slurm.conf reader in memory. The input is split at NUL bytes: the first part is
// /etc/slurm/slurm.conf, the others are served by a fake include resolver as
// /etc/slurm/inc1.conf, /etc/slurm/conf.d/2.conf, ... so Include lines (plain, relative,
// glob, cyclic) are reached. A parsed config must also print through FormatShowConfig.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/result.h"
#include "config/show_config.h"
#include "config/slurm_conf.h"

using namespace drover::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // hostlist expansion makes huge inputs slow, not wrong
  std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts{""};
  for (char c : input) {
    if (c == '\0') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  MapIncludeResolver resolver;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string name = i % 2 ? "/etc/slurm/inc" + std::to_string(i) + ".conf"
                             : "/etc/slurm/conf.d/" + std::to_string(i) + ".conf";
    resolver.Add(name, parts[i]);
  }
  std::vector<ConfigWarning> warnings;
  auto config = ParseSlurmConf(parts[0], "/etc/slurm/slurm.conf", resolver, &warnings);
  for (const ConfigWarning& w : warnings) (void)w.ToString();
  if (!config.has_value()) {
    DROVER_CHECK(!config.error().ToString().empty());
    return 0;
  }
  for (const PartitionConfig& p : config->partitions) {
    DROVER_CHECK(p.total_nodes == p.nodes.size());
    for (const std::string& n : p.nodes) DROVER_CHECK(config->FindNode(n) != nullptr);
  }
  ShowConfigContext ctx;
  ctx.controllers = {{"head", true}};
  std::string out = FormatShowConfig(*config, ctx);
  DROVER_CHECK(out.find("X11Parameters") != std::string::npos);
  return 0;
}
