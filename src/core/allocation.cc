#include "core/allocation.h"

#include "base/hostlist.h"

namespace drover {

uint32_t Allocation::TotalCpus() const {
  uint32_t n = 0;
  for (const auto& a : nodes) n += static_cast<uint32_t>(a.cpus.size());
  return n;
}

uint64_t Allocation::TotalMemMb() const {
  uint64_t n = 0;
  for (const auto& a : nodes) n += a.mem_mb;
  return n;
}

std::string Allocation::NodeList() const {
  std::vector<std::string> names;
  names.reserve(nodes.size());
  for (const auto& a : nodes) names.push_back(a.node);
  return Hostlist::Compress(names);
}

}  // namespace drover
