// Fuzzes the gres.conf reader in memory and the per-node view of its records.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/gres_conf.h"

using namespace drover::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  MapIncludeResolver resolver;
  std::vector<ConfigWarning> warnings;
  auto conf = ParseGresConf(text, "gres.conf", resolver, &warnings);
  if (!conf.has_value()) return 0;
  for (const char* node : {"n1", "gpu01", "server2", ""}) {
    auto records = GresForNode(*conf, node);
    auto totals = GresTotalsForNode(*conf, node);
    (void)records;
    (void)totals;
  }
  return 0;
}
